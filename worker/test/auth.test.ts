import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { httpMailer } from '../src/auth/mailer';
import { hashToken } from '../src/auth/tokens';
import app from '../src/index';
import { api, db, errorOf, postJson, signedIn, withinOneMinute } from './helpers';

/** Creates an account (as an admin, through the API) and returns its id. */
async function account(email: string, roles: string[]) {
  const res = await postJson('/api/accounts', { email, name: 'Test Person', roles });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function requestLink(email: string, next?: string) {
  return postJson('/api/auth/sign-in-link', { email, ...(next ? { next } : {}) }, {}, 'nobody');
}

/** The newest sign-in link in the local outbox for this address. */
async function mailedLink(email: string): Promise<URL | null> {
  const row = await db()
    .prepare('SELECT body FROM dev_outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1')
    .bind(email)
    .first<{ body: string }>();
  const link = row?.body.match(/https?:\/\/\S+/)?.[0];
  return link ? new URL(link) : null;
}

function tokenOf(link: URL): string {
  return new URLSearchParams(link.hash.slice(1)).get('token') ?? '';
}

async function redeem(token: string, cookie?: string) {
  return postJson('/api/auth/session', { token }, cookie ? { Cookie: cookie } : {}, 'nobody');
}

function sessionCookie(res: Response): string {
  const header = res.headers.get('Set-Cookie') ?? '';
  return header.split(';')[0] ?? '';
}

const rows = async (sql: string, ...params: unknown[]) =>
  (
    await db()
      .prepare(sql)
      .bind(...params)
      .first<{ n: number }>()
  )?.n ?? 0;

describe('signing in with an emailed link', () => {
  it('mails a single-use link that starts a session in a __Host- cookie', async () => {
    await account('ada@district.example', ['director']);
    const asked = await requestLink('Ada@District.example', '/dashboard/?c=x');
    expect(asked.status).toBe(202);
    const link = await mailedLink('ada@district.example');
    expect(link?.pathname).toBe('/sign-in/complete/');
    expect(link?.search).toBe('');
    expect(new URLSearchParams(link?.hash.slice(1)).get('next')).toBe('/dashboard/?c=x');
    const token = tokenOf(link as URL);
    // 43 base64url characters: 256 bits.
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the SHA-256 of the token is stored, never the token.
    const stored = await db().prepare('SELECT token_hash, expires_at, created_at FROM sign_in_links').all<{
      token_hash: string;
      expires_at: string;
      created_at: string;
    }>();
    const hash = await hashToken(token);
    expect(stored.results.map((row) => row.token_hash)).toContain(hash);
    expect(JSON.stringify(stored.results)).not.toContain(token);
    const mine = stored.results.find((row) => row.token_hash === hash);
    expect(Date.parse(mine?.expires_at ?? '') - Date.parse(mine?.created_at ?? '')).toBe(15 * 60_000);

    const res = await redeem(token);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/^__Host-homegrown_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Max-Age=43200');
    expect(cookie).not.toContain('Domain');

    const me = await api('/api/auth/me', {}, { cookie: sessionCookie(res) });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'ada@district.example', roles: ['director'] });
    // The session is stored hashed too.
    expect(await rows('SELECT COUNT(*) AS n FROM sessions WHERE token_hash = ?', cookie.split(/[=;]/)[1])).toBe(0);

    const again = await redeem(token);
    expect(again.status).toBe(401);
    expect((await errorOf(again)).code).toBe('SIGN_IN_LINK_INVALID');
  });

  it('refuses an expired link', async () => {
    await account('bo@district.example', ['admin']);
    await requestLink('bo@district.example');
    const token = tokenOf((await mailedLink('bo@district.example')) as URL);
    await db()
      .prepare('UPDATE sign_in_links SET expires_at = ? WHERE token_hash = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), await hashToken(token))
      .run();
    const res = await redeem(token);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toMatch(/expired or was already used/);
  });

  it('answers an unknown address exactly like a known one, and mails nothing', async () => {
    const before = await rows('SELECT COUNT(*) AS n FROM sign_in_links');
    const res = await requestLink('stranger@elsewhere.example');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ sent: true });
    expect(await mailedLink('stranger@elsewhere.example')).toBeNull();
    expect(await rows('SELECT COUNT(*) AS n FROM sign_in_links')).toBe(before);
  });

  it('refuses a malformed address with 422 and a garbage token with 401', async () => {
    const bad = await requestLink('not an address');
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).fields).toHaveProperty('email');
    expect((await redeem('x')).status).toBe(401);
  });

  it('sends a person back only to a path on this site', async () => {
    await account('cy@district.example', ['director']);
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      await requestLink('cy@district.example', next);
      const link = await mailedLink('cy@district.example');
      expect(new URLSearchParams(link?.hash.slice(1)).get('next')).toBe('/');
    }
  });

  it('issues a new session at each sign-in and drops the one the browser had', async () => {
    await account('di@district.example', ['director']);
    await requestLink('di@district.example');
    const first = sessionCookie(await redeem(tokenOf((await mailedLink('di@district.example')) as URL)));
    await requestLink('di@district.example');
    const second = await redeem(tokenOf((await mailedLink('di@district.example')) as URL), first);
    expect(sessionCookie(second)).not.toBe(first);
    expect((await api('/api/auth/me', {}, { cookie: first })).status).toBe(401);
    expect((await api('/api/auth/me', {}, { cookie: sessionCookie(second) })).status).toBe(200);
  });

  it('signs out on the server: the old cookie stops working', async () => {
    const { cookie } = await signedIn(['director']);
    const res = await postJson('/api/auth/sign-out', {}, {}, { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('Set-Cookie')).toMatch(/^__Host-homegrown_session=;.*Max-Age=0/);
    const after = await api('/api/auth/me', {}, { cookie });
    expect(after.status).toBe(401);
    expect((await errorOf(after)).code).toBe('SIGNED_OUT');
  });

  it('limits sign-in requests per address: the sixth in a minute gets 429 with Retry-After', () =>
    withinOneMinute(async (attempt) => {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 6; i++) {
        last = await requestLink(`flood-${attempt}@district.example`);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
      expect(last?.headers.get('Retry-After')).toBe('60');
      expect((await errorOf(last as Response)).code).toBe('RATE_LIMITED');
    }));

  it('says so when no email is configured, before looking anyone up', async () => {
    const { DEV_OUTBOX: _, ...deployed } = env as Env & { DEV_OUTBOX?: string };
    const res = await app.request(
      '/api/auth/sign-in-link',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"email":"ada@district.example"}' },
      deployed,
    );
    expect(res.status).toBe(503);
    expect((await errorOf(res)).code).toBe('EMAIL_NOT_CONFIGURED');
  });
});

