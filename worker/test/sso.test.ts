import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { disableAccountStatements, insertAccountStatements } from '../src/db/accounts';
import app from '../src/index';
import { type SsoConfig, ssoOption } from '../src/routes/sso';
import { api, createCampaign, db, errorOf } from './helpers';

const ORIGIN = 'https://homegrown.test';
/** Where links point: the configured PUBLIC_ORIGIN, never the Host a request came to. */
const PUBLIC = 'http://127.0.0.1:8787';
const TENANT = '6f1c2b8e-4d3a-4e5f-9a7b-0c1d2e3f4a5b';
const GOOGLE: SsoConfig = {
  SSO_PROVIDER: 'google',
  SSO_CLIENT_ID: 'homegrown.example-client',
  SSO_CLIENT_SECRET: 's3cret',
};
const MICROSOFT: SsoConfig = {
  SSO_PROVIDER: 'microsoft',
  SSO_CLIENT_ID: '0a1b2c3d-0000-4000-8000-000000000001',
  SSO_CLIENT_SECRET: 's3cret',
  SSO_TENANT: TENANT,
};

/** The whole worker, as deployed, with single sign-on settings added to its environment. */
async function call(path: string, config: SsoConfig, cookie?: string): Promise<Response> {
  return await app.request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} }, { ...env, ...config });
}

function cookiesOf(res: Response): Map<string, string> {
  return new Map(
    res.headers.getSetCookie().map((header) => {
      const [pair = ''] = header.split(';');
      const at = pair.indexOf('=');
      return [pair.slice(0, at), decodeURIComponent(pair.slice(at + 1))];
    }),
  );
}

/** Starts a sign-in as a browser would, giving what the browser keeps for the callback. */
async function startFlow(config: SsoConfig, next: string | null = '/dashboard/') {
  const res = await call(`/api/auth/sso/start${next === null ? '' : `?next=${encodeURIComponent(next)}`}`, config);
  expect(res.status).toBe(302);
  const cookies = cookiesOf(res);
  const state = cookies.get('__Host-homegrown_sso_state') ?? '';
  return {
    state,
    verifier: cookies.get('__Host-homegrown_sso_verifier'),
    cookie: [...cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; '),
  };
}

function base64url(text: string): string {
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** An id token as a provider's token endpoint returns it; its signature is not what is tested. */
function idToken(claims: Record<string, unknown>): string {
  return [JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }), JSON.stringify(claims), 'signature']
    .map(base64url)
    .join('.');
}

function googleClaims(email: string, extra: Record<string, unknown> = {}) {
  return {
    iss: 'https://accounts.google.com',
    aud: GOOGLE.SSO_CLIENT_ID,
    sub: '1098765',
    email,
    email_verified: true,
    exp: Math.floor(Date.now() / 1000) + 3600,
    iat: Math.floor(Date.now() / 1000),
    ...extra,
  };
}

function microsoftClaims(extra: Record<string, unknown>) {
  return {
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    aud: MICROSOFT.SSO_CLIENT_ID,
    tid: TENANT,
    sub: 'entra-subject',
    exp: Math.floor(Date.now() / 1000) + 3600,
    ...extra,
  };
}

/** Stands in for the provider's token endpoint, which nothing here can reach. */
function tokenEndpointAnswers(status: number, body: Record<string, unknown>) {
  return vi
    .spyOn(globalThis, 'fetch')
    .mockImplementation(
      async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
    );
}

function sentRequest(fetch: ReturnType<typeof tokenEndpointAnswers>): Request {
  const [request] = fetch.mock.calls[0] ?? [];
  if (!(request instanceof Request)) throw new Error('no request reached the token endpoint');
  return request;
}

async function createAccount(email: string, options: { disabled?: boolean } = {}): Promise<string> {
  const id = crypto.randomUUID();
  await db().batch([
    ...insertAccountStatements(db(), {
      id,
      email,
      name: 'Dana Reyes',
      roles: ['director'],
      createdAt: new Date().toISOString(),
    }),
    ...(options.disabled ? disableAccountStatements(db(), id, new Date().toISOString()) : []),
  ]);
  return id;
}

