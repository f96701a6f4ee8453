import { beforeAll, describe, expect, it } from 'vitest';
import { FALL_CAMPAIGN_ID } from '../../scripts/demo/district';
import { seedDemoDistrict } from '../../scripts/demo/seed';
import needsAssessment from '../../surveys/needs-assessment.json';
import { readIdentifiedRespondents } from '../src/db/pilots';
import type { Answers } from '../src/domain/answers';
import { checkPilotPlan, fitFor } from '../src/domain/pilot-groups';
import { answers, api, createCampaign, db, errorOf, invite, postJson, submit } from './helpers';

/** What a director may see of a candidate's fit for one focus: levels, never ratings or the exact gap. */
interface Level {
  gap: 'none' | 'some' | 'large';
  interested: boolean;
}

interface Proposal {
  options: { focuses: string[]; minSize: number; maxSize: number; maxPerSchool: number; coachCapacity: number };
  groups: Array<{
    competencyId: string;
    members: Array<{ staffId: string; name: string; schoolId: string | null; level: Level; reason: string }>;
    champion: string | null;
    championReason: string;
    coach: string | null;
    coachReason: string;
  }>;
  notFormed: Array<{ competencyId: string; reason: string }>;
  unassigned: Array<{ staffId: string; reason: string }>;
  candidates: Array<{ staffId: string; name: string; schoolId: string | null; levels: Record<string, Level> }>;
  optimal: boolean;
  solveMs: number;
}

const propose = (body: unknown, campaign = FALL_CAMPAIGN_ID) =>
  postJson(`/api/campaigns/${campaign}/pilot-groups/proposal`, body, {}, 'director');

/**
 * The thresholds of domain/pilot-groups.ts, restated here: gap = max(0, I − P); 0 is no gap,
 * 1–2 some gap, 3–4 a large gap; a focus not rated counts as no gap.
 */
function expectedLevel(rating: { importance: number; proficiency: number } | undefined, interested: boolean): Level {
  const gap = rating ? Math.max(0, rating.importance - rating.proficiency) : 0;
  return { gap: gap === 0 ? 'none' : gap <= 2 ? 'some' : 'large', interested };
}

/** A member's reason: their level in words, and nothing else about their answers. */
const MEMBER_REASON =
  /^(No|Some|Large) gap, (asked|did not ask) to learn it(; brings the group to its minimum size|; the group had room for them)?\.$/;
/** Words and numbers that would tell a director someone's own ratings, or how far apart they are. */
const RATING_WORDS = /rated its importance|their practice|importance \d|proficiency|\bfit \d|total fit (of|from) \d/i;

/** Every number in a JSON value, with the key it sits under. */
function numbersIn(value: unknown, key = ''): Array<[string, number]> {
  if (typeof value === 'number') return [[key, value]];
  if (Array.isArray(value)) return value.flatMap((item) => numbersIn(item, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersIn(v, k));
  return [];
}

/** Every key anywhere in a JSON value. */
function keysIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysIn);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysIn(v)]);
  return [];
}

/**
 * No field lets a director compute a person's ratings or exact gap: the only numbers are the rules
 * the director chose and the solver's time, and no key carries a fit, a rating or a total.
 */
function expectNoPersonalFigures(body: unknown): void {
  const allowed = new Set(['minSize', 'maxSize', 'maxPerSchool', 'coachCapacity', 'solveMs']);
  expect(numbersIn(body).filter(([key]) => !allowed.has(key))).toEqual([]);
  const keys = new Set(keysIn(body));
  for (const key of ['fit', 'fits', 'objective', 'ratings', 'importance', 'proficiency'])
    expect(keys).not.toContain(key);
  expect(JSON.stringify(body)).not.toMatch(RATING_WORDS);
}

let proposal: Proposal;

beforeAll(async () => {
  await seedDemoDistrict(db());
  const res = await propose({});
  expect(res.status, await res.clone().text()).toBe(200);
  proposal = (await res.json()) as Proposal;
}, 60_000);

