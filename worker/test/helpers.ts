import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import type { Role } from '../src/auth/roles';
import { hashToken, newToken } from '../src/auth/tokens';
import { insertAccountStatements, insertSessionStatement } from '../src/db/accounts';
import { type StaffMember, upsertSchools, upsertStaff } from '../src/db/roster';
import type { Answers } from '../src/domain/answers';

export const db = () => env.DB;

/**
 * Who calls: a role (a fresh account holding it, signed in), 'nobody' (no cookie: a
 * respondent or a stranger), or a ready Cookie header value.
 */
export type Caller = Role | Role[] | 'nobody' | { cookie: string };

const cookies = new Map<string, string>();

/** A signed-in session for a new account with these roles, as the Cookie header a browser would send. */
export async function signedIn(
  roles: Role[],
  email = `${roles.join('-') || 'no-role'}-${crypto.randomUUID()}@district.example`,
) {
  const accountId = crypto.randomUUID();
  const token = newToken();
  const now = new Date();
  await env.DB.batch([
    ...insertAccountStatements(env.DB, { id: accountId, email, name: '', roles, createdAt: now.toISOString() }),
    insertSessionStatement(env.DB, {
      tokenHash: await hashToken(token),
      accountId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    }),
  ]);
  return { accountId, email, cookie: `__Host-homegrown_session=${token}` };
}

/** A new session for an existing account, as signing in again would give it: its Cookie header. */
export async function sessionCookie(accountId: string): Promise<string> {
  const token = newToken();
  const now = new Date();
  await insertSessionStatement(env.DB, {
    tokenHash: await hashToken(token),
    accountId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
  }).run();
  return `__Host-homegrown_session=${token}`;
}

async function cookieOf(caller: Caller): Promise<string | null> {
  if (caller === 'nobody') return null;
  if (typeof caller === 'object' && 'cookie' in caller) return caller.cookie;
  const roles = typeof caller === 'string' ? [caller] : caller;
  const key = roles.join(',');
  let cookie = cookies.get(key);
  if (!cookie) {
    cookie = (await signedIn(roles)).cookie;
    cookies.set(key, cookie);
  }
  return cookie;
}

/** Calls the real worker entry point, as a browser or integration would: by default as an admin. */
export async function api(path: string, init: RequestInit = {}, as: Caller = 'admin'): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = await cookieOf(as);
  if (cookie && !headers.has('Cookie')) headers.set('Cookie', cookie);
  return exports.default.fetch(new Request(`http://homegrown.test${path}`, { ...init, headers }));
}

/** A write with a JSON body (a string is sent as it is, to test bodies that are not JSON). */
function sendJson(method: string, path: string, body: unknown, headers: Record<string, string>, as: Caller) {
  return api(
    path,
    {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
    as,
  );
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}, as: Caller = 'admin') {
  return sendJson('POST', path, body, headers, as);
}

export async function seedRoster(staff: Partial<StaffMember>[] = []): Promise<void> {
  await upsertSchools(env.DB, [
    { id: 'maple-elementary', name: 'Maple Elementary' },
    { id: 'ridge-middle', name: 'Ridge Middle School' },
  ]);
  if (staff.length === 0) return;
  await upsertStaff(
    env.DB,
    staff.map((member, index) => ({
      staffId: `T${index + 1}`,
      name: `Teacher ${index + 1}`,
      email: null,
      schoolId: 'maple-elementary',
      role: 'classroom-teacher',
      careerStage: 'established',
      subject: 'math',
      gradeBand: 'elementary',
      isCoach: false,
      coachFocuses: [],
      ...member,
    })),
  );
}

export async function createCampaign(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await postJson('/api/campaigns', {
    surveyId: 'needs-assessment',
    title: 'Spring needs survey',
    mode: 'anonymous',
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`campaign not created: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export function answers(overrides: Partial<Answers> = {}): Answers {
  return {
    school: 'maple-elementary',
    role: 'classroom-teacher',
    careerStage: 'early-career',
    subject: 'math',
    gradeBand: 'elementary',
    ratings: {
      'formative-assessment': { importance: 5, proficiency: 2 },
      'classroom-management': { importance: 4, proficiency: 4 },
    },
    interests: ['formative-assessment'],
    strategies: ['coaching', 'peer-observation'],
    comment: 'More time to plan together, please.',
    ...overrides,
  };
}

/** A respondent's submission: no account, and a personal link's token when there is one. */
export function submit(campaignId: string, body: unknown, key: string = crypto.randomUUID(), invitation?: string) {
  return postJson(
    `/api/campaigns/${campaignId}/responses`,
    body,
    { 'Idempotency-Key': key, ...(invitation ? { Authorization: `Bearer ${invitation}` } : {}) },
    'nobody',
  );
}

/** Issues personal links for an identified campaign, as an admin; returns each staff member's token. */
export async function invite(campaignId: string): Promise<Map<string, string>> {
  const res = await postJson(`/api/campaigns/${campaignId}/invitations`, {});
  if (res.status !== 200) throw new Error(`links not issued: ${res.status} ${await res.text()}`);
  const { items } = (await res.json()) as { items: Array<{ staffId: string; link: string | null }> };
  return new Map(items.flatMap((item) => (item.link ? [[item.staffId, item.link.split('#invite=')[1] ?? '']] : [])));
}

export async function count(table: string, campaignId: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE campaign_id = ?`)
    .bind(campaignId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string; fields?: Record<string, string> } }).error;
}

