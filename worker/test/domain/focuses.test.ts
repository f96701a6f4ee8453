import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DisclosurePlan } from '../../src/domain/disclosure';
import {
  bhAdjusted,
  type CampaignAggregates,
  DEFAULT_WEIGHTS,
  describeWeights,
  effectiveWeights,
  evidenceGap,
  type FocusInput,
  HOTSPOT_FDR,
  type NeedStats,
  needDifference,
  needStats,
  pAbove,
  pAboveAsDistrict,
  parseWeights,
  rankFocuses,
  responseRates,
  type SegmentSums,
  segmentTable,
  statisticallyTied,
  strategyPreferences,
  sumsWithout,
  tQuantile975,
  versusRest,
  type Weights,
} from '../../src/domain/focuses';
import { competencies, strategies } from '../../src/domain/framework';
import { type Pair, sumsOf } from './rating-sums';

interface Expected {
  meanImportance: number;
  meanProficiency: number;
  meanDiscrepancy: number;
  mwds: number;
  se: number | null;
  ci95: [number, number] | null;
  breadth: number;
}

describe('needStats', () => {
  // t(0.975, df) from the table: df 1 12.706204736, 2 4.302652730, 3 3.182446305, 4 2.776445105.
  // SE² = (D̄² s_I² + Ī² s_D² + 2 Ī D̄ s_ID) / n, every (co)variance with n − 1 below.
  const cases: Array<[string, Pair[], Expected]> = [
    [
      // I 5,4,5,3 → Ī = 17/4 = 4.25; P 2,3,1,3 → P̄ = 9/4 = 2.25; D 3,1,4,0 → D̄ = 8/4 = 2.
      // MWDS = 4.25 × 2 = 8.5. I − Ī = .75,−.25,.75,−1.25 → Σ² = 2.75, s_I² = 2.75/3;
      // D − D̄ = 1,−1,2,−2 → Σ² = 10, s_D² = 10/3; Σ (I − Ī)(D − D̄) = .75 + .25 + 1.5 + 2.5 = 5, s_ID = 5/3.
      // SE² = (4 × 2.75/3 + 18.0625 × 10/3 + 2 × 4.25 × 2 × 5/3)/4 = (11 + 180.625 + 85)/12 = 23.052083333,
      // SE = 4.801258516; half = 3.182446305 × 4.801258516 = 15.279747422 → [−6.779747422, 23.779747422].
      // D ≥ 2: 3 and 4 → breadth 2/4 = 0.5.
      'four respondents',
      [
        [5, 2],
        [4, 3],
        [5, 1],
        [3, 3],
      ],
      {
        meanImportance: 4.25,
        meanProficiency: 2.25,
        meanDiscrepancy: 2,
        mwds: 8.5,
        se: 4.801258516,
        ci95: [-6.779747422, 23.779747422],
        breadth: 0.5,
      },
    ],
    [
      // I 5,5,4,3,5 → Ī = 22/5 = 4.4; P 1,2,4,1,5 → P̄ = 13/5 = 2.6; D 4,3,0,2,0 → D̄ = 9/5 = 1.8.
      // MWDS = 4.4 × 1.8 = 7.92. I − Ī = .6,.6,−.4,−1.4,.6 → Σ² = 3.2, s_I² = .8;
      // D − D̄ = 2.2,1.2,−1.8,.2,−1.8 → Σ² = 12.8, s_D² = 3.2; products 1.32 + .72 + .72 − .28 − 1.08 = 1.4, s_ID = .35.
      // SE² = (3.24 × .8 + 19.36 × 3.2 + 2 × 4.4 × 1.8 × .35)/5 = (2.592 + 61.952 + 5.544)/5 = 14.0176,
      // SE = 3.744008547; half = 2.776445105 × 3.744008547 = 10.395034203 → [−2.475034203, 18.315034203].
      // D ≥ 2: 4,3,2 → breadth 3/5 = 0.6.
      'five respondents',
      [
        [5, 1],
        [5, 2],
        [4, 4],
        [3, 1],
        [5, 5],
      ],
      {
        meanImportance: 4.4,
        meanProficiency: 2.6,
        meanDiscrepancy: 1.8,
        mwds: 7.92,
        se: 3.744008547,
        ci95: [-2.475034203, 18.315034203],
        breadth: 0.6,
      },
    ],
    [
      // I 5,3 → Ī = 4; P 1,3 → P̄ = 2; D 4,0 → D̄ = 2; MWDS = 8. s_I² = (1 + 1)/1 = 2, s_D² = (4 + 4)/1 = 8,
      // s_ID = (1 × 2 + (−1)(−2))/1 = 4. SE² = (4 × 2 + 16 × 8 + 2 × 4 × 2 × 4)/2 = 200/2 = 100, SE = 10;
      // half = 12.706204736 × 10 → [−119.06204736, 135.06204736]. D ≥ 2: only the 4 → breadth 1/2.
      'two respondents (df = 1)',
      [
        [5, 1],
        [3, 3],
      ],
      {
        meanImportance: 4,
        meanProficiency: 2,
        meanDiscrepancy: 2,
        mwds: 8,
        se: 10,
        ci95: [-119.06204736, 135.06204736],
        breadth: 0.5,
      },
    ],
    [
      // One respondent: Ī = 4, P̄ = 2, D̄ = 2, MWDS = 8, no spread → no SE, no interval; D = 2 → breadth 1.
      'one respondent',
      [[4, 2]],
      { meanImportance: 4, meanProficiency: 2, meanDiscrepancy: 2, mwds: 8, se: null, ci95: null, breadth: 1 },
    ],
    [
      // D = 2,2,2 but I 5,4,3 varies: the weight is uncertain too (the retired interval was the point 8).
      // Ī = 4, P̄ = 2, MWDS = 8; s_I² = (1 + 0 + 1)/2 = 1, s_D² = 0, s_ID = 0. SE² = (4 × 1)/3 = 4/3,
      // SE = 1.154700538; half = 4.302652730 × 1.154700538 = 4.968275424 → [3.031724576, 12.968275424]; breadth 1.
      'all discrepancies equal, importance not',
      [
        [5, 3],
        [4, 2],
        [3, 1],
      ],
      {
        meanImportance: 4,
        meanProficiency: 2,
        meanDiscrepancy: 2,
        mwds: 8,
        se: 1.154700538,
        ci95: [3.031724576, 12.968275424],
        breadth: 1,
      },
    ],
    [
      // Proficiency above importance. I 2,3,1 → Ī = 2; P 4,5,1 → P̄ = 10/3; D −2,−2,0 → D̄ = −4/3.
      // MWDS = 2 × −4/3 = −8/3. I − Ī = 0,1,−1 → s_I² = 1; D − D̄ = −2/3,−2/3,4/3 → s_D² = (24/9)/2 = 4/3;
      // products 0 − 2/3 − 4/3 = −2 → s_ID = −1. SE² = (16/9 + 4 × 4/3 + 2 × 2 × (−4/3)(−1))/3 = (112/9)/3
      // = 112/27, SE = 2.036700309; half = 4.302652730 × 2.036700309 = 8.763214144
      // → [−11.429880811, 6.096547477]. No D ≥ 2 → breadth 0.
      'negative discrepancy',
      [
        [2, 4],
        [3, 5],
        [1, 1],
      ],
      {
        meanImportance: 2,
        meanProficiency: 10 / 3,
        meanDiscrepancy: -4 / 3,
        mwds: -8 / 3,
        se: 2.036700309,
        ci95: [-11.429880811, 6.096547477],
        breadth: 0,
      },
    ],
  ];

  it.each(cases)('%s', (_name, pairs, expected) => {
    const stats = needStats(sumsOf(pairs));
    expect(stats.n).toBe(pairs.length);
    expect(stats.meanImportance).toBeCloseTo(expected.meanImportance, 6);
    expect(stats.meanProficiency).toBeCloseTo(expected.meanProficiency, 6);
    expect(stats.meanDiscrepancy).toBeCloseTo(expected.meanDiscrepancy, 6);
    expect(stats.mwds).toBeCloseTo(expected.mwds, 6);
    expect(stats.breadth).toBeCloseTo(expected.breadth, 6);
    if (expected.se === null) expect(stats.se).toBeNull();
    else expect(stats.se).toBeCloseTo(expected.se, 8);
    if (expected.ci95 === null) {
      expect(stats.ci95).toBeNull();
    } else {
      expect(stats.ci95).not.toBeNull();
      expect(stats.ci95?.[0]).toBeCloseTo(expected.ci95[0], 6);
      expect(stats.ci95?.[1]).toBeCloseTo(expected.ci95[1], 6);
    }
  });

  it.each(cases)('%s: MWDS is the mean over respondents of (I − P) × Ī (Borich)', (_name, pairs) => {
    const meanImportance = pairs.reduce((sum, [importance]) => sum + importance, 0) / pairs.length;
    const borich = pairs.reduce(
      (sum, [importance, proficiency]) => sum + (importance - proficiency) * meanImportance,
      0,
    );
    expect(needStats(sumsOf(pairs)).mwds).toBeCloseTo(borich / pairs.length, 9);
  });

  it('collapses the interval to the point when every respondent answers alike, never to NaN', () => {
    const rating = fc.integer({ min: 1, max: 5 });
    fc.assert(
      fc.property(rating, rating, fc.integer({ min: 2, max: 200 }), (importance, proficiency, n) => {
        const stats = needStats(sumsOf(Array.from({ length: n }, (): Pair => [importance, proficiency])));
        expect(stats.se).toBe(0);
        expect(stats.ci95).toEqual([stats.mwds, stats.mwds]);
      }),
    );
  });

  it('throws on no respondents', () => {
    expect(() => needStats(sumsOf([]))).toThrow(RangeError);
  });

  it('agrees with a direct computation from the individual ratings', () => {
    const rating = fc.integer({ min: 1, max: 5 });
    const pairs = fc.array(fc.tuple(rating, rating), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(pairs, (raw) => {
        const n = raw.length;
        const ds = raw.map(([importance, proficiency]) => importance - proficiency);
        const meanImportance = raw.reduce((sum, [importance]) => sum + importance, 0) / n;
        const meanProficiency = raw.reduce((sum, [, proficiency]) => sum + proficiency, 0) / n;
        const meanD = ds.reduce((sum, d) => sum + d, 0) / n;
        const mwds = ds.reduce((sum, d) => sum + d * meanImportance, 0) / n;
        const stats = needStats(sumsOf(raw));
        expect(stats.meanImportance).toBeCloseTo(meanImportance, 9);
        expect(stats.meanProficiency).toBeCloseTo(meanProficiency, 9);
        expect(stats.meanDiscrepancy).toBeCloseTo(meanD, 9);
        expect(stats.mwds).toBeCloseTo(mwds, 9);
        expect(stats.breadth).toBeCloseTo(ds.filter((d) => d >= 2).length / n, 9);
        if (n < 2) {
          expect(stats.ci95).toBeNull();
          return;
        }
        // Two-pass (co)variances, the textbook way, into the delta method.
        const is = raw.map(([importance]) => importance);
        const varI = is.reduce((sum, i) => sum + (i - meanImportance) ** 2, 0) / (n - 1);
        const varD = ds.reduce((sum, d) => sum + (d - meanD) ** 2, 0) / (n - 1);
        const cov = is.reduce((sum, i, index) => sum + (i - meanImportance) * ((ds[index] ?? 0) - meanD), 0) / (n - 1);
        const se = Math.sqrt(
          Math.max(0, (meanD ** 2 * varI + meanImportance ** 2 * varD + 2 * meanImportance * meanD * cov) / n),
        );
        expect(stats.se).toBeCloseTo(se, 9);
        const half = tQuantile975(n - 1) * se;
        expect(stats.ci95?.[0]).toBeCloseTo(mwds - half, 9);
        expect(stats.ci95?.[1]).toBeCloseTo(mwds + half, 9);
        expect(stats.ci95?.[0]).toBeLessThanOrEqual(stats.mwds);
        expect(stats.ci95?.[1]).toBeGreaterThanOrEqual(stats.mwds);
      }),
    );
  });

  it('one more respondent on competency A never changes the stats of competency B', () => {
    const rating = fc.integer({ min: 1, max: 5 });
    const pair = fc.tuple(rating, rating);
    // Each respondent rates A, B, both or neither.
    const respondent = fc.record({ a: fc.option(pair, { nil: undefined }), b: fc.option(pair, { nil: undefined }) });
    const statsFor = (respondents: Array<{ a?: Pair; b?: Pair }>, key: 'a' | 'b'): NeedStats | null => {
      const pairs = respondents.flatMap((r) => (r[key] === undefined ? [] : [r[key]]));
      return pairs.length === 0 ? null : needStats(sumsOf(pairs));
    };
    fc.assert(
      fc.property(fc.array(respondent, { maxLength: 30 }), pair, (respondents, extra) => {
        const before = statsFor(respondents, 'b');
        const after = statsFor([...respondents, { a: extra }], 'b');
        expect(after).toEqual(before);
        expect(statsFor([...respondents, { a: extra }], 'a')?.n).toBe((statsFor(respondents, 'a')?.n ?? 0) + 1);
      }),
    );
  });
});

