/**
 * Where the local database lives, for `npm start` and `npm run admin`. The demo district and
 * a real district are kept in different folders, so trying the demo never puts demo staff,
 * accounts or campaigns into the database a district sets up for itself, and the other way
 * round. HOMEGROWN_STATE names another folder (the browser tests run a copy beside a
 * developer's own).
 */
import { resolve } from 'node:path';

/** `--district`: a real district's own database, which is never seeded. */
export const DISTRICT_FLAG = '--district';

export function localState(district: boolean, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.HOMEGROWN_STATE ?? (district ? '.wrangler/district' : '.wrangler/state'));
}
