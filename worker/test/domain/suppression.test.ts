import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSmall, suppressCells } from '../../src/domain/suppression';

type Cell = { segment: string | null; n: number };

/** Cells from `[segment, n]` pairs. */
const cells = (...pairs: Array<[string | null, number]>): Cell[] => pairs.map(([segment, n]) => ({ segment, n }));

/** What anyone can work out from the shown cells and the district total: total − Σ shown. */
function derivable(all: Cell[], hidden: Set<string | null>): number {
  const total = all.reduce((sum, cell) => sum + cell.n, 0);
  return total - all.filter((cell) => !hidden.has(cell.segment)).reduce((sum, cell) => sum + cell.n, 0);
}

describe('isSmall', () => {
  it.each([
    [0, 5, true],
    [4, 5, true],
    [5, 5, false],
    [6, 5, false],
    [2, 3, true],
    [3, 3, false],
  ])('n %i with k %i → %s', (n, k, small) => {
    expect(isSmall(n, k)).toBe(small);
  });
});

describe('suppressCells', () => {
  it.each<[string, Cell[], number, Array<string | null>]>([
    ['nothing when every cell reaches k', cells(['a', 40], ['b', 30], ['c', 5]), 5, []],
    // Hiding only c (3) would leak it as 73 − 40 − 30; the smallest shown cell, b (30), goes too.
    ['a lone small cell and its complement', cells(['a', 40], ['b', 30], ['c', 3]), 5, ['c', 'b']],
    // a + b = 4 < 5 is derivable as 34 − 10 − 20 = 4; hiding c (10) as well makes it 14.
    ['two small cells summing below k', cells(['a', 2], ['b', 2], ['c', 10], ['d', 20]), 5, ['a', 'b', 'c']],
    // 3 + 4 = 7 ≥ 5 over two cells: neither can be separated from the other.
    ['two small cells summing to k or more', cells(['a', 3], ['b', 4], ['c', 10], ['d', 20]), 5, ['a', 'b']],
    // k = 10: 1 + 3 + 4 = 8 < 10, add d (12) → 20; e (50) stays.
    [
      'three small cells and one complement',
      cells(['a', 1], ['b', 3], ['c', 4], ['d', 12], ['e', 50]),
      10,
      ['a', 'b', 'c', 'd'],
    ],
    // k = 10: 1 + 2 + 3 = 6 < 10 and the only other cell must go too.
    [
      'everything, when the complement is the last cell',
      cells(['a', 1], ['b', 2], ['c', 3], ['d', 50]),
      10,
      ['a', 'b', 'c', 'd'],
    ],
    ['everything, when only small cells exist', cells(['a', 2], ['b', 1], [null, 2]), 5, ['a', 'b', null]],
    // The did-not-say group is a cell: small, it is hidden and needs a complement (y, 8, the smaller shown cell).
    ['the did-not-say group when small', cells([null, 3], ['x', 12], ['y', 8]), 5, [null, 'y']],
    // ... and it can be the complement itself: 6 is the smallest shown cell.
    ['the did-not-say group as the complement', cells(['x', 2], [null, 6], ['y', 9]), 5, ['x', null]],
    // Complement ties (7 and 7) go to the key in order, null first.
    ['a tie broken with null first', cells([null, 7], ['a', 7], ['b', 2]), 5, ['b', null]],
    ['a tie broken by key', cells(['m', 6], ['b', 6], ['z', 1]), 5, ['z', 'b']],
    ['a single small cell (nothing to pair it with)', cells(['a', 2]), 5, ['a']],
    ['a single cell of k', cells(['a', 5]), 5, []],
    ['no cells', [], 5, []],
    // Empty cells hold nobody: hidden, but they never pull in a complement.
    ['an empty cell', cells(['a', 0], ['b', 40], ['c', 30]), 5, ['a']],
    ['an empty cell beside a small one', cells(['a', 0], ['b', 40], ['c', 30], ['d', 4]), 5, ['a', 'd', 'c']],
  ])('hides %s', (_name, table, k, expected) => {
    const hidden = suppressCells(table, k);
    expect([...hidden].sort()).toEqual([...expected].sort());
  });

  it('closes the leak simple suppression leaves open', () => {
    const table = cells(['north', 40], ['south', 30], ['east', 3]);
    // With only east hidden, 73 − 40 − 30 gives its 3 respondents away.
    expect(derivable(table, new Set(['east']))).toBe(3);
    const hidden = suppressCells(table, 5);
    // Now the shown figure is 40, and 33 is split over two cells no one can tell apart.
    expect(hidden).toEqual(new Set(['east', 'south']));
    expect(derivable(table, hidden)).toBe(33);
  });

  it('accepts extra fields on the cells', () => {
    const rows = [
      { segment: 'a', n: 2, mwds: 7.5 },
      { segment: 'b', n: 9, mwds: 3.1 },
      { segment: 'c', n: 12, mwds: 4.2 },
    ];
    expect(suppressCells(rows, 5)).toEqual(new Set(['a', 'b']));
  });

  it.each([
    ['k below the floor of 3', cells(['a', 10]), 2],
    ['a fractional k', cells(['a', 10]), 4.5],
    ['a negative n', cells(['a', -1]), 5],
    ['a fractional n', cells(['a', 1.5]), 5],
    ['a segment twice', cells(['a', 10], ['a', 3]), 5],
    ['the did-not-say group twice', cells([null, 10], [null, 3]), 5],
  ])('refuses %s', (_name, table, k) => {
    expect(() => suppressCells(table, k)).toThrow();
  });

  const segment = fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'), { nil: null });
  const table = (minN: number) =>
    fc.uniqueArray(fc.record({ segment, n: fc.integer({ min: minN, max: 40 }) }), {
      selector: (cell) => cell.segment,
      minLength: 1,
      maxLength: 11,
    });
  const k = fc.integer({ min: 3, max: 10 });

  it('never shows a small cell, never leaves a derivable small group, never hides a lone cell', () => {
    fc.assert(
      fc.property(table(1), k, (all, k) => {
        const hidden = suppressCells(all, k);
        const shown = all.filter((cell) => !hidden.has(cell.segment));
        const hiddenTotal = all.filter((cell) => hidden.has(cell.segment)).reduce((sum, cell) => sum + cell.n, 0);
        for (const cell of shown) expect(cell.n).toBeGreaterThanOrEqual(k);
        // Σ hidden is derivable from the total, so it must be 0 or ≥ k; the exception is when every
        // cell is hidden, as the district total itself is then below k (the caller hides that too).
        expect(hiddenTotal === 0 || hiddenTotal >= k || shown.length === 0).toBe(true);
        // One hidden cell would be the total minus the shown ones.
        expect(hidden.size !== 1 || all.length === 1).toBe(true);
        expect(derivable(all, hidden)).toBe(hiddenTotal);
        for (const key of hidden) expect(all.some((cell) => cell.segment === key)).toBe(true);
      }),
    );
  });

  it('hides nothing when every cell reaches k, and does not depend on the order of the cells', () => {
    const shuffled = table(1).chain((all) =>
      fc.tuple(fc.constant(all), fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length })),
    );
    fc.assert(
      fc.property(shuffled, k, ([all, permutation], k) => {
        const big = all.map((cell) => ({ ...cell, n: cell.n + k }));
        expect(suppressCells(big, k).size).toBe(0);
        expect(suppressCells(permutation, k)).toEqual(suppressCells(all, k));
      }),
    );
  });

  it('hides the complement only when needed: showing the last one hidden would leak', () => {
    fc.assert(
      fc.property(table(1), k, (all, k) => {
        const hidden = suppressCells(all, k);
        const complements = all.filter((cell) => hidden.has(cell.segment) && cell.n >= k);
        if (complements.length === 0) return;
        // The largest complement was added last; without it the hidden cells would still leak.
        const last = complements.reduce((a, b) => (b.n > a.n ? b : a));
        const before = all.filter((cell) => hidden.has(cell.segment) && cell !== last);
        const beforeTotal = before.reduce((sum, cell) => sum + cell.n, 0);
        expect(before.length === 1 || (beforeTotal > 0 && beforeTotal < k)).toBe(true);
      }),
    );
  });

  it('hides empty cells and nothing else on their account', () => {
    const empty = fc.uniqueArray(fc.constantFrom('x', 'y', 'z'), { maxLength: 3 });
    fc.assert(
      fc.property(table(1), empty, k, (all, emptyKeys, k) => {
        const withEmpty = [...all, ...emptyKeys.map((key) => ({ segment: key, n: 0 }))];
        expect(suppressCells(withEmpty, k)).toEqual(new Set([...suppressCells(all, k), ...emptyKeys]));
      }),
    );
  });
});
