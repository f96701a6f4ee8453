import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { type StaffMember, upsertSchools, upsertStaff } from '../src/db/roster';
import type { Answers } from '../src/domain/answers';

export const db = () => env.DB;

/** Calls the real worker entry point, as a browser or integration would. */
export function api(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`http://homegrown.test${path}`, init));
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
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

export function submit(campaignId: string, body: unknown, key: string = crypto.randomUUID()) {
  return postJson(`/api/campaigns/${campaignId}/responses`, body, { 'Idempotency-Key': key });
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
