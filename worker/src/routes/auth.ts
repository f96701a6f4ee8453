import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import { clientAddress, limitOrRefuse } from '../auth/limits';
import { mailerFor } from '../auth/mailer';
import { safeNextPath } from '../auth/next-path';
import { publicLink } from '../auth/origin';
import { type AppEnv, currentAccount, endSession, startSession } from '../auth/session';
import { standingOf } from '../auth/standing';
import { hashToken, looksLikeToken, newToken } from '../auth/tokens';
import { accountByEmail, insertSignInLink, redeemSignInLink } from '../db/accounts';
import { offeredPages, startPage } from '../domain/navigation';
import { ApiError } from '../errors';
import { emptyBody, jsonBody, valid } from '../http';
import { documented } from '../openapi';
import { account as accountSchema } from '../schemas/accounts';
import { currentSession, signedInSession, signedOut, signInLinkSent, signInOptions } from '../schemas/auth';
import { sso, ssoOption } from './sso';

/** A link works once, for this long: enough to switch to the mail app, short if a mailbox leaks. */
export const SIGN_IN_LINK_MINUTES = 15;

const signInRequest = z.strictObject({
  email: z.email('is not an email address').max(254),
  next: z.string().max(2000).optional(),
});
const signInLink = z.strictObject({ token: z.string().max(200) });

function signInMail(link: string) {
  return [
    'Hello,',
    '',
    'Use this link to sign in to Homegrown:',
    link,
    '',
    `It works once, within ${SIGN_IN_LINK_MINUTES} minutes. If you did not ask to sign in, ignore this email; nobody can sign in without the link.`,
  ].join('\n');
}

/**
 * Signing in without passwords: an emailed single-use link, or the district's single
 * sign-on when configured. The answer to a link request is the same whether or not the
 * address has an account, so the form cannot be used to find out who works here.
 */
export const auth = new Hono<AppEnv>()
  .post(
    '/sign-in-link',
    allow('public'),
    documented({
      summary: 'Email a sign-in link',
      description:
        'Mails a single-use link to the address when it has an active account; the answer is the same either way.',
      tags: ['auth'],
      responses: { 202: { schema: signInLinkSent, description: 'Accepted: a link is mailed if the account exists.' } },
    }),
    jsonBody(4 * 1024),
    valid('json', signInRequest),
    async (c) => {
      const { email, next } = c.req.valid('json');
      const address = email.toLowerCase();
      await limitOrRefuse(c.env.SIGN_IN_BY_CALLER, clientAddress(c.req.raw, c.env), 60);
      await limitOrRefuse(c.env.SIGN_IN_BY_EMAIL, address, 60);
      const mailer = mailerFor(c.env);
      // Checked before any account is looked up: the answer must not depend on whether it exists.
      const signInPage = publicLink(c.env, '/sign-in/complete/');
      const account = await accountByEmail(c.env.DB, address);
      if (account && !account.disabled) {
        const token = newToken();
        const now = new Date();
        await insertSignInLink(c.env.DB, {
          tokenHash: await hashToken(token),
          accountId: account.id,
          createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000).toISOString(),
        });
        // The token travels in the fragment: browsers never send it to a server or a log,
        // and the page must POST it, so a mail scanner that opens links cannot use it up.
        // Without a `next` the page asks where this person starts (GET /session's `start`).
        const fragment = new URLSearchParams({ token, ...(next === undefined ? {} : { next: safeNextPath(next) }) });
        const link = `${signInPage}#${fragment}`;
        await mailer.send({ to: account.email, subject: 'Your Homegrown sign-in link', text: signInMail(link) });
      }
      return c.json({ sent: true } satisfies z.input<typeof signInLinkSent>, 202);
    },
  )
  .post(
    '/session',
    allow('public'),
    documented({
      summary: 'Sign in with an emailed link',
      description: "Redeems the link's token once and sets the session cookie.",
      tags: ['auth'],
      responses: { 200: { schema: signedInSession } },
    }),
    jsonBody(1024),
    valid('json', signInLink),
    async (c) => {
      await limitOrRefuse(c.env.SIGN_IN_BY_CALLER, clientAddress(c.req.raw, c.env), 60);
      const { token } = c.req.valid('json');
      const accountId = looksLikeToken(token)
        ? await redeemSignInLink(c.env.DB, await hashToken(token), new Date().toISOString())
        : null;
      if (!accountId) {
        throw new ApiError(
          401,
          'SIGN_IN_LINK_INVALID',
          `This sign-in link has expired or was already used. Ask for a new one: each link works once, within ${SIGN_IN_LINK_MINUTES} minutes.`,
        );
      }
      const account = await startSession(c, accountId, 'email-link');
      return c.json({ account } satisfies z.input<typeof signedInSession>);
    },
  )
  .get(
    '/session',
    allow('public'),
    documented({
      summary: 'Who is signed in, and where they can go',
      description:
        'Answers 200 whether or not anyone is signed in (then `account` is null and `pages` empty): the pages the account can use, its board count, the campaign a director starts from and the page to start on.',
      tags: ['auth'],
      responses: { 200: { schema: currentSession } },
    }),
    async (c) => {
      const signedIn = c.get('signedIn');
      const standing = signedIn ? await standingOf(c.env.DB, signedIn.account) : null;
      const answer: z.input<typeof currentSession> =
        signedIn && standing
          ? {
              account: signedIn.account,
              pages: offeredPages(standing),
              boards: standing.boards,
              campaign: standing.campaign,
              start: startPage(standing),
            }
          : { account: null, pages: [], boards: 0, campaign: null, start: '/' };
      return c.json(answer);
    },
  )
  .post(
    '/sign-out',
    allow('public'),
    documented({ summary: 'Sign out', tags: ['auth'], responses: { 200: { schema: signedOut } } }),
    jsonBody(1024),
    valid('json', emptyBody),
    async (c) => {
      await endSession(c);
      return c.json({ signedOut: true } satisfies z.input<typeof signedOut>);
    },
  )
  .get(
    '/me',
    allow('account'),
    documented({ summary: 'Who is signed in', tags: ['auth'], responses: { 200: { schema: accountSchema } } }),
    (c) => c.json(currentAccount(c) satisfies z.input<typeof accountSchema>),
  )
  .get(
    '/options',
    allow('public'),
    documented({
      summary: 'Ways to sign in here',
      description: "Whether the district's single sign-on is offered besides the emailed link.",
      tags: ['auth'],
      responses: { 200: { schema: signInOptions } },
    }),
    (c) => c.json({ sso: ssoOption(c.env) } satisfies z.input<typeof signInOptions>),
  )
  .route('/sso', sso);
