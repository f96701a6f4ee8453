/**
 * What the board routes read and answer, as the OpenAPI document states it. The bounds
 * are domain/boards.ts's named limits, which the site's forms use too.
 */
import { z } from 'zod';
import { DEFAULT_EXPORT_FORMAT, DEFAULT_EXPORT_PART, EXPORT_FORMATS, EXPORT_PARTS } from '../domain/board-export';
import {
  BOARD_ROLES,
  CARD_STATUSES,
  CARD_TEXT_MAX,
  CLUSTER_CARDS_MAX,
  COMMENT_TEXT_MAX,
  DEFAULT_VOTE_BUDGET,
  FEEDBACK_MEASURES,
  ID_MAX,
  INVITEE_EMAIL_MAX,
  INVITEE_NAME_MAX,
  JOIN_TOKEN_MAX,
  PLAN_MEASURE_MAX,
  PLAN_MEASURES_MAX,
  PLAN_STEP_WHAT_MAX,
  PLAN_STEP_WHEN_MAX,
  PLAN_STEPS_MAX,
  PLAN_STRATEGIES_MAX,
  PROGRESSION_LEVELS,
  PROGRESSION_TEXT_MAX,
  RATING_NOTE_MAX,
  RATING_SCORE_MAX,
  RATING_SCORE_MIN,
  TAGS_MAX,
  TEMPLATES,
  TIMER_SECONDS_MAX,
  TIMER_SECONDS_MIN,
  TITLE_MAX,
  VOTE_BUDGET_MAX,
  VOTE_BUDGET_MIN,
} from '../domain/boards';
import { competencies, hexagonIndicators, strategies } from '../domain/framework';

// ── Requests ────────────────────────────────────────────────────────────────

const competencyIds = new Set(competencies.map((c) => c.id));
const strategyIds = new Set(strategies.map((s) => s.id));
const indicator = z.enum(hexagonIndicators.map(({ id }) => id) as [string, ...string[]]);

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const title = text(TITLE_MAX);
const identifier = z.string().max(ID_MAX);
const version = z.number().int().min(0);
const tags = z
  .array(z.string().refine((id) => competencyIds.has(id), 'is not a competency of the framework'))
  .max(TAGS_MAX, `at most ${TAGS_MAX} tags`)
  .refine((list) => new Set(list).size === list.length, 'lists a tag twice');
const budget = z
  .number()
  .int()
  .min(VOTE_BUDGET_MIN, `must be at least ${VOTE_BUDGET_MIN}`)
  .max(VOTE_BUDGET_MAX, `must be at most ${VOTE_BUDGET_MAX}`);
/** A change sends its version and at least one thing to change. */
const notEmpty = (body: object) => Object.keys(body).length > 1;
const boardRole = z.enum(BOARD_ROLES);

export const newBoard = z.strictObject({
  campaignId: identifier.min(1),
  title,
  template: z.enum(TEMPLATES),
  anonymous: z.boolean().default(false),
  voteBudget: budget.default(DEFAULT_VOTE_BUDGET),
  votesPerCard: budget.nullable().default(null),
});

export const joinRequest = z.strictObject({ token: z.string().max(JOIN_TOKEN_MAX) });

export const pollQuery = z.object({ since: z.coerce.number().int().optional() });

export const settingsChange = z
  .strictObject({
    settingsVersion: version,
    title: title.optional(),
    locked: z.boolean().optional(),
    voteBudget: budget.optional(),
    votesPerCard: budget.nullable().optional(),
    votesRevealed: z.boolean().optional(),
    phase: z.number().int().min(0).optional(),
    timerSeconds: z.number().int().min(TIMER_SECONDS_MIN).max(TIMER_SECONDS_MAX).nullable().optional(),
  })
  .refine(notEmpty, 'send at least one setting to change');

export const invitation = z.strictObject({
  email: z.email('is not an email address').max(INVITEE_EMAIL_MAX),
  name: z.string().trim().max(INVITEE_NAME_MAX).default(''),
  role: boardRole,
});