describe('tQuantile975', () => {
  // Published two-sided 95% critical values of Student's t.
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [5, 2.5706],
    [10, 2.2281],
    [30, 2.0423],
    [120, 1.9799],
  ])('df %i → %f', (df, value) => {
    expect(tQuantile975(df)).toBeCloseTo(value, 4);
  });

  it('df 3 to nine digits, and the normal 1.959964 for very large df', () => {
    expect(tQuantile975(3)).toBeCloseTo(3.182446305, 9);
    expect(tQuantile975(1e9)).toBeCloseTo(1.959964, 6);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses df %f', (df) => {
    expect(() => tQuantile975(df)).toThrow(RangeError);
  });
});

describe('evidenceGap', () => {
  it.each([
    [5, 1, 5, 0], // at the top of the scale
    [1, 1, 5, 1], // at the bottom
    [3, 1, 5, 0.5], // (5 − 3)/4
    [4.2, 1, 5, 0.2], // (5 − 4.2)/4 = 0.8/4
    [2.5, 1, 4, 0.5], // (4 − 2.5)/3
    [1.5, 0, 2, 0.25], // (2 − 1.5)/2
    [6, 1, 5, 0], // (5 − 6)/4 = −0.25, clamped
    [0, 1, 5, 1], // (5 − 0)/4 = 1.25, clamped
  ])('mean %f on %i–%i → %f', (mean, min, max, gap) => {
    expect(evidenceGap(mean, min, max)).toBeCloseTo(gap, 12);
  });

  it('refuses an empty or backwards scale and a missing mean', () => {
    expect(() => evidenceGap(3, 5, 5)).toThrow(RangeError);
    expect(() => evidenceGap(3, 5, 1)).toThrow(RangeError);
    expect(() => evidenceGap(Number.NaN, 1, 5)).toThrow(RangeError);
  });
});

