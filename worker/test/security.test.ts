import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, LOCAL_CALLER } from '../src/auth/limits';
import app from '../src/index';
import { audiences } from '../src/openapi';
import { answers, api, count, createCampaign, errorOf, invite, postJson, seedRoster, submit } from './helpers';

let campaign: string;

beforeAll(async () => {
  await seedRoster([{}, {}]);
  campaign = await createCampaign();
});

describe('cross-site requests', () => {
  it.each([
    ['another Origin', { Origin: 'https://evil.example' }],
    ['a cross-site fetch', { 'Sec-Fetch-Site': 'cross-site' }],
    ['a same-site (other subdomain) fetch', { 'Sec-Fetch-Site': 'same-site' }],
  ])('refuses a write from %s with 403 CROSS_SITE, storing nothing', async (_label, headers) => {
    const before = await count('responses', campaign);
    const res = await submit(campaign, { answers: answers() }, crypto.randomUUID());
    expect(res.status).toBe(201);
    const refused = await postJson(
      `/api/campaigns/${campaign}/responses`,
      { answers: answers() },
      {
        'Idempotency-Key': crypto.randomUUID(),
        ...headers,
      },
    );
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('CROSS_SITE');
    expect(await count('responses', campaign)).toBe(before + 1);
  });

  it('takes writes from this site', async () => {
    const res = await postJson(
      `/api/campaigns/${campaign}/responses`,
      { answers: answers() },
      {
        'Idempotency-Key': crypto.randomUUID(),
        Origin: 'http://homegrown.test',
        'Sec-Fetch-Site': 'same-origin',
      },
    );
    expect(res.status).toBe(201);
  });

  it('takes JSON only: a form post is refused before any route runs', async () => {
    const res = await api('/api/accounts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=x%40y.example&roles=admin',
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('UNSUPPORTED_CONTENT_TYPE');
  });

  it('grants no other origin CORS access', async () => {
    const res = await api('/api/campaigns', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const read = await api('/api/framework', { headers: { Origin: 'https://evil.example' } });
    expect(read.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('security headers on API answers', () => {
  it('send HSTS for a year, a policy that loads nothing, and no sniffing or framing', async () => {
    for (const res of [await api('/api/health'), await api('/api/nowhere'), await api('/api/accounts', {}, 'nobody')]) {
      expect(res.headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
      expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    }
  });
});

/** The API's write routes, as they declare their audience with `allow(...)`. */
const writes = [...audiences(app)]
  .map(([key, audience]) => {
    const [method = '', route = ''] = key.split(' ');
    // An admin where the route lets one in, else a director (tagging comments is theirs alone).
    const as: 'admin' | 'director' = audience.includes('admin') ? 'admin' : 'director';
    return { method, route, as };
  })
  .filter(({ method, route }) => route.startsWith('/api/') && /^(POST|PUT|PATCH|DELETE)$/.test(method));

describe('body limits', () => {
  it('cover the write routes', () => {
    expect(writes.length).toBeGreaterThanOrEqual(12);
  });

  it.each(writes)('$method $route refuses a 5 MB body with 413, as $as', async ({ method, route, as }) => {
    const res = await api(
      route.replace(':id', campaign),
      {
        method,
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ csv: 'x'.repeat(5 * 1024 * 1024) }),
      },
      as,
    );
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('what a director sees', () => {
  it('is group figures only: no staff id, name or comment from an identified campaign', async () => {
    const identified = await createCampaign({ mode: 'identified', minGroupSize: 3 });
    await seedRoster([{}, {}, {}, {}, {}, {}]);
    const links = await invite(identified);
    for (const [staffId, token] of links) {
      const res = await submit(
        identified,
        {
          answers: answers({
            comment: `secret note of ${staffId}`,
            peerNominations: staffId === 'T1' ? ['T2'] : ['T1'],
          }),
        },
        crypto.randomUUID(),
        token,
      );
      expect(res.status).toBe(201);
    }
    const reads = [
      `/api/campaigns/${identified}`,
      `/api/campaigns/${identified}/focuses`,
      `/api/campaigns/${identified}/focuses?by=school`,
      `/api/campaigns/${identified}/focuses?format=csv`,
      `/api/campaigns/${identified}/response-rates`,
      `/api/campaigns/${identified}/strategy-preferences`,
      '/api/campaigns',
    ];
    for (const path of reads) {
      const res = await api(path, {}, 'director');
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toMatch(/\bT[1-6]\b/);
      expect(text).not.toMatch(/Teacher \d/);
      expect(text).not.toContain('secret note');
    }
    for (const path of ['/api/roster', `/api/audit`]) {
      expect((await api(path, {}, 'director')).status).toBe(403);
    }
  });
});

describe('signed-in pages', () => {
  it('send a signed-out visitor to sign in, keeping where they were going', async () => {
    for (const path of ['/dashboard/?c=demo-fall-2026', '/admin/']) {
      const res = await api(path, { redirect: 'manual' }, 'nobody');
      expect(res.status).toBe(302);
      expect(res.headers.get('Location')).toBe(`/sign-in/?next=${encodeURIComponent(path)}`);
    }
  });
});

describe('the local outbox', () => {
  it('is a page only under wrangler dev (DEV_OUTBOX on) on this machine', async () => {
    const local = await app.request('http://127.0.0.1:8787/dev/outbox', {}, env);
    expect(local.status).toBe(200);
    expect(await local.text()).toContain('Local outbox');
    expect((await app.request('https://pd.district.example/dev/outbox', {}, env)).status).toBe(404);
    const { DEV_OUTBOX: _, ...deployed } = env as Env & { DEV_OUTBOX?: string };
    expect((await app.request('http://127.0.0.1:8787/dev/outbox', {}, deployed)).status).toBe(404);
  });
});

describe('answers that depend on who asks are never cached', () => {
  it('every /api answer says Cache-Control: private, no-store, errors and CSV exports included', async () => {
    const checks: Array<[string, Response]> = [
      ['roster', await api('/api/roster')],
      ['accounts', await api('/api/accounts')],
      ['me', await api('/api/auth/me')],
      ['audit', await api('/api/audit')],
      ['campaigns', await api('/api/campaigns', {}, 'director')],
      ['focuses CSV', await api(`/api/campaigns/${campaign}/focuses?format=csv`, {}, 'director')],
      ['framework', await api('/api/framework', {}, 'nobody')],
      ['health', await api('/api/health', {}, 'nobody')],
      ['a submission', await submit(campaign, { answers: answers() })],
      ['a refused submission', await submit(campaign, { answers: {} })],
      ['signed out', await api('/api/accounts', {}, 'nobody')],
      ['no such route', await api('/api/nowhere')],
    ];
    expect(checks.find(([label]) => label === 'focuses CSV')?.[1].headers.get('Content-Type')).toMatch(/text\/csv/);
    expect(checks.map(([label, res]) => [label, res.headers.get('Cache-Control')])).toEqual(
      checks.map(([label]) => [label, 'private, no-store']),
    );
  });
});

describe('the answers of guarded pages', () => {
  it('send a signed-out visitor to sign in with HSTS, a policy, nosniff and no caching', async () => {
    const res = await api('/dashboard/?c=demo-fall-2026', { redirect: 'manual' }, 'nobody');
    expect(res.status).toBe(302);
    expect(res.headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
  });

  it('answer a signed-in account without the role with the 403 page, with the security headers', async () => {
    const res = await api('/admin/', {}, 'facilitator');
    expect(res.status).toBe(403);
    expect(res.headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
    // The page's own policy (from dist/_headers), which lets its scripts run, not the API's.
    expect(res.headers.get('Content-Security-Policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
  });

  it('serve a signed-in page under its own policy, not cached', async () => {
    const res = await api('/dashboard/?c=demo-fall-2026', {}, 'director');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Security-Policy')).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/);
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Cache-Control')).toBe('private, no-store');
  });
});

describe('rate limits and the caller address', () => {
  // The Worker as `npm start` runs it: wrangler dev keeps whatever CF-Connecting-IP a client
  // sends, so there it is no address at all (the tests' own config simulates many callers).
  const { SIMULATED_CALLERS: _, ...local } = env as Env & { SIMULATED_CALLERS?: string };
  const localRequest = async (path: string, body: unknown, headers: Record<string, string>) =>
    await app.request(
      `http://127.0.0.1:8787${path}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) },
      local,
    );
  let spoof = 0;
  const spoofed = () => ({ 'CF-Connecting-IP': `203.0.${(++spoof >> 8) & 255}.${spoof & 255}` });

  /** Sends until the first 429 (at most `max`); the limit's fixed window may roll over once on the way. */
  async function untilRefused(max: number, send: () => Promise<Response>) {
    let accepted = 0;
    for (let i = 0; i < max; i++) {
      const res = await send();
      if (res.status === 429) return { accepted, refused: res };
      accepted++;
    }
    return { accepted, refused: null };
  }

  it('a new CF-Connecting-IP on every request does not escape the sign-in limit per caller', async () => {
    const { accepted, refused } = await untilRefused(61, () =>
      localRequest('/api/auth/sign-in-link', { email: `spoof-${crypto.randomUUID()}@district.example` }, spoofed()),
    );
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get('Retry-After')).toBe('60');
    expect(accepted).toBeLessThanOrEqual(60);
  });

  it('a new CF-Connecting-IP on every request does not escape the submission limit, and the refused one is not stored', async () => {
    const target = await createCampaign();
    const { accepted, refused } = await untilRefused(241, () =>
      localRequest(
        `/api/campaigns/${target}/responses`,
        { answers: answers() },
        { 'Idempotency-Key': crypto.randomUUID(), ...spoofed() },
      ),
    );
    expect(refused?.status).toBe(429);
    expect(accepted).toBeLessThanOrEqual(240);
    expect(await count('responses', target)).toBe(accepted);
  });

  it('is Cloudflare’s CF-Connecting-IP when deployed; one caller under wrangler dev unless a simulation asks', () => {
    const from = (url: string) => new Request(url, { headers: { 'CF-Connecting-IP': '198.51.100.7' } });
    // Deployed: no DEV_OUTBOX, the district's own host.
    expect(clientAddress(from('https://pd.district.example/api/auth/session'), {})).toBe('198.51.100.7');
    // npm start (DEV_OUTBOX on), or plain wrangler dev on this machine: one caller.
    expect(clientAddress(from('http://127.0.0.1:8787/api/auth/session'), { DEV_OUTBOX: 'on' })).toBe(LOCAL_CALLER);
    expect(clientAddress(from('https://pd.district.example/api/auth/session'), { DEV_OUTBOX: 'on' })).toBe(
      LOCAL_CALLER,
    );
    expect(clientAddress(from('http://localhost:8787/api/auth/session'), {})).toBe(LOCAL_CALLER);
    // The benchmark and the tests simulate many callers on purpose.
    expect(
      clientAddress(from('http://127.0.0.1:8787/api/auth/session'), { DEV_OUTBOX: 'on', SIMULATED_CALLERS: 'on' }),
    ).toBe('198.51.100.7');
  });
});
