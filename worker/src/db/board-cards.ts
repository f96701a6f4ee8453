/** Cards and their comments: reading one, placing, adding and editing them. */
import type { CardRow, CommentRow } from '../domain/board-view';
import { bumpStatement, changeIf, PERSON } from './board-changes';

/** A card's columns as `CardRow` names them (from `board_cards c` joined to its author, `accounts a`). */
export const CARD_COLUMNS = `c.id, c.column_id AS "column", c.position, c.text, c.tags, c.cluster_id AS clusterId,
  c.status, c.author_id AS authorId, ${PERSON} AS author, c.version, c.created_at AS createdAt,
  c.updated_at AS updatedAt, c.deleted_at AS deletedAt`;

/** A card row as D1 returns it: the tags still JSON. */
export type StoredCard = Omit<CardRow, 'tags'> & { tags: string };

export const toCard = (row: StoredCard): CardRow => ({ ...row, tags: JSON.parse(row.tags) as string[] });

export async function readCard(db: D1Database, boardId: string, cardId: string): Promise<CardRow | null> {
  const row = await db
    .prepare(
      `SELECT ${CARD_COLUMNS} FROM board_cards c JOIN accounts a ON a.id = c.author_id
       WHERE c.board_id = ? AND c.id = ?`,
    )
    .bind(boardId, cardId)
    .first<StoredCard>();
  return row ? toCard(row) : null;
}

export type Place = Pick<CardRow, 'id' | 'position' | 'status' | 'authorId' | 'deletedAt'>;

/** The places of the cards in one column (deleted ones aside), in order. */
export async function columnPlaces(db: D1Database, boardId: string, column: string): Promise<Place[]> {
  const { results } = await db
    .prepare(
      `SELECT id, position, status, author_id AS authorId, deleted_at AS deletedAt FROM board_cards
       WHERE board_id = ? AND column_id = ? AND deleted_at IS NULL ORDER BY position, created_at, id`,
    )
    .bind(boardId, column)
    .all<Place>();
  return results;
}

export async function addCard(
  db: D1Database,
  card: Pick<CardRow, 'id' | 'column' | 'text' | 'tags' | 'status' | 'authorId'> & { boardId: string; at: string },
): Promise<void> {
  await db.batch([
    bumpStatement(db, card.boardId, card.at),
    db
      .prepare(
        `INSERT INTO board_cards (id, board_id, column_id, position, text, tags, status, author_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, COALESCE((SELECT MAX(position) FROM board_cards WHERE board_id = ?2 AND column_id = ?3), 0) + 1,
           ?4, ?5, ?6, ?7, ?8, ?8)`,
      )
      .bind(
        card.id,
        card.boardId,
        card.column,
        card.text,
        JSON.stringify(card.tags),
        card.status,
        card.authorId,
        card.at,
      ),
  ]);
}

/** Replaces a card's content and place; false when `expected` is no longer its version (or it was deleted). */
export async function editCard(
  db: D1Database,
  boardId: string,
  cardId: string,
  expected: number,
  next: Pick<CardRow, 'text' | 'tags' | 'column' | 'position' | 'clusterId' | 'status'>,
  at: string,
): Promise<boolean> {
  const current =
    'EXISTS (SELECT 1 FROM board_cards WHERE id = ?3 AND board_id = ?1 AND version = ?4 AND deleted_at IS NULL)';
  return changeIf(
    db,
    boardId,
    at,
    current,
    [cardId, expected],
    [
      db
        .prepare(
          `UPDATE board_cards SET text = ?5, tags = ?6, column_id = ?7, position = ?8, cluster_id = ?9, status = ?10,
           version = version + 1, updated_at = ?2
         WHERE id = ?3 AND board_id = ?1 AND version = ?4 AND deleted_at IS NULL`,
        )
        .bind(
          boardId,
          at,
          cardId,
          expected,
          next.text,
          JSON.stringify(next.tags),
          next.column,
          next.position,
          next.clusterId,
          next.status,
        ),
    ],
  );
}

export async function addComment(
  db: D1Database,
  comment: { id: string; boardId: string; cardId: string; authorId: string; text: string; at: string },
): Promise<void> {
  await db.batch([
    bumpStatement(db, comment.boardId, comment.at),
    db
      .prepare(
        'INSERT INTO board_comments (id, board_id, card_id, author_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .bind(comment.id, comment.boardId, comment.cardId, comment.authorId, comment.text, comment.at),
  ]);
}

export async function readComment(
  db: D1Database,
  boardId: string,
  commentId: string,
): Promise<Pick<CommentRow, 'id' | 'authorId' | 'deletedAt'> | null> {
  return db
    .prepare(
      'SELECT id, author_id AS authorId, deleted_at AS deletedAt FROM board_comments WHERE id = ? AND board_id = ?',
    )
    .bind(commentId, boardId)
    .first<Pick<CommentRow, 'id' | 'authorId' | 'deletedAt'>>();
}
