/**
 * Where a moved card goes in its column. Cards keep fractional positions, so a move
 * rewrites only the moved card: it takes the midpoint of its new neighbours, one past the
 * last card, one before the first, or 1 in an empty column. Pure: the route reads the
 * column's places and stores the result.
 */

/**
 * The position that puts a card at `index` among `places` (the column's other cards, in
 * order). An index below 0 or past the end is clamped to the top or the end.
 */
export function positionAt(places: ReadonlyArray<{ position: number }>, index: number): number {
  const at = Math.max(0, Math.min(index, places.length));
  const before = places[at - 1]?.position;
  const after = places[at]?.position;
  if (before === undefined && after === undefined) return 1;
  if (before === undefined) return (after ?? 0) - 1;
  if (after === undefined) return before + 1;
  return (before + after) / 2;
}