export const memberRoleChange = z.strictObject({ role: boardRole });

export const newCard = z.strictObject({ column: identifier, text: text(CARD_TEXT_MAX), tags: tags.default([]) });

export const cardChange = z
  .strictObject({
    version,
    text: text(CARD_TEXT_MAX).optional(),
    tags: tags.optional(),
    column: identifier.optional(),
    position: z.number().int().min(0).optional(),
    clusterId: identifier.nullable().optional(),
    status: z.enum(['visible', 'hidden']).optional(),
  })
  .refine(notEmpty, 'send at least one change');

export const newComment = z.strictObject({ text: text(COMMENT_TEXT_MAX) });

export const newCluster = z.strictObject({
  name: title,
  cardIds: z.array(identifier).min(1, 'choose at least one card').max(CLUSTER_CARDS_MAX),
});

export const clusterRename = z.strictObject({ version, name: title });

const scoreRange = `must be ${RATING_SCORE_MIN} to ${RATING_SCORE_MAX}`;

export const rating = z.strictObject({
  cardId: identifier,
  indicator,
  score: z.number().int().min(RATING_SCORE_MIN, scoreRange).max(RATING_SCORE_MAX, scoreRange).nullable(),
  note: z.string().trim().max(RATING_NOTE_MAX, `must be at most ${RATING_NOTE_MAX} characters`).default(''),
});

const level = z.strictObject({
  educators: z.string().trim().max(PROGRESSION_TEXT_MAX),
  staff: z.string().trim().max(PROGRESSION_TEXT_MAX),
  students: z.string().trim().max(PROGRESSION_TEXT_MAX),
});

export const plan = z.strictObject({
  version,
  progression: z.array(level).length(PROGRESSION_LEVELS, `must have exactly ${PROGRESSION_LEVELS} levels`),
  strategies: z
    .array(z.string().refine((id) => strategyIds.has(id), 'is not a strategy of the framework'))
    .max(PLAN_STRATEGIES_MAX, `at most ${PLAN_STRATEGIES_MAX} strategies`)
    .refine((list) => new Set(list).size === list.length, 'lists a strategy twice'),
  timeline: z
    .array(z.strictObject({ when: text(PLAN_STEP_WHEN_MAX), what: text(PLAN_STEP_WHAT_MAX) }))
    .max(PLAN_STEPS_MAX, `at most ${PLAN_STEPS_MAX} steps`),
  successMeasures: z.array(text(PLAN_MEASURE_MAX)).max(PLAN_MEASURES_MAX, `at most ${PLAN_MEASURES_MAX} measures`),
  feedback: z
    .array(z.enum(FEEDBACK_MEASURES))
    .refine((list) => new Set(list).size === list.length, 'lists a measure twice'),
});

export const exportQuery = z.object({
  format: z.enum(EXPORT_FORMATS).default(DEFAULT_EXPORT_FORMAT),
  part: z.enum(EXPORT_PARTS).default(DEFAULT_EXPORT_PART),
});

// ── Answers ─────────────────────────────────────────────────────────────────

export const boardListing = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      template: z.enum(TEMPLATES),
      campaignId: z.string(),
      campaignTitle: z.string(),
      /** An admin who is no member sees every board, as its facilitator. */
      role: boardRole,
      locked: z.boolean(),
      phase: z.number().int(),
      phaseName: z.string(),
      version: z.number().int(),
      updatedAt: z.string(),
    }),
  ),
  /** The campaigns a new board may be built on; null for an account that may not create boards. */
  campaigns: z.array(z.object({ id: z.string(), title: z.string() })).nullable(),
});

const comment = z.object({
  id: z.string(),
  text: z.string(),
  author: z.string().nullable(),
  mine: z.boolean(),
  createdAt: z.string(),
  deletedAt: z.string().nullable(),
});

