/**
 * Every statement about boards. Reads come in one batch (one consistent snapshot of the
 * board); each change is one batch whose statements all test the same precondition (the
 * version the change was made against, a vote budget…), with the board's change counter
 * bumped first under that test, so a refused change stores nothing at all and an accepted
 * one is seen by the next poll.
 */
import type {
  BoardHead,
  BoardRows,
  CardRow,
  ClusterRow,
  CommentRow,
  MemberRow,
  PilotGroupCount,
  PlanContent,
  PlanRow,
  RatingRow,
  VoteRow,
} from '../domain/board-view';
import { type BoardRole, TEMPLATE_SPECS, type Template } from '../domain/boards';

interface BoardHeadRow extends Omit<BoardHead, 'anonymous' | 'locked' | 'votesRevealed'> {
  anonymous: number;
  locked: number;
  votesRevealed: number;
}

const HEAD_COLUMNS = `b.id, b.campaign_id AS campaignId, c.title AS campaignTitle, b.title, b.template,
  b.anonymous, b.locked, b.vote_budget AS voteBudget, b.votes_per_card AS votesPerCard,
  b.votes_revealed AS votesRevealed, b.phase, b.timer_ends_at AS timerEndsAt, b.version,
  b.settings_version AS settingsVersion, b.created_by AS createdBy, b.updated_at AS updatedAt`;

function toHead(row: BoardHeadRow): BoardHead {
  return { ...row, anonymous: row.anonymous === 1, locked: row.locked === 1, votesRevealed: row.votesRevealed === 1 };
}

/** The board's settings and the reader's role on it: what every route checks first. */
export async function readBoardHead(db: D1Database, boardId: string, accountId: string): Promise<BoardHead | null> {
  const row = await db
    .prepare(
      `SELECT ${HEAD_COLUMNS}, m.role AS memberRole
       FROM boards b JOIN campaigns c ON c.id = b.campaign_id
       LEFT JOIN board_members m ON m.board_id = b.id AND m.account_id = ?2
       WHERE b.id = ?1`,
    )
    .bind(boardId, accountId)
    .first<BoardHeadRow>();
  return row ? toHead(row) : null;
}

export interface BoardListing {
  id: string;
  title: string;
  template: Template;
  campaignId: string;
  campaignTitle: string;
  role: BoardRole | null;
  locked: boolean;
  phase: number;
  version: number;
  updatedAt: string;
}

/** The boards an account belongs to, or with `all` every board (an admin's view), newest first. */
export async function listBoards(db: D1Database, accountId: string, all: boolean): Promise<BoardListing[]> {
  const { results } = await db
    .prepare(
      `SELECT b.id, b.title, b.template, b.campaign_id AS campaignId, c.title AS campaignTitle,
         m.role, b.locked, b.phase, b.version, b.updated_at AS updatedAt
       FROM boards b JOIN campaigns c ON c.id = b.campaign_id
       LEFT JOIN board_members m ON m.board_id = b.id AND m.account_id = ?1
       WHERE ?2 OR m.role IS NOT NULL ORDER BY b.updated_at DESC, b.id`,
    )
    .bind(accountId, all ? 1 : 0)
    .all<Omit<BoardListing, 'locked'> & { locked: number }>();
  return results.map((row) => ({ ...row, locked: row.locked === 1 }));
}

