/**
 * Co-design boards. Every route needs a signed-in account; what it may do on a board is
 * its board role (an admin acts as facilitator everywhere). Every write answers with the
 * whole board as the writer now sees it.
 *
 * How others see a change within two seconds: versioned polling of D1, not a Durable
 * Object with WebSockets. Each board row carries a change counter that every write bumps
 * in the same atomic batch as the change; a browser asks `GET /api/boards/:id?since=<v>`
 * once a second and gets 204 (one indexed read of one row) until something changed, then
 * the whole board. The reasons:
 * - D1 stays the only store. A Durable Object fanning out changes would be a second copy
 *   of the board to keep consistent with D1 (which the exports, evidence and audit read),
 *   or the board's only home, moving it out of the database every other feature queries.
 * - The load is small: 30 members polling once a second cost one primary-key read each
 *   while the board is quiet, and one board read each (a batch of eight indexed queries)
 *   while it is busy. bench/boards.ts runs 30 members each changing the board every second
 *   against `wrangler dev`: p95 propagation about 1.1 s, nothing lost. Its cost grows with
 *   the board's size (the whole board goes out per change), which a meeting's few hundred
 *   cards stay far from; if boards grow much larger, answer polls with only what changed.
 * - Plain HTTPS requests pass the filtering proxies school networks run, which often cut
 *   long-lived WebSockets; reconnecting would then be a second path to keep correct.
 * The price is up to one poll interval of delay (plus a round trip), which the two-second
 * promise allows for.
 */

import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import { type MailConfig, mailerFor } from '../auth/mailer';
import { publicLink } from '../auth/origin';
import { ROLES } from '../auth/roles';
import { type AppEnv, currentAccount, startSession } from '../auth/session';
import { hashToken, looksLikeToken, newToken } from '../auth/tokens';
import { type Account, accountByEmail, getAccount, insertAccountStatements } from '../db/accounts';
import { actorOf, auditStatement, recordAudit } from '../db/audit';
import {
  addCard,
  addComment,
  addDot,
  changeSettings,
  clusterExists,
  columnPlaces,
  createCluster,
  editCard,
  insertBoardStatements,
  invitationByHash,
  inviteStatements,
  isColumnOf,
  listBoards,
  memberRole,
  otherFacilitators,
  rate,
  readBoardHead,
  readBoardRows,
  readCard,
  readComment,
  removeDot,
  removeMemberStatements,
  renameCluster,
  type SoftDeletable,
  savePlan,
  setDeleted,
  setMemberRoleStatements,
  useInvitation,
} from '../db/boards';
import { listCampaigns, requireCampaign } from '../db/campaigns';
import { boardMarkdown, boardTable, planMarkdown, planTable } from '../domain/board-export';
import { type BoardHead, boardView, cardVisibleTo, type Reader } from '../domain/board-view';
import {
  BOARD_ROLES,
  type BoardRole,
  type BoardState,
  CARD_TEXT_MAX,
  COMMENT_TEXT_MAX,
  canFacilitate,
  canWrite,
  DEFAULT_VOTE_BUDGET,
  FEEDBACK_MEASURES,
  PROGRESSION_LEVELS,
  TAGS_MAX,
  TEMPLATE_SPECS,
  TEMPLATES,
  TIMER_SECONDS_MAX,
  TITLE_MAX,
  VOTE_BUDGET_MAX,
} from '../domain/boards';
import { competencies, hexagonIndicators, strategies } from '../domain/framework';
import { ApiError } from '../errors';
import { csv, emptyBody, jsonBody, noBody, valid } from '../http';
import { boardEvidence, publishedAggregates, topFocuses } from './insights';

/** How long a join link works: long enough for a colleague to get to their email, single use. */
const INVITATION_HOURS = 72;

const competencyIds = new Set(competencies.map((c) => c.id));
const strategyIds = new Set(strategies.map((s) => s.id));

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const title = text(TITLE_MAX);
const version = z.number().int().min(0);
const tags = z
  .array(z.string().refine((id) => competencyIds.has(id), 'is not a competency of the framework'))
  .max(TAGS_MAX, `at most ${TAGS_MAX} tags`)
  .refine((list) => new Set(list).size === list.length, 'lists a tag twice');
const budget = z.number().int().min(1, 'must be at least 1').max(VOTE_BUDGET_MAX, `must be at most ${VOTE_BUDGET_MAX}`);
const notEmpty = (body: object) => Object.keys(body).length > 1;

const newBoard = z.strictObject({
  campaignId: z.string().min(1).max(64),
  title,
  template: z.enum(TEMPLATES),
  anonymous: z.boolean().default(false),
  voteBudget: budget.default(DEFAULT_VOTE_BUDGET),
  votesPerCard: budget.nullable().default(null),
});

