/**
 * A board as one reader may see it: what the anonymous mode, moderation, soft deletes
 * and hidden votes leave in view for their board role. Pure: the rows come from
 * db/boards.ts, and every route answers with this.
 *
 * On an anonymous board no field says who wrote what, whoever reads (facilitators and
 * admins included): card, comment and Hexagon-note authors and a plan's last saver are
 * null, clusters and votes carry no account, and `mine` speaks only of the reader's own.
 * The member list stays: it says who belongs to the board, which its facilitators manage.
 */
import {
  type BoardRole,
  type BoardSettings,
  type BoardState,
  type CardView,
  canFacilitate,
  type FeedbackMeasure,
  type HexagonRow,
  type PlanView,
  summarizeProgram,
  TEMPLATE_SPECS,
  type Template,
} from './boards';
import { competencies } from './framework';

/** A board's settings as stored, with the reader's membership. */
export interface BoardHead extends BoardSettings {
  id: string;
  campaignId: string;
  campaignTitle: string;
  template: Template;
  version: number;
  settingsVersion: number;
  createdBy: string;
  updatedAt: string;
  /** The reader's membership, null when they are not a member. */
  memberRole: BoardRole | null;
}

/** A board's contents as stored (db/boards.ts reads them in one snapshot). */
export interface MemberRow {
  accountId: string;
  name: string;
  email: string;
  role: BoardRole;
  joinedAt: string | null;
}

/** A card as stored: `position` is its fractional place, `author` always the name. */
export interface CardRow
  extends Pick<
    CardView,
    'id' | 'column' | 'position' | 'text' | 'tags' | 'clusterId' | 'status' | 'version' | 'updatedAt'
  > {
  authorId: string;
  author: string;
  createdAt: string;
  deletedAt: string | null;
}

export interface CommentRow {
  id: string;
  cardId: string;
  authorId: string;
  author: string;
  text: string;
  createdAt: string;
  deletedAt: string | null;
}

export interface ClusterRow {
  id: string;
  name: string;
  version: number;
  createdBy: string;
  deletedAt: string | null;
}

export interface VoteRow {
  cardId: string;
  accountId: string;
  dots: number;
}

export interface RatingRow {
  cardId: string;
  accountId: string;
  author: string;
  indicator: string;
  score: number;
  note: string;
}

export interface PlanContent {
  progression: Array<{ educators: string; staff: string; students: string }>;
  strategies: string[];
  timeline: Array<{ when: string; what: string }>;
  successMeasures: string[];
  feedback: FeedbackMeasure[];
}

