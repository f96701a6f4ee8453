import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEIGHTS,
  describeWeights,
  effectiveWeights,
  evidenceGap,
  type FocusInput,
  isHotspot,
  type NeedStats,
  needStats,
  parseWeights,
  type RatingSums,
  rankFocuses,
  tQuantile975,
  type Weights,
} from '../../src/domain/focuses';

/** Individual (importance, proficiency) ratings. */
type Pair = [number, number];

/** What the database would hand over for these respondents. */
function sumsOf(pairs: Pair[]): RatingSums {
  let sumImportance = 0;
  let sumProficiency = 0;
  let sumDiscrepancy = 0;
  let sumDiscrepancySquared = 0;
  let highNeed = 0;
  for (const [importance, proficiency] of pairs) {
    const d = importance - proficiency;
    sumImportance += importance;
    sumProficiency += proficiency;
    sumDiscrepancy += d;
    sumDiscrepancySquared += d * d;
    if (d >= 2) highNeed += 1;
  }
  return { n: pairs.length, sumImportance, sumProficiency, sumDiscrepancy, sumDiscrepancySquared, highNeed };
}

interface Expected {
  meanImportance: number;
  meanProficiency: number;
  meanDiscrepancy: number;
  mwds: number;
  ci95: [number, number] | null;
  breadth: number;
}

