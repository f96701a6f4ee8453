/**
 * Who may call a route. Every /api route names its audience with `allow(...)` as its first
 * middleware; the OpenAPI document states it as each operation's `x-audience`, and a test holds the worker to it.
 *
 * - `public`: anyone, signed in or not (the framework, sign-in itself, a campaign's survey);
 * - `respondent`: anyone with the campaign's link; identified campaigns check the personal
 *   link inside the route, since that is a property of the campaign;
 * - `account`: any signed-in, enabled account, with or without a district role (a board
 *   member may hold none); board routes check the board role inside the route, since
 *   that is a property of the board;
 * - roles: an enabled account holding at least one of them.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors';
import type { Role } from './roles';
import type { AppEnv } from './session';

export type Audience = 'public' | 'respondent' | 'account' | Role;

export type AccessCheck = MiddlewareHandler<AppEnv> & { audience: readonly Audience[] };

export function allow(...audience: [Audience, ...Audience[]]): AccessCheck {
  const roles = audience.filter((who): who is Role => who !== 'public' && who !== 'respondent' && who !== 'account');
  const open = audience.includes('public') || audience.includes('respondent');
  const anyAccount = audience.includes('account');
  const check: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (!open) {
      const signedIn = c.get('signedIn');
      if (!signedIn) throw new ApiError(401, 'SIGNED_OUT', 'Sign in to do this.');
      if (!anyAccount && !roles.some((role) => signedIn.account.roles.includes(role))) {
        throw new ApiError(403, 'FORBIDDEN', `This is for ${describe(roles)}; your account does not have that role.`);
      }
    }
    await next();
  };
  return Object.assign(check, { audience });
}

function describe(roles: Role[]): string {
  const names = roles.map((role) => `${role}s`);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? 'nobody');
}