describe('parseWeights', () => {
  const weights = (partial: Partial<Weights>): Weights => ({
    mwds: 0,
    breadth: 0,
    interest: 0,
    evidenceGap: 0,
    ...partial,
  });

  it.each<[string, string | Record<string, unknown>, Weights]>([
    ['the query form', 'mwds:0.6,breadth:0.2,interest:0.2', weights({ mwds: 0.6, breadth: 0.2, interest: 0.2 })],
    ['spaces around the parts', ' mwds : 1 , evidenceGap:2 ', weights({ mwds: 1, evidenceGap: 2 })],
    ['a single component', 'interest:3', weights({ interest: 3 })],
    ['an explicit zero beside a positive weight', 'mwds:0,breadth:.5', weights({ breadth: 0.5 })],
    ['an exponent', 'mwds:1e-1', weights({ mwds: 0.1 })],
    ['the defaults as an object', { mwds: 0.5, breadth: 0.2, interest: 0.2, evidenceGap: 0.1 }, DEFAULT_WEIGHTS],
    ['a partial object', { breadth: 7 }, weights({ breadth: 7 })],
  ])('accepts %s', (_name, input, expected) => {
    expect(parseWeights(input)).toEqual({ ok: true, weights: expected });
  });

  it.each<[string, string | Record<string, unknown>, RegExp]>([
    ['an empty string', '', /no weights given/],
    ['an empty object', {}, /no weights given/],
    ['an unknown component', 'mwds:0.5,foo:0.5', /unknown component "foo"/],
    ['a component in the wrong case', 'MWDS:1', /unknown component "MWDS"/],
    ['an inherited name', { toString: 1 }, /unknown component "toString"/],
    ['a duplicate', 'mwds:0.5,mwds:0.2', /"mwds" is given more than once/],
    ['a pair without a colon', 'mwds=0.5', /"mwds=0\.5" is not a component:weight pair/],
    ['a pair with two colons', 'mwds:1:2', /"mwds:1:2" is not a component:weight pair/],
    ['an empty pair', 'mwds:0.5,', /"" is not a component:weight pair/],
    ['a missing name', ':0.5', /":0\.5" is not a component:weight pair/],
    ['a missing value', 'mwds:', /weight of "mwds" must be a number/],
    ['a word for a value', 'breadth:abc', /weight of "breadth" must be a number, got "abc"/],
    ['a hexadecimal value', 'breadth:0x10', /weight of "breadth" must be a number/],
    ['Infinity spelled out', 'interest:Infinity', /weight of "interest" must be a number/],
    ['an overflowing value', 'interest:1e999', /weight of "interest" must be finite/],
    ['a negative value', 'mwds:1,breadth:-0.1', /weight of "breadth" must not be negative, got "-0\.1"/],
    ['all zero', 'mwds:0,breadth:0', /every weight is 0/],
    ['a string in an object', { mwds: '0.5' }, /weight of "mwds" must be a number, got "0\.5"/],
    ['NaN in an object', { mwds: Number.NaN }, /weight of "mwds" must be a number/],
    ['Infinity in an object', { mwds: Number.POSITIVE_INFINITY }, /weight of "mwds" must be finite/],
    ['a negative in an object', { evidenceGap: -1, mwds: 1 }, /weight of "evidenceGap" must not be negative/],
    ['all zero in an object', { mwds: 0 }, /every weight is 0/],
  ])('refuses %s, naming it', (_name, input, message) => {
    const result = parseWeights(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('names every problem at once', () => {
    const result = parseWeights('foo:1,mwds:-1');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(/unknown component "foo"/);
      expect(result.message).toMatch(/"mwds" must not be negative/);
    }
  });
});

describe('describeWeights', () => {
  const evidenceNote =
    ' A focus with no observation data leaves the evidence gap out and rescales the other weights to sum to 1.';
  it.each<[Weights, string]>([
    [
      DEFAULT_WEIGHTS,
      'Priority = 50% need (Borich MWDS ÷ 20) + 20% breadth (share with a gap of 2 or more) + ' +
        `20% interest (share who asked to learn it) + 10% evidence gap, each on a fixed 0–1 scale.${evidenceNote}`,
    ],
    [
      // 3/(3 + 1) = 75%, 1/4 = 25%; zero weights are left out.
      { mwds: 3, breadth: 1, interest: 0, evidenceGap: 0 },
      'Priority = 75% need (Borich MWDS ÷ 20) + 25% breadth (share with a gap of 2 or more), ' +
        'each on a fixed 0–1 scale.',
    ],
    [
      // 1/3 = 33.3% to one decimal.
      { mwds: 1, breadth: 0, interest: 1, evidenceGap: 1 },
      'Priority = 33.3% need (Borich MWDS ÷ 20) + 33.3% interest (share who asked to learn it) + ' +
        `33.3% evidence gap, each on a fixed 0–1 scale.${evidenceNote}`,
    ],
    [
      { mwds: 0, breadth: 0, interest: 2, evidenceGap: 0 },
      'Priority = 100% interest (share who asked to learn it), on a fixed 0–1 scale.',
    ],
  ])('%o', (weights, sentence) => {
    expect(describeWeights(weights)).toBe(sentence);
  });

  it('refuses weights that rank nothing', () => {
    expect(() => describeWeights({ mwds: 0, breadth: 0, interest: 0, evidenceGap: 0 })).toThrow(RangeError);
  });
});

describe('effectiveWeights', () => {
  it('drops the evidence weight when no evidence was imported, and keeps it otherwise', () => {
    expect(effectiveWeights(DEFAULT_WEIGHTS, true)).toEqual({ ok: true, weights: DEFAULT_WEIGHTS });
    expect(effectiveWeights(DEFAULT_WEIGHTS, false)).toEqual({
      ok: true,
      weights: { ...DEFAULT_WEIGHTS, evidenceGap: 0 },
    });
  });

  it('refuses weights that would rank on nothing without evidence', () => {
    const weights = { mwds: 0, breadth: 0, interest: 0, evidenceGap: 1 };
    expect(effectiveWeights(weights, true).ok).toBe(true);
    expect(effectiveWeights(weights, false)).toMatchObject({ ok: false, message: expect.stringMatching(/evidence/) });
  });
});

/** Need stats for ranking: MWDS, breadth and the SE (n = 40) are what matter there. */
function need(mwds: number, breadth: number, se: number | null): NeedStats {
  const ci95: [number, number] | null = se === null ? null : [mwds - 2 * se, mwds + 2 * se];
  return { n: 40, meanImportance: 4, meanProficiency: 3, meanDiscrepancy: mwds / 4, mwds, breadth, se, ci95 };
}

describe('rankFocuses', () => {
  // Fixed scales: need = clamp(MWDS / 20, 0, 1), the shares as they are.
  //   need      A 8/20 = .4,  B 4/20 = .2,  C 6/20 = .3,  D −2/20 → 0
  //   breadth   A .5, B .7, C .3, D .5;  interest A .1, B .4, C .3, D .2;  evidence A .2, B .6, C none, D 1
  const focuses: FocusInput[] = [
    { competencyId: 'a', need: need(8, 0.5, 1), interest: 0.1, evidenceGap: 0.2 },
    { competencyId: 'b', need: need(4, 0.7, 1), interest: 0.4, evidenceGap: 0.6 },
    { competencyId: 'c', need: need(6, 0.3, 1), interest: 0.3, evidenceGap: null },
    { competencyId: 'd', need: need(-2, 0.5, 1), interest: 0.2, evidenceGap: 1 },
  ];
  const summary = (ranked: ReturnType<typeof rankFocuses>) =>
    ranked.map(({ competencyId, rank, priority }) => [competencyId, rank, priority]);
  const expectRanking = (ranked: ReturnType<typeof rankFocuses>, expected: Array<[string, number]>): void => {
    expect(ranked.map((focus) => focus.competencyId)).toEqual(expected.map(([id]) => id));
    expect(ranked.map((focus) => focus.rank)).toEqual(expected.map((_, index) => index + 1));
    for (const [index, [, priority]] of expected.entries()) expect(ranked[index]?.priority).toBeCloseTo(priority, 9);
  };

  it('with the default weights (.5 need, .2 breadth, .2 interest, .1 evidence)', () => {
    // A .5·.4 + .2·.5 + .2·.1 + .1·.2 = .2 + .1 + .02 + .02 = .34
    // B .5·.2 + .2·.7 + .2·.4 + .1·.6 = .1 + .14 + .08 + .06 = .38
    // C no evidence: (.5·.3 + .2·.3 + .2·.3)/(.5 + .2 + .2) = .27/.9 = .3
    // D .5·0 + .2·.5 + .2·.2 + .1·1 = .1 + .04 + .1 = .24
    expectRanking(rankFocuses(focuses), [
      ['b', 0.38],
      ['a', 0.34],
      ['c', 0.3],
      ['d', 0.24],
    ]);
  });

  it('gives every other focus the same priority when one is hidden or added', () => {
    const without = rankFocuses(focuses.filter((focus) => focus.competencyId !== 'b'));
    expectRanking(without, [
      ['a', 0.34],
      ['c', 0.3],
      ['d', 0.24],
    ]);
    // A focus with the largest possible need (MWDS 20) changes nobody else's figure either.
    const top = { competencyId: 'e', need: need(20, 1, 1), interest: 1, evidenceGap: 1 };
    expectRanking(rankFocuses([...focuses, top]), [
      ['e', 1],
      ['b', 0.38],
      ['a', 0.34],
      ['c', 0.3],
      ['d', 0.24],
    ]);
  });

  it('keeps the inputs alongside the result', () => {
    const [first] = rankFocuses(focuses);
    expect(first).toMatchObject({ competencyId: 'b', interest: 0.4, evidenceGap: 0.6, need: focuses[1]?.need });
  });

  it('with need alone: MWDS ÷ 20, a negative MWDS counting as no need', () => {
    expectRanking(rankFocuses(focuses, { mwds: 1, breadth: 0, interest: 0, evidenceGap: 0 }), [
      ['a', 0.4],
      ['c', 0.3],
      ['b', 0.2],
      ['d', 0],
    ]);
  });

  it('with interest and evidence, which need not sum to 1', () => {
    // Each weighted 1 of 2: A (.1 + .2)/2 = .15, B (.4 + .6)/2 = .5, D (.2 + 1)/2 = .6;
    // C has no evidence: its interest alone, .3/1 = .3.
    expectRanking(rankFocuses(focuses, { mwds: 0, breadth: 0, interest: 1, evidenceGap: 1 }), [
      ['d', 0.6],
      ['b', 0.5],
      ['c', 0.3],
      ['a', 0.15],
    ]);
  });

  it('rescales the weights of a focus without evidence for that focus alone', () => {
    // C's weights .5, .2, .2 → 5/9, 2/9, 2/9: (5·.3 + 2·.3 + 2·.3)/9 = 2.7/9 = .3, while A keeps .34 (above).
    const ranked = rankFocuses(focuses);
    expect(ranked.find((focus) => focus.competencyId === 'c')?.priority).toBeCloseTo(0.3, 12);
    expect(ranked.find((focus) => focus.competencyId === 'a')?.priority).toBeCloseTo(0.34, 12);
    // Giving C an evidence gap of 0 is a different statement: (.27 + .1·0)/1 = .27.
    const withZero = rankFocuses(
      focuses.map((focus) => (focus.competencyId === 'c' ? { ...focus, evidenceGap: 0 } : focus)),
    );
    expect(withZero.find((focus) => focus.competencyId === 'c')?.priority).toBeCloseTo(0.27, 12);
  });

  it('gives 0 to a focus with nothing weighted left to rank it on, the id deciding among those', () => {
    // Evidence alone: D 1, B .6, A .2; C has none, so nothing weighted: 0.
    expect(summary(rankFocuses(focuses, { mwds: 0, breadth: 0, interest: 0, evidenceGap: 1 }))).toEqual([
      ['d', 1, 1],
      ['b', 2, 0.6],
      ['a', 3, 0.2],
      ['c', 4, 0],
    ]);
  });

  it('breaks ties by competency id', () => {
    const same = { need: need(5, 0.4, 1), interest: 0.3, evidenceGap: 0.5 };
    // .5·.25 + .2·.4 + .2·.3 + .1·.5 = .125 + .08 + .06 + .05 = .315; mu: .5·.05 = .025.
    const ranked = rankFocuses([
      { competencyId: 'zeta', ...same },
      { competencyId: 'alpha', ...same },
      { competencyId: 'mu', need: need(1, 0, null), interest: 0, evidenceGap: 0 },
    ]);
    expect(summary(ranked)).toEqual([
      ['alpha', 1, 0.315],
      ['zeta', 2, 0.315],
      ['mu', 3, 0.025],
    ]);
  });

  it('ranks no focuses as none', () => {
    expect(rankFocuses([])).toEqual([]);
  });

  it('ties neighbours by MWDS whose difference interval holds 0, and no others', () => {
    // By MWDS: A 8, C 6, B 4, D −2, every SE 1 on n = 40. Neighbours 2 apart: SE_diff = √2, Welch
    // df = (1 + 1)²/(1/39 + 1/39) = 78, t ≈ 1.99, half ≈ 2.82 > 2: tied. B and D are 6 apart: not.
    // A and B are 4 apart (half still 2.82: not tied), and not neighbours anyway.
    const tied = Object.fromEntries(rankFocuses(focuses).map((focus) => [focus.competencyId, focus.tiedWith]));
    expect(tied).toEqual({ a: ['c'], b: ['c'], c: ['a', 'b'], d: [] });
  });

  it('refuses duplicate ids and weights that rank nothing', () => {
    expect(() => rankFocuses([focuses[0] as FocusInput, focuses[0] as FocusInput])).toThrow(/unique/);
    expect(() => rankFocuses(focuses, { mwds: 0, breadth: 0, interest: 0, evidenceGap: 0 })).toThrow(RangeError);
    expect(() => rankFocuses(focuses, { mwds: -1, breadth: 1, interest: 0, evidenceGap: 0 })).toThrow(RangeError);
  });

  // Coarse values so that equal priorities and ties come up often.
  const tenths = fc.integer({ min: 0, max: 10 }).map((x) => x / 10);
  const focusArb = fc.record({
    competencyId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'),
    need: fc
      .record({
        mwds: fc.integer({ min: -5, max: 20 }),
        breadth: tenths,
        se: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
      })
      .map(({ mwds, breadth, se }) => need(mwds, breadth, se)),
    interest: tenths,
    evidenceGap: fc.option(tenths, { nil: null }),
  });
  const weightsArb = fc
    .record({ mwds: tenths, breadth: tenths, interest: tenths, evidenceGap: tenths })
    .filter((w) => w.mwds + w.breadth + w.interest + w.evidenceGap > 0);
  const focusList = fc.uniqueArray(focusArb, { selector: (focus) => focus.competencyId, maxLength: 10 });

  it('does not depend on the order of its input', () => {
    const shuffled = focusList.chain((list) =>
      fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })),
    );
    fc.assert(
      fc.property(shuffled, weightsArb, ([list, permutation], weights) => {
        expect(rankFocuses(permutation, weights)).toEqual(rankFocuses(list, weights));
      }),
    );
  });

  it('always yields priorities in [0, 1], ranks 1…n in priority order, and symmetric ties with at most two', () => {
    fc.assert(
      fc.property(focusList, weightsArb, (list, weights) => {
        const ranked = rankFocuses(list, weights);
        expect(ranked.map((focus) => focus.rank)).toEqual(list.map((_, index) => index + 1));
        for (const [index, focus] of ranked.entries()) {
          expect(focus.priority).toBeGreaterThanOrEqual(0);
          expect(focus.priority).toBeLessThanOrEqual(1);
          expect(focus.tiedWith.length).toBeLessThanOrEqual(2);
          const next = ranked[index + 1];
          if (next !== undefined) {
            expect(focus.priority > next.priority || focus.competencyId < next.competencyId).toBe(true);
          }
          for (const other of focus.tiedWith) {
            expect(ranked.find((candidate) => candidate.competencyId === other)?.tiedWith).toContain(
              focus.competencyId,
            );
          }
        }
      }),
    );
  });
});

