import { beforeAll, describe, expect, it } from 'vitest';
import { FALL_CAMPAIGN_ID } from '../../scripts/demo/district';
import { seedDemoDistrict } from '../../scripts/demo/seed';
import { readIdentifiedRespondents } from '../src/db/pilot';
import { checkPilotPlan, fitFor, type PilotPlan } from '../src/domain/pilot-groups';
import { api, createCampaign, db, errorOf, postJson } from './helpers';

interface Proposal {
  options: { focuses: string[]; minSize: number; maxSize: number; maxPerSchool: number; coachCapacity: number };
  groups: Array<{
    competencyId: string;
    members: Array<{ staffId: string; schoolId: string | null; fit: number; reason: string }>;
    champion: string | null;
    championReason: string;
    coach: string | null;
    coachReason: string;
  }>;
  unassigned: Array<{ staffId: string; reason: string }>;
  candidates: Array<{ staffId: string; schoolId: string | null; fits: Record<string, number> }>;
  objective: number;
  optimal: boolean;
  solveMs: number;
}

const propose = (body: unknown, campaign = FALL_CAMPAIGN_ID) =>
  postJson(`/api/campaigns/${campaign}/pilot-groups/proposal`, body, {}, 'director');

let proposal: Proposal;

beforeAll(async () => {
  await seedDemoDistrict(db());
  const res = await propose({});
  expect(res.status).toBe(200);
  proposal = (await res.json()) as Proposal;
}, 60_000);

describe('a pilot group proposal for the demo fall campaign', () => {
  it('is drawn from respondents willing to pilot and to be contacted, with fits from their own answers', async () => {
    const respondents = await readIdentifiedRespondents(db(), FALL_CAMPAIGN_ID);
    const willing = respondents.filter((r) => r.answers.pilotWilling === true && r.answers.contactConsent === true);
    expect(proposal.candidates.map((c) => c.staffId).sort()).toEqual(willing.map((r) => r.staffId).sort());
    // Fits recomputed here from the stored answers, independently of the route.
    for (const r of willing.slice(0, 25)) {
      const candidate = proposal.candidates.find((c) => c.staffId === r.staffId);
      for (const focus of proposal.options.focuses) {
        const rating = r.answers.ratings?.[focus];
        const gap = rating ? Math.max(0, rating.importance - rating.proficiency) : 0;
        expect(candidate?.fits[focus]).toBe(gap + (r.answers.interests?.includes(focus) ? 1 : 0));
      }
    }
    expect(fitFor({ importance: 5, proficiency: 2 }, true)).toBe(4);
  });

  it('defaults to the top 3 focuses and the stated sizes, and keeps every rule', () => {
    expect(proposal.options).toMatchObject({ minSize: 6, maxSize: 10, maxPerSchool: 3, coachCapacity: 8 });
    expect(proposal.options.focuses).toHaveLength(3);
    expect(proposal.optimal).toBe(true);
    expect(proposal.groups.length).toBeGreaterThan(0);
    const plan: PilotPlan = {
      groups: proposal.groups.map((g) => ({
        competencyId: g.competencyId,
        members: g.members.map((m) => ({ staffId: m.staffId, school: m.schoolId, fit: m.fit })),
      })),
      notFormed: [],
      unassigned: proposal.unassigned.map((u) => u.staffId),
      objective: proposal.objective,
    };
    const candidates = proposal.candidates.map((c) => ({ staffId: c.staffId, school: c.schoolId, fits: c.fits }));
    expect(checkPilotPlan(plan, candidates, proposal.options)).toEqual([]);
    const total = proposal.groups.flatMap((g) => g.members).reduce((sum, m) => sum + m.fit, 0);
    expect(proposal.objective).toBe(total);
    for (const g of proposal.groups) {
      for (const m of g.members) expect(m.reason.length).toBeGreaterThan(10);
      if (g.champion) expect(g.members.map((m) => m.staffId)).toContain(g.champion);
      expect(g.championReason.length).toBeGreaterThan(10);
      expect(g.coachReason.length).toBeGreaterThan(10);
    }
    for (const u of proposal.unassigned) expect(u.reason.length).toBeGreaterThan(10);
  });

  it('gives the same groups for the same input', async () => {
    const again = (await (await propose({})).json()) as Proposal;
    expect(again.groups).toEqual(proposal.groups);
  });

  it.each([
    [{ minSize: 8, maxSize: 6 }, 'minSize'],
    [{ focuses: ['not-a-competency'] }, 'focuses.0'],
    [{ maxSize: 51 }, 'maxSize'],
    [{ minSize: 0 }, 'minSize'],
    [{ focuses: [] }, 'focuses'],
  ])('refuses %j with 422 naming %s', async (body, field) => {
    const res = await propose(body);
    expect(res.status).toBe(422);
    expect(Object.keys((await errorOf(res)).fields ?? {})).toContain(field);
  });

  it('refuses an anonymous campaign with 409', async () => {
    const res = await propose({}, await createCampaign());
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('ANONYMOUS_CAMPAIGN');
  });
});

