import { beforeAll, describe, expect, it } from 'vitest';
import { upsertSchools } from '../src/db/roster';
import type { Answers } from '../src/domain/answers';
import { api, createCampaign, db, errorOf, postJson, seedRoster, submit } from './helpers';

interface FocusBody {
  items: Array<Record<string, unknown> & { competencyId: string }>;
  weights: Record<string, number>;
  weightsDescription: string;
  minGroupSize: number;
  respondents: number;
}

const base: Answers = { role: 'classroom-teacher' };
async function submitAll(campaign: string, list: Answers[]) {
  for (const answers of list) {
    const res = await submit(campaign, { answers: { ...base, ...answers } });
    expect(res.status).toBe(201);
  }
}

// Four respondents, k = 3. By hand, for formative assessment:
// I = 5, 4, 5, 3; P = 2, 3, 1, 3; D = 3, 1, 4, 0 → Ī = 4.25, P̄ = 2.25, D̄ = 2, MWDS = 8.5.
// s_D² = ((1)² + (−1)² + 2² + (−2)²)/3 = 10/3 → s_D = 1.8257419; t(0.975, 3) = 3.1824463;
// half-width = 3.1824463 × 4.25 × 1.8257419 / 2 = 12.3469415 → [−3.8469415, 20.8469415].
// breadth = 2/4 (D = 3 and 4); interest = 2/4 (r1 and r3 ticked it).
// Classroom management, three raters: I = 4, 5, 4; P = 4, 3, 2; D = 0, 2, 2 → Ī = 13/3,
// D̄ = 4/3, MWDS = 52/9 = 5.7777778; s_D = √((16/9 + 4/9 + 4/9)/2) = 1.1547005;
// t(0.975, 2) = 4.3026527; half = 4.3026527 × 13/3 × 1.1547005 / √3 = 12.4298857.
// breadth = 2/3; interest = 1/4.
const FOUR: Answers[] = [
  {
    school: 'maple-elementary',
    careerStage: 'early-career',
    ratings: {
      'formative-assessment': { importance: 5, proficiency: 2 },
      'classroom-management': { importance: 4, proficiency: 4 },
    },
    interests: ['formative-assessment'],
  },
  {
    school: 'maple-elementary',
    careerStage: 'established',
    ratings: {
      'formative-assessment': { importance: 4, proficiency: 3 },
      'classroom-management': { importance: 5, proficiency: 3 },
    },
  },
  {
    school: 'ridge-middle',
    careerStage: 'early-career',
    ratings: {
      'formative-assessment': { importance: 5, proficiency: 1 },
      'classroom-management': { importance: 4, proficiency: 2 },
    },
    interests: ['formative-assessment', 'classroom-management'],
  },
  {
    school: 'maple-elementary',
    careerStage: 'veteran',
    ratings: { 'formative-assessment': { importance: 3, proficiency: 3 } },
  },
];

let small: string;

beforeAll(async () => {
  await seedRoster([{}, {}, { schoolId: 'ridge-middle' }]);
  await upsertSchools(db(), [{ id: 'cedar-high', name: 'Cedar High School' }]);
  small = await createCampaign({ minGroupSize: 3 });
  await submitAll(small, FOUR);
});

