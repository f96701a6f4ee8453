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

import { Hono } from 'hono';
import type { z } from 'zod';
import { allow } from '../auth/access';
import { boardFor } from '../auth/board-access';
import { ROLES } from '../auth/roles';
import { type AppEnv, currentAccount, startSession } from '../auth/session';
import { hashToken, looksLikeToken } from '../auth/tokens';
import { getAccount } from '../db/accounts';
import { boardEvidence, publishedAggregates } from '../db/aggregates';
import { actorOf, auditStatement, recordAudit } from '../db/audit';
import { invitationByHash, useInvitation } from '../db/board-members';
import { savePlan } from '../db/board-plans';
import { changeSettings, insertBoardStatements, listBoards, readBoardRows } from '../db/boards';
import { listCampaigns, requireCampaign } from '../db/campaigns';
import {
  BOARD_CSV_COLUMNS,
  boardMarkdown,
  boardTable,
  exportFilename,
  PLAN_CSV_COLUMNS,
  planMarkdown,
  planTable,
} from '../domain/board-export';
import { boardView } from '../domain/board-view';
import { CAMPAIGN_CHOICES_MAX, TEMPLATE_SPECS } from '../domain/boards';
import { topFocuses } from '../domain/focuses';
import { competencies } from '../domain/framework';
import { ApiError } from '../errors';
import { csv, jsonBody, valid } from '../http';
import { documented } from '../openapi';
import {
  boardListing,
  boardState,
  boardEvidence as evidenceSchema,
  exportQuery,
  joined,
  joinRequest,
  newBoard,
  plan,
  pollQuery,
  settingsChange,
} from '../schemas/boards';
import { boardCards } from './boards-cards';
import { boardMembers } from './boards-members';
import { conflict, stateOf, wrongTemplate } from './boards-state';

const board = { 200: { schema: boardState, description: 'The board as you now see it.' } } as const;

/** The campaign's prioritized focuses (those shown, by the default weights), for plans. */
async function prioritizedFocuses(db: D1Database, campaignId: string): Promise<string[]> {
  const campaign = await requireCampaign(db, campaignId);
  return topFocuses(campaign, await publishedAggregates(db, campaign), competencies.length);
}