describe('confirming pilot groups', () => {
  const body = (groups: Proposal['groups']) => ({
    options: { minSize: 6, maxSize: 10, maxPerSchool: 3, coachCapacity: 8 },
    groups: groups.map((g) => ({
      competencyId: g.competencyId,
      members: g.members.map((m) => m.staffId),
      champion: g.champion,
      coach: g.coach,
    })),
  });

  it('refuses a swap that breaks a rule, saying which, and stores nothing', async () => {
    const [first] = proposal.groups;
    if (!first) throw new Error('no group proposed');
    const tooSmall = [{ ...first, members: first.members.slice(0, 5) }];
    const res = await postJson(`/api/campaigns/${FALL_CAMPAIGN_ID}/pilot-groups`, body(tooSmall), {}, 'director');
    expect(res.status).toBe(422);
    const error = (await res.json()) as { error: { code: string; violations: string[] } };
    expect(error.error.code).toBe('PILOT_CONSTRAINTS');
    expect(error.error.violations.length).toBeGreaterThan(0);
    const stored = await db().prepare('SELECT COUNT(*) AS n FROM pilot_groups').first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });

  it('stores the groups, lists them and exports them for scheduling, recording who did it', async () => {
    const res = await postJson(
      `/api/campaigns/${FALL_CAMPAIGN_ID}/pilot-groups`,
      body(proposal.groups),
      {},
      'director',
    );
    expect(res.status).toBe(201);
    const list = (await (await api(`/api/campaigns/${FALL_CAMPAIGN_ID}/pilot-groups`, {}, 'director')).json()) as {
      items: Array<{ competencyId: string; members: Array<{ staffId: string }> }>;
    };
    expect(list.items.map((g) => [g.competencyId, g.members.length])).toEqual(
      proposal.groups.map((g) => [g.competencyId, g.members.length]),
    );
    const exported = await api(`/api/campaigns/${FALL_CAMPAIGN_ID}/pilot-groups?format=csv`, {}, 'director');
    expect(exported.headers.get('Content-Type')).toMatch(/^text\/csv/);
    const lines = (await exported.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('competencyId,focus,role,staffId,name,school,email');
    const people = proposal.groups.reduce((n, g) => n + g.members.length + (g.champion ? 1 : 0) + (g.coach ? 1 : 0), 0);
    expect(lines).toHaveLength(1 + people);
    const actions = await db()
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'pilot_groups.%' ORDER BY id")
      .all<{ action: string }>();
    expect(actions.results.map((row) => row.action)).toEqual(
      expect.arrayContaining(['pilot_groups.propose', 'pilot_groups.confirm', 'pilot_groups.export']),
    );
  });
});

describe('leaders from inside', () => {
  it('lists aspiring leaders, influencers per school with at least 3 nominations, and the pipeline', async () => {
    const res = await api(`/api/campaigns/${FALL_CAMPAIGN_ID}/leaders`, {}, 'director');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      aspiringLeaders: Array<{ staffId: string; roles: unknown[] }>;
      influencers: Array<{ staff: Array<{ nominations: number }> }>;
      pipeline: { rows: Array<{ n: number; schoolId: string | null; school: string | null }> };
    };
    const respondents = await readIdentifiedRespondents(db(), FALL_CAMPAIGN_ID);
    expect(body.aspiringLeaders.length).toBe(respondents.filter((r) => r.answers.selfNominate === true).length);
    for (const school of body.influencers)
      for (const s of school.staff) expect(s.nominations).toBeGreaterThanOrEqual(3);
    const interests = respondents.reduce((n, r) => n + new Set(r.answers.leadershipInterest ?? []).size, 0);
    expect(body.pipeline.rows.reduce((n, row) => n + row.n, 0)).toBe(interests);
    const schools = await db().prepare('SELECT id, name FROM schools').all<{ id: string; name: string }>();
    const schoolName = new Map(schools.results.map((school) => [school.id, school.name]));
    for (const row of body.pipeline.rows) expect(row.school).toBe(row.schoolId ? schoolName.get(row.schoolId) : null);
  });
});