const card = z.object({
  id: z.string(),
  column: z.string(),
  /** 0, 1, 2… within its column as the reader sees it; −1 for a deleted card. */
  position: z.number().int().min(-1),
  text: z.string(),
  tags: z.array(z.string()),
  clusterId: z.string().nullable(),
  status: z.enum(CARD_STATUSES),
  author: z.string().nullable(),
  mine: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
  myVotes: z.number().int().min(0),
  /** Everyone's dots: null until the facilitator reveals the votes. */
  votes: z.number().int().min(0).nullable(),
  comments: z.array(comment),
});

const indicatorSummary = z.object({
  indicator,
  n: z.number().int(),
  mean: z.number().nullable(),
  sd: z.number().nullable(),
  min: z.number().int().nullable(),
  max: z.number().int().nullable(),
  wideDisagreement: z.boolean(),
});

const planView = z.object({
  competencyId: z.string(),
  name: z.string(),
  progression: z.array(z.object({ educators: z.string(), staff: z.string(), students: z.string() })),
  strategies: z.array(z.string()),
  timeline: z.array(z.object({ when: z.string(), what: z.string() })),
  successMeasures: z.array(z.string()),
  feedback: z.array(z.enum(FEEDBACK_MEASURES)),
  pilotGroup: z
    .object({ members: z.number().int(), schools: z.number().int(), coach: z.string().nullable() })
    .nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});

/** The whole board as the caller may see it (domain/board-view.ts): what every board write answers. */
export const boardState = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    campaignTitle: z.string(),
    template: z.enum(TEMPLATES),
    columns: z.array(z.object({ id: z.string(), name: z.string(), prompt: z.string() })),
    phases: z.array(z.string()),
    title: z.string(),
    anonymous: z.boolean(),
    locked: z.boolean(),
    voteBudget: z.number().int(),
    votesPerCard: z.number().int().nullable(),
    votesRevealed: z.boolean(),
    phase: z.number().int(),
    timerEndsAt: z.string().nullable(),
    version: z.number().int(),
    settingsVersion: z.number().int(),
    serverTime: z.string(),
    you: z.object({ accountId: z.string(), role: boardRole, votesLeft: z.number().int().min(0) }),
    votesPlaced: z.number().int(),
    members: z.array(
      z.object({
        accountId: z.string(),
        name: z.string(),
        email: z.string(),
        role: boardRole,
        joinedAt: z.string().nullable(),
      }),
    ),
    cards: z.array(card),
    clusters: z.array(
      z.object({ id: z.string(), name: z.string(), version: z.number().int(), deletedAt: z.string().nullable() }),
    ),
    hexagon: z.array(
      z.object({
        cardId: z.string(),
        indicators: z.array(indicatorSummary),
        mine: z.partialRecord(indicator, z.object({ score: z.number().int(), note: z.string() })),
        notes: z.array(z.object({ indicator, note: z.string(), author: z.string().nullable() })),
      }),
    ),
    plans: z.array(planView),
  })
  .meta({ id: 'Board' });

export const invitationSent = z.object({
  accountId: z.string(),
  email: z.string(),
  role: boardRole,
  /** False when the mail could not be sent; the invitation stands, and inviting again sends a new link. */
  emailed: z.boolean(),
});

export const joined = z.object({ boardId: z.string() });

/** Who has the board open now (members only; what a member already sees in the board's member list). */
export const presence = z.object({
  here: z.array(z.object({ accountId: z.string(), name: z.string() })),
  /** How often to say you are still here, in seconds. */
  beatSeconds: z.number().int().positive(),
});

/** The survey's findings beside a board, suppressed as on the director's dashboard. */
export const boardEvidence = z.object({
  campaignId: z.string(),
  campaignTitle: z.string(),
  minGroupSize: z.number().int(),
  respondents: z.number().int(),
  focuses: z.array(
    z.union([
      z.object({
        competencyId: z.string(),
        name: z.string(),
        rank: z.number().int(),
        mwds: z.number(),
        priority: z.number(),
      }),
      z.object({ competencyId: z.string(), name: z.string(), suppressed: z.literal(true) }),
    ]),
  ),
  hotspots: z.array(z.object({ competencyId: z.string(), name: z.string(), school: z.string(), mwds: z.number() })),
});
