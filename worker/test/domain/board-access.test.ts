import { describe, expect, it } from 'vitest';
import { boardRoleOf, mayRemove, newCardStatus, refusalFor, removesAFacilitator } from '../../src/domain/board-access';

describe('boardRoleOf', () => {
  it('is the membership; an admin who is no member acts as facilitator, anyone else has no role', () => {
    expect(boardRoleOf('viewer', ['admin'])).toBe('viewer');
    expect(boardRoleOf('member', [])).toBe('member');
    expect(boardRoleOf(null, ['director', 'admin'])).toBe('facilitator');
    expect(boardRoleOf(null, ['director', 'facilitator'])).toBeNull();
    expect(boardRoleOf(null, [])).toBeNull();
  });
});

describe('refusalFor', () => {
  it.each([
    // role, need, locked → refusal
    ['viewer', 'read', false, null],
    ['viewer', 'read', true, null],
    ['viewer', 'write', false, 'READ_ONLY'],
    ['viewer', 'facilitate', false, 'READ_ONLY'],
    ['member', 'write', false, null],
    ['member', 'write', true, 'BOARD_LOCKED'],
    ['member', 'facilitate', false, 'FACILITATORS_ONLY'],
    // A lock pauses members, not the facilitators who set it.
    ['facilitator', 'write', true, null],
    ['facilitator', 'facilitate', true, null],
  ] as const)('%s needing %s (locked: %s): %s', (role, need, locked, refusal) => {
    expect(refusalFor(role, need, locked)).toBe(refusal);
  });
});

describe('who may remove and who moderates', () => {
  it('lets the author and the facilitators delete or restore, nobody else', () => {
    expect(mayRemove({ accountId: 'a', role: 'member' }, 'a')).toBe(true);
    expect(mayRemove({ accountId: 'a', role: 'member' }, 'b')).toBe(false);
    expect(mayRemove({ accountId: 'a', role: 'facilitator' }, 'b')).toBe(true);
  });

  it('holds a member’s new card on an anonymous board for the facilitator, and only there', () => {
    expect(newCardStatus(true, 'member')).toBe('pending');
    expect(newCardStatus(true, 'facilitator')).toBe('visible');
    expect(newCardStatus(false, 'member')).toBe('visible');
  });

  it('counts a change as taking a facilitator away only when one stops being facilitator', () => {
    expect(removesAFacilitator('facilitator', 'member')).toBe(true);
    expect(removesAFacilitator('facilitator', null)).toBe(true);
    expect(removesAFacilitator('facilitator', 'facilitator')).toBe(false);
    expect(removesAFacilitator('member', null)).toBe(false);
    expect(removesAFacilitator(null, 'viewer')).toBe(false);
  });
});
