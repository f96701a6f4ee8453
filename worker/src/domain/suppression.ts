/**
 * Small-cell suppression: no figure about fewer than k respondents leaves the worker.
 *
 * Primary suppression hides every cell under k; complementary suppression (as in
 * statistical disclosure control, e.g. Cox 1980) then hides more cells until the hidden
 * ones cannot be recovered by subtraction. A segment table is always shown beside the
 * district total for the same competency, so total − (sum of shown cells) = sum of the
 * hidden cells. That figure is harmless only when it is spread over two or more cells
 * and over at least k people.
 */
import { MIN_GROUP_SIZE_FLOOR } from './campaign';

/** A group too small to show on its own. */
export function isSmall(n: number, k: number): boolean {
  return n < k;
}

/**
 * The segment keys to hide, given ALL the groups of one dimension for one competency,
 * including the `segment: null` group of respondents who did not say (a real cell: it
 * counts toward the total, so it can leak and be leaked like any other).
 *
 * Cells with n = 0 hold nobody: they are hidden (there is no figure to show) but they
 * never make another cell hidden, as subtraction can recover nothing about no-one.
 */
export function suppressCells<T extends { n: number; segment: string | null }>(
  cells: T[],
  k: number,
): Set<string | null> {
  // A k below the floor is a caller's bug; refusing it beats quietly publishing groups of two.
  if (!Number.isInteger(k) || k < MIN_GROUP_SIZE_FLOOR) {
    throw new RangeError(`k must be an integer ≥ ${MIN_GROUP_SIZE_FLOOR}, got ${k}`);
  }
  const keys = new Set<string | null>();
  for (const cell of cells) {
    if (!Number.isInteger(cell.n) || cell.n < 0) throw new RangeError(`cell ${cell.segment} has n = ${cell.n}`);
    // Two cells with one key would make the answer (a set of keys) ambiguous.
    if (keys.has(cell.segment)) throw new Error(`segment ${cell.segment} appears twice`);
    keys.add(cell.segment);
  }

  const hidden = new Set<string | null>();
  for (const cell of cells) if (isSmall(cell.n, k)) hidden.add(cell.segment);

  // Smallest first, so the complement costs as little as possible; then by key for a
  // deterministic answer, null (did not say) first.
  const candidates = cells
    .filter((cell) => cell.n > 0 && !hidden.has(cell.segment))
    .sort((a, b) => a.n - b.n || compareKeys(a.segment, b.segment));

  for (const candidate of candidates) {
    const occupied = cells.filter((cell) => cell.n > 0 && hidden.has(cell.segment));
    const hiddenTotal = occupied.reduce((sum, cell) => sum + cell.n, 0);
    // One hidden cell is the total minus the shown ones, exactly. Several hidden cells
    // under k together are a small group recovered the same way, as their sum.
    const leaks = occupied.length === 1 || (hiddenTotal > 0 && hiddenTotal < k);
    if (!leaks) break;
    hidden.add(candidate.segment);
  }
  return hidden;
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
