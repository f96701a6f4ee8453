/** Clusters: cards grouped under a name. Ungrouping is the soft delete (board-changes.ts). */
import { bumpStatement, changeIf } from './board-changes';

export async function clusterExists(db: D1Database, boardId: string, clusterId: string): Promise<boolean> {
  const row = await db
    .prepare('SELECT 1 AS found FROM board_clusters WHERE id = ? AND board_id = ? AND deleted_at IS NULL')
    .bind(clusterId, boardId)
    .first();
  return row !== null;
}

/** A new cluster holding these cards (each card's version moves on, as any change to it does). */
export async function createCluster(
  db: D1Database,
  cluster: { id: string; boardId: string; name: string; createdBy: string; cardIds: string[]; at: string },
): Promise<void> {
  await db.batch([
    bumpStatement(db, cluster.boardId, cluster.at),
    db
      .prepare('INSERT INTO board_clusters (id, board_id, name, created_by) VALUES (?, ?, ?, ?)')
      .bind(cluster.id, cluster.boardId, cluster.name, cluster.createdBy),
    db
      .prepare(
        `UPDATE board_cards SET cluster_id = ?1, version = version + 1, updated_at = ?2
         WHERE board_id = ?3 AND deleted_at IS NULL AND id IN (SELECT value FROM json_each(?4))`,
      )
      .bind(cluster.id, cluster.at, cluster.boardId, JSON.stringify(cluster.cardIds)),
  ]);
}

export async function renameCluster(
  db: D1Database,
  boardId: string,
  clusterId: string,
  expected: number,
  name: string,
  at: string,
): Promise<boolean> {
  const current =
    'EXISTS (SELECT 1 FROM board_clusters WHERE id = ?3 AND board_id = ?1 AND version = ?4 AND deleted_at IS NULL)';
  return changeIf(
    db,
    boardId,
    at,
    current,
    [clusterId, expected],
    [
      db
        .prepare(
          `UPDATE board_clusters SET name = ?, version = version + 1
         WHERE id = ? AND board_id = ? AND version = ? AND deleted_at IS NULL`,
        )
        .bind(name, clusterId, boardId, expected),
    ],
  );
}