export interface PlanRow extends PlanContent {
  competencyId: string;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface PilotGroupCount {
  competencyId: string;
  members: number;
  schools: number;
  coach: string | null;
}

export interface BoardRows {
  members: MemberRow[];
  cards: CardRow[];
  comments: CommentRow[];
  clusters: ClusterRow[];
  votes: VoteRow[];
  ratings: RatingRow[];
  plans: PlanRow[];
  pilotGroups: PilotGroupCount[];
}

const competencyName = new Map(competencies.map((c) => [c.id, c.name]));

export interface Reader {
  accountId: string;
  role: BoardRole;
}

/** Whether the reader sees this card at all: pending, hidden and deleted cards only reach their author and facilitators. */
export function cardVisibleTo(card: Pick<CardRow, 'status' | 'authorId' | 'deletedAt'>, reader: Reader): boolean {
  if (card.authorId === reader.accountId || canFacilitate(reader.role)) return true;
  return card.deletedAt === null && card.status === 'visible';
}

export function boardView(head: BoardHead, rows: BoardRows, reader: Reader, now: Date): BoardState {
  const spec = TEMPLATE_SPECS[head.template];
  const facilitator = canFacilitate(reader.role);
  const named = (author: string) => (head.anonymous ? null : author);
  const live = new Set(rows.cards.filter((card) => card.deletedAt === null).map((card) => card.id));
  const liveClusters = new Set(rows.clusters.filter((cluster) => cluster.deletedAt === null).map((c) => c.id));

  const mine = new Map<string, number>();
  const totals = new Map<string, number>();
  let myDots = 0;
  let votesPlaced = 0;
  for (const vote of rows.votes) {
    if (!live.has(vote.cardId)) continue;
    totals.set(vote.cardId, (totals.get(vote.cardId) ?? 0) + vote.dots);
    votesPlaced += vote.dots;
    if (vote.accountId === reader.accountId) {
      mine.set(vote.cardId, vote.dots);
      myDots += vote.dots;
    }
  }

  const comments = new Map<string, CardView['comments']>();
  for (const comment of rows.comments) {
    const own = comment.authorId === reader.accountId;
    if (comment.deletedAt !== null && !own && !facilitator) continue;
    const list = comments.get(comment.cardId) ?? [];
    list.push({
      id: comment.id,
      text: comment.text,
      author: named(comment.author),
      mine: own,
      createdAt: comment.createdAt,
      deletedAt: comment.deletedAt,
    });
    comments.set(comment.cardId, list);
  }

  const shown = rows.cards.filter((card) => cardVisibleTo(card, reader));
  const places = new Map<string, number>();
  for (const column of spec.columns) {
    const inColumn = shown
      .filter((card) => card.column === column.id && card.deletedAt === null)
      .sort((a, b) => a.position - b.position || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    for (const [index, card] of inColumn.entries()) places.set(card.id, index);
  }
  const columnOrder = new Map(spec.columns.map((column, index) => [column.id, index]));
  const cards: CardView[] = shown
    .map((card) => ({
      id: card.id,
      column: card.column,
      position: places.get(card.id) ?? -1,
      text: card.text,
      tags: card.tags,
      clusterId: card.clusterId !== null && liveClusters.has(card.clusterId) ? card.clusterId : null,
      status: card.status,
      author: named(card.author),
      mine: card.authorId === reader.accountId,
      version: card.version,
      updatedAt: card.updatedAt,
      deletedAt: card.deletedAt,
      myVotes: mine.get(card.id) ?? 0,
      votes: head.votesRevealed ? (totals.get(card.id) ?? 0) : null,
      comments: comments.get(card.id) ?? [],
    }))
    .sort(
      (a, b) =>
        (columnOrder.get(a.column) ?? 0) - (columnOrder.get(b.column) ?? 0) ||
        (a.position === -1 ? 1 : 0) - (b.position === -1 ? 1 : 0) ||
        a.position - b.position,
    );

  const hexagon: HexagonRow[] =
    head.template === 'hexagon'
      ? cards
          .filter((card) => card.column === 'programs' && card.deletedAt === null && card.status === 'visible')
          .map((card) => {
            const ratings = rows.ratings.filter((rating) => rating.cardId === card.id);
            return {
              cardId: card.id,
              indicators: summarizeProgram(ratings),
              mine: Object.fromEntries(
                ratings
                  .filter((rating) => rating.accountId === reader.accountId)
                  .map((rating) => [rating.indicator, { score: rating.score, note: rating.note }]),
              ),
              notes: ratings
                .filter((rating) => rating.note !== '')
                .map((rating) => ({ indicator: rating.indicator, note: rating.note, author: named(rating.author) })),
            };
          })
      : [];

  const pilotGroups = new Map(rows.pilotGroups.map((group) => [group.competencyId, group]));
  const plans: PlanView[] = rows.plans.map((plan) => {
    const group = pilotGroups.get(plan.competencyId);
    return {
      competencyId: plan.competencyId,
      name: competencyName.get(plan.competencyId) ?? plan.competencyId,
      progression: plan.progression,
      strategies: plan.strategies,
      timeline: plan.timeline,
      successMeasures: plan.successMeasures,
      feedback: plan.feedback,
      pilotGroup: group ? { members: group.members, schools: group.schools, coach: group.coach } : null,
      version: plan.version,
      updatedAt: plan.updatedAt,
      updatedBy: named(plan.updatedBy),
    };
  });

  return {
    id: head.id,
    campaignId: head.campaignId,
    campaignTitle: head.campaignTitle,
    template: head.template,
    columns: spec.columns,
    phases: spec.phases,
    title: head.title,
    anonymous: head.anonymous,
    locked: head.locked,
    voteBudget: head.voteBudget,
    votesPerCard: head.votesPerCard,
    votesRevealed: head.votesRevealed,
    phase: head.phase,
    timerEndsAt: head.timerEndsAt,
    version: head.version,
    settingsVersion: head.settingsVersion,
    serverTime: now.toISOString(),
    you: { accountId: reader.accountId, role: reader.role, votesLeft: Math.max(0, head.voteBudget - myDots) },
    votesPlaced,
    members: rows.members,
    cards,
    clusters: rows.clusters.map(({ id, name, version, deletedAt }) => ({ id, name, version, deletedAt })),
    hexagon,
    plans,
  };
}