describe('GET /api/campaigns/:id/focuses', () => {
  it('ranks focuses with Borich MWDS, t intervals, breadth, interest and ties', async () => {
    const res = await api(`/api/campaigns/${small}/focuses`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as FocusBody;
    expect(body.respondents).toBe(4);
    expect(body.minGroupSize).toBe(3);
    expect(body.weights).toEqual({ mwds: 0.5, breadth: 0.2, interest: 0.2, evidenceGap: 0.1 });
    const [first, second, ...rest] = body.items;
    expect(first).toMatchObject({
      competencyId: 'formative-assessment',
      rank: 1,
      n: 4,
      tiedWith: ['classroom-management'],
    });
    expect(first?.meanImportance).toBeCloseTo(4.25, 10);
    expect(first?.meanProficiency).toBeCloseTo(2.25, 10);
    expect(first?.meanDiscrepancy).toBeCloseTo(2, 10);
    expect(first?.mwds).toBeCloseTo(8.5, 10);
    const [lo, hi] = (first?.ci95 ?? []) as number[];
    expect(lo).toBeCloseTo(-3.8469415, 6);
    expect(hi).toBeCloseTo(20.8469415, 6);
    expect(first?.breadth).toBe(0.5);
    expect(first?.interest).toBe(0.5);
    expect(first?.evidenceGap).toBeNull();
    // No evidence imported: the evidence weight drops out, the rest are rescaled by 0.9.
    // Formative: MWDS max → 1, breadth min → 0, interest max → 1: (0.5 + 0.2)/0.9.
    expect(first?.priority).toBeCloseTo(0.7 / 0.9, 10);

    expect(second).toMatchObject({
      competencyId: 'classroom-management',
      rank: 2,
      n: 3,
      tiedWith: ['formative-assessment'],
    });
    expect(second?.mwds).toBeCloseTo(52 / 9, 10);
    const [lo2, hi2] = (second?.ci95 ?? []) as number[];
    expect(lo2).toBeCloseTo(52 / 9 - 12.4298857, 5);
    expect(hi2).toBeCloseTo(52 / 9 + 12.4298857, 5);
    expect(second?.breadth).toBeCloseTo(2 / 3, 10);
    expect(second?.interest).toBe(0.25);
    expect(second?.priority).toBeCloseTo(0.2 / 0.9, 10);

    // Every other competency was rated by fewer than k: named, never figured.
    expect(rest).toHaveLength(14);
    for (const item of rest) expect(Object.keys(item).sort()).toEqual(['competencyId', 'domain', 'name', 'suppressed']);
  });

  it('re-ranks with the director’s weights, in the query or a JSON body', async () => {
    const query = (await (await api(`/api/campaigns/${small}/focuses?weights=breadth:1`)).json()) as FocusBody;
    expect(query.items.slice(0, 2).map((i) => [i.competencyId, i.priority])).toEqual([
      ['classroom-management', 1],
      ['formative-assessment', 0],
    ]);
    expect(query.weightsDescription).toMatch(/breadth/i);
    // No evidence imported: the formula in words leaves it out and rescales the rest.
    const plain = (await (await api(`/api/campaigns/${small}/focuses`)).json()) as FocusBody;
    expect(plain.weightsDescription).not.toMatch(/evidence/i);
    expect(plain.weightsDescription).toMatch(/55\.6%/);
    const body = (await (
      await postJson(`/api/campaigns/${small}/focuses`, { weights: { breadth: 1 } })
    ).json()) as FocusBody;
    expect(body.items).toEqual(query.items);
  });

  it.each([
    ['mwds:abc', 'INVALID_WEIGHTS'],
    ['mwds:-1', 'INVALID_WEIGHTS'],
    ['speed:1', 'INVALID_WEIGHTS'],
    ['mwds:0,breadth:0', 'INVALID_WEIGHTS'],
    ['evidenceGap:1', 'INVALID_WEIGHTS'],
  ])('refuses weights %s with 422', async (weights, code) => {
    const res = await api(`/api/campaigns/${small}/focuses?weights=${encodeURIComponent(weights)}`);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).code).toBe(code);
  });

  it('refuses an unknown dimension, format or campaign', async () => {
    expect((await api(`/api/campaigns/${small}/focuses?by=planet`)).status).toBe(422);
    expect((await api(`/api/campaigns/${small}/focuses?format=xml`)).status).toBe(422);
    const missing = await api('/api/campaigns/nope/focuses');
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('CAMPAIGN_NOT_FOUND');
    const bad = await postJson(`/api/campaigns/${small}/focuses`, { weights: { mwds: 'lots' } });
    expect(bad.status).toBe(422);
  });
});