describe('a pilot group proposal for the demo fall campaign', () => {
  it('is drawn from respondents willing to pilot and to be contacted, with levels from their own answers', async () => {
    const respondents = await readIdentifiedRespondents(db(), FALL_CAMPAIGN_ID);
    const willing = respondents.filter((r) => r.answers.pilotWilling === true && r.answers.contactConsent === true);
    expect(proposal.candidates.map((c) => c.staffId).sort()).toEqual(willing.map((r) => r.staffId).sort());
    // Levels recomputed here from the stored answers, independently of the route.
    for (const r of willing) {
      const candidate = proposal.candidates.find((c) => c.staffId === r.staffId);
      for (const focus of proposal.options.focuses) {
        expect(candidate?.levels[focus]).toEqual(
          expectedLevel(r.answers.ratings?.[focus], r.answers.interests?.includes(focus) ?? false),
        );
      }
    }
    // The exact fit is still what the groups maximize, inside the worker.
    expect(fitFor({ importance: 5, proficiency: 2 }, true)).toBe(4);
  });

  it("shows no one's ratings or exact gap: levels in words, and no figure per person", () => {
    expectNoPersonalFigures(proposal);
    const candidate = new Map(proposal.candidates.map((c) => [c.staffId, c]));
    for (const g of proposal.groups) {
      for (const m of g.members) {
        expect(m.reason).toMatch(MEMBER_REASON);
        expect(m.level).toEqual(candidate.get(m.staffId)?.levels[g.competencyId]);
        const words = `${{ none: 'No', some: 'Some', large: 'Large' }[m.level.gap]} gap, ${m.level.interested ? 'asked' : 'did not ask'} to learn it`;
        expect(m.reason.startsWith(words)).toBe(true);
      }
    }
    for (const u of proposal.unassigned) expect(u.reason).not.toMatch(RATING_WORDS);
    for (const n of proposal.notFormed) expect(n.reason).not.toMatch(/\d+ to \d+|fit of \d/);
  });

  it('defaults to the top 3 focuses and the stated sizes, and keeps every rule', () => {
    expect(proposal.options).toMatchObject({ minSize: 6, maxSize: 10, maxPerSchool: 3, coachCapacity: 8 });
    expect(proposal.options.focuses).toHaveLength(3);
    expect(proposal.optimal).toBe(true);
    expect(proposal.groups.length).toBeGreaterThan(0);
    const plan = {
      groups: proposal.groups.map((g) => ({
        competencyId: g.competencyId,
        members: g.members.map((m) => ({ staffId: m.staffId })),
      })),
    };
    const candidates = proposal.candidates.map((c) => ({ staffId: c.staffId, school: c.schoolId, fits: c.levels }));
    expect(checkPilotPlan(plan, candidates, proposal.options)).toEqual([]);
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

describe('levels, worked by hand on a small identified campaign', () => {
  const FOCUS = 'formative-assessment';
  // [importance, proficiency] for FOCUS (null: not rated), whether they asked to learn it, and the
  // level the thresholds give (gap = max(0, I − P): 0 none, 1–2 some, 3–4 large).
  const people: Array<[string, [number, number] | null, boolean, string]> = [
    ['A', [5, 2], true, 'Large gap, asked to learn it.'], // gap 3, fit 4
    ['B', [5, 1], true, 'Large gap, asked to learn it.'], // gap 4, fit 5
    ['I', [4, 1], false, 'Large gap, did not ask to learn it.'], // gap 3, fit 3
    ['C', [4, 2], false, 'Some gap, did not ask to learn it.'], // gap 2, fit 2
    ['D', [3, 2], true, 'Some gap, asked to learn it.'], // gap 1, fit 2
    ['E', [4, 3], false, 'Some gap, did not ask to learn it.'], // gap 1, fit 1
    ['F', [3, 3], true, 'No gap, asked to learn it.'], // gap 0, fit 1
    ['G', [2, 5], false, 'No gap, did not ask to learn it; brings the group to its minimum size.'], // fit 0
    ['H', null, false, 'No gap, did not ask to learn it; brings the group to its minimum size.'], // not rated, fit 0
  ];
  let campaignId = '';
  const staffOf = new Map<string, string>();
  let declined = '';

  beforeAll(async () => {
    campaignId = await createCampaign({ mode: 'identified', title: 'Pilot levels by hand' });
    const links = await invite(campaignId);
    // One person per school, so the school cap never decides who joins.
    const { results } = await db()
      .prepare(
        `SELECT MIN(staff_id) AS staffId, school_id AS schoolId FROM staff
         WHERE school_id IS NOT NULL GROUP BY school_id ORDER BY school_id`,
      )
      .all<{ staffId: string; schoolId: string }>();
    expect(results.length).toBeGreaterThan(people.length);
    const answered = async (row: { staffId: string; schoolId: string } | undefined, extra: Partial<Answers>) => {
      if (!row) throw new Error('not enough schools');
      const res = await submit(
        campaignId,
        { answers: answers({ school: row.schoolId, interests: [], ratings: {}, ...extra }) },
        crypto.randomUUID(),
        links.get(row.staffId),
      );
      expect(res.status).toBe(201);
    };
    for (const [i, [label, rating, interested]] of people.entries()) {
      const row = results[i];
      staffOf.set(label, row?.staffId ?? '');
      await answered(row, {
        ratings: rating ? { [FOCUS]: { importance: rating[0], proficiency: rating[1] } } : {},
        interests: interested ? [FOCUS] : [],
        pilotWilling: true,
        contactConsent: true,
      });
    }
    // Willing, but did not agree to be contacted: never a candidate.
    const last = results[people.length];
    declined = last?.staffId ?? '';
    await answered(last, {
      ratings: { [FOCUS]: { importance: 5, proficiency: 1 } },
      interests: [FOCUS],
      pilotWilling: true,
      contactConsent: false,
    });
  }, 60_000);

  it('says each member’s level in words, and two gaps of one level read the same', async () => {
    const res = await propose({ focuses: [FOCUS], minSize: people.length, maxSize: people.length }, campaignId);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Proposal;
    expectNoPersonalFigures(body);
    expect(body.candidates.map((c) => c.staffId)).not.toContain(declined);
    const [group] = body.groups;
    expect(group?.members).toHaveLength(people.length);
    const member = (label: string) => group?.members.find((m) => m.staffId === staffOf.get(label));
    for (const [label, , , reason] of people) expect(member(label)?.reason, label).toBe(reason);
    expect(member('A')?.level).toEqual({ gap: 'large', interested: true });
    // Gaps 3 and 4, and gaps 2 and 1, are told apart by nothing a director is shown.
    const shown = (label: string) => {
      const id = staffOf.get(label);
      const { staffId, name, schoolId, school, ...rest } = (group?.members.find((m) => m.staffId === id) ??
        {}) as Record<string, unknown>;
      const {
        staffId: _s,
        name: _n,
        schoolId: _i,
        school: _c,
        ...candidate
      } = (body.candidates.find((c) => c.staffId === id) ?? {}) as Record<string, unknown>;
      expect([staffId, name, schoolId, school].every((field) => field !== undefined)).toBe(true);
      return { member: rest, candidate };
    };
    expect(shown('A')).toEqual(shown('B'));
    expect(shown('C')).toEqual(shown('E'));
  });

  it('leaves people out for reasons that carry no rating and no total', async () => {
    for (const maxSize of [4, 5, 6]) {
      const res = await propose({ focuses: [FOCUS], minSize: 3, maxSize }, campaignId);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Proposal;
      expectNoPersonalFigures(body);
      expect(body.unassigned.length).toBe(people.length - maxSize);
      for (const u of body.unassigned) expect(u.reason).not.toMatch(RATING_WORDS);
    }
  });
});

describe('what the survey tells a volunteer', () => {
  it('says in the consent question what a director will see, and that it is never the ratings', () => {
    const pages = needsAssessment.pages as Array<{ elements: Array<Record<string, unknown>> }>;
    const questions = pages.flatMap((page) => page.elements);
    const consent = questions.find((question) => question.name === 'contactConsent');
    const text = String(consent?.description ?? '');
    for (const words of ['name and school', 'no gap, some gap or a large gap', 'asked to learn it']) {
      expect(text).toContain(words);
    }
    expect(text).toMatch(/never see your ratings/);
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
    const text = await exported.text();
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('competencyId,focus,role,staffId,name,school,email');
    // Scheduling needs who and where, nothing of anyone's answers.
    expect(text).not.toMatch(/\bgap\b|asked to learn|rated|importance|proficiency/i);
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