describe('accounts', () => {
  it('creates accounts once, with their roles, and records it', async () => {
    await account('eve@district.example', ['director', 'facilitator']);
    const twice = await postJson('/api/accounts', { email: 'EVE@district.example', roles: ['admin'] });
    expect(twice.status).toBe(409);
    expect((await errorOf(twice)).code).toBe('ACCOUNT_EXISTS');
    const list = (await (await api('/api/accounts')).json()) as { items: Array<{ email: string; roles: string[] }> };
    expect(list.items.find((item) => item.email === 'eve@district.example')?.roles).toEqual([
      'director',
      'facilitator',
    ]);
    expect(
      await rows(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'account.create' AND target = ?",
        'eve@district.example',
      ),
    ).toBe(1);
  });

  it('refuses roles that do not exist and empty role lists', async () => {
    for (const roles of [['superuser'], []]) {
      const res = await postJson('/api/accounts', { email: `r${roles.length}@district.example`, roles });
      expect(res.status).toBe(422);
      expect(Object.keys((await errorOf(res)).fields ?? {}).join()).toMatch(/^roles/);
    }
    expect(await rows("SELECT COUNT(*) AS n FROM accounts WHERE email LIKE 'r_@district.example'")).toBe(0);
  });

  it('changes roles (audited with before and after), ending the sessions opened under the old ones', async () => {
    const person = await signedIn(['director']);
    expect((await api('/api/accounts', {}, { cookie: person.cookie })).status).toBe(403);
    const res = await api(`/api/accounts/${person.accountId}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ roles: ['director', 'admin'] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ roles: ['admin', 'director'] });
    // The old session is gone; signing in again gives one with the new roles.
    const old = await api('/api/accounts', {}, { cookie: person.cookie });
    expect(old.status).toBe(401);
    expect((await errorOf(old)).code).toBe('SIGNED_OUT');
    await requestLink(person.email);
    const fresh = sessionCookie(await redeem(tokenOf((await mailedLink(person.email)) as URL)));
    expect((await api('/api/accounts', {}, { cookie: fresh })).status).toBe(200);
    const entry = await db()
      .prepare("SELECT detail FROM audit_log WHERE action = 'account.roles' AND target = ?")
      .bind(person.email)
      .first<{ detail: string }>();
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({ from: ['director'], to: ['admin', 'director'] });
  });

  it('disabling an account signs it out everywhere and voids its sign-in links, also once enabled again', async () => {
    const person = await signedIn(['director']);
    const other = await signedIn(['director'], person.email.replace('@', '+2@'));
    await db()
      .prepare('UPDATE sessions SET account_id = ? WHERE account_id = ?')
      .bind(person.accountId, other.accountId)
      .run();
    await requestLink(person.email);
    const token = tokenOf((await mailedLink(person.email)) as URL);
    const res = await api(`/api/accounts/${person.accountId}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    expect(res.status).toBe(200);
    expect(await rows('SELECT COUNT(*) AS n FROM sessions WHERE account_id = ?', person.accountId)).toBe(0);
    expect((await api('/api/auth/me', {}, { cookie: person.cookie })).status).toBe(401);
    expect((await api('/api/auth/me', {}, { cookie: other.cookie })).status).toBe(401);
    expect((await redeem(token)).status).toBe(401);
    const enabled = await api(`/api/accounts/${person.accountId}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ disabled: false }),
    });
    expect(enabled.status).toBe(200);
    const revived = await redeem(token);
    expect(revived.status).toBe(401);
    expect(revived.headers.get('Set-Cookie')).toBeNull();
    expect(
      await rows('SELECT COUNT(*) AS n FROM sign_in_links WHERE account_id = ? AND used_at IS NULL', person.accountId),
    ).toBe(0);
  });

  it('never leaves the district without an active admin', async () => {
    const only = await db()
      .prepare(
        "SELECT COUNT(*) AS n FROM account_roles r JOIN accounts a ON a.id = r.account_id WHERE role = 'admin' AND a.disabled_at IS NULL",
      )
      .first<{ n: number }>();
    // Demote or disable every other admin first, so one is left.
    const { results } = await db()
      .prepare("SELECT a.id FROM accounts a JOIN account_roles r ON r.account_id = a.id WHERE r.role = 'admin'")
      .all<{ id: string }>();
    expect(only?.n).toBeGreaterThan(0);
    const last = await signedIn(['admin']);
    for (const { id } of results) {
      await db().prepare('UPDATE accounts SET disabled_at = ? WHERE id = ?').bind(new Date().toISOString(), id).run();
    }
    for (const change of [{ roles: ['director'] }, { disabled: true }]) {
      const res = await api(
        `/api/accounts/${last.accountId}`,
        { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(change) },
        { cookie: last.cookie },
      );
      expect(res.status).toBe(409);
      expect((await errorOf(res)).code).toBe('LAST_ADMIN');
    }
    expect((await api('/api/auth/me', {}, { cookie: last.cookie })).status).toBe(200);
  });
});

describe('the production mailer', () => {
  it('posts the message to the email API with the key as a bearer token', async () => {
    const sent: Request[] = [];
    const mailer = httpMailer({ apiKey: 'key-123', from: 'Homegrown <pd@district.example>' }, async (input, init) => {
      sent.push(new Request(input, init));
      return new Response('{"id":"1"}', { status: 200 });
    });
    await mailer.send({ to: 'ada@district.example', subject: 'Hi', text: 'Body' });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe('https://api.resend.com/emails');
    expect(sent[0]?.headers.get('Authorization')).toBe('Bearer key-123');
    expect(await sent[0]?.json()).toEqual({
      from: 'Homegrown <pd@district.example>',
      to: ['ada@district.example'],
      subject: 'Hi',
      text: 'Body',
    });
  });

  it('turns a refusal by the email API into a 502 a person can act on', async () => {
    const mailer = httpMailer({ apiKey: 'k', from: 'a@b.example' }, async () => new Response('nope', { status: 500 }));
    await expect(mailer.send({ to: 'x@y.example', subject: 's', text: 't' })).rejects.toMatchObject({
      status: 502,
      code: 'EMAIL_NOT_SENT',
    });
  });
});