const settingsChange = z
  .strictObject({
    settingsVersion: version,
    title: title.optional(),
    locked: z.boolean().optional(),
    voteBudget: budget.optional(),
    votesPerCard: budget.nullable().optional(),
    votesRevealed: z.boolean().optional(),
    phase: z.number().int().min(0).optional(),
    timerSeconds: z.number().int().min(1).max(TIMER_SECONDS_MAX).nullable().optional(),
  })
  .refine(notEmpty, 'send at least one setting to change');

const invitation = z.strictObject({
  email: z.email('is not an email address').max(254),
  name: z.string().trim().max(200).default(''),
  role: z.enum(BOARD_ROLES),
});

const newCard = z.strictObject({ column: z.string().max(64), text: text(CARD_TEXT_MAX), tags: tags.default([]) });
const cardChange = z
  .strictObject({
    version,
    text: text(CARD_TEXT_MAX).optional(),
    tags: tags.optional(),
    column: z.string().max(64).optional(),
    position: z.number().int().min(0).optional(),
    clusterId: z.string().max(64).nullable().optional(),
    status: z.enum(['visible', 'hidden']).optional(),
  })
  .refine(notEmpty, 'send at least one change');

const rating = z.strictObject({
  cardId: z.string().max(64),
  indicator: z.enum(hexagonIndicators.map((indicator) => indicator.id) as [string, ...string[]]),
  score: z.number().int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5').nullable(),
  note: z.string().trim().max(500, 'must be at most 500 characters').default(''),
});

const level = z.strictObject({
  educators: z.string().trim().max(CARD_TEXT_MAX),
  staff: z.string().trim().max(CARD_TEXT_MAX),
  students: z.string().trim().max(CARD_TEXT_MAX),
});
const plan = z.strictObject({
  version,
  progression: z.array(level).length(PROGRESSION_LEVELS, `must have exactly ${PROGRESSION_LEVELS} levels`),
  strategies: z
    .array(z.string().refine((id) => strategyIds.has(id), 'is not a strategy of the framework'))
    .max(10, 'at most 10 strategies')
    .refine((list) => new Set(list).size === list.length, 'lists a strategy twice'),
  timeline: z.array(z.strictObject({ when: text(100), what: text(500) })).max(20, 'at most 20 steps'),
  successMeasures: z.array(text(500)).max(10, 'at most 10 measures'),
  feedback: z
    .array(z.enum(FEEDBACK_MEASURES))
    .refine((list) => new Set(list).size === list.length, 'lists a measure twice'),
});

const exportQuery = z.object({
  format: z.enum(['markdown', 'csv']).default('markdown'),
  part: z.enum(['board', 'plan']).default('board'),
});

type Need = 'read' | 'write' | 'facilitate';

interface Access {
  head: BoardHead;
  account: Account;
  reader: Reader;
}

/** The board and the caller's role on it, refused unless that role may do what is needed. */
async function boardFor(c: Context<AppEnv>, need: Need): Promise<Access> {
  const account = currentAccount(c);
  const head = await readBoardHead(c.env.DB, c.req.param('id') ?? '', account.id);
  if (!head) throw new ApiError(404, 'BOARD_NOT_FOUND', 'There is no such board.');
  const role: BoardRole | null = head.memberRole ?? (account.roles.includes('admin') ? 'facilitator' : null);
  if (!role)
    throw new ApiError(403, 'NOT_A_MEMBER', 'You are not a member of this board; ask its facilitator to invite you.');
  if (need !== 'read' && !canWrite(role)) {
    throw new ApiError(403, 'READ_ONLY', 'You can view this board but not change it.');
  }
  if (need === 'facilitate' && !canFacilitate(role)) {
    throw new ApiError(403, 'FACILITATORS_ONLY', 'Only the board’s facilitators can do this.');
  }
  if (need === 'write' && head.locked && !canFacilitate(role)) {
    throw new ApiError(409, 'BOARD_LOCKED', 'The facilitator has locked the board; changes are paused.');
  }
  return { head, account, reader: { accountId: account.id, role } };
}

async function stateOf(db: D1Database, boardId: string, reader: Reader): Promise<BoardState> {
  const head = await readBoardHead(db, boardId, reader.accountId);
  if (!head) throw new ApiError(404, 'BOARD_NOT_FOUND', 'There is no such board.');
  return boardView(head, await readBoardRows(db, head.id, head.campaignId), reader, new Date());
}

