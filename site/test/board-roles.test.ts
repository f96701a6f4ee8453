import { describe, expect, it } from 'vitest';
import { ROLE_TEXT, yourRole } from '../src/lib/board-view';

describe('what a board role may do, in words', () => {
  it('is said to the person who holds it in the second person', () => {
    expect(yourRole('facilitator')).toBe(
      'As a facilitator, you run the board: settings, timer, phases, moderation and members.',
    );
    expect(yourRole('member')).toBe('As a member, you add and edit cards, comment, vote and group cards.');
    expect(yourRole('viewer')).toBe('As a viewer, you read the board without changing it.');
  });

  it('is said of someone else in the third person', () => {
    expect(`Member: ${ROLE_TEXT.member.hint}.`).toBe('Member: adds and edits cards, comments, votes and groups cards.');
  });
});