export const boards = new Hono<AppEnv>()
  .get(
    '/',
    allow('account'),
    documented({
      summary: 'The boards you belong to (every board, for an admin)',
      tags: ['boards'],
      responses: { 200: { schema: boardListing } },
    }),
    async (c) => {
      const account = currentAccount(c);
      const items = await listBoards(c.env.DB, account.id, account.roles.includes('admin'));
      const mayCreate = account.roles.length > 0;
      const campaigns = mayCreate
        ? (await listCampaigns(c.env.DB, CAMPAIGN_CHOICES_MAX)).map((campaign) => ({
            id: campaign.id,
            title: campaign.title,
          }))
        : null;
      return c.json({
        items: items.map((item) => ({
          ...item,
          role: item.role ?? 'facilitator',
          phaseName: TEMPLATE_SPECS[item.template].phases[item.phase] ?? '',
        })),
        campaigns,
      } satisfies z.input<typeof boardListing>);
    },
  )
  .post(
    '/',
    allow(...ROLES),
    documented({
      summary: 'Open a board on a campaign, with you as its facilitator',
      tags: ['boards'],
      responses: { 201: { schema: boardState } },
    }),
    jsonBody(8 * 1024),
    valid('json', newBoard),
    async (c) => {
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
      const state = await stateOf(c.env.DB, id, { accountId: account.id, role: 'facilitator' });
      return c.json(state satisfies z.input<typeof boardState>, 201);
    },
  )
  // Accepting a join link. Public, since the link is how a new colleague first signs in; but
  // it signs in only the account its own invitation created (`signsIn`), holding no district
  // role, with nobody signed in. Every other invitee accepts it signed in as themselves: an
  // account that existed before the invitation is never signed in by one. Refusals use
  // nothing up, so the same link works once its owner has signed in.
  .post(
    '/join',
    allow('public'),
    documented({
      summary: 'Accept a join link',
      description:
        'Signs in only a new colleague whose account the invitation created; anyone else accepts it signed in as the invited account.',
      tags: ['boards'],
      responses: { 200: { schema: joined } },
    }),
    jsonBody(1024),
    valid('json', joinRequest),
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
      return c.json({ boardId: invitation.boardId } satisfies z.input<typeof joined>);
    },
  )
  .get(
    '/:id',
    allow('account'),
    documented({
      summary: 'Read a board, or poll it for a change',
      description: 'With `since` set to the version you hold, answers 204 until something on the board changed.',
      tags: ['boards'],
      responses: { ...board, 204: { description: 'Nothing changed since `since`.' } },
    }),
    valid('query', pollQuery),
    async (c) => {
      const access = await boardFor(c, 'read');
      // The live poll: nothing changed since the version the browser holds.
      if (c.req.valid('query').since === access.head.version) return c.body(null, 204);
      const rows = await readBoardRows(c.env.DB, access.head.id, access.head.campaignId);
      return c.json(boardView(access.head, rows, access.reader, new Date()) satisfies z.input<typeof boardState>);
    },
  )
  .patch(
    '/:id',
    allow('account'),
    documented({
      summary: 'Change the board’s settings (facilitators)',
      description: 'Send the `settingsVersion` you hold; a stale one is refused with the settings as they are now.',
      tags: ['boards'],
      responses: board,
    }),
    jsonBody(4 * 1024),
    valid('json', settingsChange),
    async (c) => {
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
      return c.json((await stateOf(c.env.DB, head.id, reader)) satisfies z.input<typeof boardState>);
    },
  )
  .route('/', boardMembers)
  .route('/', boardCards)
  // ── PL plans ─────────────────────────────────────────────────────────────
  .put(
    '/:id/plans/:competencyId',
    allow('account'),
    documented({
      summary: 'Save the plan for one of the campaign’s prioritized focuses',
      description: 'Version 0 starts a plan; after that, send the version you hold.',
      tags: ['boards'],
      responses: board,
    }),
    jsonBody(128 * 1024),
    valid('json', plan),
    async (c) => {
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
      return c.json(state satisfies z.input<typeof boardState>);
    },
  )
  // ── Evidence and export ──────────────────────────────────────────────────
  .get(
    '/:id/evidence',
    allow('account'),
    documented({
      summary: 'The survey’s findings beside the board',
      description: 'The ranked focuses and hotspot schools, suppressed below the campaign’s minimum group size.',
      tags: ['boards'],
      responses: { 200: { schema: evidenceSchema } },
    }),
    async (c) => {
      const { head } = await boardFor(c, 'read');
      const campaign = await requireCampaign(c.env.DB, head.campaignId);
      return c.json((await boardEvidence(c.env.DB, campaign)) satisfies z.input<typeof evidenceSchema>);
    },
  )
  .get(
    '/:id/export',
    allow('account'),
    documented({
      summary: 'Download the board or its plans',
      description: `Markdown by default. With \`format=csv\`, a CSV (text/csv) instead, whose header row is ${BOARD_CSV_COLUMNS.join(',')} for the board and ${PLAN_CSV_COLUMNS.join(',')} with \`part=plan\`.`,
      tags: ['boards'],
      responses: {
        200: {
          media: 'markdown',
          description: 'The board (or its plans) as a Markdown file, or a CSV with `format=csv`.',
          also: [{ media: 'csv', columns: BOARD_CSV_COLUMNS }],
        },
      },
    }),
    valid('query', exportQuery),
    async (c) => {
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
      const filename = exportFilename(head.title, part, format);
      if (format === 'csv') {
        const { columns, rows } = part === 'plan' ? planTable(state) : boardTable(state);
        return csv(filename, columns, rows);
      }
      const markdown = part === 'plan' ? planMarkdown(state) : boardMarkdown(state);
      return c.body(markdown, 200, {
        'Content-Type': 'text/markdown; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename}"`,
      });
    },
  );