/** Need stats with just what a difference reads: n, MWDS and SE. */
function withSe(n: number, mwds: number, se: number): NeedStats {
  return { ...need(mwds, 0, se), n };
}

describe('needDifference and pAbove', () => {
  // a: n 30, MWDS 8, SE 1.2; b: n 20, MWDS 5, SE 0.9. Difference 3, SE² = 1.44 + 0.81 = 2.25 → SE 1.5.
  // Welch df = 2.25² / (1.44²/29 + 0.81²/19) = 5.0625 / (0.07150345 + 0.03453158) = 47.743657;
  // t(0.975, 47.74) = 2.0109137 → half 3.0163705 → [−0.0163705, 6.0163705]: holds 0, so tied,
  // although each interval alone (8 ± 2.5, 5 ± 1.9) might look apart. One-sided p = P(T ≥ 2) = 0.0256033.
  const a = withSe(30, 8, 1.2);
  const b = withSe(20, 5, 0.9);

  it('has the SE of independent estimates and Welch–Satterthwaite degrees of freedom', () => {
    const difference = needDifference(a, b);
    expect(difference?.difference).toBe(3);
    expect(difference?.se).toBeCloseTo(1.5, 12);
    expect(difference?.df).toBeCloseTo(47.743657, 5);
    expect(difference?.ci95[0]).toBeCloseTo(-0.0163705, 6);
    expect(difference?.ci95[1]).toBeCloseTo(6.0163705, 6);
    expect(pAbove(difference as NonNullable<typeof difference>)).toBeCloseTo(0.0256033, 6);
    expect(statisticallyTied(a, b)).toBe(true);
  });

  it('calls a difference of 4 on the same SE no tie: [0.98, 7.02], p 0.0052', () => {
    // Same SE and df; 4 ± 3.0163705 → [0.9836295, 7.0163705]; P(T_47.74 ≥ 4/1.5) = 0.0052130.
    const c = withSe(30, 9, 1.2);
    const difference = needDifference(c, b);
    expect(difference?.ci95[0]).toBeCloseTo(0.9836295, 6);
    expect(pAbove(difference as NonNullable<typeof difference>)).toBeCloseTo(0.005213, 6);
    expect(statisticallyTied(c, b)).toBe(false);
  });

  it('has no difference without an SE, and a p-value of 0 or 1 when neither side varies', () => {
    expect(needDifference(a, { ...b, se: null, ci95: null })).toBeNull();
    const flat = needDifference(withSe(10, 8, 0), withSe(10, 5, 0));
    expect(flat).toMatchObject({ difference: 3, se: 0, df: 18, ci95: [3, 3] });
    expect(pAbove(flat as NonNullable<typeof flat>)).toBe(0);
    expect(pAbove({ ...(flat as NonNullable<typeof flat>), difference: -3 })).toBe(1);
  });
});

