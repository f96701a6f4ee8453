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
 * the change's batch, and give the change's own statements the same precondition: then
 * either all of them apply or none does, and `changed(results[0])` says which.
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
