/**
 * Sessions: a random token in a `__Host-` cookie (HttpOnly, Secure, SameSite=Lax), kept in
 * D1 only as a hash with an expiry. Signing in always issues a new token (and drops the
 * one the browser had), signing out deletes the row, and changing an account's roles or
 * disabling it deletes all of its rows, so the server alone decides who is signed in.
 *
 * Only three routes start a session, each for the account whose proof was presented: an
 * emailed sign-in link (POST /api/auth/session), the district's single sign-on (GET
 * /api/auth/sso/callback), and a board join link (POST /api/boards/join) only for the new,
 * role-less account its invitation created, and only when nobody is signed in.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  type Account,
  accountOfSession,
  deleteSessionStatement,
  getAccount,
  insertSessionStatement,
  sweepStatements,
} from '../db/accounts';
import { actorOf, auditStatement } from '../db/audit';
import type { OriginConfig } from './origin';
import { hashToken, looksLikeToken, newToken } from './tokens';

export const SESSION_COOKIE = 'homegrown_session';
export const SESSION_HOURS = 12;

export interface SignedIn {
  account: Account;
  sessionHash: string;
}

/** The Worker's bindings, with the vars a deployment sets that wrangler.toml does not name. */
export type AppEnv = { Bindings: Env & OriginConfig; Variables: { signedIn: SignedIn | null } };

/** Who is signed in, read once per request, and only when a session cookie came with it. */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE, 'host');
  let signedIn: SignedIn | null = null;
  if (token && looksLikeToken(token)) {
    const sessionHash = await hashToken(token);
    const account = await accountOfSession(c.env.DB, sessionHash, new Date().toISOString());
    if (account) signedIn = { account, sessionHash };
  }
  c.set('signedIn', signedIn);
  await next();
};

/** Signs the browser in as this account with a fresh session, recording how. */
export async function startSession(
  c: Context<AppEnv>,
  accountId: string,
  method: 'email-link' | 'sso' | 'board-invitation',
): Promise<Account> {
  const account = await getAccount(c.env.DB, accountId);
  if (!account || account.disabled) throw new Error(`cannot start a session for account ${accountId}`);
  // A join link is no way into an account that can see district data (the route checks first).
  if (method === 'board-invitation' && (account.roles.length > 0 || c.get('signedIn'))) {
    throw new Error(`a join link cannot start a session for account ${accountId}`);
  }
  const token = newToken();
  const now = new Date();
  const previous = c.get('signedIn');
  await c.env.DB.batch([
    ...(previous ? [deleteSessionStatement(c.env.DB, previous.sessionHash)] : []),
    ...sweepStatements(c.env.DB, accountId, now.toISOString()),
    insertSessionStatement(c.env.DB, {
      tokenHash: await hashToken(token),
      accountId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
    }),
    auditStatement(c.env.DB, { ...actorOf(account), action: 'sign_in', detail: { method } }),
  ]);
  setCookie(c, SESSION_COOKIE, token, {
    prefix: 'host',
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: SESSION_HOURS * 3600,
  });
  return account;
}

export async function endSession(c: Context<AppEnv>): Promise<void> {
  const signedIn = c.get('signedIn');
  if (signedIn) {
    const { account } = signedIn;
    await c.env.DB.batch([
      deleteSessionStatement(c.env.DB, signedIn.sessionHash),
      auditStatement(c.env.DB, { ...actorOf(account), action: 'sign_out' }),
    ]);
  }
  deleteCookie(c, SESSION_COOKIE, { prefix: 'host', path: '/', secure: true });
}

/** The signed-in account, for handlers behind `allow(...)` with a role. */
export function currentAccount(c: Context<AppEnv>): Account {
  const signedIn = c.get('signedIn');
  if (!signedIn) throw new Error('currentAccount() used on a route that does not require signing in');
  return signedIn.account;
}