describe('segments, hotspots and suppression', () => {
  // k = 5. Cedar: 6 × (5, 1) → D = 4; Maple: 5 × (3, 3) → D = 0; Ridge: 2 × (4, 2) → D = 2.
  // Ridge (2) is hidden; hiding it alone would leak it as district − Cedar − Maple, so the
  // next-smallest, Maple, is hidden too. Cedar: Ī = 5, D̄ = 4, MWDS = 20, s_D = 0 → [20, 20].
  // District: n = 13, ΣI = 30 + 15 + 8 = 53, ΣD = 24 + 0 + 4 = 28 → MWDS = 53/13 × 28/13 =
  // 8.7810651, wholly below Cedar's interval: a hotspot.
  let campaign: string;
  beforeAll(async () => {
    campaign = await createCampaign({ minGroupSize: 5 });
    const rate = (importance: number, proficiency: number) => ({ 'formative-assessment': { importance, proficiency } });
    await submitAll(campaign, [
      ...Array.from({ length: 6 }, () => ({
        school: 'cedar-high',
        ratings: rate(5, 1),
        strategies: ['coaching', 'workshop'],
      })),
      ...Array.from({ length: 5 }, () => ({
        school: 'maple-elementary',
        ratings: rate(3, 3),
        strategies: ['workshop'],
      })),
      ...Array.from({ length: 2 }, () => ({ school: 'ridge-middle', ratings: rate(4, 2), strategies: ['mentoring'] })),
    ]);
  });

  it('shows big segments with hotspots and hides small ones and their complement', async () => {
    const body = (await (await api(`/api/campaigns/${campaign}/focuses?by=school`)).json()) as {
      by: string;
      items: Array<Record<string, unknown>>;
    };
    expect(body.by).toBe('school');
    const formative = body.items.filter((item) => item.competencyId === 'formative-assessment');
    expect(formative).toEqual([
      {
        segment: 'cedar-high',
        label: 'Cedar High School',
        competencyId: 'formative-assessment',
        n: 6,
        mwds: 20,
        ci95: [20, 20],
        breadth: 1,
        hotspot: true,
      },
      {
        segment: 'maple-elementary',
        label: 'Maple Elementary',
        competencyId: 'formative-assessment',
        suppressed: true,
      },
      { segment: 'ridge-middle', label: 'Ridge Middle School', competencyId: 'formative-assessment', suppressed: true },
    ]);
    const district = (await (await api(`/api/campaigns/${campaign}/focuses`)).json()) as FocusBody;
    expect(district.items[0]?.mwds).toBeCloseTo((53 / 13) * (28 / 13), 10);
  });

  it('applies the same suppression to the CSV export', async () => {
    const res = await api(`/api/campaigns/${campaign}/focuses?by=school&format=csv`);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(res.headers.get('Content-Disposition')).toMatch(/focuses-by-school\.csv/);
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('by,segment,label,competencyId,n,mwds,ci95Low,ci95High,breadth,hotspot,suppressed');
    expect(lines).toContain('school,cedar-high,Cedar High School,formative-assessment,6,20,20,20,1,true,false');
    expect(lines).toContain('school,maple-elementary,Maple Elementary,formative-assessment,,,,,,,true');
    expect(lines).toContain('school,ridge-middle,Ridge Middle School,formative-assessment,,,,,,,true');
    const focusCsv = await (await api(`/api/campaigns/${campaign}/focuses?format=csv`)).text();
    expect(focusCsv.split(/\r?\n/)[0]).toBe(
      'rank,competencyId,name,domain,n,meanImportance,meanProficiency,meanDiscrepancy,mwds,ci95Low,ci95High,breadth,interest,evidenceGap,priority,tiedWith,suppressed',
    );
  });

  it('counts how staff with high need want to learn', async () => {
    // Gap ≥ 2: the 6 Cedar (coaching first, workshop) and the 2 Ridge (mentoring) respondents.
    const body = (await (
      await api(`/api/campaigns/${campaign}/strategy-preferences?focuses=formative-assessment`)
    ).json()) as { items: Array<{ highNeed: number; strategies: Array<Record<string, unknown>> }> };
    expect(body.items[0]?.highNeed).toBe(8);
    expect(body.items[0]?.strategies.map((s) => [s.strategyId, s.share, s.firstChoiceShare])).toEqual([
      ['coaching', 0.75, 0.75],
      ['workshop', 0.75, 0],
      ['mentoring', 0.25, 0.25],
    ]);
    const hidden = (await (
      await api(`/api/campaigns/${small}/strategy-preferences?focuses=classroom-management`)
    ).json()) as { items: unknown[] };
    // Two respondents with a gap of 2 or more, k = 3: hidden.
    expect(hidden.items).toEqual([
      { competencyId: 'classroom-management', name: expect.any(String), suppressed: true },
    ]);
    expect((await api(`/api/campaigns/${campaign}/strategy-preferences?focuses=nope`)).status).toBe(422);
  });

  it('reports the response rate per school against the roster', async () => {
    const body = (await (await api(`/api/campaigns/${small}/response-rates`)).json()) as {
      items: Array<{ school: string; responses: number; staff: number; rate: number | null }>;
      respondents: number;
    };
    expect(body.respondents).toBe(4);
    // Roster: T1, T2 at Maple, T3 at Ridge; Cedar has nobody on the roster.
    expect(body.items.map((i) => [i.school, i.responses, i.staff, i.rate])).toEqual([
      ['cedar-high', 0, 0, null],
      ['maple-elementary', 3, 2, 1.5],
      ['ridge-middle', 1, 1, 1],
    ]);
  });
});

