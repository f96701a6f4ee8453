import { beforeAll, describe, expect, it } from 'vitest';
import { upsertSchools } from '../src/db/roster';
import type { Answers } from '../src/domain/answers';
import { strategies } from '../src/domain/framework';
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

// Four respondents, k = 3. By hand, for formative assessment (PRODUCT.md's delta-method SE
// replaced the interval that treated Ī as fixed, so these figures were worked out again):
// I = 5, 4, 5, 3; P = 2, 3, 1, 3; D = 3, 1, 4, 0 → Ī = 4.25, P̄ = 2.25, D̄ = 2, MWDS = 8.5.
// s_I² = 2.75/3, s_D² = 10/3, s_ID = 5/3 (deviations .75,−.25,.75,−1.25 and 1,−1,2,−2);
// SE² = (4 × 2.75/3 + 18.0625 × 10/3 + 2 × 4.25 × 2 × 5/3)/4 = 23.0520833, SE = 4.8012585;
// t(0.975, 3) = 3.1824463 → half 15.2797474 → [−6.7797474, 23.7797474].
// breadth = 2/4 (D = 3 and 4); interest = 2/4 (r1 and r3 ticked it).
// Classroom management, three raters: I = 4, 5, 4; P = 4, 3, 2; D = 0, 2, 2 → Ī = 13/3,
// D̄ = 4/3, MWDS = 52/9 = 5.7777778; s_I² = (6/9)/2 = 1/3, s_D² = (24/9)/2 = 4/3,
// s_ID = (4/9 + 4/9 − 2/9)/2 = 1/3; SE² = (16/9 × 1/3 + 169/9 × 4/3 + 2 × 13/3 × 4/3 × 1/3)/3
// = (796/27)/3 = 796/81, SE = 3.1348302; t(0.975, 2) = 4.3026527 → half 13.4880861
// → [−7.7103080, 19.2658636]. breadth = 2/3; interest = 1/4.
// Tied: difference 8.5 − 52/9 = 2.7222222, SE² = 23.0520833 + 9.8271605 = 32.8792438 (SE 5.7340425),
// Welch df = 32.8792438² / (23.0520833²/3 + 9.8271605²/2) = 4.7957, t ≈ 2.6 → [−12.2085, 17.6529] holds 0.
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
    expect(first?.se).toBeCloseTo(4.8012585, 6);
    expect(lo).toBeCloseTo(-6.7797474, 6);
    expect(hi).toBeCloseTo(23.7797474, 6);
    expect(first?.breadth).toBe(0.5);
    expect(first?.interest).toBe(0.5);
    expect(first?.evidenceGap).toBeNull();
    // No evidence imported: the evidence weight drops out, the rest are rescaled by 0.9.
    // Fixed scales (PRODUCT.md; min–max scaling is retired): need 8.5/20 = .425, breadth .5,
    // interest .5 → (.5 × .425 + .2 × .5 + .2 × .5)/.9 = .4125/.9 = 11/24.
    expect(first?.priority).toBeCloseTo(11 / 24, 10);

    expect(second).toMatchObject({
      competencyId: 'classroom-management',
      rank: 2,
      n: 3,
      tiedWith: ['formative-assessment'],
    });
    expect(second?.mwds).toBeCloseTo(52 / 9, 10);
    const [lo2, hi2] = (second?.ci95 ?? []) as number[];
    expect(second?.se).toBeCloseTo(3.1348302, 6);
    expect(lo2).toBeCloseTo(-7.710308, 5);
    expect(hi2).toBeCloseTo(19.2658636, 5);
    expect(second?.breadth).toBeCloseTo(2 / 3, 10);
    expect(second?.interest).toBe(0.25);
    // (.5 × 52/180 + .2 × 2/3 + .2 × 1/4)/.9 = (13/90 + 12/90 + 4.5/90)/.9 = 29.5/81.
    expect(second?.priority).toBeCloseTo(29.5 / 81, 10);

    // Every other competency was rated by fewer than k: named, never figured.
    expect(rest).toHaveLength(14);
    for (const item of rest) expect(Object.keys(item).sort()).toEqual(['competencyId', 'domain', 'name', 'suppressed']);
  });

  it('re-ranks with the director’s weights, in the query or a JSON body', async () => {
    const query = (await (await api(`/api/campaigns/${small}/focuses?weights=breadth:1`)).json()) as FocusBody;
    // Breadth alone, on its own scale (no longer min–max scaled to 1 and 0): 2/3 and 2/4.
    expect(query.items.slice(0, 2).map((i) => [i.competencyId, i.priority])).toEqual([
      ['classroom-management', 0.666666666667],
      ['formative-assessment', 0.5],
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
  // k = 5. Cedar: 10 × (5, 1) → D = 4; Maple: 5 × (3, 3) → D = 0; Ridge: 2 × (4, 2) → D = 2.
  // Ridge (2) is hidden, and so is "not stated" (nobody), alike; hiding Ridge alone would
  // leak it as district − Cedar − Maple, so the next-smallest, Maple, is hidden too.
  // Cedar: Ī = 5, D̄ = 4, MWDS = 20, no spread → SE 0, interval [20, 20]; 10 = 2k: tested.
  // The rest of the district (Maple + Ridge, n = 7): I 3 ×5, 4 ×2 → Ī = 23/7; D 0 ×5, 2 ×2
  // → D̄ = 4/7; MWDS_rest = 92/49. s_I² = (5 × 4/49 + 2 × 25/49)/6 = 5/21, s_D² = (5 × 16/49 +
  // 2 × 100/49)/6 = 20/21, s_ID = (5 × 8/49 + 2 × 50/49)/6 = 10/21;
  // SE_rest² = (16/49 × 5/21 + 529/49 × 20/21 + 2 × 23/7 × 4/7 × 10/21)/7 = 12500/7203 = 1.7353880.
  // Difference 20 − 92/49 = 888/49 = 18.1224490, SE = √1.7353880 = 1.3173413; Cedar's SE is 0, so
  // Welch df = SE_rest⁴/(SE_rest⁴/6) = 6, t(0.975, 6) = 2.4469119, half 3.2234172 →
  // [14.8990310, 21.3458670]. Welch's p = P(T_6 ≥ 13.757) = 4.5874e−6, but Cedar's lack of spread
  // is its own: against the district's (17 people, σ² = 1037875/9826, SE² = σ² (1/10 + 1/7) =
  // 207575/8092), t = 3.5781398 on 15 df, p = 0.0013730. The larger is kept; one tested cell,
  // so BH leaves it as it is: a hotspot.
  // District: n = 17, ΣI = 50 + 15 + 8 = 73, ΣD = 40 + 0 + 4 = 44 → MWDS = 3212/289.
  let campaign: string;
  beforeAll(async () => {
    // A roster that holds everyone who answers (the disclosure audit takes it as known to the
    // reader): 12 at Cedar, 6 at Maple, 3 at Ridge, replacing the three staff above.
    await seedRoster([
      ...Array.from({ length: 12 }, () => ({ schoolId: 'cedar-high' })),
      ...Array.from({ length: 6 }, () => ({ schoolId: 'maple-elementary' })),
      ...Array.from({ length: 3 }, () => ({ schoolId: 'ridge-middle' })),
    ]);
    campaign = await createCampaign({ minGroupSize: 5 });
    const rate = (importance: number, proficiency: number) => ({ 'formative-assessment': { importance, proficiency } });
    await submitAll(campaign, [
      ...Array.from({ length: 10 }, () => ({
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

  it('lists every known segment, hides small, empty and complementary cells alike, and tests against the rest', async () => {
    const body = (await (await api(`/api/campaigns/${campaign}/focuses?by=school`)).json()) as {
      by: string;
      hotspotMinN: number;
      items: Array<Record<string, unknown>>;
    };
    expect(body.by).toBe('school');
    expect(body.hotspotMinN).toBe(10);
    const formative = body.items.filter((item) => item.competencyId === 'formative-assessment');
    const [cedar, ...others] = formative;
    const { vsRest, pAdjusted, ...figures } = cedar as { vsRest: { difference: number; ci95: number[] } } & Record<
      string,
      unknown
    >;
    expect(figures).toEqual({
      segment: 'cedar-high',
      label: 'Cedar High School',
      competencyId: 'formative-assessment',
      n: 10,
      mwds: 20,
      se: 0,
      ci95: [20, 20],
      breadth: 1,
      tested: true,
      hotspot: true,
    });
    expect(vsRest.difference).toBeCloseTo(888 / 49, 10);
    expect(vsRest.ci95[0]).toBeCloseTo(14.899031, 5);
    expect(vsRest.ci95[1]).toBeCloseTo(21.345867, 5);
    expect(pAdjusted).toBeCloseTo(0.0013730281, 9);
    const hiddenCell = (segment: string | null, label: string) => ({
      segment,
      label,
      competencyId: 'formative-assessment',
      suppressed: true,
    });
    expect(others).toEqual([
      hiddenCell('maple-elementary', 'Maple Elementary'),
      hiddenCell('ridge-middle', 'Ridge Middle School'),
      hiddenCell(null, 'Not stated'),
    ]);
    // A competency nobody rated is listed too, every cell hidden the same way (no n, no "nobody").
    const unrated = body.items.filter((item) => item.competencyId === 'classroom-management');
    expect(unrated).toHaveLength(4);
    for (const cell of unrated)
      expect(Object.keys(cell).sort()).toEqual(['competencyId', 'label', 'segment', 'suppressed']);
    const district = (await (await api(`/api/campaigns/${campaign}/focuses`)).json()) as FocusBody;
    expect(district.items[0]?.mwds).toBeCloseTo(3212 / 289, 10);
  });

  it('applies the same suppression to the CSV export', async () => {
    const res = await api(`/api/campaigns/${campaign}/focuses?by=school&format=csv`);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(res.headers.get('Content-Disposition')).toMatch(/focuses-by-school\.csv/);
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'by,segment,label,competencyId,competencyName,n,mwds,se,ci95Low,ci95High,breadth,differenceVsRest,differenceCi95Low,' +
        'differenceCi95High,tested,pAdjusted,hotspot,suppressed',
    );
    const cedar = lines.find((line) =>
      line.startsWith('school,cedar-high,Cedar High School,formative-assessment,Formative assessment,'),
    );
    expect(cedar?.split(',').slice(5, 11)).toEqual(['10', '20', '0', '20', '20', '1']);
    // 888 / 49 = 18.1224…, rounded for a spreadsheet to 2 decimals (the JSON keeps it whole).
    expect(cedar?.split(',')[11]).toBe('18.12');
    // Its adjusted p (0.0013730281 in the JSON above) to 4 significant digits.
    expect(cedar?.split(',').slice(14)).toEqual(['true', '0.001373', 'true', 'false']);
    const hidden = (school: string) => `school,${school},formative-assessment,Formative assessment,,,,,,,,,,,,,true`;
    expect(lines).toContain(hidden('maple-elementary,Maple Elementary'));
    expect(lines).toContain(hidden('ridge-middle,Ridge Middle School'));
    expect(lines).toContain(hidden(',Not stated'));
    const focusCsv = await (await api(`/api/campaigns/${campaign}/focuses?format=csv`)).text();
    expect(focusCsv.split(/\r?\n/)[0]).toBe(
      'rank,competencyId,name,domain,domainName,n,meanImportance,meanProficiency,meanDiscrepancy,mwds,se,ci95Low,ci95High,breadth,interest,evidenceGap,priority,tiedWith,suppressed',
    );
    // Names beside the ids, and the MWDS of 3212 / 289 = 11.1142… to 2 decimals.
    const fa = focusCsv.split(/\r?\n/).find((line) => line.includes(',formative-assessment,'));
    expect(fa?.split(',').slice(1, 5)).toEqual([
      'formative-assessment',
      'Formative assessment',
      'assessment-data',
      'Assessment and data use',
    ]);
    expect(fa?.split(',')[9]).toBe('11.11');
  });

  it('counts how staff with high need want to learn, hiding any count under k', async () => {
    // Gap ≥ 2: the 10 Cedar (coaching first, then workshop) and the 2 Ridge (mentoring) respondents.
    // coaching 10/12 chose it and put it first; workshop 10/12 chose it, 0 put it first (under k:
    // no share); mentoring 2 people (under k: hidden, share and all); the rest nobody (hidden alike).
    const body = (await (
      await api(`/api/campaigns/${campaign}/strategy-preferences?focuses=formative-assessment`)
    ).json()) as { items: Array<{ highNeed: number; strategies: Array<Record<string, unknown>> }> };
    expect(body.items[0]?.highNeed).toBe(12);
    const cells = body.items[0]?.strategies ?? [];
    expect(cells.slice(0, 2).map((s) => [s.strategyId, s.share, s.firstChoiceShare])).toEqual([
      ['coaching', 10 / 12, 10 / 12],
      ['workshop', 10 / 12, null],
    ]);
    const rest = cells.slice(2);
    expect(rest.map((s) => s.strategyId)).toEqual(
      strategies.map((s) => s.id).filter((id) => id !== 'coaching' && id !== 'workshop'),
    );
    for (const cell of rest) expect(Object.keys(cell).sort()).toEqual(['delivery', 'name', 'strategyId', 'suppressed']);
    const hidden = (await (
      await api(`/api/campaigns/${small}/strategy-preferences?focuses=classroom-management`)
    ).json()) as { items: unknown[] };
    // Two respondents with a gap of 2 or more, k = 3: hidden.
    expect(hidden.items).toEqual([
      { competencyId: 'classroom-management', name: expect.any(String), suppressed: true },
    ]);
    expect((await api(`/api/campaigns/${campaign}/strategy-preferences?focuses=nope`)).status).toBe(422);
  });

  it('reports the response rate per school against the roster, hiding counts under k and their complement', async () => {
    type Rates = {
      items: Array<{ school: string; responses?: number; staff: number; rate?: number | null; suppressed?: true }>;
      notStated: number | null;
      respondents: number;
      minGroupSize: number;
    };
    // Roster (since the beforeAll above): 12 at Cedar, 6 at Maple, 3 at Ridge.
    // k = 5: Cedar 10 of 12 shown; Ridge 2 hidden, Maple 5 hidden as its complement;
    // nobody left the school out, and that 0 is hidden like a small count.
    const body = (await (await api(`/api/campaigns/${campaign}/response-rates`)).json()) as Rates;
    expect(body).toMatchObject({ respondents: 17, minGroupSize: 5, notStated: null });
    expect(body.items).toEqual([
      { school: 'cedar-high', name: 'Cedar High School', responses: 10, staff: 12, rate: 10 / 12 },
      { school: 'maple-elementary', name: 'Maple Elementary', staff: 6, suppressed: true },
      { school: 'ridge-middle', name: 'Ridge Middle School', staff: 3, suppressed: true },
    ]);
    // k = 3: Maple 3, Ridge 1, Cedar 0: Ridge and the empty Cedar hidden alike, Maple as Ridge's complement.
    const small3 = (await (await api(`/api/campaigns/${small}/response-rates`)).json()) as Rates;
    expect(small3.respondents).toBe(4);
    expect(small3.items.map((i) => [i.school, i.responses, i.staff, i.suppressed])).toEqual([
      ['cedar-high', undefined, 12, true],
      ['maple-elementary', undefined, 6, true],
      ['ridge-middle', undefined, 3, true],
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