describe('pAboveAsDistrict', () => {
  // District n 50, SE 0.5: σ² = 0.25 × 50 = 12.5; a segment of 10 against the other 40:
  // SE² = 12.5 × (1/10 + 1/40) = 1.5625, SE 1.25; difference 3: t = 2.4, df 48, p = 0.0101614.
  it('takes the SE a permutation of the segment labels would have', () => {
    expect(pAboveAsDistrict(3, 10, withSe(50, 6, 0.5))).toBeCloseTo(0.0101614, 7);
    expect(pAboveAsDistrict(-3, 10, withSe(50, 6, 0.5))).toBeCloseTo(1 - 0.0101614, 7);
  });

  it('is 1 where there is no rest or no district spread to compare with', () => {
    expect(pAboveAsDistrict(3, 50, withSe(50, 6, 0.5))).toBe(1);
    expect(pAboveAsDistrict(3, 1, withSe(2, 6, 0.5))).toBe(1);
    expect(pAboveAsDistrict(3, 10, { ...withSe(50, 6, 0), se: null })).toBe(1);
  });
});

describe('bhAdjusted', () => {
  const expectClose = (actual: number[], expected: number[]) => {
    expect(actual).toHaveLength(expected.length);
    for (const [i, p] of expected.entries()) expect(actual[i]).toBeCloseTo(p, 12);
  };

  it('on a table of five p-values, by hand', () => {
    // Sorted: .005 (rank 1) → .005·5/1 = .025; .01 (2) → .025; .03 (3) → .05; .04 (4) → .05; .2 (5) → .2.
    // Monotone from the largest down: .2, .05, .05, .025, .025; back in the given order:
    expectClose(bhAdjusted([0.01, 0.04, 0.03, 0.005, 0.2]), [0.025, 0.05, 0.05, 0.025, 0.2]);
    // At q = .05 the first four are discoveries (.04 ≤ .05 × 4/5), the fifth is not (.2 > .05).
    expect(bhAdjusted([0.01, 0.04, 0.03, 0.005, 0.2]).map((p) => p <= HOTSPOT_FDR)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('multiplies by m/rank, and never lets a smaller p-value end above a larger one', () => {
    // .02 × 2/1 = .04, .6 × 2/2 = .6; one p-value is its own adjustment;
    // .9 × 3/1 = 2.7 and .95 × 3/2 = 1.425 both fall to the .99 of the largest.
    expectClose(bhAdjusted([0.6, 0.02]), [0.6, 0.04]);
    expectClose(bhAdjusted([0.03]), [0.03]);
    expectClose(bhAdjusted([0.9, 0.95, 0.99]), [0.99, 0.99, 0.99]);
    expect(bhAdjusted([])).toEqual([]);
  });
});

describe('versusRest', () => {
  const cell = (competencyId: string, segment: string, pairs: Pair[]): SegmentSums => ({
    ...sumsOf(pairs),
    competencyId,
    segment,
  });
  // k = 5. Competency x: segment A 10 × (5, 1), segment B 5 × (3, 3) and 2 × (4, 2); district A + B.
  // A: MWDS 20, SE 0. Rest of A = B: Ī 23/7, D̄ 4/7, MWDS 92/49, SE² = 12500/7203 (worked in
  // worker/test/focuses.test.ts); difference 888/49 = 18.1224490, df 6, half 2.4469119 × 1.3173413
  // = 3.2234180, Welch p = P(T_6 ≥ 13.7568) = 4.5874e−6.
  // Against the district's spread (17 people: Ī 73/17, D̄ 44/17, s_I² 115/136, s_D² 115/34,
  // s_ID 115/68): σ² = D̄² s_I² + Ī² s_D² + 2 Ī D̄ s_ID = 1037875/9826, SE² = σ² (1/10 + 1/7)
  // = 207575/8092, t = 18.1224490 / 5.0647684 = 3.5781398, p = P(T_15 ≥ 3.5781) = 0.00137303.
  // A has no spread of its own, which is what made Welch's p tiny: the larger p is kept.
  // B (7 < 2k = 10) is compared but not tested: difference −888/49 with the same SE and df
  // (A has no spread). The only tested cell keeps its p.
  // Competency y: segment C of 12 in a district of 14: the rest (2) is under k, so no comparison.
  const a = cell(
    'x',
    'A',
    Array.from({ length: 10 }, (): Pair => [5, 1]),
  );
  const b = cell('x', 'B', [...Array.from({ length: 5 }, (): Pair => [3, 3]), [4, 2], [4, 2]]);
  const districtX = sumsOf([
    ...Array.from({ length: 10 }, (): Pair => [5, 1]),
    ...Array.from({ length: 5 }, (): Pair => [3, 3]),
    [4, 2],
    [4, 2],
  ]);
  const c = cell(
    'y',
    'C',
    Array.from({ length: 12 }, (): Pair => [4, 2]),
  );
  const districtY = sumsOf([...Array.from({ length: 12 }, (): Pair => [4, 2]), [4, 4], [4, 4]]);

  it('tests segments of 2k or more against the rest of the district, with BH across the table', () => {
    const [va, vb, vc] = versusRest(
      [
        { segment: a, district: districtX },
        { segment: b, district: districtX },
        { segment: c, district: districtY },
      ],
      5,
    );
    expect(va?.vsRest?.difference).toBeCloseTo(888 / 49, 10);
    expect(va?.vsRest?.ci95[0]).toBeCloseTo(888 / 49 - 3.223418, 6);
    expect(va?.vsRest?.ci95[1]).toBeCloseTo(888 / 49 + 3.223418, 6);
    expect(va?.pAdjusted).toBeCloseTo(0.0013730281, 9);
    expect(va).toMatchObject({ tested: true, hotspot: true });
    expect(vb?.vsRest?.difference).toBeCloseTo(-888 / 49, 10);
    expect(vb).toMatchObject({ tested: false, pAdjusted: null, hotspot: false });
    expect(vc).toEqual({ vsRest: null, tested: false, pAdjusted: null, hotspot: false });
  });

  it('adjusts across every tested cell: the same cell among many more nulls needs more to count', () => {
    // A beside 30 tested cells with p = 1 (need exactly the district's): A's p × 31/1 = 0.0425639,
    // still under q = 0.05; beside 40 it would be 0.0562942, and no longer a hotspot.
    const dull = Array.from({ length: 40 }, (_, i) => {
      const segment = cell(
        `z${i}`,
        'D',
        Array.from({ length: 10 }, (): Pair => [4, 2]),
      );
      return { segment, district: sumsOf(Array.from({ length: 20 }, (): Pair => [4, 2])) };
    });
    const verdicts = versusRest([{ segment: a, district: districtX }, ...dull.slice(0, 30)], 5);
    expect(verdicts[0]?.pAdjusted).toBeCloseTo(0.0013730281 * 31, 8);
    expect(verdicts.filter((v) => v.hotspot)).toHaveLength(1);
    const more = versusRest([{ segment: a, district: districtX }, ...dull], 5);
    expect(more[0]?.pAdjusted).toBeCloseTo(0.0013730281 * 41, 8);
    expect(more.filter((v) => v.hotspot)).toHaveLength(0);
  });

  it('keeps the larger p-value: a segment whose answers only scatter wider is no hotspot', () => {
    // S, 10 people: 5 × (5, 1), 5 × (5, 5): Ī 5, D̄ 2, MWDS 10, σ² 1000/9, SE² 100/9.
    // R, 30 people: 10 × (4, 3), 10 × (4, 2), 10 × (3, 2): MWDS 44/9, σ² 3620/783.
    // Difference 46/9 = 5.1111111. Welch: SE 3.3563700, df 9.2508342, p = 0.0806149.
    // District (40): MWDS 6, σ² 965/39; SE² = σ² (1/10 + 1/30) = 386/117, SE 1.8163549,
    // p = P(T_38 ≥ 2.8139) = 0.0038542: a hotspot by the district's spread alone, not by Welch.
    const segment = cell('w', 'S', [
      ...Array.from({ length: 5 }, (): Pair => [5, 1]),
      ...Array.from({ length: 5 }, (): Pair => [5, 5]),
    ]);
    const rest: Pair[] = [
      ...Array.from({ length: 10 }, (): Pair => [4, 3]),
      ...Array.from({ length: 10 }, (): Pair => [4, 2]),
      ...Array.from({ length: 10 }, (): Pair => [3, 2]),
    ];
    const district = sumsOf([
      ...Array.from({ length: 5 }, (): Pair => [5, 1]),
      ...Array.from({ length: 5 }, (): Pair => [5, 5]),
      ...rest,
    ]);
    const [verdict] = versusRest([{ segment, district }], 5);
    expect(verdict?.vsRest?.difference).toBeCloseTo(46 / 9, 10);
    expect(pAboveAsDistrict(46 / 9, 10, needStats(district))).toBeCloseTo(0.0038542, 7);
    expect(verdict?.pAdjusted).toBeCloseTo(0.0806149, 7);
    expect(verdict).toMatchObject({ tested: true, hotspot: false });
  });

  it('takes the rest as the total minus the segment, sum by sum', () => {
    expect(sumsWithout(districtX, a)).toEqual(
      sumsOf([...Array.from({ length: 5 }, (): Pair => [3, 3]), [4, 2], [4, 2]]),
    );
  });
});

describe('the published tables ask the disclosure plan', () => {
  const FA = 'formative-assessment';
  const schools = [
    { id: 'alder', name: 'Alder' },
    { id: 'birch', name: 'Birch' },
    { id: 'cedar', name: 'Cedar' },
  ];
  /** A plan that hides exactly what it is told to: the tables must follow it, whatever its reasons. */
  function plan(hidden: { respondents?: string[]; competencies?: string[]; raters?: string[] }): DisclosurePlan {
    return {
      k: 5,
      respondentsHidden: (dimension, segment) => (hidden.respondents ?? []).includes(`${dimension}:${segment}`),
      competencyHidden: (id) => (hidden.competencies ?? []).includes(id),
      ratersHidden: (id, dimension, segment) => (hidden.raters ?? []).includes(`${id}:${dimension}:${segment}`),
    };
  }
  const cellOf = (segment: string | null, pairs: Pair[]): SegmentSums => ({
    ...sumsOf(pairs),
    competencyId: FA,
    segment,
  });
  const alder = cellOf(
    'alder',
    Array.from({ length: 10 }, (): Pair => [5, 1]),
  );
  const birch = cellOf('birch', [...Array.from({ length: 5 }, (): Pair => [3, 3]), [4, 2], [4, 2]]);
  const district: SegmentSums = {
    ...sumsOf([
      ...Array.from({ length: 10 }, (): Pair => [5, 1]),
      ...Array.from({ length: 5 }, (): Pair => [3, 3]),
      [4, 2],
      [4, 2],
    ]),
    competencyId: FA,
    segment: null,
  };
  const aggregates = (p: DisclosurePlan): CampaignAggregates => ({
    ratings: [district],
    interests: new Map(),
    respondentsBySchool: [
      { school: 'alder', n: 10 },
      { school: 'birch', n: 7 },
    ],
    evidence: new Map(),
    plan: p,
  });

  it('lists every known segment of every competency, hiding what the plan hides with no figure at all', () => {
    const table = segmentTable(
      { minGroupSize: 5 },
      aggregates(plan({ raters: [`${FA}:school:birch`] })),
      'school',
      [alder, birch],
      schools,
    );
    // 16 competencies × (3 schools + "not stated").
    expect(table.items).toHaveLength(competencies.length * 4);
    const row = table.items.filter((item) => item.competencyId === FA);
    expect(row.map((item) => [item.segment, 'suppressed' in item])).toEqual([
      ['alder', false],
      ['birch', true],
      ['cedar', true],
      [null, true],
    ]);
    for (const item of table.items.filter((cell) => 'suppressed' in cell)) {
      expect(Object.keys(item).sort()).toEqual(['competencyId', 'label', 'segment', 'suppressed']);
    }
    // Alder against the rest (Birch, hidden or not: the rest is the total minus Alder), as in versusRest above.
    expect(row[0]).toMatchObject({ n: 10, mwds: 20, tested: true, hotspot: true });
  });

  it('hides a whole row when the plan hides the competency district-wide', () => {
    const table = segmentTable(
      { minGroupSize: 5 },
      aggregates(plan({ competencies: [FA] })),
      'school',
      [alder, birch],
      schools,
    );
    expect(table.items.filter((item) => item.competencyId === FA).every((item) => 'suppressed' in item)).toBe(true);
  });

  it('withholds a hidden school’s count and rate, and the not-stated count when the plan hides it', () => {
    const staff = new Map([
      ['alder', 12],
      ['birch', 9],
      ['cedar', 4],
    ]);
    const rates = responseRates(
      aggregates(plan({ respondents: ['school:birch', 'school:cedar', 'school:'] })),
      schools,
      staff,
    );
    expect(rates.items).toEqual([
      { school: 'alder', name: 'Alder', responses: 10, staff: 12, rate: 10 / 12 },
      { school: 'birch', name: 'Birch', staff: 9, suppressed: true },
      { school: 'cedar', name: 'Cedar', staff: 4, suppressed: true },
    ]);
    expect(rates).toMatchObject({ notStated: null, respondents: 17, staff: 25, rate: 17 / 25, minGroupSize: 5 });
  });

  it('hides a way of learning chosen by fewer than k (none included) and a first-choice share under k', () => {
    // High need on FA: the 10 at Alder (D = 4) and the 2 at Birch with D = 2: 12 people.
    const rows = [
      { competencyId: FA, strategyId: 'coaching', n: 9, firstChoice: 6 },
      { competencyId: FA, strategyId: 'workshop', n: 5, firstChoice: 4 },
      { competencyId: FA, strategyId: 'mentoring', n: 4, firstChoice: 2 },
    ];
    const [item] = strategyPreferences({ minGroupSize: 5 }, aggregates(plan({})), rows, [FA]).items;
    expect(item && 'highNeed' in item && item.highNeed).toBe(12);
    const cells = (item && 'strategies' in item ? item.strategies : undefined) ?? [];
    // coaching 9/12 and 6/12; workshop 5/12, but 4 first choices are under k: no share; mentoring 4 people: hidden.
    expect(cells.slice(0, 2)).toEqual([
      {
        strategyId: 'coaching',
        name: expect.any(String),
        delivery: expect.any(String),
        share: 0.75,
        firstChoiceShare: 0.5,
      },
      {
        strategyId: 'workshop',
        name: expect.any(String),
        delivery: expect.any(String),
        share: 5 / 12,
        firstChoiceShare: null,
      },
    ]);
    expect(cells.slice(2).map((cell) => [cell.strategyId, 'suppressed' in cell])).toEqual(
      strategies.filter((s) => s.id !== 'coaching' && s.id !== 'workshop').map((s) => [s.id, true]),
    );
    // The plan hiding the competency hides its ways of learning whole.
    expect(
      strategyPreferences({ minGroupSize: 5 }, aggregates(plan({ competencies: [FA] })), rows, [FA]).items,
    ).toEqual([{ competencyId: FA, name: expect.any(String), suppressed: true }]);
  });
});