const conflict = (what: string, current: unknown) =>
  new ApiError(
    409,
    'VERSION_CONFLICT',
    `Someone else changed this ${what} since you opened it; here it is as it is now.`,
    undefined,
    { current },
  );

/** A card the reader can see, not deleted, or a 404. */
async function liveCard(db: D1Database, access: Access, cardId: string) {
  const card = await readCard(db, access.head.id, cardId);
  if (!card || card.deletedAt !== null || !cardVisibleTo(card, access.reader)) {
    throw new ApiError(404, 'CARD_NOT_FOUND', 'That card is not on this board (it may have been deleted).');
  }
  return card;
}

/** Only a card's (or comment's) author and the facilitators may delete or restore it. */
function requireOwnerOrFacilitator(access: Access, authorId: string) {
  if (authorId !== access.reader.accountId && !canFacilitate(access.reader.role)) {
    throw new ApiError(403, 'NOT_YOURS', 'Only its author or a facilitator can do this.');
  }
}

/** The midpoint between the neighbours of a place in a column, so only the moved card is rewritten. */
function positionAt(places: Array<{ position: number }>, index: number): number {
  const at = Math.max(0, Math.min(index, places.length));
  const before = places[at - 1]?.position;
  const after = places[at]?.position;
  if (before === undefined && after === undefined) return 1;
  if (before === undefined) return (after ?? 0) - 1;
  if (after === undefined) return before + 1;
  return (before + after) / 2;
}

/** The campaign's prioritized focuses (those shown, by the default weights), for plans. */
async function prioritizedFocuses(db: D1Database, campaignId: string): Promise<string[]> {
  const campaign = await requireCampaign(db, campaignId);
  return topFocuses(campaign, await publishedAggregates(db, campaign), competencies.length);
}

/**
 * The person's role on the board (null when they hold none), refusing a change to `next`
 * (null: leaving the board) that would leave the board without a facilitator.
 */
async function keepAFacilitator(
  db: D1Database,
  boardId: string,
  accountId: string,
  next: BoardRole | null,
): Promise<BoardRole | null> {
  const role = await memberRole(db, boardId, accountId);
  if (role === 'facilitator' && next !== 'facilitator' && (await otherFacilitators(db, boardId, accountId)) === 0) {
    throw new ApiError(
      409,
      'LAST_FACILITATOR',
      'A board needs at least one facilitator; make someone else facilitator first.',
    );
  }
  return role;
}

const memberNotFound = () => new ApiError(404, 'MEMBER_NOT_FOUND', 'That person is not a member of this board.');

