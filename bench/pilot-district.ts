/** The synthetic districts the pilot-group benchmarks solve: the same candidates on every run and machine. */
import { fitFor, type PilotCandidate } from '../worker/src/domain/pilot-groups';
import { mulberry32 } from '../worker/src/domain/random';

/** A value drawn with the given weights. */
function pick<T>(next: () => number, weighted: Array<[T, number]>): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let x = next() * total;
  for (const [value, weight] of weighted) {
    x -= weight;
    if (x < 0) return value;
  }
  return weighted[weighted.length - 1]?.[0] as T;
}

/** Schools grow with the district: 12 for 500 willing staff, 40 for 5,000. */
const schoolCount = (candidates: number): number =>
  Math.round(Math.min(40, Math.max(12, 12 + ((candidates - 500) * 28) / 4_500)));

// Staff mostly rate a focus important and themselves fairly proficient: a gap of 0–2 is usual, 4 is rare.
const IMPORTANCE: Array<[number, number]> = [
  [2, 0.03],
  [3, 0.17],
  [4, 0.4],
  [5, 0.4],
];
const PROFICIENCY: Array<[number, number]> = [
  [1, 0.03],
  [2, 0.12],
  [3, 0.35],
  [4, 0.38],
  [5, 0.12],
];

/**
 * A district's pilot candidates: schools of uneven size (weights 0.5–1.5), 2% of the staff in the district
 * office (no school), and per focus a rating (5% skipped it: no gap) and interest ticked by 20%, turned into
 * a fit by the app's own fitFor.
 */
export function district(candidates: number, focuses: string[], seed: number): PilotCandidate[] {
  const next = mulberry32(seed);
  const schools = Array.from({ length: schoolCount(candidates) }, (_, index): [string, number] => [
    `school-${String(index + 1).padStart(2, '0')}`,
    0.5 + next(),
  ]);
  return Array.from({ length: candidates }, (_, index) => {
    const school = next() < 0.02 ? null : pick(next, schools);
    const fits: Record<string, number> = {};
    for (const focus of focuses) {
      const rated = next() >= 0.05;
      const ratings = rated ? { importance: pick(next, IMPORTANCE), proficiency: pick(next, PROFICIENCY) } : undefined;
      fits[focus] = fitFor(ratings, next() < 0.2);
    }
    return { staffId: `T${String(index + 1).padStart(5, '0')}`, school, fits };
  });
}
