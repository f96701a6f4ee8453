/**
 * Who may do what on a board: the policy, pure. A caller's board role is their
 * membership (an admin acts as facilitator on every board); viewers read, members add
 * and change, facilitators run the board and may change it while it is locked.
 * auth/board-access.ts reads the board and turns a refusal into the API's answer.
 */
import type { CodesOf } from '../errors';
import { type BoardRole, type CardStatus, canFacilitate, canWrite } from './boards';

/** What a route needs to do on the board. */
export type Need = 'read' | 'write' | 'facilitate';

export type BoardRefusal = CodesOf<'READ_ONLY' | 'FACILITATORS_ONLY' | 'BOARD_LOCKED'>;

/** The caller's role on a board, or null when they have none (they are not a member). */
export function boardRoleOf(memberRole: BoardRole | null, accountRoles: readonly string[]): BoardRole | null {
  return memberRole ?? (accountRoles.includes('admin') ? 'facilitator' : null);
}

/** Why this role may not do what is needed on the board (locked or not), or null when it may. */
export function refusalFor(role: BoardRole, need: Need, locked: boolean): BoardRefusal | null {
  if (need !== 'read' && !canWrite(role)) return 'READ_ONLY';
  if (need === 'facilitate' && !canFacilitate(role)) return 'FACILITATORS_ONLY';
  if (need === 'write' && locked && !canFacilitate(role)) return 'BOARD_LOCKED';
  return null;
}

/** A new card on an anonymous board waits for a facilitator to show it; a facilitator's own shows at once. */
export function newCardStatus(anonymous: boolean, role: BoardRole): CardStatus {
  return anonymous && !canFacilitate(role) ? 'pending' : 'visible';
}

/** Only its author and the facilitators may delete or restore a card or comment. */
export function mayRemove(reader: { accountId: string; role: BoardRole }, authorId: string): boolean {
  return authorId === reader.accountId || canFacilitate(reader.role);
}

/**
 * Whether taking someone from role `current` to `next` (null: off the board) takes a
 * facilitator away, which the board allows only while another facilitator remains.
 */
export function removesAFacilitator(current: BoardRole | null, next: BoardRole | null): boolean {
  return current === 'facilitator' && next !== 'facilitator';
}