export function patchJson(path: string, body: unknown, as: Caller = 'admin') {
  return sendJson('PATCH', path, body, {}, as);
}

export function putJson(path: string, body: unknown, as: Caller = 'admin') {
  return sendJson('PUT', path, body, {}, as);
}

/** A DELETE without a body, as a browser's fetch sends it. */
export function del(path: string, as: Caller = 'admin') {
  return api(path, { method: 'DELETE' }, as);
}

/** Like `signedIn`, for an account with a name (what a board shows as a card's author). */
export async function signedInNamed(roles: Role[], name: string) {
  const email = `${name.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-')}-${crypto.randomUUID()}@district.example`;
  const { accountId, cookie } = await signedIn(roles, email);
  await env.DB.prepare('UPDATE accounts SET name = ? WHERE id = ?').bind(name, accountId).run();
  return { accountId, email, name, cookie };
}

/** Creates a board as `as` (on a new campaign unless one is given); returns the BoardState the API answered. */
export async function createBoard(
  as: Caller,
  overrides: Record<string, unknown> = {},
): Promise<import('../src/domain/boards').BoardState> {
  const campaignId = overrides.campaignId ?? (await createCampaign());
  const res = await postJson(
    '/api/boards',
    { campaignId, title: 'Grade 5 team: formative assessment', template: 'protocol', ...overrides },
    {},
    as,
  );
  if (res.status !== 201) throw new Error(`board not created: ${res.status} ${await res.text()}`);
  return (await res.json()) as import('../src/domain/boards').BoardState;
}

/** POST /api/boards/:id/invitations as `as` (a facilitator of the board, or an admin). */
export function inviteToBoard(boardId: string, email: string, role: string, as: Caller = 'admin', name?: string) {
  return postJson(`/api/boards/${boardId}/invitations`, { email, role, ...(name ? { name } : {}) }, {}, as);
}

/**
 * A new signed-in account without district roles, invited to the board with this role by `as`:
 * how a teacher joins a design team. Returns the account's id, email, name and Cookie header.
 */
export async function boardMember(boardId: string, role: string, as: Caller, name = `Member ${role}`) {
  const account = await signedInNamed([], name);
  const res = await inviteToBoard(boardId, account.email, role, as);
  if (res.status !== 201) throw new Error(`not invited: ${res.status} ${await res.text()}`);
  return account;
}

/** GET /api/boards/:id as `as`, which must answer 200. */
export async function readBoard(boardId: string, as: Caller): Promise<import('../src/domain/boards').BoardState> {
  const res = await api(`/api/boards/${boardId}`, {}, as);
  if (res.status !== 200) throw new Error(`board not read: ${res.status} ${await res.text()}`);
  return (await res.json()) as import('../src/domain/boards').BoardState;
}

/** Adds a card (which must answer 201); returns the new state and the card, found by its text among mine. */
export async function addCard(boardId: string, as: Caller, text: string, column = 'working') {
  const res = await postJson(`/api/boards/${boardId}/cards`, { column, text }, {}, as);
  if (res.status !== 201) throw new Error(`card not added: ${res.status} ${await res.text()}`);
  const state = (await res.json()) as import('../src/domain/boards').BoardState;
  const card = state.cards.find((c) => c.text === text && c.mine);
  if (!card) throw new Error(`card "${text}" not in the answer`);
  return { state, card };
}

/** A facilitator's new board (protocol unless overridden) with two members and a viewer, all named. */
export async function boardTeam(overrides: Record<string, unknown> = {}) {
  const fac = await signedInNamed(['facilitator'], 'Fran Facilitator');
  const state = await createBoard(fac, overrides);
  const alice = await boardMember(state.id, 'member', fac, 'Alice Member');
  const bob = await boardMember(state.id, 'member', fac, 'Bob Member');
  const viewer = await boardMember(state.id, 'viewer', fac, 'Vera Viewer');
  return { id: state.id, state, fac, alice, bob, viewer };
}

/** A refusal's error with the `current` object a version conflict carries. */
export async function conflictOf<T = unknown>(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string; current?: T } }).error;
}

/**
 * The rate limits count in windows aligned to the clock's minutes, so a test that fills one
 * can straddle the turn of a minute and see the count start again. Runs `attempt` (0, 1, 2,
 * for a fresh key each time) until one run stays inside one minute; a failure inside one
 * minute is a real failure.
 */
export async function withinOneMinute(attempt: (n: number) => Promise<void>): Promise<void> {
  const minute = () => Math.floor(Date.now() / 60_000);
  for (let n = 0; ; n++) {
    const started = minute();
    try {
      await attempt(n);
      return;
    } catch (error) {
      if (minute() === started || n >= 2) throw error;
    }
  }
}
