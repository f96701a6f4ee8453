/**
 * Co-design boards: the templates a design team works in, the limits of what a board
 * holds, the shapes a board's state is read in, and the Hexagon Tool's summary. Pure:
 * routes/boards*.ts and db/board*.ts do the reading, checking and storing.
 */
import { hexagonIndicators } from './framework';

export const TEMPLATES = ['protocol', 'hexagon', 'plan'] as const;
export type Template = (typeof TEMPLATES)[number];

export interface Column {
  id: string;
  name: string;
  /** What goes in it, as the board shows under the column's name. */
  prompt: string;
}

export interface TemplateSpec {
  name: string;
  columns: Column[];
  /** The phases a facilitator moves the board through, in order. */
  phases: string[];
}

export const TEMPLATE_SPECS: Record<Template, TemplateSpec> = {
  protocol: {
    name: 'Problem-solving protocol',
    columns: [
      { id: 'working', name: 'What is working', prompt: 'Practices and supports that help now.' },
      { id: 'not-working', name: 'What is not working', prompt: 'Where students or staff struggle.' },
      { id: 'root-causes', name: 'Root causes', prompt: 'Why the problems happen, as far as we can tell.' },
      { id: 'ideas', name: 'Ideas', prompt: 'What professional learning could change.' },
      { id: 'next-steps', name: 'Next steps', prompt: 'Who does what, by when.' },
    ],
    phases: ['Gather', 'Find root causes', 'Generate ideas', 'Vote', 'Agree on next steps'],
  },
  hexagon: {
    name: 'Hexagon Tool',
    columns: [{ id: 'programs', name: 'Candidate programs', prompt: 'One card per program or practice to weigh.' }],
    phases: ['Name candidates', 'Rate', 'Discuss disagreements', 'Decide'],
  },
  plan: {
    name: 'Professional learning plan',
    columns: [{ id: 'notes', name: 'Notes and questions', prompt: 'What the plan still needs to settle.' }],
    phases: ['Draft', 'Review', 'Final'],
  },
};

// The limits and defaults the board routes enforce (schemas/boards.ts), named so that the
// site's forms hold the same numbers.

/** The longest id the routes accept (a campaign, card, cluster or column id). */
export const ID_MAX = 64;
export const CARD_TEXT_MAX = 1000;
export const COMMENT_TEXT_MAX = 1000;
/** A board's title, and a cluster's name. */
export const TITLE_MAX = 120;
export const TAGS_MAX = 5;
/** The cards one new cluster may group. */
export const CLUSTER_CARDS_MAX = 200;
/** Dots each member may place; a board's per-card cap (none by default) has the same bounds. */
export const DEFAULT_VOTE_BUDGET = 5;
export const VOTE_BUDGET_MIN = 1;
export const VOTE_BUDGET_MAX = 50;
/** The shared timer's length, in seconds. */
export const TIMER_SECONDS_MIN = 1;
export const TIMER_SECONDS_MAX = 3 * 3600;
/** An invited colleague's address (the longest mail can deliver to) and the name an invitation gives a new account. */
export const INVITEE_EMAIL_MAX = 254;
export const INVITEE_NAME_MAX = 200;
/**
 * Presence: an open board page says it is there every PRESENCE_BEAT_SECONDS; a member whose
 * last word is older than PRESENCE_SECONDS (a closed lid, a lost network) no longer counts.
 */
export const PRESENCE_BEAT_SECONDS = 5;
export const PRESENCE_SECONDS = 15;
/** How long a join link works: long enough for a colleague to get to their email, single use. */
export const INVITATION_HOURS = 72;
/** A join link's token is 43 characters; anything much longer is not one. */
export const JOIN_TOKEN_MAX = 100;
/** The campaigns GET /api/boards offers to build a new board on, newest first. */
export const CAMPAIGN_CHOICES_MAX = 100;
/** A Hexagon Tool rating: a score on 1–5 and an optional note. */
export const RATING_SCORE_MIN = 1;
export const RATING_SCORE_MAX = 5;
export const RATING_NOTE_MAX = 500;
/** A PL plan: its progression's levels (each cell as long as a card), strategies, timeline and measures. */
export const PROGRESSION_LEVELS = 5;
export const PROGRESSION_TEXT_MAX = CARD_TEXT_MAX;
export const PLAN_STRATEGIES_MAX = 10;
export const PLAN_STEPS_MAX = 20;
export const PLAN_STEP_WHEN_MAX = 100;
export const PLAN_STEP_WHAT_MAX = 500;
export const PLAN_MEASURES_MAX = 10;
export const PLAN_MEASURE_MAX = 500;
/** A Hexagon indicator's ratings this far apart (max − min, on 1–5) are flagged for discussion. */
export const WIDE_DISAGREEMENT = 3;

/** The PL feedback survey's measures a plan can say it will use (PRODUCT "PL feedback"). */
export const FEEDBACK_MEASURES = ['relevance', 'quality', 'preparedness', 'recommend', 'comment'] as const;
export type FeedbackMeasure = (typeof FEEDBACK_MEASURES)[number];

export const BOARD_ROLES = ['facilitator', 'member', 'viewer'] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];

