/**
 * The first admin: `npm run admin -- invite …` against the running app's own database, then
 * the printed link opened in a browser, as a district's first admin would.
 */
import { spawn } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './browser';

const baseURL = inject('baseURL');
const stateDir = inject('stateDir');
const LINK = new RegExp(`${baseURL.replaceAll('.', '\\.')}/sign-in/complete/#token=[A-Za-z0-9_-]{43}`);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOMEGROWN_STATE: stateDir, WRANGLER_SEND_METRICS: 'false' };
  delete env.HOMEGROWN_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const admin = (...args: string[]) => run('tsx', ['scripts/admin.ts', ...args]);

/** Rows the command could write, read straight from the app's local database. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = ['accounts', 'account_roles', 'sign_in_links', 'audit_log'];
  const query = tables.map((table) => `SELECT '${table}' AS name, COUNT(*) AS n FROM ${table}`).join(' UNION ALL ');
  const result = await run('wrangler', [
    'd1',
    'execute',
    'DB',
    '--local',
    '--persist-to',
    stateDir,
    '--json',
    '--command',
    query,
  ]);
  if (result.code !== 0) throw new Error(`could not read the database: ${result.stderr}`);
  const [{ results }] = JSON.parse(result.stdout) as [{ results: Array<{ name: string; n: number }> }];
  return Object.fromEntries(results.map((row) => [row.name, row.n]));
}

function printedLink(stdout: string): string {
  const link = stdout.match(LINK)?.[0];
  if (!link) throw new Error(`no sign-in link in:\n${stdout}`);
  return link;
}

/** Opens the link as the person would, and waits for the page it sends them on to. */
async function openLink(context: BrowserContext, link: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(link);
  // A link that asked for no page starts the person where their roles do (GET /api/auth/session).
  await page.waitForURL((url) => url.pathname !== '/sign-in/complete/');
  return page;
}