export const boards = new Hono<AppEnv>()
  .get('/', allow('account'), async (c) => {
    const account = currentAccount(c);
    const items = await listBoards(c.env.DB, account.id, account.roles.includes('admin'));
    const mayCreate = account.roles.length > 0;
    const campaigns = mayCreate
      ? (await listCampaigns(c.env.DB, 100)).map((campaign) => ({ id: campaign.id, title: campaign.title }))
      : null;
    return c.json({
      items: items.map((item) => ({
        ...item,
        role: item.role ?? 'facilitator',
        phaseName: TEMPLATE_SPECS[item.template].phases[item.phase] ?? '',
      })),
      campaigns,
    });
  })
  .post('/', allow(...ROLES), jsonBody(8 * 1024), valid('json', newBoard), async (c) => {
    const body = c.req.valid('json');
    const account = currentAccount(c);
    const campaign = await requireCampaign(c.env.DB, body.campaignId);
    const id = crypto.randomUUID();
    const at = new Date().toISOString();
    await c.env.DB.batch([
      ...insertBoardStatements(c.env.DB, { ...body, id, campaignId: campaign.id, createdBy: account.id, at }),
      auditStatement(c.env.DB, {
        ...actorOf(account),
        action: 'board.create',
        target: id,
        detail: { campaignId: campaign.id, template: body.template },
      }),
    ]);
    return c.json(await stateOf(c.env.DB, id, { accountId: account.id, role: 'facilitator' }), 201);
  })
  // Accepting a join link. Public, since the link is how a new colleague first signs in; but
  // it signs in only the account its own invitation created (`signsIn`), holding no district
  // role, with nobody signed in. Every other invitee accepts it signed in as themselves: an
  // account that existed before the invitation is never signed in by one. Refusals use
  // nothing up, so the same link works once its owner has signed in.
  .post(
    '/join',
    allow('public'),
    jsonBody(1024),
    valid('json', z.strictObject({ token: z.string().max(100) })),
    async (c) => {
      const { token } = c.req.valid('json');
      const notFound = new ApiError(
        404,
        'INVITATION_NOT_FOUND',
        'This join link is not valid; ask the facilitator for a new one.',
      );
      if (!looksLikeToken(token)) throw notFound;
      const tokenHash = await hashToken(token);
      const invitation = await invitationByHash(c.env.DB, tokenHash);
      if (!invitation) throw notFound;
      if (invitation.usedAt) {
        throw new ApiError(
          409,
          'INVITATION_USED',
          'This join link was already used. Sign in, or ask the facilitator for a new link.',
        );
      }
      const now = new Date().toISOString();
      if (invitation.expiresAt <= now) {
        throw new ApiError(409, 'INVITATION_EXPIRED', 'This join link has expired; ask the facilitator for a new one.');
      }
      const account = await getAccount(c.env.DB, invitation.accountId);
      if (!account || account.disabled) throw notFound;
      const signedIn = c.get('signedIn')?.account ?? null;
      // Who the invitation is for, so the page can say it and offer the right sign-in.
      const invited = { email: account.email, boardId: invitation.boardId };
      if (signedIn && signedIn.id !== account.id) {
        throw new ApiError(
          409,
          'WRONG_ACCOUNT',
          `This invitation is for ${account.email}, but you are signed in as ${signedIn.email}. Sign out, then sign in as ${account.email} to accept it.`,
          undefined,
          { current: invited },
        );
      }
      const signsIn = !signedIn && invitation.signsIn && account.roles.length === 0;
      if (!signedIn && !signsIn) {
        throw new ApiError(
          409,
          'SIGN_IN_FIRST',
          `This invitation is for ${account.email}, who already has a Homegrown account: sign in as ${account.email}, then open this link again to accept it.`,
          undefined,
          { current: invited },
        );
      }
      if (!(await useInvitation(c.env.DB, invitation, tokenHash, now)))
        throw new ApiError(409, 'INVITATION_USED', 'This join link was already used.');
      if (signsIn) await startSession(c, account.id, 'board-invitation');
      return c.json({ boardId: invitation.boardId });
    },
  )
  .get('/:id', allow('account'), valid('query', z.object({ since: z.coerce.number().int().optional() })), async (c) => {
    const access = await boardFor(c, 'read');
    // The live poll: nothing changed since the version the browser holds.
    if (c.req.valid('query').since === access.head.version) return c.body(null, 204);
    return c.json(
      boardView(
        access.head,
        await readBoardRows(c.env.DB, access.head.id, access.head.campaignId),
        access.reader,
        new Date(),
      ),
    );
  })
  .patch('/:id', allow('account'), jsonBody(4 * 1024), valid('json', settingsChange), async (c) => {
    const { head, reader } = await boardFor(c, 'facilitate');
    const body = c.req.valid('json');
    const phases = TEMPLATE_SPECS[head.template].phases;
    if (body.phase !== undefined && body.phase >= phases.length) {
      throw new ApiError(422, 'INVALID_INPUT', 'Some fields are not valid.', {
        phase: `must be 0 to ${phases.length - 1}`,
      });
    }
    const now = new Date();
    const { settingsVersion, timerSeconds, ...change } = body;
    const timerEndsAt =
      timerSeconds === undefined
        ? undefined
        : timerSeconds === null
          ? null
          : new Date(now.getTime() + timerSeconds * 1000).toISOString();
    const applied = await changeSettings(
      c.env.DB,
      head.id,
      settingsVersion,
      { ...change, timerEndsAt },
      now.toISOString(),
    );
    if (!applied) {
      const current = await stateOf(c.env.DB, head.id, reader);
      const { anonymous, locked, voteBudget, votesPerCard, votesRevealed, phase, timerEndsAt, settingsVersion } =
        current;
      throw conflict('board’s settings', {
        title: current.title,
        anonymous,
        locked,
        voteBudget,
        votesPerCard,
        votesRevealed,
        phase,
        timerEndsAt,
        settingsVersion,
      });
    }
    return c.json(await stateOf(c.env.DB, head.id, reader));
  })
  // ── Members ──────────────────────────────────────────────────────────────
  .post('/:id/invitations', allow('account'), jsonBody(2 * 1024), valid('json', invitation), async (c) => {
    const { head, account: actor } = await boardFor(c, 'facilitate');
    const body = c.req.valid('json');
    const db = c.env.DB;
    const email = body.email.toLowerCase();
    const existing = await accountByEmail(db, email);
    if (existing?.disabled) {
      throw new ApiError(409, 'ACCOUNT_DISABLED', 'That account is disabled; an admin can re-enable it.');
    }
    const accountId = existing?.id ?? crypto.randomUUID();
    await keepAFacilitator(db, head.id, accountId, body.role);
    const token = newToken();
    const now = new Date();
    // Only a link to an account this invitation creates may sign in (see POST /join).
    const signsIn = existing === null;
    await db.batch([
      ...(existing
        ? []
        : insertAccountStatements(db, {
            id: accountId,
            email,
            name: body.name,
            roles: [],
            createdAt: now.toISOString(),
          })),
      ...inviteStatements(db, {
        boardId: head.id,
        accountId,
        role: body.role,
        tokenHash: await hashToken(token),
        signsIn,
        at: now,
        hours: INVITATION_HOURS,
      }),
      auditStatement(db, {
        ...actorOf(actor),
        action: 'board.invite',
        target: head.id,
        detail: { email, role: body.role },
      }),
    ]);
    // The link goes to the invited address only, never back to the inviter: whoever holds
    // it can accept the invitation (and, for a new colleague, sign in).
    const link = publicLink(c.env, `/join/#token=${token}`);
    const signInPage = publicLink(c.env, '/sign-in/');
    const how = signsIn
      ? [
          `Open the board: ${link}`,
          '',
          `The link works once and for ${INVITATION_HOURS} hours. Afterwards, sign in at ${signInPage} with this email address to come back: the board is under Boards.`,
        ]
      : [
          `Accept the invitation: ${link}`,
          '',
          `If you are not signed in, the page asks you to sign in with this email address first (at ${signInPage}), then opens the board. The link works once and for ${INVITATION_HOURS} hours; once signed in, you also find the board under Boards.`,
        ];
    let emailed = true;
    try {
      await mailerFor(c.env as Env & MailConfig).send({
        to: email,
        subject: `You are invited to the board “${head.title}”`,
        text: [
          `${actor.name || actor.email} invited you to work on the board “${head.title}” (${head.campaignTitle}) in Homegrown, as ${body.role}.`,
          '',
          ...how,
        ].join('\n'),
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      emailed = false;
    }
    return c.json({ accountId, email, role: body.role, emailed }, 201);
  })
  .patch(
    '/:id/members/:accountId',
    allow('account'),
    jsonBody(1024),
    valid('json', z.strictObject({ role: z.enum(BOARD_ROLES) })),
    async (c) => {
      const { head, account: actor, reader } = await boardFor(c, 'facilitate');
      const accountId = c.req.param('accountId');
      const { role } = c.req.valid('json');
      if (!(await keepAFacilitator(c.env.DB, head.id, accountId, role))) throw memberNotFound();
      await c.env.DB.batch([
        ...setMemberRoleStatements(c.env.DB, head.id, accountId, role, new Date().toISOString()),
        auditStatement(c.env.DB, {
          ...actorOf(actor),
          action: 'board.member.role',
          target: head.id,
          detail: { accountId, role },
        }),
      ]);
      return c.json(await stateOf(c.env.DB, head.id, reader));
    },
  )
  .delete('/:id/members/:accountId', allow('account'), noBody, async (c) => {
    const { head, account: actor, reader } = await boardFor(c, 'facilitate');
    const accountId = c.req.param('accountId');
    if (!(await keepAFacilitator(c.env.DB, head.id, accountId, null))) throw memberNotFound();
    await c.env.DB.batch([
      ...removeMemberStatements(c.env.DB, head.id, accountId, new Date().toISOString()),
      auditStatement(c.env.DB, {
        ...actorOf(actor),
        action: 'board.member.remove',
        target: head.id,
        detail: { accountId },
      }),
    ]);
    return c.json(await stateOf(c.env.DB, head.id, reader));
  })
  // ── Cards ────────────────────────────────────────────────────────────────
  .post('/:id/cards', allow('account'), jsonBody(8 * 1024), valid('json', newCard), async (c) => {
    const { head, reader } = await boardFor(c, 'write');
    const body = c.req.valid('json');
    if (!isColumnOf(head.template, body.column)) {
      throw new ApiError(422, 'UNKNOWN_COLUMN', `This board has no column “${body.column}”.`, {
        column: 'is not a column of this board',
      });
    }
    const status = head.anonymous && !canFacilitate(reader.role) ? 'pending' : 'visible';
    await addCard(c.env.DB, {
      ...body,
      id: crypto.randomUUID(),
      boardId: head.id,
      status,
      authorId: reader.accountId,
      at: new Date().toISOString(),
    });
    return c.json(await stateOf(c.env.DB, head.id, reader), 201);
  })
  .patch('/:id/cards/:cardId', allow('account'), jsonBody(8 * 1024), valid('json', cardChange), async (c) => {
    const access = await boardFor(c, 'write');
    const { head, reader } = access;
    const body = c.req.valid('json');
    const db = c.env.DB;
    if (body.status !== undefined && !canFacilitate(reader.role)) {
      throw new ApiError(403, 'FACILITATORS_ONLY', 'Only the board’s facilitators can show or hide cards.');
    }
    const card = await liveCard(db, access, c.req.param('cardId'));
    if (body.version !== card.version) {
      throw conflict(
        'card',
        (await stateOf(db, head.id, reader)).cards.find((view) => view.id === card.id),
      );
    }
    if (body.column !== undefined && !isColumnOf(head.template, body.column)) {
      throw new ApiError(422, 'UNKNOWN_COLUMN', `This board has no column “${body.column}”.`, {
        column: 'is not a column of this board',
      });
    }
    // Any string is checked, the empty one too (null takes the card out of its cluster).
    if (typeof body.clusterId === 'string') {
      if (!(await clusterExists(db, head.id, body.clusterId)))
        throw new ApiError(422, 'UNKNOWN_CLUSTER', 'That cluster is not on this board.', {
          clusterId: 'is not a cluster of this board',
        });
    }
    let position = card.position;
    const column = body.column ?? card.column;
    if (body.position !== undefined || column !== card.column) {
      // A place counts the cards this reader sees, as the positions the board showed them do.
      const places = (await columnPlaces(db, head.id, column)).filter(
        (place) => place.id !== card.id && cardVisibleTo(place, reader),
      );
      position = positionAt(places, body.position ?? places.length);
    }
    const applied = await editCard(
      db,
      head.id,
      card.id,
      body.version,
      {
        text: body.text ?? card.text,
        tags: body.tags ?? card.tags,
        column,
        position,
        clusterId: body.clusterId === undefined ? card.clusterId : body.clusterId,
        status: body.status ?? card.status,
      },
      new Date().toISOString(),
    );
    const state = await stateOf(db, head.id, reader);
    if (!applied)
      throw conflict(
        'card',
        state.cards.find((view) => view.id === card.id),
      );
    return c.json(state);
  })
  .delete('/:id/cards/:cardId', allow('account'), noBody, async (c) => {
    const access = await boardFor(c, 'write');
    const card = await liveCard(c.env.DB, access, c.req.param('cardId'));
    requireOwnerOrFacilitator(access, card.authorId);
    return c.json(await softDelete(c.env.DB, access, 'board_cards', card.id, 'delete'));
  })
  .post('/:id/cards/:cardId/restore', allow('account'), jsonBody(1024), valid('json', emptyBody), async (c) => {
    const access = await boardFor(c, 'write');
    const card = await readCard(c.env.DB, access.head.id, c.req.param('cardId'));
    if (!card || card.deletedAt === null)
      throw new ApiError(404, 'CARD_NOT_FOUND', 'There is no deleted card to restore.');
    requireOwnerOrFacilitator(access, card.authorId);
    return c.json(await softDelete(c.env.DB, access, 'board_cards', card.id, 'restore'));
  })
  // ── Comments ─────────────────────────────────────────────────────────────
  .post(
    '/:id/cards/:cardId/comments',
    allow('account'),
    jsonBody(8 * 1024),
    valid('json', z.strictObject({ text: text(COMMENT_TEXT_MAX) })),
    async (c) => {
      const access = await boardFor(c, 'write');
      const card = await liveCard(c.env.DB, access, c.req.param('cardId'));
      await addComment(c.env.DB, {
        id: crypto.randomUUID(),
        boardId: access.head.id,
        cardId: card.id,
        authorId: access.reader.accountId,
        text: c.req.valid('json').text,
        at: new Date().toISOString(),
      });
      return c.json(await stateOf(c.env.DB, access.head.id, access.reader), 201);
    },
  )
  .delete('/:id/comments/:commentId', allow('account'), noBody, async (c) => {
    const access = await boardFor(c, 'write');
    const comment = await commentOf(c.env.DB, access.head.id, c.req.param('commentId'));
    if (comment.deletedAt !== null) throw new ApiError(404, 'COMMENT_NOT_FOUND', 'That comment was already deleted.');
    requireOwnerOrFacilitator(access, comment.authorId);
    return c.json(await softDelete(c.env.DB, access, 'board_comments', comment.id, 'delete'));
  })
  .post('/:id/comments/:commentId/restore', allow('account'), jsonBody(1024), valid('json', emptyBody), async (c) => {
    const access = await boardFor(c, 'write');
    const comment = await commentOf(c.env.DB, access.head.id, c.req.param('commentId'));
    if (comment.deletedAt === null)
      throw new ApiError(404, 'COMMENT_NOT_FOUND', 'There is no deleted comment to restore.');
    requireOwnerOrFacilitator(access, comment.authorId);
    return c.json(await softDelete(c.env.DB, access, 'board_comments', comment.id, 'restore'));
  })
  // ── Dot voting ───────────────────────────────────────────────────────────
  .post('/:id/cards/:cardId/votes', allow('account'), jsonBody(1024), valid('json', emptyBody), async (c) => {
    const access = await boardFor(c, 'write');
    const { head, reader } = access;
    const card = await liveCard(c.env.DB, access, c.req.param('cardId'));
    if (card.status !== 'visible') {
      throw new ApiError(422, 'CARD_NOT_VISIBLE', 'Only cards shown to everyone can get dots.');
    }
    if (head.votesRevealed) throw votesRevealed();
    const applied = await addDot(c.env.DB, head.id, card.id, reader.accountId, new Date().toISOString());
    const state = await stateOf(c.env.DB, head.id, reader);
    if (!applied) {
      if (state.votesRevealed) throw votesRevealed();
      if (state.you.votesLeft === 0) {
        throw new ApiError(
          422,
          'VOTE_BUDGET_SPENT',
          `You have placed all ${state.voteBudget} of your dots; take one back to move it.`,
        );
      }
      throw new ApiError(422, 'CARD_VOTE_LIMIT', `At most ${state.votesPerCard} of your dots can go on one card.`);
    }
    return c.json(state);
  })
  .delete('/:id/cards/:cardId/votes', allow('account'), noBody, async (c) => {
    const access = await boardFor(c, 'write');
    const { head, reader } = access;
    const card = await liveCard(c.env.DB, access, c.req.param('cardId'));
    if (head.votesRevealed) throw votesRevealed();
    if (!(await removeDot(c.env.DB, head.id, card.id, reader.accountId, new Date().toISOString()))) {
      throw new ApiError(422, 'NO_VOTE', 'You have no dot on this card to take back.');
    }
    return c.json(await stateOf(c.env.DB, head.id, reader));
  })
  // ── Clusters ─────────────────────────────────────────────────────────────
  .post(
    '/:id/clusters',
    allow('account'),
    jsonBody(16 * 1024),
    valid(
      'json',
      z.strictObject({ name: title, cardIds: z.array(z.string().max(64)).min(1, 'choose at least one card').max(200) }),
    ),
    async (c) => {
      const access = await boardFor(c, 'write');
      const { head, reader } = access;
      const { name, cardIds } = c.req.valid('json');
      for (const cardId of new Set(cardIds)) await liveCard(c.env.DB, access, cardId);
      await createCluster(c.env.DB, {
        id: crypto.randomUUID(),
        boardId: head.id,
        name,
        createdBy: reader.accountId,
        cardIds,
        at: new Date().toISOString(),
      });
      return c.json(await stateOf(c.env.DB, head.id, reader), 201);
    },
  )
  .patch(
    '/:id/clusters/:clusterId',
    allow('account'),
    jsonBody(2 * 1024),
    valid('json', z.strictObject({ version, name: title })),
    async (c) => {
      const { head, reader } = await boardFor(c, 'write');
      const { version: expected, name } = c.req.valid('json');
      const clusterId = c.req.param('clusterId');
      const applied = await renameCluster(c.env.DB, head.id, clusterId, expected, name, new Date().toISOString());
      const state = await stateOf(c.env.DB, head.id, reader);
      if (!applied) {
        const current = state.clusters.find((cluster) => cluster.id === clusterId && cluster.deletedAt === null);
        if (!current) throw new ApiError(404, 'CLUSTER_NOT_FOUND', 'That cluster is not on this board.');
        throw conflict('cluster', current);
      }
      return c.json(state);
    },
  )
  .delete('/:id/clusters/:clusterId', allow('account'), noBody, async (c) => {
    const access = await boardFor(c, 'write');
    return c.json(await softDelete(c.env.DB, access, 'board_clusters', c.req.param('clusterId'), 'delete'));
  })
  .post('/:id/clusters/:clusterId/restore', allow('account'), jsonBody(1024), valid('json', emptyBody), async (c) => {
    const access = await boardFor(c, 'write');
    return c.json(await softDelete(c.env.DB, access, 'board_clusters', c.req.param('clusterId'), 'restore'));
  })
  // ── Hexagon Tool ratings ─────────────────────────────────────────────────
  .put('/:id/ratings', allow('account'), jsonBody(2 * 1024), valid('json', rating), async (c) => {
    const access = await boardFor(c, 'write');
    const { head, reader } = access;
    if (head.template !== 'hexagon') throw wrongTemplate('Ratings', 'Hexagon Tool');
    const body = c.req.valid('json');
    const card = await liveCard(c.env.DB, access, body.cardId);
    if (card.column !== 'programs' || card.status !== 'visible') {
      throw new ApiError(422, 'UNKNOWN_CARD', 'Only candidate programs shown to everyone can be rated.', {
        cardId: 'is not a candidate program',
      });
    }
    await rate(c.env.DB, {
      ...body,
      boardId: head.id,
      cardId: card.id,
      accountId: reader.accountId,
      at: new Date().toISOString(),
    });
    return c.json(await stateOf(c.env.DB, head.id, reader));
  })
  // ── PL plans ─────────────────────────────────────────────────────────────
  .put('/:id/plans/:competencyId', allow('account'), jsonBody(128 * 1024), valid('json', plan), async (c) => {
    const { head, reader } = await boardFor(c, 'write');
    if (head.template !== 'plan') throw wrongTemplate('Plans', 'PL plan');
    const competencyId = c.req.param('competencyId');
    if (!(await prioritizedFocuses(c.env.DB, head.campaignId)).includes(competencyId)) {
      throw new ApiError(
        422,
        'FOCUS_NOT_PRIORITIZED',
        'A plan is for one of the campaign’s prioritized focuses; this one is not among them (or too few people rated it to show).',
        { competencyId: 'is not a prioritized focus of the campaign' },
      );
    }
    const { version: expected, ...content } = c.req.valid('json');
    const db = c.env.DB;
    const applied = await savePlan(db, {
      boardId: head.id,
      competencyId,
      expected,
      content,
      by: reader.accountId,
      at: new Date().toISOString(),
    });
    const state = await stateOf(db, head.id, reader);
    if (!applied) {
      const current = state.plans.find((view) => view.competencyId === competencyId);
      if (!current)
        throw new ApiError(404, 'PLAN_NOT_FOUND', 'There is no plan for this focus yet; start one with version 0.');
      throw conflict('plan', current);
    }
    return c.json(state);
  })
  // ── Evidence and export ──────────────────────────────────────────────────
  .get('/:id/evidence', allow('account'), async (c) => {
    const { head } = await boardFor(c, 'read');
    const campaign = await requireCampaign(c.env.DB, head.campaignId);
    return c.json(await boardEvidence(c.env.DB, campaign));
  })
  .get('/:id/export', allow('account'), valid('query', exportQuery), async (c) => {
    const { head, account, reader } = await boardFor(c, 'read');
    const { format, part } = c.req.valid('query');
    if (part === 'plan' && head.template !== 'plan') throw wrongTemplate('A plan export', 'PL plan');
    const state = await stateOf(c.env.DB, head.id, reader);
    await recordAudit(c.env.DB, {
      ...actorOf(account),
      action: 'board.export',
      target: head.id,
      detail: { format, part },
    });
    const slug =
      head.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'board';
    if (format === 'csv') {
      const { columns, rows } = part === 'plan' ? planTable(state) : boardTable(state);
      return csv(`${slug}${part === 'plan' ? '-plan' : ''}.csv`, columns, rows);
    }
    const markdown = part === 'plan' ? planMarkdown(state) : boardMarkdown(state);
    return c.body(markdown, 200, {
      'Content-Type': 'text/markdown; charset=utf-8',
      'Content-Disposition': `attachment; filename="${slug}${part === 'plan' ? '-plan' : ''}.md"`,
    });
  });

const votesRevealed = () =>
  new ApiError(
    409,
    'VOTES_REVEALED',
    'The votes are revealed, so dots can no longer change; the facilitator can hide them again.',
  );

const wrongTemplate = (what: string, template: string) =>
  new ApiError(409, 'WRONG_TEMPLATE', `${what} belong to ${template} boards; this board uses another template.`);

async function commentOf(db: D1Database, boardId: string, commentId: string) {
  const comment = await readComment(db, boardId, commentId);
  if (!comment) throw new ApiError(404, 'COMMENT_NOT_FOUND', 'That comment is not on this board.');
  return comment;
}

/** Deletes (soft) or restores a card, comment or cluster; deleting twice or restoring a live one changes nothing. */
async function softDelete(
  db: D1Database,
  { head, reader }: Access,
  table: SoftDeletable,
  id: string,
  action: 'delete' | 'restore',
): Promise<BoardState> {
  const applied = await setDeleted(db, table, head.id, id, action === 'delete', new Date().toISOString());
  if (!applied && table === 'board_clusters') {
    throw new ApiError(
      404,
      'CLUSTER_NOT_FOUND',
      `There is no cluster to ${action === 'delete' ? 'ungroup' : 'restore'}.`,
    );
  }
  return stateOf(db, head.id, reader);
}
