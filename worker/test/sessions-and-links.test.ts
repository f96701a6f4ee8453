/**
 * Who can end up signed in, and with what. Every route that creates a session or a link is
 * walked, and two rules are held over the whole worker:
 *
 * (a) no answer a facilitator, director or admin (or anyone else here) is given holds a token
 *     that signs anyone in: every 43-character base64url string in any answer, POSTed with
 *     no cookie to the two routes that take a link's token, signs nobody in. Personal survey
 *     links are handed out on purpose (for the district's mail merge): they sign nobody in
 *     either;
 * (b) only the routes in SESSION_ROUTES ever set the session cookie, and each only for the
 *     account whose emailed link or single sign-on identity was presented. Every route of
 *     `app.routes` is called by nobody, a board member and each role, with a live sign-in
 *     token and a live join token in the body, the Authorization header and the query, so a
 *     future route that sets the cookie without being listed here fails this test.
 */
import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashToken, newToken } from '../src/auth/tokens';
import { insertSignInLink } from '../src/db/accounts';
import type { BoardState } from '../src/domain/boards';
import app from '../src/index';
import type { SsoConfig } from '../src/routes/sso';
import {
  api,
  createBoard,
  createCampaign,
  db,
  errorOf,
  postJson,
  seedRoster,
  sessionCookie,
  signedIn,
  signedInNamed,
} from './helpers';

/** The only routes that may set the session cookie. */
const SESSION_ROUTES = ['POST /api/auth/session', 'GET /api/auth/sso/callback', 'POST /api/boards/join'];
/** Routes that make a link: none of them signs anyone in, and each mails its link to its owner only. */
const LINK_ROUTES = [
  'POST /api/auth/sign-in-link',
  'POST /api/boards/:id/invitations',
  'POST /api/campaigns/:id/invitations',
];

const TOKENS = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
const SESSION = /^__Host-homegrown_session=([^;]+)/;

/** A caller address of its own per request, so the sign-in rate limits never answer in place of the route. */
const byte = () => Math.floor(Math.random() * 256);
const fromSomewhere = () => ({ 'CF-Connecting-IP': `10.${byte()}.${byte()}.${byte()}` });

function sessionCookieOf(res: Response): string | null {
  for (const header of res.headers.getSetCookie()) {
    const match = SESSION.exec(header);
    if (match) return `__Host-homegrown_session=${match[1]}`;
  }
  return null;
}

async function whoIs(cookie: string): Promise<string | null> {
  const res = await api('/api/auth/me', {}, { cookie });
  return res.status === 200 ? ((await res.json()) as { email: string }).email : null;
}

/** A fresh session for an existing account: each call its own, so signing out or a role change elsewhere cannot interfere. */
const freshCookie = sessionCookie;

async function newestMail(email: string): Promise<string> {
  const row = await db()
    .prepare('SELECT body FROM dev_outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1')
    .bind(email)
    .first<{ body: string }>();
  return row?.body ?? '';
}

const linkTokenIn = (mail: string) => /#token=([A-Za-z0-9_-]{43})/.exec(mail)?.[1] ?? '';

interface Fixture {
  campaignId: string;
  boardId: string;
  cardId: string;
  commentId: string;
  clusterId: string;
  facilitator: { accountId: string; email: string };
  member: { accountId: string; email: string };
  target: { accountId: string; email: string };
  director: { accountId: string; email: string };
  admin: { accountId: string; email: string };
  /** The account whose sign-in links the walk carries. */
  victim: { accountId: string; email: string };
}

let f: Fixture;

