/**
 * Monte Carlo checks of the feedback figures, with a seeded generator (every run draws the
 * same sessions; a failure can be replayed). Answers are drawn on the survey's own scales
 * (1–5 ratings crowding 4, −2…+2 changes, 0–10 recommendations), not from a normal curve,
 * since that is what the intervals will be used on.
 *
 * - each 95% interval (t, Wilson, NPS, Welch) covers the true value 93–97% of the time over
 *   4,000 sessions of 10 to 120 answers;
 * - the flag on a session where truly 10% feel less prepared goes up about as often as the
 *   binomial says it should (7.3% at 30 answers), and on one where truly 30% do, 92%.
 */
import { describe, expect, it } from 'vitest';
import { isFlagged, meanFigure, netPromoter, welchDifference, wilsonInterval } from '../../src/domain/feedback';
import { mulberry32 } from '../../src/domain/random';

const SESSIONS = 4000;
const SLOW = { timeout: 60_000 };

/** A value of `scale` drawn with these weights. */
function draw(random: () => number, scale: readonly number[], weights: readonly number[]): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let u = random() * total;
  for (const [index, w] of weights.entries()) {
    u -= w;
    if (u < 0) return scale[index] as number;
  }
  return scale.at(-1) as number;
}

const mean = (scale: readonly number[], weights: readonly number[]) =>
  scale.reduce((sum, value, index) => sum + value * (weights[index] ?? 0), 0) / weights.reduce((s, w) => s + w, 0);

const sizeOf = (random: () => number) => 10 + Math.floor(random() * 111);
const RATING = [1, 2, 3, 4, 5];
const CHANGE = [-2, -1, 0, 1, 2];
const RECOMMEND = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function coverage(trial: (random: () => number) => boolean, seed: number): number {
  const random = mulberry32(seed);
  let covered = 0;
  for (let i = 0; i < SESSIONS; i++) if (trial(random)) covered++;
  return covered / SESSIONS;
}

const inside = (value: number, [low, high]: [number, number]) => low <= value && value <= high;

describe('the feedback intervals cover the true value 93–97% of the time', () => {
  it('a rating’s t interval', SLOW, () => {
    const weights = [0.04, 0.08, 0.22, 0.41, 0.25];
    const truth = mean(RATING, weights);
    const rate = coverage((random) => {
      const values = Array.from({ length: sizeOf(random) }, () => draw(random, RATING, weights));
      const ci = meanFigure(values)?.ci95;
      return ci !== null && ci !== undefined && inside(truth, ci);
    }, 14);
    expect(rate, `coverage ${rate}`).toBeGreaterThanOrEqual(0.93);
    expect(rate, `coverage ${rate}`).toBeLessThanOrEqual(0.97);
  });

  it('the Wilson interval of the share less prepared, at 20% truly less prepared', SLOW, () => {
    const rate = coverage((random) => {
      const n = sizeOf(random);
      let less = 0;
      for (let i = 0; i < n; i++) if (random() < 0.2) less++;
      return inside(0.2, wilsonInterval(less, n));
    }, 15);
    expect(rate, `coverage ${rate}`).toBeGreaterThanOrEqual(0.93);
    expect(rate, `coverage ${rate}`).toBeLessThanOrEqual(0.97);
  });

  it('the net promoter score’s interval', SLOW, () => {
    // 45% promoters (9–10), 20% detractors (0–6): a true score of 25.
    const weights = [0.01, 0.01, 0.02, 0.02, 0.03, 0.04, 0.07, 0.15, 0.2, 0.25, 0.2];
    const rate = coverage((random) => {
      const scores = Array.from({ length: sizeOf(random) }, () => draw(random, RECOMMEND, weights));
      const nps = netPromoter(scores);
      return nps !== null && inside(25, nps.ci95);
    }, 16);
    expect(rate, `coverage ${rate}`).toBeGreaterThanOrEqual(0.93);
    expect(rate, `coverage ${rate}`).toBeLessThanOrEqual(0.97);
  });

  it('the Welch interval of internal against external, unequal sizes and spreads', SLOW, () => {
    const internal = [0.02, 0.05, 0.3, 0.43, 0.2];
    const external = [0.12, 0.22, 0.4, 0.2, 0.06];
    const truth = mean(CHANGE, internal) - mean(CHANGE, external);
    const rate = coverage((random) => {
      const a = Array.from({ length: sizeOf(random) }, () => draw(random, CHANGE, internal));
      const b = Array.from({ length: 10 + Math.floor(random() * 31) }, () => draw(random, CHANGE, external));
      const welch = welchDifference(a, b);
      return welch !== null && inside(truth, welch.ci95);
    }, 17);
    expect(rate, `coverage ${rate}`).toBeGreaterThanOrEqual(0.93);
    expect(rate, `coverage ${rate}`).toBeLessThanOrEqual(0.97);
  });
});

describe('how often the flag goes up, at 30 answers and k = 5', () => {
  const flaggedShare = (truth: number, seed: number) => {
    const random = mulberry32(seed);
    let flagged = 0;
    for (let i = 0; i < SESSIONS; i++) {
      let less = 0;
      for (let j = 0; j < 30; j++) if (random() < truth) less++;
      if (isFlagged(less, 30, 5)) flagged++;
    }
    return flagged / SESSIONS;
  };

  it('on a session where truly 10% feel less prepared: about 7.3% of the time (P(X ≥ 6), X ~ B(30, 0.1))', () => {
    const share = flaggedShare(0.1, 18);
    expect(Math.abs(share - 0.0732), `flagged ${share}`).toBeLessThan(0.015);
  });

  it('on a session where truly 30% do: about 92% of the time (P(X ≥ 6), X ~ B(30, 0.3))', () => {
    const share = flaggedShare(0.3, 19);
    expect(Math.abs(share - 0.9234), `flagged ${share}`).toBeLessThan(0.015);
  });
});