async function fetchJson(page: Page, path: string, init: { method?: string; body?: unknown } = {}) {
  return page.evaluate(
    async ({ path, init }) => {
      const res = await fetch(path, {
        method: init.method ?? 'GET',
        headers: init.body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: res.status, body: await res.json() };
    },
    { path, init },
  );
}

interface AuditItem {
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

async function commandLineAudit(page: Page, target: string): Promise<Array<Omit<AuditItem, 'actor' | 'target'>>> {
  const { body } = await fetchJson(page, '/api/audit?limit=100');
  return (body as { items: AuditItem[] }).items
    .filter((item) => item.actor === 'command line' && item.target === target)
    .reverse()
    .map(({ action, detail }) => ({ action, detail }));
}

let browser: Browser;
let adminPage: Page;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('npm run admin -- invite', () => {
  it.each<[string, string[], RegExp]>([
    [
      'an unknown role',
      ['invite', 'new.person@district.example', '--role', 'superuser'],
      /^"superuser" is not a role; the roles are admin, director, facilitator\./,
    ],
    ['a malformed address', ['invite', 'new.person.district.example', '--role', 'admin'], /is not an email address\./],
    ['no role', ['invite', 'new.person@district.example'], /^Give at least one --role: admin, director, facilitator\./],
    [
      '--remote without the address of the app',
      ['invite', 'new.person@district.example', '--role', 'admin', '--remote'],
      /^With --remote, give --url \(or set HOMEGROWN_URL\)/,
    ],
    [
      'an unknown command',
      ['promote', 'new.person@district.example'],
      /^Unknown command "promote"; the only one is invite\./,
    ],
    ['a mistyped option', ['invite', 'new.person@district.example', '--rol', 'admin'], /Unknown option '--rol'/],
  ])('refuses %s with exit code 2 and says why', async (_, args, message) => {
    const result = await admin(...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: npm run admin -- invite <email> --role <role>');
  });

  it('writes nothing when a role is wrong', async () => {
    const before = await rowCounts();
    const result = await admin('invite', 'new.person@district.example', '--role', 'admin', '--role', 'owner');
    expect(result.code).toBe(2);
    expect(await rowCounts()).toEqual(before);
  });

  it('makes a new admin, apostrophe and all, whom the printed link signs in', async () => {
    const email = "siobhan.o'brien@district.example";
    const result = await admin(
      'invite',
      "Siobhan.O'Brien@District.example",
      '--role',
      'director',
      '--role',
      'admin',
      '--name',
      "Siobhán O'Brien; Principal",
      '--url',
      baseURL,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Created an account for ${email} (admin, director).`);
    expect(result.stdout).toContain('it works once, within 15 minutes');
    const link = printedLink(result.stdout);

    const context = await browser.newContext();
    adminPage = await openLink(context, link);
    expect(await fetchJson(adminPage, '/api/auth/me')).toEqual({
      status: 200,
      body: expect.objectContaining({ email, name: "Siobhán O'Brien; Principal", roles: ['admin', 'director'] }),
    });

    const token = new URLSearchParams(new URL(link).hash.slice(1)).get('token');
    const again = await fetchJson(adminPage, '/api/auth/session', { method: 'POST', body: { token } });
    expect(again.status).toBe(401);

    expect(await commandLineAudit(adminPage, email)).toEqual([
      { action: 'account.create', detail: { roles: ['admin', 'director'] } },
      { action: 'sign_in_link.issued', detail: { expiresAt: expect.any(String) } },
    ]);
  });

  it('adds roles to an existing account and enables it again if it was disabled', async () => {
    // An account of this test's own, so the demo accounts other test files sign in with stay as they are.
    const email = 'cli.facilitator@district.example';
    const created = await fetchJson(adminPage, '/api/accounts', {
      method: 'POST',
      body: { email, roles: ['facilitator'] },
    });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    const disabled = await fetchJson(adminPage, `/api/accounts/${id}`, { method: 'PATCH', body: { disabled: true } });
    expect(disabled.body).toMatchObject({ disabled: true });

    const result = await admin('invite', email, '--role', 'director', '--url', baseURL);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${email} now has the roles director, facilitator (before: facilitator).`);
    expect(result.stdout).toContain(`${email} was disabled and is enabled again.`);

    const page = await openLink(await browser.newContext(), printedLink(result.stdout));
    expect((await fetchJson(page, '/api/auth/me')).body).toMatchObject({ email, roles: ['director', 'facilitator'] });
    expect(await commandLineAudit(adminPage, email)).toEqual([
      { action: 'account.roles', detail: { from: ['facilitator'], to: ['director', 'facilitator'] } },
      { action: 'account.enable', detail: {} },
      { action: 'sign_in_link.issued', detail: { expiresAt: expect.any(String) } },
    ]);
  });

  it('ends the sessions of an account it adds roles to, and only then', async () => {
    const email = 'cli.roles@district.example';
    const first = await admin('invite', email, '--role', 'facilitator', '--url', baseURL);
    expect(first.code).toBe(0);
    const before = await openLink(await browser.newContext(), printedLink(first.stdout));
    expect((await fetchJson(before, '/api/auth/me')).body).toMatchObject({ email, roles: ['facilitator'] });

    const added = await admin('invite', email, '--role', 'director', '--url', baseURL);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`${email} now has the roles director, facilitator (before: facilitator).`);
    expect(added.stdout).toContain(`Any session ${email} had is ended`);
    // The session opened under the old roles is gone; the new link gives one with the new roles.
    expect((await fetchJson(before, '/api/auth/me')).status).toBe(401);
    const after = await openLink(await browser.newContext(), printedLink(added.stdout));
    expect((await fetchJson(after, '/api/auth/me')).body).toMatchObject({ email, roles: ['director', 'facilitator'] });

    // Nothing new to add: the session stays.
    const same = await admin('invite', email, '--role', 'director', '--url', baseURL);
    expect(same.code).toBe(0);
    expect(same.stdout).not.toContain('is ended');
    expect((await fetchJson(after, '/api/auth/me')).status).toBe(200);
  });

  afterAll(async () => {
    // The demo admin stays the only active admin, as the admin page's tests expect.
    const { body } = await fetchJson(adminPage, '/api/accounts');
    const made = (body as { items: Array<{ id: string; email: string }> }).items.find((account) =>
      account.email.startsWith("siobhan.o'brien@"),
    );
    if (made) await fetchJson(adminPage, `/api/accounts/${made.id}`, { method: 'PATCH', body: { disabled: true } });
  });
});
