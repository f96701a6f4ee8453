import { describe, expect, it } from 'vitest';
import { byVotes, type CardView } from '../src/lib/board-view';

/** A card as the board state carries it, with only what ordering reads filled in. */
const card = (id: string, position: number, votes: number | null): CardView =>
  ({ id, position, votes, text: id, column: 'ideas' }) as unknown as CardView;

describe('a column with the most dots first', () => {
  it('orders by the revealed totals, ties keeping their place', () => {
    const cards = [card('a', 1, 1), card('b', 2, 3), card('c', 3, 1), card('d', 4, 0)];
    expect(byVotes(cards).map((item) => item.id)).toEqual(['b', 'a', 'c', 'd']);
    // The column's own order is left as it was.
    expect(cards.map((item) => item.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('changes nothing while the totals are hidden, so the order gives none of them away', () => {
    const cards = [card('a', 1, null), card('b', 2, null), card('c', 3, null)];
    expect(byVotes(cards).map((item) => item.id)).toEqual(['a', 'b', 'c']);
  });
});
