/**
 * Every /api route against the audience it declares with `allow(...)` (read off the app's
 * routes, as the OpenAPI document's `x-audience` is; openapi.test.ts holds the document to
 * the same): each route is called by nobody, by an account without roles and by each role,
 * and must let in exactly the callers its audience names, refusing the others with 401
 * SIGNED_OUT or 403 FORBIDDEN.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Audience } from '../src/auth/access';
import { ROLES, type Role } from '../src/auth/roles';
import app from '../src/index';
import { audiences } from '../src/openapi';
import { api, type Caller, createCampaign, errorOf, seedRoster, signedIn } from './helpers';

type Column = 'anyone' | 'signed in' | Role;
const COLUMNS: Column[] = ['anyone', 'signed in', 'facilitator', 'director', 'admin'];

/** Who an audience lets in, in the callers' terms. */
function allowedBy(audience: readonly Audience[]): Set<Column> {
  if (audience.includes('public') || audience.includes('respondent')) return new Set(COLUMNS);
  if (audience.includes('account')) return new Set(COLUMNS.filter((column) => column !== 'anyone'));
  return new Set(ROLES.filter((role) => audience.includes(role)));
}

/** Every API route and who it lets in. */
const table = [...audiences(app)]
  .map(([key, audience]) => {
    const [method = '', route = ''] = key.split(' ');
    return { key, method, route, allowed: allowedBy(audience) };
  })
  .filter(({ route }) => route.startsWith('/api/'));

describe('the audiences', () => {
  it('are declared by every API route with allow(...)', () => {
    const undeclared = app.routes
      .filter((route) => route.method !== 'ALL' && route.path.startsWith('/api/'))
      .map((route) => `${route.method} ${route.path}`)
      .filter((key) => !table.some((row) => row.key === key));
    expect(undeclared).toEqual([]);
  });
});

describe.each(table)('$method $route', ({ method, route, allowed }) => {
  let path = '';
  beforeAll(async () => {
    await seedRoster([{}]);
    const campaign = await createCampaign();
    const account = await signedIn(['director'], `target-${crypto.randomUUID()}@district.example`);
    path = route.replace(':id', route.startsWith('/api/accounts') ? account.accountId : campaign);
  });

  const callers: Array<{ who: string; as: () => Promise<Caller>; column: Column | null }> = [
    { who: 'nobody', as: async () => 'nobody', column: null },
    { who: 'an account without roles', as: async () => ({ cookie: (await signedIn([])).cookie }), column: 'signed in' },
    ...ROLES.map((role) => ({
      who: `a ${role}`,
      // A fresh session per call: signing out must not end a session other calls use.
      as: async () => ({ cookie: (await signedIn([role])).cookie }),
      column: role,
    })),
  ];

  it.each(callers)('answers $who as its audience says', async ({ who, as, column }) => {
    const init: RequestInit = { method };
    if (method !== 'GET') {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = '{}';
    }
    const res = await api(path, init, await as());
    const code = res.status === 401 || res.status === 403 ? (await errorOf(res)).code : null;
    if (allowed.has('anyone') || (column !== null && allowed.has(column))) {
      expect(['SIGNED_OUT', 'FORBIDDEN']).not.toContain(code);
    } else if (who === 'nobody') {
      expect([res.status, code]).toEqual([401, 'SIGNED_OUT']);
    } else {
      expect([res.status, code]).toEqual([403, 'FORBIDDEN']);
    }
  });
});
