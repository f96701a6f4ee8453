/**
 * The address people open Homegrown at, for every link that is mailed or handed out
 * (sign-in links, board invitations, survey and personal links, the SSO redirect). It is
 * never taken from the request: a caller who sends `Host: evil.example` must not get a
 * sign-in link to evil.example mailed to a colleague. A deployed Worker reads the
 * PUBLIC_ORIGIN var (`https://pd.your-district.org` in wrangler.toml's [vars]); `npm start`,
 * the browser tests and the worker tests set it to the local address. Without it, a route
 * that would hand out a link answers 503 and sends nothing.
 */
import { ApiError } from '../errors';

export interface OriginConfig {
  PUBLIC_ORIGIN?: string;
}

export function publicOrigin(env: OriginConfig): string {
  const configured = env.PUBLIC_ORIGIN;
  if (configured) {
    try {
      const url = new URL(configured);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
    } catch {
      // fall through to the same refusal as an unset var
    }
  }
  throw new ApiError(
    503,
    'PUBLIC_ORIGIN_NOT_CONFIGURED',
    'This installation does not know its own address yet, so it cannot send links; ask your district admin to set PUBLIC_ORIGIN.',
  );
}

/** A link on this site: the public origin and a path (with its query and fragment). */
export function publicLink(env: OriginConfig, path: string): string {
  return `${publicOrigin(env)}${path}`;
}
