/**
 * Monte Carlo checks of the focus statistics against what PRODUCT.md promises a director,
 * with a seeded generator so that every run draws the same campaigns and a failure can be
 * replayed. Ratings are drawn as real surveys answer: importance crowds 4–5, proficiency
 * sits mostly at 2–4 (uniform ratings would flatter the t approximation).
 *
 * - the MWDS 95% interval (delta method) covers the true value 94–96% of the time;
 * - a segment table of pure noise shows a hotspot in at most 10% of campaigns;
 * - a real segment effect is found: a school two points less prepared almost always, a
 *   one-point gap in a group of 30 about a third of the time.
 */
import { describe, expect, it } from 'vitest';
import { needStats, type RatingSums, type SegmentSums, versusRest } from '../../src/domain/focuses';
import { mulberry32 } from '../../src/domain/random';
import { addRating, noRatings } from './rating-sums';

/** A rating 1–5 drawn from weights over 1…5. */
function draw(random: () => number, weights: readonly number[]): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let u = random() * total;
  for (const [index, w] of weights.entries()) {
    u -= w;
    if (u < 0) return index + 1;
  }
  return weights.length;
}

/**
 * One focus as a population: importance weights over 1–5 (crowding 4–5) and, for each
 * importance, proficiency weights over 1–5 (mostly 2–4, lower where importance is higher,
 * as surveys find). Every draw of the campaign's people comes from this.
 */
interface Population {
  importance: number[];
  proficiency: (importance: number) => number[];
}

function population(random: () => number, shift = 0): Population {
  const four = 0.3 + 0.2 * random();
  const five = 0.35 + 0.25 * random();
  const importance = [0.01, 0.03, Math.max(0.02, 1 - four - five - 0.04), four, five];
  // Proficiency centred on 2.5–3.5, a little lower where importance is higher.
  const centre = 2.5 + random();
  return {
    importance,
    proficiency: (i) => {
      const c = centre - 0.25 * (i - 4) - shift;
      return [1, 2, 3, 4, 5].map((p) => Math.exp(-((p - c) ** 2) / 1.2));
    },
  };
}

/** The population's true MWDS, E[I] × E[I − P], from its weights exactly. */
function trueMwds({ importance, proficiency }: Population): number {
  const total = importance.reduce((sum, w) => sum + w, 0);
  let meanI = 0;
  let meanD = 0;
  for (const [index, w] of importance.entries()) {
    const i = index + 1;
    const weights = proficiency(i);
    const pTotal = weights.reduce((sum, x) => sum + x, 0);
    const meanP = weights.reduce((sum, x, at) => sum + x * (at + 1), 0) / pTotal;
    meanI += (w / total) * i;
    meanD += (w / total) * (i - meanP);
  }
  return meanI * meanD;
}

function respondent(random: () => number, from: Population): [number, number] {
  const importance = draw(random, from.importance);
  return [importance, draw(random, from.proficiency(importance))];
}

/** A table of focuses × segments drawn from `populationOf(focus, segment)`, with each focus's district sums. */
function table(
  random: () => number,
  sizes: readonly number[],
  focuses: number,
  populationOf: (focus: number, segment: number) => Population,
) {
  const cells: Array<{ segment: SegmentSums; district: RatingSums }> = [];
  for (let focus = 0; focus < focuses; focus++) {
    const district = noRatings();
    const row = sizes.map((size, segment) => {
      const sums: SegmentSums = { ...noRatings(), competencyId: `f${focus}`, segment: `s${segment}` };
      const from = populationOf(focus, segment);
      for (let person = 0; person < size; person++) {
        const [importance, proficiency] = respondent(random, from);
        addRating(sums, importance, proficiency);
        addRating(district, importance, proficiency);
      }
      return sums;
    });
    for (const segment of row) cells.push({ segment, district });
  }
  return cells;
}

const K = 5;
/** Each simulation runs in a few seconds alone; a loaded machine (other suites at once) can take several times that. */
const SLOW = { timeout: 60_000 };

describe('the MWDS 95% interval (delta method)', () => {
  it('covers the true MWDS in 94–96% of 4,000 campaigns with real need, n from 10 to 200', SLOW, () => {
    const random = mulberry32(20_261_203);
    const campaigns = 4000;
    let covered = 0;
    const covering = { small: [0, 0], large: [0, 0] };
    for (let run = 0; run < campaigns; run++) {
      const from = population(random);
      const truth = trueMwds(from);
      const n = 10 + Math.floor(random() * 191);
      const sums = noRatings();
      for (let person = 0; person < n; person++) addRating(sums, ...respondent(random, from));
      const ci = needStats(sums).ci95 as [number, number];
      const hit = ci[0] <= truth && truth <= ci[1];
      if (hit) covered++;
      const bucket = n < 50 ? covering.small : covering.large;
      bucket[0] = (bucket[0] ?? 0) + (hit ? 1 : 0);
      bucket[1] = (bucket[1] ?? 0) + 1;
    }
    const rate = covered / campaigns;
    console.info(
      `coverage ${(rate * 100).toFixed(2)}% of ${campaigns}; n < 50: ${covering.small[0]}/${covering.small[1]}, n ≥ 50: ${covering.large[0]}/${covering.large[1]}`,
    );
    expect(rate).toBeGreaterThanOrEqual(0.94);
    expect(rate).toBeLessThanOrEqual(0.96);
  });
});

