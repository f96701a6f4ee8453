/**
 * Every /api route against the README's access table: each route is called by nobody, by
 * an account without roles and by each role, and must let in exactly the callers the table
 * marks, refusing the others with 401 SIGNED_OUT or 403 FORBIDDEN. The table must list
 * every route the worker has, with the audience the route itself declares.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import readme from '../../README.md?raw';
import type { AccessCheck } from '../src/auth/access';
import { ROLES, type Role } from '../src/auth/roles';
import app from '../src/index';
import { api, type Caller, createCampaign, errorOf, seedRoster, signedIn } from './helpers';

type Column = 'anyone' | 'signed in' | Role;
const COLUMNS: Column[] = ['anyone', 'signed in', 'facilitator', 'director', 'admin'];

interface Row {
  method: string;
  route: string;
  allowed: Set<Column>;
}

const table: Row[] = readme
  .split('\n')
  .map((line) => /^\| (GET|POST|PUT|PATCH|DELETE) +\| `([^`]+)` +\|(.*)$/.exec(line))
  .filter((match) => match !== null)
  .map(([, method = '', route = '', rest = '']) => {
    const cells = rest.split('|').map((cell) => cell.trim());
    return { method, route, allowed: new Set(COLUMNS.filter((_, i) => cells[i] === '✓')) };
  });

/** What a route's own `allow(...)` says, in the table's terms. */
function declared(audience: readonly string[]): Set<Column> {
  if (audience.includes('public') || audience.includes('respondent')) return new Set(COLUMNS);
  if (audience.includes('account')) return new Set(COLUMNS.filter((column) => column !== 'anyone'));
  return new Set(ROLES.filter((role) => audience.includes(role)));
}

describe('the access table', () => {
  it('lists every API route once, with the audience the route declares', () => {
    const routes = new Map<string, Set<Column> | null>();
    for (const route of app.routes) {
      if (route.method === 'ALL' || !route.path.startsWith('/api/')) continue;
      const key = `${route.method} ${route.path}`;
      const audience = (route.handler as Partial<AccessCheck>).audience;
      if (audience) routes.set(key, declared(audience));
      else if (!routes.has(key)) routes.set(key, null);
    }
    const documented = new Map(table.map((row) => [`${row.method} ${row.route}`, row.allowed]));
    expect(table.length).toBe(documented.size);
    expect([...routes.keys()].sort()).toEqual([...documented.keys()].sort());
    for (const [key, allowed] of routes) {
      expect(allowed === null ? `${key} declares no audience` : [...allowed].sort()).toEqual(
        [...(documented.get(key) ?? [])].sort(),
      );
    }
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

  it.each(callers)('answers $who as the table says', async ({ who, as, column }) => {
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
