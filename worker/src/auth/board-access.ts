/**
 * What a caller may do on a board. Every board route is `allow('account')`; what the
 * account may do on this board is its board role, checked here against the policy in
 * domain/board-access.ts, and refused with the API's answer.
 */
import type { Context } from 'hono';
import type { Account } from '../db/accounts';
import { readCard } from '../db/board-cards';
import { memberRole, otherFacilitators } from '../db/board-members';
import { readBoardHead } from '../db/boards';
import {
  type BoardRefusal,
  boardRoleOf,
  mayRemove,
  type Need,
  refusalFor,
  removesAFacilitator,
} from '../domain/board-access';
import { type BoardHead, cardVisibleTo, type Reader } from '../domain/board-view';
import type { BoardRole } from '../domain/boards';
import { ApiError } from '../errors';
import { type AppEnv, currentAccount } from './session';

export interface BoardAccess {
  head: BoardHead;
  account: Account;
  reader: Reader;
}

const REFUSALS: Record<BoardRefusal, () => ApiError> = {
  READ_ONLY: () => new ApiError(403, 'READ_ONLY', 'You can view this board but not change it.'),
  FACILITATORS_ONLY: () => new ApiError(403, 'FACILITATORS_ONLY', 'Only the board’s facilitators can do this.'),
  BOARD_LOCKED: () => new ApiError(409, 'BOARD_LOCKED', 'The facilitator has locked the board; changes are paused.'),
};

/** The board in the path and the caller's role on it, refused unless that role may do what is needed. */
export async function boardFor(c: Context<AppEnv>, need: Need): Promise<BoardAccess> {
  const account = currentAccount(c);
  const head = await readBoardHead(c.env.DB, c.req.param('id') ?? '', account.id);
  if (!head) throw new ApiError(404, 'BOARD_NOT_FOUND', 'There is no such board.');
  const role = boardRoleOf(head.memberRole, account.roles);
  if (!role) {
    throw new ApiError(403, 'NOT_A_MEMBER', 'You are not a member of this board; ask its facilitator to invite you.');
  }
  const refusal = refusalFor(role, need, head.locked);
  if (refusal) throw REFUSALS[refusal]();
  return { head, account, reader: { accountId: account.id, role } };
}

/** A card the reader can see, not deleted, or a 404. */
export async function liveCard(db: D1Database, access: BoardAccess, cardId: string) {
  const card = await readCard(db, access.head.id, cardId);
  if (!card || card.deletedAt !== null || !cardVisibleTo(card, access.reader)) {
    throw new ApiError(404, 'CARD_NOT_FOUND', 'That card is not on this board (it may have been deleted).');
  }
  return card;
}

/** Only a card's (or comment's) author and the facilitators may delete or restore it. */
export function requireOwnerOrFacilitator(access: BoardAccess, authorId: string): void {
  if (!mayRemove(access.reader, authorId)) {
    throw new ApiError(403, 'NOT_YOURS', 'Only its author or a facilitator can do this.');
  }
}

/**
 * The person's role on the board (null when they hold none), refusing a change to `next`
 * (null: leaving the board) that would leave the board without a facilitator.
 */
export async function keepAFacilitator(
  db: D1Database,
  boardId: string,
  accountId: string,
  next: BoardRole | null,
): Promise<BoardRole | null> {
  const role = await memberRole(db, boardId, accountId);
  if (removesAFacilitator(role, next) && (await otherFacilitators(db, boardId, accountId)) === 0) {
    throw new ApiError(
      409,
      'LAST_FACILITATOR',
      'A board needs at least one facilitator; make someone else facilitator first.',
    );
  }
  return role;
}
