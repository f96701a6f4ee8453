/**
 * Boards themselves: what every route checks first, the list, a new board, its settings,
 * and the whole board read in one batch (one consistent snapshot). Cards, members,
 * clusters, votes and plans have their own board-*.ts; board-changes.ts says how every
 * change is one batch under one precondition.
 */
import type {
  BoardHead,
  BoardRows,
  ClusterRow,
  CommentRow,
  MemberRow,
  PilotGroupCount,
  PlanContent,
  PlanRow,
  RatingRow,
  VoteRow,
} from '../domain/board-view';
import type { BoardRole, Template } from '../domain/boards';
import { CARD_COLUMNS, type StoredCard, toCard } from './board-cards';
import { changed, PERSON } from './board-changes';

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
        `SELECT ${CARD_COLUMNS} FROM board_cards c JOIN accounts a ON a.id = c.author_id
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
           COUNT(DISTINCT s.school_id) AS schools,
           (SELECT group_concat(name, ', ') FROM (SELECT cs.name FROM pilot_group_coaches c
              JOIN staff cs ON cs.staff_id = c.staff_id
              WHERE c.campaign_id = g.campaign_id AND c.competency_id = g.competency_id ORDER BY c.rowid)) AS coach
         FROM pilot_groups g
         LEFT JOIN pilot_group_members m ON m.campaign_id = g.campaign_id AND m.competency_id = g.competency_id
         LEFT JOIN staff s ON s.staff_id = m.staff_id
         WHERE g.campaign_id = ? GROUP BY g.competency_id`,
      )
      .bind(campaignId),
  ]);
  return {
    members: (members?.results ?? []) as MemberRow[],
    cards: ((cards?.results ?? []) as StoredCard[]).map(toCard),
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
