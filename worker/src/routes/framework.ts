import { Hono } from 'hono';
import { allow } from '../auth/access';
import type { AppEnv } from '../auth/session';
import { listSchools } from '../db/roster';
import { domains, hexagonIndicators, idLists } from '../domain/framework';

/** The competency framework and every id list the answer contract uses, for integrations. */
export const framework = new Hono<AppEnv>().get('/', allow('public'), async (c) => {
  const schools = await listSchools(c.env.DB);
  return c.json({ domains, ...idLists, hexagonIndicators, schools });
});