describe('hotspots (segment against the rest of the district, BH at q = 0.05)', () => {
  const FOCUSES = 16;
  const SEGMENTS = 12;
  /** Segment sizes from k to 40 people. */
  const sizesOf = (random: () => number) =>
    Array.from({ length: SEGMENTS }, () => K + Math.floor(random() * (40 - K + 1)));

  /** The share of 500 noise-only tables (16 focuses × 12 segments) that show at least one hotspot. */
  function noiseOnlyRate(): number {
    const random = mulberry32(7_001);
    const campaigns = 500;
    let withHotspot = 0;
    let hotspots = 0;
    for (let run = 0; run < campaigns; run++) {
      const sizes = sizesOf(random);
      const populations = Array.from({ length: FOCUSES }, () => population(random));
      // No real difference: every segment of a focus is drawn from the same population.
      const verdicts = versusRest(
        table(random, sizes, FOCUSES, (focus) => populations[focus] as Population),
        K,
      );
      const found = verdicts.filter((verdict) => verdict.hotspot).length;
      hotspots += found;
      if (found > 0) withHotspot++;
    }
    const rate = withHotspot / campaigns;
    console.info(
      `noise: ≥ 1 hotspot in ${withHotspot}/${campaigns} tables (${(rate * 100).toFixed(1)}%), ${hotspots} in all`,
    );
    return rate;
  }

  // Measured with this seed: 11 of 500 tables (2.2%), 11 hotspots in all. With the Welch test
  // alone (before the district's spread was required too) the same tables gave 73 (14.6%):
  // observed ÷ nominal rate of its one-sided p below 1e−3 was 2.1, below 1e−4 3.2.
  it('shows a hotspot in at most 10% of 500 noise-only tables, as PRODUCT.md promises', SLOW, () => {
    expect(noiseOnlyRate()).toBeLessThanOrEqual(0.1);
  });

  /**
   * The share of 200 tables in which one planted cell is a hotspot: segment 0 (of `size`
   * people) feels `points` less proficient in focus 0 than the rest of the district, so
   * its D is that much higher there; every other cell is noise. Also counts the hotspots
   * found elsewhere (false ones).
   */
  function plantedRate(seed: number, size: number, points: number) {
    const random = mulberry32(seed);
    const campaigns = 200;
    let found = 0;
    let elsewhere = 0;
    for (let run = 0; run < campaigns; run++) {
      const sizes = sizesOf(random);
      sizes[0] = size;
      const populations = Array.from({ length: FOCUSES }, () => population(random));
      const planted = populations[0] as Population;
      const shifted: Population = {
        ...planted,
        proficiency: (i) => [...planted.proficiency(i).slice(points), ...Array<number>(points).fill(0)],
      };
      const cells = table(random, sizes, FOCUSES, (focus, segment) =>
        focus === 0 && segment === 0 ? shifted : (populations[focus] as Population),
      );
      const verdicts = versusRest(cells, K);
      if (verdicts[0]?.hotspot) found++;
      elsewhere += verdicts.slice(1).filter((verdict) => verdict.hotspot).length;
    }
    console.info(
      `planted ${points} point(s) in a segment of ${size}: found in ${found}/${campaigns} ` +
        `(${((found / campaigns) * 100).toFixed(1)}%); ${elsewhere} hotspots elsewhere`,
    );
    return { rate: found / campaigns, elsewhere };
  }

  // Measured with this seed: 188 of 200 (94%), and 6 hotspots elsewhere in all 200 tables.
  it('finds a school of 40 two points less prepared in one focus in at least 90% of tables', SLOW, () => {
    const { rate, elsewhere } = plantedRate(424_242, 40, 2);
    expect(rate).toBeGreaterThanOrEqual(0.9);
    expect(elsewhere).toBeLessThanOrEqual(20);
  });

  // Measured with this seed: 63 of 200 (31.5%). A segment of 30 with realistic spread has an
  // MWDS SE of 1.1–1.5; one point of D adds about 4 to its MWDS, t ≈ 3–5, while BH over
  // about 165 tested cells needs p near 0.05/165 for a lone discovery: a one-point gap in a
  // group of 30 is found in about a third of tables, and the dashboard's words say so.
  it('finds one point more need in a segment of 30 in about a third of tables', SLOW, () => {
    expect(plantedRate(424_243, 30, 1).rate).toBeGreaterThanOrEqual(0.25);
  });
});
