/**
 * Who may call a route. Every /api route names its audience with `allow(...)` as its first
 * middleware; the README's access table lists them and a test holds the worker to it.
 *
 * - `public`: anyone, signed in or not (the framework, sign-in itself, a campaign's survey);
 * - `respondent`: anyone with the campaign's link; identified campaigns check the personal
 *   link inside the route, since that is a property of the campaign;
 * - roles: an enabled account holding at least one of them.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors';
import type { Role } from './roles';
import type { AppEnv } from './session';

export type Audience = 'public' | 'respondent' | Role;

export type AccessCheck = MiddlewareHandler<AppEnv> & { audience: readonly Audience[] };

export function allow(...audience: [Audience, ...Audience[]]): AccessCheck {
  const roles = audience.filter((who): who is Role => who !== 'public' && who !== 'respondent');
  const open = audience.includes('public') || audience.includes('respondent');
  const check: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (!open) {
      const signedIn = c.get('signedIn');
      if (!signedIn) throw new ApiError(401, 'SIGNED_OUT', 'Sign in to do this.');
      if (!roles.some((role) => signedIn.account.roles.includes(role))) {
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