export function insertBoardStatements(
  db: D1Database,
  board: {
    id: string;
    campaignId: string;
    title: string;
    template: Template;
    anonymous: boolean;
    voteBudget: number;
    votesPerCard: number | null;
    createdBy: string;
    at: string;
  },
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO boards (id, campaign_id, title, template, anonymous, vote_budget, votes_per_card,
           created_at, created_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8)`,
      )
      .bind(
        board.id,
        board.campaignId,
        board.title,
        board.template,
        board.anonymous ? 1 : 0,
        board.voteBudget,
        board.votesPerCard,
        board.at,
        board.createdBy,
      ),
    db
      .prepare(
        `INSERT INTO board_members (board_id, account_id, role, invited_at, joined_at)
         VALUES (?, ?, 'facilitator', ?3, ?3)`,
      )
      .bind(board.id, board.createdBy, board.at),
  ];
}

/**
 * Bumps the board's change counter, under a precondition (SQL over the state before the
 * change, with its own parameters appended after the board id and time). Put it FIRST in
 * the change's batch (`changeIf` does), and give the change's own statements the same
 * precondition: then either all of them apply or none does.
 */
function bumpStatement(
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

const changed = (result: D1Result | undefined) => (result?.meta.changes ?? 0) > 0;

/**
 * One change: the board's counter bumped under `precondition`, then the change's own
 * statements, which must test the same precondition. True when it held (and all applied).
 */
async function changeIf(
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

// ── Reading the whole board ─────────────────────────────────────────────────

const PERSON = `COALESCE(NULLIF(a.name, ''), a.email)`;

/** Everything on the board, as stored, in one snapshot. Who may see what is decided by the caller. */
export async function readBoardRows(db: D1Database, boardId: string, campaignId: string): Promise<BoardRows> {
  const [members, cards, comments, clusters, votes, ratings, plans, pilotGroups] = await db.batch([
    db
      .prepare(
        `SELECT m.account_id AS accountId, a.name, a.email, m.role, m.joined_at AS joinedAt
         FROM board_members m JOIN accounts a ON a.id = m.account_id
         WHERE m.board_id = ? ORDER BY CASE m.role WHEN 'facilitator' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, a.email`,
      )
      .bind(boardId),
    db
      .prepare(
        `SELECT c.id, c.column_id AS "column", c.position, c.text, c.tags, c.cluster_id AS clusterId, c.status,
           c.author_id AS authorId, ${PERSON} AS author, c.version, c.created_at AS createdAt,
           c.updated_at AS updatedAt, c.deleted_at AS deletedAt
         FROM board_cards c JOIN accounts a ON a.id = c.author_id
         WHERE c.board_id = ? ORDER BY c.column_id, c.position, c.created_at, c.id`,
      )
      .bind(boardId),
    db
      .prepare(
        `SELECT m.id, m.card_id AS cardId, m.author_id AS authorId, ${PERSON} AS author, m.text,
           m.created_at AS createdAt, m.deleted_at AS deletedAt
         FROM board_comments m JOIN accounts a ON a.id = m.author_id
         WHERE m.board_id = ? ORDER BY m.created_at, m.id`,
      )
      .bind(boardId),
    db
      .prepare(
        `SELECT id, name, version, created_by AS createdBy, deleted_at AS deletedAt
         FROM board_clusters WHERE board_id = ? ORDER BY rowid`,
      )
      .bind(boardId),
    db
      .prepare('SELECT card_id AS cardId, account_id AS accountId, dots FROM board_votes WHERE board_id = ?')
      .bind(boardId),
    db
      .prepare(
        `SELECT r.card_id AS cardId, r.account_id AS accountId, ${PERSON} AS author, r.indicator, r.score, r.note
         FROM board_ratings r JOIN accounts a ON a.id = r.account_id WHERE r.board_id = ? ORDER BY r.rowid`,
      )
      .bind(boardId),
    db
      .prepare(
        `SELECT p.competency_id AS competencyId, p.plan, p.version, p.updated_at AS updatedAt,
           ${PERSON} AS updatedBy
         FROM board_plans p JOIN accounts a ON a.id = p.updated_by WHERE p.board_id = ? ORDER BY p.rowid`,
      )
      .bind(boardId),
    db
      .prepare(
        `SELECT g.competency_id AS competencyId, COUNT(m.staff_id) AS members,
           COUNT(DISTINCT s.school_id) AS schools, coach.name AS coach
         FROM pilot_groups g
         LEFT JOIN pilot_group_members m ON m.campaign_id = g.campaign_id AND m.competency_id = g.competency_id
         LEFT JOIN staff s ON s.staff_id = m.staff_id
         LEFT JOIN staff coach ON coach.staff_id = g.coach_id
         WHERE g.campaign_id = ? GROUP BY g.competency_id`,
      )
      .bind(campaignId),
  ]);
  return {
    members: (members?.results ?? []) as MemberRow[],
    cards: ((cards?.results ?? []) as Array<Omit<CardRow, 'tags'> & { tags: string }>).map((row) => ({
      ...row,
      tags: JSON.parse(row.tags) as string[],
    })),
    comments: (comments?.results ?? []) as CommentRow[],
    clusters: (clusters?.results ?? []) as ClusterRow[],
    votes: (votes?.results ?? []) as VoteRow[],
    ratings: (ratings?.results ?? []) as RatingRow[],
    plans: ((plans?.results ?? []) as Array<Omit<PlanRow, keyof PlanContent> & { plan: string }>).map(
      ({ plan, ...row }) => ({ ...row, ...(JSON.parse(plan) as PlanContent) }),
    ),
    pilotGroups: (pilotGroups?.results ?? []) as PilotGroupCount[],
  };
}

export async function readCard(db: D1Database, boardId: string, cardId: string): Promise<CardRow | null> {
  const row = await db
    .prepare(
      `SELECT c.id, c.column_id AS "column", c.position, c.text, c.tags, c.cluster_id AS clusterId, c.status,
         c.author_id AS authorId, ${PERSON} AS author, c.version, c.created_at AS createdAt,
         c.updated_at AS updatedAt, c.deleted_at AS deletedAt
       FROM board_cards c JOIN accounts a ON a.id = c.author_id WHERE c.board_id = ? AND c.id = ?`,
    )
    .bind(boardId, cardId)
    .first<Omit<CardRow, 'tags'> & { tags: string }>();
  return row ? { ...row, tags: JSON.parse(row.tags) as string[] } : null;
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

export function isColumnOf(template: Template, column: string): boolean {
  return TEMPLATE_SPECS[template].columns.some((c) => c.id === column);
}

// ── Members and invitations ─────────────────────────────────────────────────

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

// ── Settings ────────────────────────────────────────────────────────────────

export interface SettingsChange {
  title?: string;
  locked?: boolean;
  voteBudget?: number;
  votesPerCard?: number | null;
  votesRevealed?: boolean;
  phase?: number;
  timerEndsAt?: string | null;
}

const SETTING_COLUMNS: Record<keyof SettingsChange, string> = {
  title: 'title',
  locked: 'locked',
  voteBudget: 'vote_budget',
  votesPerCard: 'votes_per_card',
  votesRevealed: 'votes_revealed',
  phase: 'phase',
  timerEndsAt: 'timer_ends_at',
};

/** Changes the settings named in `change`; false when `expected` is no longer the settings' version. */
export async function changeSettings(
  db: D1Database,
  boardId: string,
  expected: number,
  change: SettingsChange,
  at: string,
): Promise<boolean> {
  const entries = Object.entries(change).filter(([, value]) => value !== undefined) as Array<
    [keyof SettingsChange, unknown]
  >;
  const assignments = entries.map(([key], i) => `${SETTING_COLUMNS[key]} = ?${i + 4}`);
  const values = entries.map(([, value]) => (typeof value === 'boolean' ? Number(value) : value));
  const result = await db
    .prepare(
      `UPDATE boards SET ${[...assignments, 'version = version + 1', 'settings_version = settings_version + 1', 'updated_at = ?2'].join(', ')}
       WHERE id = ?1 AND settings_version = ?3`,
    )
    .bind(boardId, at, expected, ...values)
    .run();
  return changed(result);
}

// ── Cards, comments, clusters ───────────────────────────────────────────────

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

// ── Dots ────────────────────────────────────────────────────────────────────

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

// ── Hexagon ratings and plans ───────────────────────────────────────────────

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

/**
 * Saves a focus's plan: `expected` 0 starts it (refused if someone started it first),
 * otherwise it must be the plan's current version. False when refused.
 */
export async function savePlan(
  db: D1Database,
  plan: { boardId: string; competencyId: string; expected: number; content: PlanContent; by: string; at: string },
): Promise<boolean> {
  const content = JSON.stringify(plan.content);
  const fresh = 'NOT EXISTS (SELECT 1 FROM board_plans WHERE board_id = ?1 AND competency_id = ?3)';
  const same = 'EXISTS (SELECT 1 FROM board_plans WHERE board_id = ?1 AND competency_id = ?3 AND version = ?4)';
  if (plan.expected === 0) {
    return changeIf(
      db,
      plan.boardId,
      plan.at,
      fresh,
      [plan.competencyId],
      [
        db
          .prepare(
            `INSERT INTO board_plans (board_id, competency_id, plan, updated_at, updated_by)
           SELECT ?1, ?3, ?4, ?2, ?5 WHERE ${fresh}`,
          )
          .bind(plan.boardId, plan.at, plan.competencyId, content, plan.by),
      ],
    );
  }
  return changeIf(
    db,
    plan.boardId,
    plan.at,
    same,
    [plan.competencyId, plan.expected],
    [
      db
        .prepare(
          `UPDATE board_plans SET plan = ?5, version = version + 1, updated_at = ?2, updated_by = ?6
         WHERE board_id = ?1 AND competency_id = ?3 AND version = ?4`,
        )
        .bind(plan.boardId, plan.at, plan.competencyId, plan.expected, content, plan.by),
    ],
  );
}
