/** What the board routes share: the board as the caller now sees it, and the refusals several of them give. */
import { readBoardHead, readBoardRows } from '../db/boards';
import { boardView, type Reader } from '../domain/board-view';
import type { BoardState } from '../domain/boards';
import { ApiError } from '../errors';

/** The whole board as `reader` sees it now: what every write answers with. */
export async function stateOf(db: D1Database, boardId: string, reader: Reader): Promise<BoardState> {
  const head = await readBoardHead(db, boardId, reader.accountId);
  if (!head) throw new ApiError(404, 'BOARD_NOT_FOUND', 'There is no such board.');
  return boardView(head, await readBoardRows(db, head.id, head.campaignId), reader, new Date());
}

/** A change made against an old version, refused with the thing as it is now. */
export const conflict = (what: string, current: unknown) =>
  new ApiError(
    409,
    'VERSION_CONFLICT',
    `Someone else changed this ${what} since you opened it; here it is as it is now.`,
    undefined,
    { current },
  );

export const wrongTemplate = (what: string, template: string) =>
  new ApiError(409, 'WRONG_TEMPLATE', `${what} belong to ${template} boards; this board uses another template.`);
