/** A member's dots on cards, and their Hexagon Tool ratings of the candidate programs. */
import type { RatingRow } from '../domain/board-view';
import { bumpStatement, changeIf } from './board-changes';

/**
 * One more of the member's dots on a card. The budget, the per-card cap and the reveal
 * are read inside the statement, so dots sent at once can never overspend: false when
 * one of them stopped it.
 */
export async function addDot(
  db: D1Database,
  boardId: string,
  cardId: string,
  accountId: string,
  at: string,
): Promise<boolean> {
  const room = `(SELECT votes_revealed FROM boards WHERE id = ?1) = 0
    AND (SELECT COALESCE(SUM(v.dots), 0) FROM board_votes v JOIN board_cards c ON c.id = v.card_id
         WHERE v.board_id = ?1 AND v.account_id = ?4 AND c.deleted_at IS NULL) < (SELECT vote_budget FROM boards WHERE id = ?1)
    AND COALESCE((SELECT dots FROM board_votes WHERE card_id = ?3 AND account_id = ?4), 0)
        < COALESCE((SELECT votes_per_card FROM boards WHERE id = ?1), 1e9)`;
  return changeIf(
    db,
    boardId,
    at,
    room,
    [cardId, accountId],
    [
      db
        .prepare(
          `INSERT INTO board_votes (board_id, card_id, account_id, dots) SELECT ?1, ?3, ?4, 1 WHERE ${room}
         ON CONFLICT (card_id, account_id) DO UPDATE SET dots = dots + 1`,
        )
        .bind(boardId, at, cardId, accountId),
    ],
  );
}

/** Takes one of the member's dots off a card; false when there was none (or the votes are revealed). */
export async function removeDot(
  db: D1Database,
  boardId: string,
  cardId: string,
  accountId: string,
  at: string,
): Promise<boolean> {
  const mine = `EXISTS (SELECT 1 FROM board_votes WHERE card_id = ?3 AND account_id = ?4)
    AND (SELECT votes_revealed FROM boards WHERE id = ?1) = 0`;
  return changeIf(
    db,
    boardId,
    at,
    mine,
    [cardId, accountId],
    [
      // Once the last dot is deleted the precondition no longer holds, so only one of these two applies.
      db
        .prepare(`DELETE FROM board_votes WHERE card_id = ?3 AND account_id = ?4 AND dots = 1 AND ${mine}`)
        .bind(boardId, at, cardId, accountId),
      db
        .prepare(
          `UPDATE board_votes SET dots = dots - 1 WHERE card_id = ?3 AND account_id = ?4 AND dots > 1 AND ${mine}`,
        )
        .bind(boardId, at, cardId, accountId),
    ],
  );
}

/** The member's rating of a program on one indicator; a null score removes it. */
export async function rate(
  db: D1Database,
  rating: Omit<RatingRow, 'author' | 'score'> & { boardId: string; score: number | null; at: string },
): Promise<void> {
  await db.batch([
    bumpStatement(db, rating.boardId, rating.at),
    rating.score === null
      ? db
          .prepare('DELETE FROM board_ratings WHERE card_id = ? AND account_id = ? AND indicator = ?')
          .bind(rating.cardId, rating.accountId, rating.indicator)
      : db
          .prepare(
            `INSERT INTO board_ratings (board_id, card_id, account_id, indicator, score, note) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (card_id, account_id, indicator) DO UPDATE SET score = excluded.score, note = excluded.note`,
          )
          .bind(rating.boardId, rating.cardId, rating.accountId, rating.indicator, rating.score, rating.note),
  ]);
}