beforeAll(async () => {
  await seedRoster([
    { email: 'ana.staff@district.example' },
    { email: 'ben.staff@district.example' },
    { email: 'cy.staff@district.example' },
  ]);
  const campaignId = await createCampaign({ mode: 'identified', title: 'Identified' });
  const facilitator = await signedInNamed(['facilitator'], 'Fran Facilitator');
  const board = await createBoard(facilitator, { campaignId });
  const member = await signedInNamed([], 'Mo Member');
  const target = await signedInNamed([], 'Tia Target');
  for (const person of [member, target]) {
    const res = await postJson(
      `/api/boards/${board.id}/invitations`,
      { email: person.email, role: 'member' },
      {},
      facilitator,
    );
    expect(res.status).toBe(201);
  }
  const card = await postJson(`/api/boards/${board.id}/cards`, { column: 'working', text: 'A card' }, {}, member);
  const cardId = ((await card.json()) as BoardState).cards[0]?.id ?? '';
  const comment = await postJson(`/api/boards/${board.id}/cards/${cardId}/comments`, { text: 'Yes' }, {}, member);
  const commentId = ((await comment.json()) as BoardState).cards[0]?.comments[0]?.id ?? '';
  const cluster = await postJson(`/api/boards/${board.id}/clusters`, { name: 'Group', cardIds: [cardId] }, {}, member);
  const clusterId = ((await cluster.json()) as BoardState).clusters[0]?.id ?? '';
  f = {
    campaignId,
    boardId: board.id,
    cardId,
    commentId,
    clusterId,
    facilitator,
    member,
    target,
    director: await signedIn(['director']),
    admin: await signedIn(['admin']),
    victim: await signedIn(['director', 'admin']),
  };
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Every route the worker has, as `METHOD /path`, from the app itself. */
function everyRoute(): Array<{ method: string; path: string }> {
  const seen = new Map<string, { method: string; path: string }>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    seen.set(`${route.method} ${route.path}`, { method: route.method, path: route.path });
  }
  return [...seen.values()];
}

function concrete(path: string): string {
  const id = path.startsWith('/api/accounts')
    ? f.victim.accountId
    : path.startsWith('/api/boards')
      ? f.boardId
      : f.campaignId;
  return path
    .replace(':id', id)
    .replace(':cardId', f.cardId)
    .replace(':commentId', f.commentId)
    .replace(':clusterId', f.clusterId)
    .replace(':accountId', f.target.accountId)
    .replace(':competencyId', 'formative-assessment')
    .replace(/\*$/, '');
}

/** A live sign-in link's token for the victim, as their email would carry it. */
async function liveSignInToken(): Promise<string> {
  const token = newToken();
  const now = new Date();
  await insertSignInLink(db(), {
    tokenHash: await hashToken(token),
    accountId: f.victim.accountId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 15 * 60_000).toISOString(),
  });
  return token;
}

/** A live join link's token, read from the mail to a new colleague the facilitator invites. */
async function liveJoinToken(): Promise<{ token: string; email: string }> {
  const email = `walk-${crypto.randomUUID()}@district.example`;
  const res = await postJson(`/api/boards/${f.boardId}/invitations`, { email, role: 'member' }, fromSomewhere(), {
    cookie: await freshCookie(f.facilitator.accountId),
  });
  expect(res.status).toBe(201);
  return { token: linkTokenIn(await newestMail(email)), email };
}

async function unused(table: 'sign_in_links' | 'board_invitations', token: string): Promise<boolean> {
  const row = await db()
    .prepare(`SELECT used_at AS usedAt FROM ${table} WHERE token_hash = ?`)
    .bind(await hashToken(token))
    .first<{ usedAt: string | null }>();
  return row !== null && row.usedAt === null;
}

const CALLERS = ['nobody', 'member', 'facilitator', 'director', 'admin'] as const;
type Who = (typeof CALLERS)[number];

async function cookieFor(who: Who): Promise<string | null> {
  return who === 'nobody' ? null : freshCookie(f[who].accountId);
}

/** Calls one route as `who`, presenting `token` in the body, the Authorization header and the query. */
async function call(method: string, path: string, who: Who, token: string | null): Promise<Response> {
  const headers: Record<string, string> = fromSomewhere();
  const cookie = await cookieFor(who);
  if (cookie) headers.Cookie = cookie;
  if (token) headers.Authorization = `Bearer ${token}`;
  let url = path;
  const init: RequestInit = { method, headers };
  if (method === 'GET') {
    if (token) url += `${url.includes('?') ? '&' : '?'}token=${token}&invite=${token}`;
  } else if (method !== 'DELETE') {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(token ? { token } : {});
  }
  return api(url, init, 'nobody');
}

