/** Who belongs to a board, in what role, and the join links that bring a colleague in. */
import type { BoardRole } from '../domain/boards';
import { bumpStatement, changeIf } from './board-changes';

export async function memberRole(db: D1Database, boardId: string, accountId: string): Promise<BoardRole | null> {
  const row = await db
    .prepare('SELECT role FROM board_members WHERE board_id = ? AND account_id = ?')
    .bind(boardId, accountId)
    .first<{ role: BoardRole }>();
  return row?.role ?? null;
}

/** Enabled facilitators of the board other than this account. */
export async function otherFacilitators(db: D1Database, boardId: string, accountId: string): Promise<number> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM board_members m JOIN accounts a ON a.id = m.account_id
       WHERE m.board_id = ? AND m.account_id <> ? AND m.role = 'facilitator' AND a.disabled_at IS NULL`,
    )
    .bind(boardId, accountId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Makes (or changes) a membership and stores a join link for it, as a hash. `signsIn` only
 * for the invitation that creates the account: its link, mailed to that address, is the new
 * colleague's way in; any other link is accepted by the account once signed in.
 */
export function inviteStatements(
  db: D1Database,
  invitation: {
    boardId: string;
    accountId: string;
    role: BoardRole;
    tokenHash: string;
    signsIn: boolean;
    at: Date;
    hours: number;
  },
): D1PreparedStatement[] {
  const at = invitation.at.toISOString();
  return [
    bumpStatement(db, invitation.boardId, at),
    db
      .prepare(
        `INSERT INTO board_members (board_id, account_id, role, invited_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (board_id, account_id) DO UPDATE SET role = excluded.role`,
      )
      .bind(invitation.boardId, invitation.accountId, invitation.role, at),
    db
      .prepare(
        `INSERT INTO board_invitations (token_hash, board_id, account_id, created_at, expires_at, signs_in)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        invitation.tokenHash,
        invitation.boardId,
        invitation.accountId,
        at,
        new Date(invitation.at.getTime() + invitation.hours * 3_600_000).toISOString(),
        invitation.signsIn ? 1 : 0,
      ),
  ];
}

export function setMemberRoleStatements(
  db: D1Database,
  boardId: string,
  accountId: string,
  role: BoardRole,
  at: string,
): D1PreparedStatement[] {
  return [
    bumpStatement(db, boardId, at),
    db
      .prepare('UPDATE board_members SET role = ? WHERE board_id = ? AND account_id = ?')
      .bind(role, boardId, accountId),
  ];
}

/** Ends a membership and voids the person's unused join links to the board; their contributions stay. */
export function removeMemberStatements(
  db: D1Database,
  boardId: string,
  accountId: string,
  at: string,
): D1PreparedStatement[] {
  return [
    bumpStatement(db, boardId, at),
    db
      .prepare('DELETE FROM board_invitations WHERE board_id = ? AND account_id = ? AND used_at IS NULL')
      .bind(boardId, accountId),
    db.prepare('DELETE FROM board_members WHERE board_id = ? AND account_id = ?').bind(boardId, accountId),
  ];
}

export interface BoardInvitation {
  boardId: string;
  accountId: string;
  expiresAt: string;
  usedAt: string | null;
  /** True only for the invitation that created the account (see `inviteStatements`). */
  signsIn: boolean;
}

/** A join link's invitation, while its membership still exists. */
export async function invitationByHash(db: D1Database, tokenHash: string): Promise<BoardInvitation | null> {
  const row = await db
    .prepare(
      `SELECT i.board_id AS boardId, i.account_id AS accountId, i.expires_at AS expiresAt, i.used_at AS usedAt,
         i.signs_in AS signsIn
       FROM board_invitations i JOIN board_members m ON m.board_id = i.board_id AND m.account_id = i.account_id
       WHERE i.token_hash = ?`,
    )
    .bind(tokenHash)
    .first<Omit<BoardInvitation, 'signsIn'> & { signsIn: number }>();
  return row ? { ...row, signsIn: row.signsIn === 1 } : null;
}

/** Uses up a join link and marks the member joined; false when the link was used meanwhile. */
export async function useInvitation(
  db: D1Database,
  invitation: BoardInvitation,
  tokenHash: string,
  at: string,
): Promise<boolean> {
  const unused = 'EXISTS (SELECT 1 FROM board_invitations WHERE token_hash = ?3 AND used_at IS NULL)';
  // The board changes too: the facilitator's open board shows the colleague as joined.
  return changeIf(
    db,
    invitation.boardId,
    at,
    unused,
    [tokenHash],
    [
      db
        .prepare('UPDATE board_invitations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL')
        .bind(at, tokenHash),
      db
        .prepare('UPDATE board_members SET joined_at = COALESCE(joined_at, ?1) WHERE board_id = ?2 AND account_id = ?3')
        .bind(at, invitation.boardId, invitation.accountId),
    ],
  );
}

/** The member says they are on the board now (no-op for a caller who is not a member, such as an admin). */
export async function markHere(db: D1Database, boardId: string, accountId: string, at: Date): Promise<void> {
  await db
    .prepare('UPDATE board_members SET seen_at = ? WHERE board_id = ? AND account_id = ?')
    .bind(at.toISOString(), boardId, accountId)
    .run();
}

/** The member has left the board page. */
export async function markGone(db: D1Database, boardId: string, accountId: string): Promise<void> {
  await db
    .prepare('UPDATE board_members SET seen_at = NULL WHERE board_id = ? AND account_id = ?')
    .bind(boardId, accountId)
    .run();
}

/** The enabled members seen on the board since `since`, by name (their address when they have none). */
export async function membersHere(
  db: D1Database,
  boardId: string,
  since: Date,
): Promise<{ accountId: string; name: string }[]> {
  const rows = await db
    .prepare(
      `SELECT m.account_id AS accountId, CASE WHEN a.name <> '' THEN a.name ELSE a.email END AS name
       FROM board_members m JOIN accounts a ON a.id = m.account_id
       WHERE m.board_id = ? AND m.seen_at >= ? AND a.disabled_at IS NULL
       ORDER BY name COLLATE NOCASE, m.account_id`,
    )
    .bind(boardId, since.toISOString())
    .all<{ accountId: string; name: string }>();
  return rows.results;
}
