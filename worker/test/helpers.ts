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

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}, as: Caller = 'admin') {
  return api(
    path,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
    as,
  );
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