/** What a board role may do: viewers read; members add and change; facilitators run the board. */
export const canWrite = (role: BoardRole) => role !== 'viewer';
export const canFacilitate = (role: BoardRole) => role === 'facilitator';

export function isColumnOf(template: Template, column: string): boolean {
  return TEMPLATE_SPECS[template].columns.some((c) => c.id === column);
}

/**
 * A card's state: `visible` to everyone; `pending` (a new card on an anonymous board,
 * waiting for the facilitator) and `hidden` (moderated away) show only to its author and
 * the facilitators.
 */
export const CARD_STATUSES = ['visible', 'pending', 'hidden'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

export interface CardView {
  id: string;
  column: string;
  /** 0, 1, 2… within its column as the reader sees it; −1 for a deleted card. */
  position: number;
  text: string;
  tags: string[];
  clusterId: string | null;
  status: CardStatus;
  /** The author's name, or null on an anonymous board (for every reader; `mine` tells the author). */
  author: string | null;
  mine: boolean;
  version: number;
  updatedAt: string;
  /** Set only on cards the reader may restore (their own, or any for a facilitator). */
  deletedAt: string | null;
  /** The reader's own dots on this card. */
  myVotes: number;
  /** Everyone's dots: null until the facilitator reveals the votes. */
  votes: number | null;
  comments: CommentView[];
}

export interface CommentView {
  id: string;
  text: string;
  author: string | null;
  mine: boolean;
  createdAt: string;
  /** Set only on comments the reader may restore (their own, or any for a facilitator). */
  deletedAt: string | null;
}

export interface ClusterView {
  id: string;
  name: string;
  version: number;
  /** Set once the cluster is ungrouped (its cards then show no cluster), until someone restores it. */
  deletedAt: string | null;
}

export interface MemberView {
  accountId: string;
  name: string;
  email: string;
  role: BoardRole;
  /** When they first opened the board; null while the invitation is unused. */
  joinedAt: string | null;
}

export interface IndicatorSummary {
  indicator: string;
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null below two ratings. */
  sd: number | null;
  min: number | null;
  max: number | null;
  wideDisagreement: boolean;
}

export interface HexagonRow {
  cardId: string;
  indicators: IndicatorSummary[];
  /** The reader's own ratings, by indicator. */
  mine: Record<string, { score: number; note: string }>;
  /** Every member's notes (not who wrote them on an anonymous board). */
  notes: Array<{ indicator: string; note: string; author: string | null }>;
}

export interface PlanView {
  competencyId: string;
  name: string;
  progression: Array<{ educators: string; staff: string; students: string }>;
  strategies: string[];
  timeline: Array<{ when: string; what: string }>;
  successMeasures: string[];
  feedback: FeedbackMeasure[];
  /** The campaign's confirmed pilot group for this focus, as a count (names stay with the director). */
  pilotGroup: { members: number; schools: number; coach: string | null } | null;
  version: number;
  updatedAt: string;
  /** Who saved it last, or null on an anonymous board (for every reader, facilitators and admins too). */
  updatedBy: string | null;
}

export interface BoardSettings {
  title: string;
  anonymous: boolean;
  locked: boolean;
  voteBudget: number;
  votesPerCard: number | null;
  votesRevealed: boolean;
  phase: number;
  /** When the shared timer runs (or ran) out, or null when the facilitator set none. */
  timerEndsAt: string | null;
}

export interface BoardState extends BoardSettings {
  id: string;
  campaignId: string;
  campaignTitle: string;
  template: Template;
  columns: Column[];
  phases: string[];
  /** Bumped by every change to anything on the board: what the live poll compares. */
  version: number;
  /** The version of the settings alone, which a settings change must carry. */
  settingsVersion: number;
  /** The server's clock, so a browser can show the timer whatever its own clock says. */
  serverTime: string;
  you: { accountId: string; role: BoardRole; votesLeft: number };
  /** Dots everyone has placed, so a facilitator sees progress before revealing. */
  votesPlaced: number;
  members: MemberView[];
  cards: CardView[];
  clusters: ClusterView[];
  hexagon: HexagonRow[];
  plans: PlanView[];
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One indicator's ratings of one program: mean, sample SD, range, and whether to discuss. */
export function summarizeIndicator(indicator: string, scores: number[]): IndicatorSummary {
  const n = scores.length;
  if (n === 0) return { indicator, n, mean: null, sd: null, min: null, max: null, wideDisagreement: false };
  const mean = scores.reduce((sum, score) => sum + score, 0) / n;
  const sd = n > 1 ? Math.sqrt(scores.reduce((sum, score) => sum + (score - mean) ** 2, 0) / (n - 1)) : null;
  const min = Math.min(...scores);
  const max = Math.max(...scores);
  return {
    indicator,
    n,
    mean: round(mean),
    sd: sd === null ? null : round(sd),
    min,
    max,
    wideDisagreement: max - min >= WIDE_DISAGREEMENT,
  };
}

/** The six indicators of one program, in the tool's order. */
export function summarizeProgram(ratings: Array<{ indicator: string; score: number }>): IndicatorSummary[] {
  return hexagonIndicators.map((indicator) =>
    summarizeIndicator(
      indicator.id,
      ratings.filter((rating) => rating.indicator === indicator.id).map((rating) => rating.score),
    ),
  );
}
