/**
 * A real district starts empty: its first admin, made from the command line before the app
 * ever ran (the README's way in), means `npm start` must not seed the demo district over it.
 * Its own file, so that its database is empty when it starts.
 */
import { expect, it } from 'vitest';
import { seedDemoDistrict } from '../../scripts/demo/seed';
import { db, signedIn } from './helpers';

it('the demo is never seeded into a database whose first admin was made already', async () => {
  await signedIn(['admin'], 'first-admin@your-district.example');
  expect(await seedDemoDistrict(db())).toBe(false);
  const rows = await db()
    .prepare(
      `SELECT (SELECT COUNT(*) FROM schools) AS schools, (SELECT COUNT(*) FROM staff) AS staff,
         (SELECT COUNT(*) FROM campaigns) AS campaigns, (SELECT COUNT(*) FROM accounts) AS accounts,
         (SELECT COUNT(*) FROM boards) AS boards`,
    )
    .first();
  expect(rows).toEqual({ schools: 0, staff: 0, campaigns: 0, accounts: 1, boards: 0 });
});