describe('POST /api/campaigns/:id/evidence', () => {
  it('fills the evidence gap from rubric scores', async () => {
    const campaign = await createCampaign({ minGroupSize: 3 });
    await submitAll(campaign, FOUR);
    const csv =
      'competencyId,school,score\nformative-assessment,maple-elementary,2\nformative-assessment,ridge-middle,3\n';
    const res = await postJson(`/api/campaigns/${campaign}/evidence`, { scaleMin: 1, scaleMax: 4, csv });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ rows: 2, competencies: 1 });
    const body = (await (await api(`/api/campaigns/${campaign}/focuses`)).json()) as FocusBody;
    // Mean 2.5 on a 1–4 scale: (4 − 2.5)/(4 − 1) = 0.5. Classroom management has no evidence.
    expect(body.items.find((i) => i.competencyId === 'formative-assessment')?.evidenceGap).toBe(0.5);
    expect(body.items.find((i) => i.competencyId === 'classroom-management')?.evidenceGap).toBeNull();
  });

  it.each([
    ['an unknown competency', 'competencyId,school,score\nmagic,maple-elementary,2', 'row 2.competencyId'],
    ['an unknown school', 'competencyId,school,score\nformative-assessment,hogwarts,2', 'row 2.school'],
    [
      'a score off the scale',
      'competencyId,school,score\nformative-assessment,maple-elementary,2\nformative-assessment,maple-elementary,9',
      'row 3.score',
    ],
    ['a missing score', 'competencyId,school,score\nformative-assessment,maple-elementary,', 'row 2.score'],
    ['a missing column', 'competencyId,score\nformative-assessment,2', 'header'],
  ])('refuses %s, naming the row, and stores nothing', async (_label, csv, field) => {
    const campaign = await createCampaign({ minGroupSize: 3 });
    await submitAll(campaign, FOUR);
    const res = await postJson(`/api/campaigns/${campaign}/evidence`, { scaleMin: 1, scaleMax: 4, csv });
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('INVALID_CSV');
    expect(Object.keys(error.fields ?? {})).toContain(field);
    const stored = await db()
      .prepare('SELECT COUNT(*) AS n FROM evidence_scores WHERE campaign_id = ?')
      .bind(campaign)
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });

  it('refuses a scale that is upside down', async () => {
    const res = await postJson(`/api/campaigns/${small}/evidence`, {
      scaleMin: 4,
      scaleMax: 1,
      csv: 'competencyId,school,score',
    });
    expect(res.status).toBe(422);
    expect(Object.keys((await errorOf(res)).fields ?? {})).toContain('scaleMax');
  });
});
