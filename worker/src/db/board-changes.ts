/**
 * What every board statement module (db/board*.ts) shares. Each change is one batch whose
 * statements all test the same precondition (the version the change was made against, a
 * vote budget…), with the board's change counter bumped first under that test, so a
 * refused change stores nothing at all and an accepted one is seen by the next poll.
 */

/** How a board names a person: their name, or their email while they have none. */
export const PERSON = `COALESCE(NULLIF(a.name, ''), a.email)`;

/**
 * Bumps the board's change counter, under a precondition (SQL over the state before the
 * change, with its own parameters appended after the board id and time). Put it FIRST in
 * the change's batch (`changeIf` does), and give the change's own statements the same
 * precondition: then either all of them apply or none does.
 */
export function bumpStatement(
  db: D1Database,
  boardId: string,
  at: string,
  precondition = 'true',
  ...params: unknown[]
): D1PreparedStatement {
  return db
    .prepare(`UPDATE boards SET version = version + 1, updated_at = ?2 WHERE id = ?1 AND (${precondition})`)
    .bind(boardId, at, ...params);
}

export const changed = (result: D1Result | undefined) => (result?.meta.changes ?? 0) > 0;

/**
 * One change: the board's counter bumped under `precondition`, then the change's own
 * statements, which must test the same precondition. True when it held (and all applied).
 */
export async function changeIf(
  db: D1Database,
  boardId: string,
  at: string,
  precondition: string,
  params: unknown[],
  statements: D1PreparedStatement[],
): Promise<boolean> {
  const [bumped] = await db.batch([bumpStatement(db, boardId, at, precondition, ...params), ...statements]);
  return changed(bumped);
}

export type SoftDeletable = 'board_cards' | 'board_comments' | 'board_clusters';

/** Deletes (softly) or restores; false when it already was so. Cards and clusters count it as a new version. */
export async function setDeleted(
  db: D1Database,
  table: SoftDeletable,
  boardId: string,
  id: string,
  deleted: boolean,
  at: string,
): Promise<boolean> {
  const before = deleted ? 'deleted_at IS NULL' : 'deleted_at IS NOT NULL';
  const precondition = `EXISTS (SELECT 1 FROM ${table} WHERE id = ?3 AND board_id = ?1 AND ${before})`;
  const versioned = table === 'board_comments' ? '' : ', version = version + 1';
  return changeIf(
    db,
    boardId,
    at,
    precondition,
    [id],
    [
      db
        .prepare(`UPDATE ${table} SET deleted_at = ?1${versioned} WHERE id = ?2 AND board_id = ?3 AND ${before}`)
        .bind(deleted ? at : null, id, boardId),
    ],
  );
}