async function rows(sql: string, ...params: unknown[]): Promise<number> {
  const row = await db()
    .prepare(`SELECT COUNT(*) AS n FROM ${sql}`)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('single sign-on settings', () => {
  it.each<[string, SsoConfig, ReturnType<typeof ssoOption>]>([
    ['nothing set', {}, null],
    ['Google', GOOGLE, { provider: 'google', label: 'Sign in with Google' }],
    [
      'Google for one Workspace domain',
      { ...GOOGLE, SSO_DOMAIN: 'district.example' },
      { provider: 'google', label: 'Sign in with Google' },
    ],
    ['Microsoft', MICROSOFT, { provider: 'microsoft', label: 'Sign in with Microsoft' }],
    ['Google without its secret', { ...GOOGLE, SSO_CLIENT_SECRET: '' }, null],
    ['Google without a client id', { ...GOOGLE, SSO_CLIENT_ID: undefined }, null],
    ['Microsoft without a tenant', { ...MICROSOFT, SSO_TENANT: undefined }, null],
    ['Microsoft on the shared "common" tenant', { ...MICROSOFT, SSO_TENANT: 'common' }, null],
    ['an unknown provider', { ...GOOGLE, SSO_PROVIDER: 'okta' }, null],
  ])('%s', (_, config, option) => {
    expect(ssoOption({ ...env, ...config })).toEqual(option);
  });
});

describe('GET /api/auth/sso/start', () => {
  it('is 404 SSO_NOT_CONFIGURED when single sign-on is off', async () => {
    const res = await api('/api/auth/sso/start?next=/dashboard/');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(await errorOf(res)).toEqual({
      code: 'SSO_NOT_CONFIGURED',
      message: 'Single sign-on is not set up here; sign in with an emailed link.',
    });
  });

  it('sends the browser to Google with PKCE, and keeps the flow in short-lived __Host- cookies', async () => {
    const res = await call('/api/auth/sso/start?next=%2Fdashboard%2F%3Fc%3Ddemo', GOOGLE);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('Location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    const cookies = cookiesOf(res);
    const verifier = cookies.get('__Host-homegrown_sso_verifier') ?? '';
    const challenge = base64url(
      String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)))),
    );
    expect(Object.fromEntries(location.searchParams)).toEqual({
      response_type: 'code',
      client_id: GOOGLE.SSO_CLIENT_ID,
      redirect_uri: `${PUBLIC}/api/auth/sso/callback`,
      state: cookies.get('__Host-homegrown_sso_state'),
      code_challenge_method: 'S256',
      code_challenge: challenge,
      scope: 'openid email profile',
    });
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(cookies.get('__Host-homegrown_sso_next')).toBe('/dashboard/?c=demo');
    const headers = res.headers.getSetCookie();
    expect(headers).toHaveLength(3);
    for (const header of headers) {
      expect(header).toMatch(/^__Host-homegrown_sso_(state|verifier|next)=/);
      expect(header).toContain('; HttpOnly');
      expect(header).toContain('; Secure');
      expect(header).toContain('; SameSite=Lax');
      expect(header).toContain('; Path=/');
      expect(header).toContain('; Max-Age=600');
      expect(header).not.toContain('Domain=');
    }
  });

  it('asks Google for the Workspace domain when one is set', async () => {
    const res = await call('/api/auth/sso/start', { ...GOOGLE, SSO_DOMAIN: 'District.Example' });
    expect(new URL(res.headers.get('Location') ?? '').searchParams.get('hd')).toBe('district.example');
  });

  it("sends the browser to the district's own Entra tenant", async () => {
    const res = await call('/api/auth/sso/start', MICROSOFT);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('Location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(
      `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
    );
    expect(location.searchParams.get('client_id')).toBe(MICROSOFT.SSO_CLIENT_ID);
    expect(location.searchParams.get('redirect_uri')).toBe(`${PUBLIC}/api/auth/sso/callback`);
    expect(location.searchParams.get('scope')).toBe('openid email profile');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('state')).toBe(cookiesOf(res).get('__Host-homegrown_sso_state'));
  });

  it.each(['//evil.example', 'https://evil.example', '/\\evil.example', 'dashboard', ''])(
    'replaces next=%j with /',
    async (next) => {
      const res = await call(`/api/auth/sso/start?next=${encodeURIComponent(next)}`, GOOGLE);
      expect(cookiesOf(res).get('__Host-homegrown_sso_next')).toBe('/');
    },
  );
});

describe('GET /api/auth/sso/callback', () => {
  it.each<[string, (flow: { state: string; cookie: string }) => [string, string | undefined]]>([
    ['no state', (flow) => ['?code=abc', flow.cookie]],
    ['another state', (flow) => [`?code=abc&state=${flow.state}x`, flow.cookie]],
    ['no cookies (a flow this browser did not start)', (flow) => [`?code=abc&state=${flow.state}`, undefined]],
    ['no code (the person cancelled)', (flow) => [`?error=access_denied&state=${flow.state}`, flow.cookie]],
  ])('with %s: back to the sign-in page, nothing exchanged, nobody signed in', async (_, request) => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    const sessions = await rows('sessions');
    const [query, cookie] = request(await startFlow(GOOGLE));
    const res = await call(`/api/auth/sso/callback${query}`, GOOGLE, cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/sign-in/?error=sso');
    expect(fetch).not.toHaveBeenCalled();
    expect(await rows('sessions')).toBe(sessions);
  });

  it('signs a known person in and sends them where they were going', async () => {
    const accountId = await createAccount('dana.reyes@district.example');
    const flow = await startFlow(GOOGLE, '/dashboard/?c=demo-fall-2026');
    const fetch = tokenEndpointAnswers(200, {
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 3599,
      id_token: idToken(googleClaims('Dana.Reyes@District.Example')),
    });
    const res = await call(`/api/auth/sso/callback?code=the-code&state=${flow.state}`, GOOGLE, flow.cookie);

    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/dashboard/?c=demo-fall-2026');
    const request = sentRequest(fetch);
    expect(request.url).toBe('https://oauth2.googleapis.com/token');
    const body = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
    expect(body.get('code')).toBe('the-code');
    expect(body.get('redirect_uri')).toBe(`${PUBLIC}/api/auth/sso/callback`);
    expect(body.get('code_verifier')).toBe(flow.verifier);
    expect(request.headers.get('Authorization')).toBe(`Basic ${btoa(`${GOOGLE.SSO_CLIENT_ID}:s3cret`)}`);

    const cookies = cookiesOf(res);
    const session = cookies.get('__Host-homegrown_session') ?? '';
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const name of ['state', 'verifier', 'next']) expect(cookies.get(`__Host-homegrown_sso_${name}`)).toBe('');
    expect(await rows('sessions WHERE account_id = ?', accountId)).toBe(1);
    const audit = await db()
      .prepare(`SELECT actor, detail FROM audit_log WHERE actor_id = ? AND action = 'sign_in'`)
      .bind(accountId)
      .first<{ actor: string; detail: string }>();
    expect(audit).toEqual({ actor: 'dana.reyes@district.example', detail: JSON.stringify({ method: 'sso' }) });

    vi.restoreAllMocks();
    const me = await call('/api/auth/me', {}, `__Host-homegrown_session=${session}`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'dana.reyes@district.example', roles: ['director'] });
  });

  it('sends a director who asked for no page to the dashboard of the current campaign', async () => {
    await createAccount('ines.ortiz@district.example');
    const campaign = await createCampaign({ title: 'Winter needs survey' });
    const flow = await startFlow(GOOGLE, null);
    tokenEndpointAnswers(200, {
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 3599,
      id_token: idToken(googleClaims('ines.ortiz@district.example')),
    });
    const res = await call(`/api/auth/sso/callback?code=the-code&state=${flow.state}`, GOOGLE, flow.cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe(`/dashboard/?c=${campaign}`);
  });

  it('signs in through Entra with preferred_username when there is no email claim', async () => {
    const accountId = await createAccount('lee.chen@district.example');
    const flow = await startFlow(MICROSOFT, '/admin/');
    const fetch = tokenEndpointAnswers(200, {
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 3599,
      id_token: idToken(microsoftClaims({ preferred_username: 'Lee.Chen@district.example' })),
    });
    const res = await call(`/api/auth/sso/callback?code=c&state=${flow.state}`, MICROSOFT, flow.cookie);
    expect(res.headers.get('Location')).toBe('/admin/');
    expect(sentRequest(fetch).url).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
    expect(await rows('sessions WHERE account_id = ?', accountId)).toBe(1);
  });

  it.each<[string, boolean]>([
    ['an address with no account', false],
    ['a disabled account', true],
  ])('refuses %s and records nothing', async (_, exists) => {
    const email = `person-${crypto.randomUUID()}@district.example`;
    const accountId = exists ? await createAccount(email, { disabled: true }) : null;
    const flow = await startFlow(GOOGLE);
    tokenEndpointAnswers(200, { access_token: 'at', token_type: 'Bearer', id_token: idToken(googleClaims(email)) });
    const [sessions, audit] = [await rows('sessions'), await rows('audit_log')];

    const res = await call(`/api/auth/sso/callback?code=c&state=${flow.state}`, GOOGLE, flow.cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/sign-in/?error=sso-unknown-account');
    expect(cookiesOf(res).has('__Host-homegrown_session')).toBe(false);
    expect(await rows('sessions')).toBe(sessions);
    expect(await rows('audit_log')).toBe(audit);
    if (accountId) expect(await rows('sessions WHERE account_id = ?', accountId)).toBe(0);
  });

  const domainGoogle = { ...GOOGLE, SSO_DOMAIN: 'district.example' };
  it.each<[string, SsoConfig, () => Record<string, unknown>]>([
    ['an unverified Google address', GOOGLE, () => googleClaims('dana@district.example', { email_verified: false })],
    ['a Google account outside the Workspace domain', domainGoogle, () => googleClaims('dana@gmail.example')],
    [
      'a Google account of another Workspace',
      domainGoogle,
      () => googleClaims('dana@district.example', { hd: 'other.example' }),
    ],
    ['a token for another client', GOOGLE, () => googleClaims('dana@district.example', { aud: 'someone-else' })],
    ['an expired token', GOOGLE, () => googleClaims('dana@district.example', { exp: 1_000_000 })],
    ['another issuer', GOOGLE, () => googleClaims('dana@district.example', { iss: 'https://evil.example' })],
    ['a token with no address', GOOGLE, () => googleClaims('dana@district.example', { email: undefined })],
    [
      'an Entra token from another tenant',
      MICROSOFT,
      () => ({
        ...microsoftClaims({ email: 'dana@district.example' }),
        tid: '00000000-0000-4000-8000-000000000000',
        iss: 'https://login.microsoftonline.com/00000000-0000-4000-8000-000000000000/v2.0',
      }),
    ],
    ['an Entra token without email or username', MICROSOFT, () => microsoftClaims({})],
  ])('refuses %s', async (_, config, claims) => {
    await createAccount(`dana-${crypto.randomUUID()}@district.example`);
    const flow = await startFlow(config);
    tokenEndpointAnswers(200, { access_token: 'at', token_type: 'Bearer', id_token: idToken(claims()) });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const sessions = await rows('sessions');
    const res = await call(`/api/auth/sso/callback?code=c&state=${flow.state}`, config, flow.cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/sign-in/?error=sso');
    expect(await rows('sessions')).toBe(sessions);
    expect(warn).toHaveBeenCalledOnce();
  });

  it.each<[string, () => void]>([
    ['refuses the code', () => tokenEndpointAnswers(400, { error: 'invalid_grant', error_description: 'Bad code' })],
    ['cannot be reached', () => vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('network down'))],
    ['answers without an id token', () => tokenEndpointAnswers(200, { access_token: 'at', token_type: 'Bearer' })],
    [
      'answers with a malformed id token',
      () => tokenEndpointAnswers(200, { access_token: 'at', id_token: 'not.a-jwt' }),
    ],
    ['answers with a server error', () => tokenEndpointAnswers(502, { message: 'bad gateway' })],
  ])('sends the person back to sign in, never a 500, when the provider %s', async (_, provider) => {
    const flow = await startFlow(GOOGLE);
    provider();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const res = await call(`/api/auth/sso/callback?code=c&state=${flow.state}`, GOOGLE, flow.cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/sign-in/?error=sso');
    for (const name of ['state', 'verifier', 'next'])
      expect(cookiesOf(res).get(`__Host-homegrown_sso_${name}`)).toBe('');
  });
});