describe('(b) setting the session cookie', () => {
  it('the listed session routes and link routes exist', () => {
    const keys = new Set(everyRoute().map((route) => `${route.method} ${route.path}`));
    for (const key of [...SESSION_ROUTES, ...LINK_ROUTES]) expect(keys).toContain(key);
  });

  it('every route called by everyone, with live tokens: only the listed routes set the cookie, each for the right account', async () => {
    const routes = everyRoute();
    expect(routes.length).toBeGreaterThan(50);
    const set = new Map<string, number>();
    let signIn = await liveSignInToken();
    let joining = await liveJoinToken();
    const problems: string[] = [];
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      for (const who of CALLERS) {
        for (const variant of ['none', 'sign-in', 'join'] as const) {
          const token = variant === 'none' ? null : variant === 'sign-in' ? signIn : joining.token;
          const res = await call(method, concrete(path), who, token);
          expect(res.status, `${key} as ${who}`).toBeLessThan(500);
          const cookie = sessionCookieOf(res);
          if (cookie) {
            set.set(key, (set.get(key) ?? 0) + 1);
            const email = await whoIs(cookie);
            const expected =
              variant === 'sign-in' ? f.victim.email : variant === 'join' ? joining.email : '(no link presented)';
            if (!SESSION_ROUTES.includes(key)) problems.push(`${key} as ${who} set the session cookie`);
            if (email !== expected) problems.push(`${key} as ${who} (${variant}) signed in ${email}, not ${expected}`);
            // A join link never switches the session of someone signed in.
            if (key === 'POST /api/boards/join' && who !== 'nobody') {
              problems.push(`${key} switched the session of the ${who} to ${email}`);
            }
          }
          if (variant === 'sign-in' && !(await unused('sign_in_links', signIn))) signIn = await liveSignInToken();
          if (variant === 'join' && !(await unused('board_invitations', joining.token))) {
            joining = await liveJoinToken();
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // The walk did present working links: the two link routes signed in (nobody, each time).
    expect([...set.keys()].sort()).toEqual(['POST /api/auth/session', 'POST /api/boards/join']);
  }, 120_000);

  it('single sign-on sets the cookie for the account the provider vouches for, whoever was signed in', async () => {
    const google: SsoConfig = { SSO_PROVIDER: 'google', SSO_CLIENT_ID: 'client', SSO_CLIENT_SECRET: 's3cret' };
    const call = (path: string, cookie: string) =>
      app.request(`https://homegrown.test${path}`, { headers: { Cookie: cookie } }, { ...env, ...google });
    const start = await call('/api/auth/sso/start?next=/boards/', '');
    expect(sessionCookieOf(start)).toBeNull();
    const flow = start.headers
      .getSetCookie()
      .map((header) => header.split(';')[0] ?? '')
      .join('; ');
    const state = /__Host-homegrown_sso_state=([^;]+)/.exec(flow)?.[1] ?? '';
    const b64 = (text: string) => btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
    const claims = {
      iss: 'https://accounts.google.com',
      aud: 'client',
      sub: '1',
      email: f.director.email,
      email_verified: true,
      exp: Math.floor(Date.now() / 1000) + 3600,
    };
    const idToken = [b64('{"alg":"RS256"}'), b64(JSON.stringify(claims)), 'sig'].join('.');
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify({ access_token: 'at', token_type: 'Bearer', id_token: idToken }), {
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    const signedInAs = await freshCookie(f.facilitator.accountId);
    const res = await call(`/api/auth/sso/callback?code=c&state=${state}`, `${flow}; ${signedInAs}`);
    vi.restoreAllMocks();
    expect(res.status).toBe(302);
    const cookie = sessionCookieOf(res) ?? '';
    expect(await whoIs(cookie)).toBe(f.director.email);
    // The session the browser had is gone: signing in replaces it.
    expect(await whoIs(signedInAs)).toBeNull();
  });

  it('an emailed sign-in link signs in the account it was mailed to, and no other', async () => {
    const asked = await postJson('/api/auth/sign-in-link', { email: f.director.email }, fromSomewhere(), 'nobody');
    expect(asked.status).toBe(202);
    expect(sessionCookieOf(asked)).toBeNull();
    const token = linkTokenIn(await newestMail(f.director.email));
    const res = await postJson('/api/auth/session', { token }, fromSomewhere(), {
      cookie: await freshCookie(f.member.accountId),
    });
    expect(res.status).toBe(200);
    expect(await whoIs(sessionCookieOf(res) ?? '')).toBe(f.director.email);
  });

  it('a join link signs in only the new account it was mailed to, only signed out; never an existing one', async () => {
    const fresh = await liveJoinToken();
    const signedInOther = await postJson('/api/boards/join', { token: fresh.token }, fromSomewhere(), {
      cookie: await freshCookie(f.member.accountId),
    });
    expect(signedInOther.status).toBe(409);
    expect(sessionCookieOf(signedInOther)).toBeNull();
    const signedOut = await postJson('/api/boards/join', { token: fresh.token }, fromSomewhere(), 'nobody');
    expect(signedOut.status).toBe(200);
    expect(await whoIs(sessionCookieOf(signedOut) ?? '')).toBe(fresh.email);

    const existing = await signedIn([]);
    const invited = await postJson(
      `/api/boards/${f.boardId}/invitations`,
      { email: existing.email, role: 'viewer' },
      {},
      { cookie: await freshCookie(f.facilitator.accountId) },
    );
    expect(invited.status).toBe(201);
    const token = linkTokenIn(await newestMail(existing.email));
    const res = await postJson('/api/boards/join', { token }, fromSomewhere(), 'nobody');
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('SIGN_IN_FIRST');
    expect(sessionCookieOf(res)).toBeNull();
  });
});

describe('(a) tokens in answers', () => {
  it('no token-looking string in any answer signs anyone in; personal survey links neither', async () => {
    const answers: string[] = [];
    const keep = async (res: Response) => {
      answers.push(await res.clone().text(), res.headers.get('Location') ?? '');
      return res;
    };
    const facilitator = async () => ({ cookie: await freshCookie(f.facilitator.accountId) });
    const admin = async () => ({ cookie: await freshCookie(f.admin.accountId) });

    // The routes that make links, called so that they make them.
    await keep(await postJson('/api/auth/sign-in-link', { email: f.victim.email }, fromSomewhere(), 'nobody'));
    for (const email of [`brand-new-${crypto.randomUUID()}@district.example`, f.director.email, f.victim.email]) {
      const res = await keep(
        await postJson(`/api/boards/${f.boardId}/invitations`, { email, role: 'member' }, {}, await facilitator()),
      );
      expect(res.status).toBe(201);
      const asAdmin = await keep(
        await postJson(`/api/boards/${f.boardId}/invitations`, { email, role: 'viewer' }, {}, await admin()),
      );
      expect(asAdmin.status).toBe(201);
    }
    // A campaign of its own: the walk above may have closed the fixture's.
    const identified = await createCampaign({ mode: 'identified', title: 'Links' });
    const personal = await keep(await postJson(`/api/campaigns/${identified}/invitations`, {}, {}, await admin()));
    expect(personal.status).toBe(200);
    const personalTokens = ((await personal.json()) as { items: Array<{ link: string | null }> }).items.flatMap(
      (item) => (item.link ? [item.link.split('#invite=')[1] ?? ''] : []),
    );
    expect(personalTokens.length).toBe(3);
    await keep(
      await postJson(
        '/api/campaigns',
        { surveyId: 'needs-assessment', title: 'T', mode: 'anonymous' },
        {},
        await admin(),
      ),
    );
    await keep(
      await postJson(
        '/api/accounts',
        { email: `acct-${crypto.randomUUID()}@district.example`, roles: ['director'] },
        {},
        await admin(),
      ),
    );

    // And every GET as the facilitator, the director and the admin (the audit log, the boards, exports…).
    for (const { method, path } of everyRoute()) {
      if (method !== 'GET' || !path.startsWith('/api/')) continue;
      for (const who of ['facilitator', 'director', 'admin'] as const) {
        await keep(await call('GET', concrete(path), who, null));
      }
    }

    const found = new Set(answers.flatMap((text) => text.match(TOKENS) ?? []));
    for (const token of personalTokens) expect(found).toContain(token);
    const signedInBy: string[] = [];
    for (const token of found) {
      for (const route of ['/api/auth/session', '/api/boards/join']) {
        const res = await postJson(route, { token }, fromSomewhere(), 'nobody');
        const cookie = sessionCookieOf(res);
        if (res.status === 200 || cookie) signedInBy.push(`${route} ← ${token.slice(0, 6)}… (${res.status})`);
      }
    }
    expect(signedInBy).toEqual([]);

    // A personal link also signs nobody in where it is used: the survey and its staff list.
    const [first] = personalTokens;
    for (const path of [`/api/campaigns/${identified}/survey`, `/api/campaigns/${identified}/staff`]) {
      const res = await api(path, { headers: { Authorization: `Bearer ${first}` } }, 'nobody');
      expect(res.status).toBe(200);
      expect(sessionCookieOf(res)).toBeNull();
    }
  });
});