describe('needStats', () => {
  // t(0.975, df) from the table: df 1 12.706204736, 2 4.302652730, 3 3.182446305, 4 2.776445105.
  const cases: Array<[string, Pair[], Expected]> = [
    [
      // I 5,4,5,3 → Ī = 17/4 = 4.25; P 2,3,1,3 → P̄ = 9/4 = 2.25; D 3,1,4,0 → D̄ = 8/4 = 2.
      // MWDS = 4.25 × 2 = 8.5. D − D̄ = 1,−1,2,−2 → Σ² = 10, s_D = √(10/3) = 1.825741858.
      // half = 3.182446305 × 4.25 × 1.825741858 / √4 = 12.346941542 → [−3.846941542, 20.846941542].
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
        ci95: [-3.846941542, 20.846941542],
        breadth: 0.5,
      },
    ],
    [
      // I 5,5,4,3,5 → Ī = 22/5 = 4.4; P 1,2,4,1,5 → P̄ = 13/5 = 2.6; D 4,3,0,2,0 → D̄ = 9/5 = 1.8.
      // MWDS = 4.4 × 1.8 = 7.92. D − D̄ = 2.2,1.2,−1.8,0.2,−1.8 → Σ² = 4.84+1.44+3.24+0.04+3.24 = 12.8,
      // s_D = √(12.8/4) = √3.2; s_D/√5 = √0.64 = 0.8; half = 2.776445105 × 4.4 × 0.8 = 9.773086770
      // → [−1.853086770, 17.693086770]. D ≥ 2: 4,3,2 → breadth 3/5 = 0.6.
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
        ci95: [-1.85308677, 17.69308677],
        breadth: 0.6,
      },
    ],
    [
      // I 5,3 → Ī = 4; P 1,3 → P̄ = 2; D 4,0 → D̄ = 2; MWDS = 8. D − D̄ = 2,−2 → s_D = √(8/1) = 2√2.
      // half = 12.706204736 × 4 × 2√2 / √2 = 12.706204736 × 8 = 101.649637889 → [−93.649637889, 109.649637889].
      // D ≥ 2: only the 4 → breadth 1/2.
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
        ci95: [-93.649637889, 109.649637889],
        breadth: 0.5,
      },
    ],
    [
      // One respondent: Ī = 4, P̄ = 2, D̄ = 2, MWDS = 8, no spread → no interval; D = 2 → breadth 1.
      'one respondent',
      [[4, 2]],
      { meanImportance: 4, meanProficiency: 2, meanDiscrepancy: 2, mwds: 8, ci95: null, breadth: 1 },
    ],
    [
      // D = 2,2,2: s_D = 0, the interval is the point MWDS. Ī = 12/3 = 4, P̄ = 6/3 = 2, MWDS = 8; breadth 1.
      'all discrepancies equal',
      [
        [5, 3],
        [4, 2],
        [3, 1],
      ],
      { meanImportance: 4, meanProficiency: 2, meanDiscrepancy: 2, mwds: 8, ci95: [8, 8], breadth: 1 },
    ],
    [
      // Proficiency above importance. I 2,3,1 → Ī = 2; P 4,5,1 → P̄ = 10/3; D −2,−2,0 → D̄ = −4/3.
      // MWDS = 2 × −4/3 = −8/3 = −2.666666667. D − D̄ = −2/3,−2/3,4/3 → Σ² = 4/9+4/9+16/9 = 24/9,
      // s_D = √(24/9 / 2) = √(4/3); s_D/√3 = 2/3; half = 4.302652730 × 2 × 2/3 = 5.736870306
      // → [−8.403536973, 3.070203640]. No D ≥ 2 → breadth 0.
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
        ci95: [-8.403536973, 3.07020364],
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

  it('collapses the interval to the point whenever every gap is the same, never to NaN', () => {
    // Importance i with proficiency i − d, both kept on the 1–5 scale.
    const sameGap = fc.integer({ min: -4, max: 4 }).chain((d) =>
      fc.array(
        fc.integer({ min: Math.max(1, 1 + d), max: Math.min(5, 5 + d) }).map((i): Pair => [i, i - d]),
        { minLength: 2, maxLength: 200 },
      ),
    );
    fc.assert(
      fc.property(sameGap, (pairs) => {
        const stats = needStats(sumsOf(pairs));
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
        // Two-pass standard deviation, the textbook way.
        const sd = Math.sqrt(ds.reduce((sum, d) => sum + (d - meanD) ** 2, 0) / (n - 1));
        const half = (tQuantile975(n - 1) * meanImportance * sd) / Math.sqrt(n);
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
  it.each<[Weights, string]>([
    [
      DEFAULT_WEIGHTS,
      'Priority = 50% need (Borich MWDS) + 20% breadth (share with a gap of 2 or more) + 20% interest + ' +
        '10% evidence gap, each scaled 0–1 across the focuses.',
    ],
    [
      // 3/(3 + 1) = 75%, 1/4 = 25%; zero weights are left out.
      { mwds: 3, breadth: 1, interest: 0, evidenceGap: 0 },
      'Priority = 75% need (Borich MWDS) + 25% breadth (share with a gap of 2 or more), ' +
        'each scaled 0–1 across the focuses.',
    ],
    [
      // 1/3 = 33.3% to one decimal.
      { mwds: 1, breadth: 0, interest: 1, evidenceGap: 1 },
      'Priority = 33.3% need (Borich MWDS) + 33.3% interest + 33.3% evidence gap, each scaled 0–1 across the focuses.',
    ],
    [{ mwds: 0, breadth: 0, interest: 2, evidenceGap: 0 }, 'Priority = 100% interest, scaled 0–1 across the focuses.'],
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

/** Need stats for ranking: only mwds, breadth and the interval matter there. */
function need(mwds: number, breadth: number, ci95: [number, number] | null): NeedStats {
  return { n: 40, meanImportance: 4, meanProficiency: 3, meanDiscrepancy: mwds / 4, mwds, breadth, ci95 };
}

describe('rankFocuses', () => {
  // Scaled components (x − min)/(max − min):
  //   mwds     8, 4, 6, 2       min 2, range 6   → A 1,   B 1/3, C 2/3, D 0
  //   breadth  .5, .7, .3, .5   min .3, range .4 → A .5,  B 1,   C 0,   D .5
  //   interest .1, .4, .3, .2   min .1, range .3 → A 0,   B 1,   C 2/3, D 1/3
  //   evidence .2, .6, –, 1     min .2, range .8 → A 0,   B .5,  C 0,   D 1
  // Intervals: A [6, 10], B [3, 5], C [5, 6.5], D none. A∩C (6 ≤ 6.5), B∩C touch at 5, A and B apart.
  const focuses: FocusInput[] = [
    { competencyId: 'a', need: need(8, 0.5, [6, 10]), interest: 0.1, evidenceGap: 0.2 },
    { competencyId: 'b', need: need(4, 0.7, [3, 5]), interest: 0.4, evidenceGap: 0.6 },
    { competencyId: 'c', need: need(6, 0.3, [5, 6.5]), interest: 0.3, evidenceGap: null },
    { competencyId: 'd', need: need(2, 0.5, null), interest: 0.2, evidenceGap: 1 },
  ];
  const summary = (ranked: ReturnType<typeof rankFocuses>) =>
    ranked.map(({ competencyId, rank, priority }) => [competencyId, rank, priority]);
  const expectRanking = (ranked: ReturnType<typeof rankFocuses>, expected: Array<[string, number]>): void => {
    expect(ranked.map((focus) => focus.competencyId)).toEqual(expected.map(([id]) => id));
    expect(ranked.map((focus) => focus.rank)).toEqual(expected.map((_, index) => index + 1));
    for (const [index, [, priority]] of expected.entries()) expect(ranked[index]?.priority).toBeCloseTo(priority, 9);
  };

  it('with the default weights (.5 need, .2 breadth, .2 interest, .1 evidence)', () => {
    // A .5·1 + .2·.5 + .2·0   + .1·0  = .6
    // B .5/3 + .2·1  + .2·1   + .1·.5 = .166667 + .45 = .616667
    // C .5·2/3 + .2·0 + .2·2/3 + .1·0 = .333333 + .133333 = .466667
    // D .5·0 + .2·.5 + .2/3   + .1·1  = .1 + .066667 + .1 = .266667
    expectRanking(rankFocuses(focuses), [
      ['b', 0.5 / 3 + 0.45],
      ['a', 0.6],
      ['c', 0.4666666667],
      ['d', 0.2666666667],
    ]);
  });

  it('keeps the inputs alongside the result', () => {
    const [first] = rankFocuses(focuses);
    expect(first).toMatchObject({ competencyId: 'b', interest: 0.4, evidenceGap: 0.6, need: focuses[1]?.need });
  });

  it('with need alone', () => {
    // The scaled MWDS: A 1, C 2/3, B 1/3, D 0.
    expectRanking(rankFocuses(focuses, { mwds: 1, breadth: 0, interest: 0, evidenceGap: 0 }), [
      ['a', 1],
      ['c', 2 / 3],
      ['b', 1 / 3],
      ['d', 0],
    ]);
  });

  it('with interest and evidence, which need not sum to 1', () => {
    // Each weighted 1 of 2: A (0 + 0)/2 = 0, B (1 + .5)/2 = .75, C (2/3 + 0)/2 = 1/3, D (1/3 + 1)/2 = 2/3.
    expectRanking(rankFocuses(focuses, { mwds: 0, breadth: 0, interest: 1, evidenceGap: 1 }), [
      ['b', 0.75],
      ['d', 2 / 3],
      ['c', 1 / 3],
      ['a', 0],
    ]);
  });

  it('drops the evidence weight when no focus has evidence', () => {
    // Weights used .5 + .2 + .2 = .9:
    // A (.5 + .1 + 0)/.9 = .6/.9 = .666667; B (.166667 + .2 + .2)/.9 = .629630;
    // C (.333333 + 0 + .133333)/.9 = .518519; D (0 + .1 + .066667)/.9 = .185185.
    const withoutEvidence = focuses.map((focus) => ({ ...focus, evidenceGap: null }));
    expectRanking(rankFocuses(withoutEvidence), [
      ['a', 0.6 / 0.9],
      ['b', (0.5 / 3 + 0.4) / 0.9],
      ['c', (1 / 3 + 0.2 / 1.5) / 0.9],
      ['d', (0.1 + 0.2 / 3) / 0.9],
    ]);
  });

  it('ranks on ids alone when only evidence is weighted and nobody has any', () => {
    const withoutEvidence = focuses.map((focus) => ({ ...focus, evidenceGap: null }));
    const ranked = rankFocuses(withoutEvidence, { mwds: 0, breadth: 0, interest: 0, evidenceGap: 1 });
    expect(summary(ranked)).toEqual([
      ['a', 1, 0],
      ['b', 2, 0],
      ['c', 3, 0],
      ['d', 4, 0],
    ]);
  });

  it('gives a focus without evidence 0 for it while others have some', () => {
    // Evidence alone: A .2 → 0, B .6 → .5, C none → 0, D 1 → 1. A and C tie at 0: id order.
    expect(summary(rankFocuses(focuses, { mwds: 0, breadth: 0, interest: 0, evidenceGap: 1 }))).toEqual([
      ['d', 1, 1],
      ['b', 2, 0.5],
      ['a', 3, 0],
      ['c', 4, 0],
    ]);
  });

  it('breaks ties by competency id', () => {
    const same = { need: need(5, 0.4, [4, 6]), interest: 0.3, evidenceGap: 0.5 };
    const ranked = rankFocuses([
      { competencyId: 'zeta', ...same },
      { competencyId: 'alpha', ...same },
      { competencyId: 'mu', need: need(1, 0.1, null), interest: 0, evidenceGap: 0 },
    ]);
    expect(summary(ranked)).toEqual([
      ['alpha', 1, 1],
      ['zeta', 2, 1],
      ['mu', 3, 0],
    ]);
  });

  it('scores 0 on a component where every focus is equal', () => {
    // Breadth and interest equal everywhere, no evidence: only MWDS separates, A (.5·1 + .2·0 + .2·0)/.9 = .555556
    // and B (.5·0)/.9 = 0.
    const ranked = rankFocuses([
      { competencyId: 'b', need: need(2, 0.4, null), interest: 0.3, evidenceGap: null },
      { competencyId: 'a', need: need(6, 0.4, null), interest: 0.3, evidenceGap: null },
    ]);
    expectRanking(ranked, [
      ['a', 0.5555555556],
      ['b', 0],
    ]);
  });

  it('ranks one focus first with priority 0, and no focuses as none', () => {
    expect(summary(rankFocuses([focuses[0] as FocusInput]))).toEqual([['a', 1, 0]]);
    expect(rankFocuses([])).toEqual([]);
  });

  it('ties focuses whose intervals overlap, closed at the ends, never one without an interval', () => {
    const tied = Object.fromEntries(rankFocuses(focuses).map((focus) => [focus.competencyId, focus.tiedWith]));
    expect(tied).toEqual({ a: ['c'], b: ['c'], c: ['a', 'b'], d: [] });
  });

  it('refuses duplicate ids and weights that rank nothing', () => {
    expect(() => rankFocuses([focuses[0] as FocusInput, focuses[0] as FocusInput])).toThrow(/unique/);
    expect(() => rankFocuses(focuses, { mwds: 0, breadth: 0, interest: 0, evidenceGap: 0 })).toThrow(RangeError);
    expect(() => rankFocuses(focuses, { mwds: -1, breadth: 1, interest: 0, evidenceGap: 0 })).toThrow(RangeError);
  });

  // Coarse values so that equal priorities and overlapping intervals come up often.
  const tenths = fc.integer({ min: 0, max: 10 }).map((x) => x / 10);
  const interval = fc
    .tuple(fc.integer({ min: -10, max: 20 }), fc.integer({ min: 0, max: 6 }))
    .map(([lo, width]): [number, number] => [lo, lo + width]);
  const focusArb = fc.record({
    competencyId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'),
    need: fc
      .record({ mwds: fc.integer({ min: -5, max: 20 }), breadth: tenths, ci95: fc.option(interval, { nil: null }) })
      .map(({ mwds, breadth, ci95 }) => need(mwds, breadth, ci95)),
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

  it('always yields priorities in [0, 1], ranks 1…n in priority order, and symmetric ties', () => {
    fc.assert(
      fc.property(focusList, weightsArb, (list, weights) => {
        const ranked = rankFocuses(list, weights);
        expect(ranked.map((focus) => focus.rank)).toEqual(list.map((_, index) => index + 1));
        for (const [index, focus] of ranked.entries()) {
          expect(focus.priority).toBeGreaterThanOrEqual(0);
          expect(focus.priority).toBeLessThanOrEqual(1);
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

describe('isHotspot', () => {
  it.each<[string, [number, number] | null, number, boolean]>([
    ['interval wholly above the district', [8.1, 10], 8, true],
    ['interval starting at the district MWDS', [8, 10], 8, false],
    ['interval containing the district MWDS', [5, 12], 8, false],
    ['interval wholly below the district', [1, 3], 8, false],
    ['no interval, however high the MWDS', null, 8, false],
  ])('%s', (_name, ci95, districtMwds, hot) => {
    expect(isHotspot(need(15, 0.5, ci95), districtMwds)).toBe(hot);
  });
});
