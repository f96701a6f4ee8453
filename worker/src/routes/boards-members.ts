/**
 * A board's members: facilitators invite colleagues by email (a join link goes to the
 * invited address only), change their roles and take them off the board, never leaving
 * the board without a facilitator. And who has the board open now (presence), which an
 * open board page reports every PRESENCE_BEAT_SECONDS: kept apart from the board's version,
 * so a heartbeat never makes every member read the whole board again.
 */
import { Hono } from 'hono';
import type { z } from 'zod';
import { allow } from '../auth/access';
import { boardFor, keepAFacilitator } from '../auth/board-access';
import { type MailConfig, mailerFor } from '../auth/mailer';
import { publicLink } from '../auth/origin';
import type { AppEnv } from '../auth/session';
import { hashToken, newToken } from '../auth/tokens';
import { accountByEmail, insertAccountStatements } from '../db/accounts';
import { actorOf, auditStatement } from '../db/audit';
import {
  inviteStatements,
  markGone,
  markHere,
  membersHere,
  removeMemberStatements,
  setMemberRoleStatements,
} from '../db/board-members';
import { boardInvitationMail } from '../domain/board-mail';
import { INVITATION_HOURS, PRESENCE_BEAT_SECONDS, PRESENCE_SECONDS } from '../domain/boards';
import { ApiError } from '../errors';
import { emptyBody, jsonBody, noBody, valid } from '../http';
import { documented } from '../openapi';
import { boardState, invitation, invitationSent, memberRoleChange, presence } from '../schemas/boards';
import { stateOf } from './boards-state';

const memberNotFound = () => new ApiError(404, 'MEMBER_NOT_FOUND', 'That person is not a member of this board.');

export const boardMembers = new Hono<AppEnv>()
  .post(
    '/:id/invitations',
    allow('account'),
    documented({
      summary: 'Invite a colleague by email (facilitators)',
      description:
        'Makes them a member in the role given (creating their account if they have none) and mails them a single-use join link; the link is never in the answer.',
      tags: ['boards'],
      responses: { 201: { schema: invitationSent } },
    }),
    jsonBody(2 * 1024),
    valid('json', invitation),
    async (c) => {
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
      const mail = boardInvitationMail({
        inviter: actor.name || actor.email,
        boardTitle: head.title,
        campaignTitle: head.campaignTitle,
        role: body.role,
        link: publicLink(c.env, `/join/#token=${token}`),
        signInPage: publicLink(c.env, '/sign-in/'),
        signsIn,
      });
      let emailed = true;
      try {
        await mailerFor(c.env as Env & MailConfig).send({ to: email, ...mail });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        emailed = false;
      }
      return c.json({ accountId, email, role: body.role, emailed } satisfies z.input<typeof invitationSent>, 201);
    },
  )
  .patch(
    '/:id/members/:accountId',
    allow('account'),
    documented({
      summary: 'Change a member’s role (facilitators)',
      tags: ['boards'],
      responses: { 200: { schema: boardState } },
    }),
    jsonBody(1024),
    valid('json', memberRoleChange),
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
      return c.json((await stateOf(c.env.DB, head.id, reader)) satisfies z.input<typeof boardState>);
    },
  )
  .delete(
    '/:id/members/:accountId',
    allow('account'),
    documented({
      summary: 'Take a member off the board (facilitators)',
      description: 'Their unused join links stop working; what they wrote stays.',
      tags: ['boards'],
      responses: { 200: { schema: boardState } },
    }),
    noBody,
    async (c) => {
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
      return c.json((await stateOf(c.env.DB, head.id, reader)) satisfies z.input<typeof boardState>);
    },
  )
  .put(
    '/:id/presence',
    allow('account'),
    documented({
      summary: 'Say you have the board open, and see who else has (members)',
      description: `Call it every \`beatSeconds\`; a member silent for ${PRESENCE_SECONDS} seconds no longer counts as here.`,
      tags: ['boards'],
      responses: { 200: { schema: presence } },
    }),
    jsonBody(1024),
    valid('json', emptyBody),
    async (c) => {
      const { head, account } = await boardFor(c, 'read');
      const now = new Date();
      await markHere(c.env.DB, head.id, account.id, now);
      const here = await membersHere(c.env.DB, head.id, new Date(now.getTime() - PRESENCE_SECONDS * 1000));
      return c.json({ here, beatSeconds: PRESENCE_BEAT_SECONDS } satisfies z.input<typeof presence>);
    },
  )
  .delete(
    '/:id/presence',
    allow('account'),
    documented({
      summary: 'Say you have left the board (members)',
      tags: ['boards'],
      responses: { 204: { description: 'You no longer count as here.' } },
    }),
    noBody,
    async (c) => {
      const { head, account } = await boardFor(c, 'read');
      await markGone(c.env.DB, head.id, account.id);
      return c.body(null, 204);
    },
  );
