/** The sums the aggregates hold (db/aggregates.ts), worked out in the tests from individual ratings. */
import type { RatingSums } from '../../src/domain/focuses';

/** Individual (importance, proficiency) ratings. */
export type Pair = [number, number];

/** Nobody yet. */
export const noRatings = (): RatingSums => ({
  n: 0,
  sumImportance: 0,
  sumProficiency: 0,
  sumDiscrepancy: 0,
  sumImportanceSquared: 0,
  sumDiscrepancySquared: 0,
  sumImportanceDiscrepancy: 0,
  highNeed: 0,
});

/** Adds one respondent's ratings of a focus to the sums, as the aggregates do. */
export function addRating(sums: RatingSums, importance: number, proficiency: number): void {
  const d = importance - proficiency;
  sums.n += 1;
  sums.sumImportance += importance;
  sums.sumProficiency += proficiency;
  sums.sumDiscrepancy += d;
  sums.sumImportanceSquared += importance * importance;
  sums.sumDiscrepancySquared += d * d;
  sums.sumImportanceDiscrepancy += importance * d;
  if (d >= 2) sums.highNeed += 1;
}

/** What the database would hand over for these respondents. */
export function sumsOf(pairs: readonly Pair[]): RatingSums {
  const sums = noRatings();
  for (const [importance, proficiency] of pairs) addRating(sums, importance, proficiency);
  return sums;
}
