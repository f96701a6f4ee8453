import { describe, expect, it } from 'vitest';
import { positionAt } from '../../src/domain/board-position';

const column = (...positions: number[]) => positions.map((position) => ({ position }));

describe('positionAt', () => {
  it('puts the only card of an empty column at 1, whatever index is asked', () => {
    expect(positionAt([], 0)).toBe(1);
    expect(positionAt([], 5)).toBe(1);
  });

  it.each([
    // Between 1 and 2: (1 + 2) / 2 = 1.5.
    [column(1, 2, 3), 1, 1.5],
    // Between 2 and 3: 2.5.
    [column(1, 2, 3), 2, 2.5],
    // Between 1.5 and 2, as a second move into the same gap: 1.75.
    [column(1, 1.5, 2), 2, 1.75],
  ])('takes the midpoint of its new neighbours: %j at %i is %d', (places, index, expected) => {
    expect(positionAt(places, index)).toBe(expected);
  });

  it('goes one before the first card at the top, and one past the last at the end', () => {
    // Top: 1 − 1 = 0; the position may go below zero, only the order counts.
    expect(positionAt(column(1, 2), 0)).toBe(0);
    expect(positionAt(column(-3, 2), 0)).toBe(-4);
    // End (index = length): 2 + 1 = 3.
    expect(positionAt(column(1, 2), 2)).toBe(3);
  });

  it('clamps an index past the end to the end, and one below zero to the top', () => {
    expect(positionAt(column(1, 2), 99)).toBe(3);
    expect(positionAt(column(1, 2), -1)).toBe(0);
  });
});
