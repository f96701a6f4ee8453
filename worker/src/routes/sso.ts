/**
 * Single sign-on through the district's own identity provider (Google Workspace or
 * Microsoft Entra ID), as an OpenID Connect authorization-code flow with PKCE. It only
 * signs in people who already have an account here, found by the email address the
 * provider vouches for: the provider proves who someone is, Homegrown decides what they
 * may do. Off unless every setting it needs is there.
 */
import {
  decodeIdToken,
  Google,
  generateCodeVerifier,
  generateState,
  MicrosoftEntraId,
  OAuth2RequestError,
} from 'arctic';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { allow } from '../auth/access';
import { safeNextPath } from '../auth/next-path';
import { publicLink } from '../auth/origin';
import { type AppEnv, startSession } from '../auth/session';
import { standingOf } from '../auth/standing';
import { accountByEmail } from '../db/accounts';
import { startPage } from '../domain/navigation';
import { ApiError } from '../errors';
import { documented } from '../openapi';

/** Settings a district adds as vars (and the secret with `wrangler secret put`); not in the generated Env. */
export interface SsoConfig {
  SSO_PROVIDER?: string;
  SSO_CLIENT_ID?: string;
  /** The Entra tenant id: required for Microsoft. */
  SSO_TENANT?: string;
  /** The Google Workspace domain; when set, only its accounts may sign in. */
  SSO_DOMAIN?: string;
  SSO_CLIENT_SECRET?: string;
}

type Provider = 'google' | 'microsoft';

interface Settings {
  provider: Provider;
  clientId: string;
  clientSecret: string;
  tenant: string;
  domain: string | null;
}

const LABELS: { [provider in Provider]: string } = {
  google: 'Sign in with Google',
  microsoft: 'Sign in with Microsoft',
};

const SCOPES = ['openid', 'email', 'profile'];
const FLOW_MINUTES = 10;
const COOKIES = { state: 'homegrown_sso_state', verifier: 'homegrown_sso_verifier', next: 'homegrown_sso_next' };
/**
 * Entra's shared tenants let any Microsoft account sign in, including ones whose email claim
 * names an address their owner does not control; matching accounts by email is only safe
 * within the district's own tenant, so these count as no tenant at all.
 */
const SHARED_TENANTS = new Set(['common', 'organizations', 'consumers']);
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const emailAddress = z.email();

function settingsOf(env: Env): Settings | null {
  const config = env as Env & SsoConfig;
  const provider = config.SSO_PROVIDER?.trim().toLowerCase();
  const clientId = config.SSO_CLIENT_ID?.trim();
  const clientSecret = config.SSO_CLIENT_SECRET?.trim();
  const tenant = config.SSO_TENANT?.trim() ?? '';
  if ((provider !== 'google' && provider !== 'microsoft') || !clientId || !clientSecret) return null;
  if (provider === 'microsoft' && (tenant === '' || SHARED_TENANTS.has(tenant.toLowerCase()))) return null;
  return { provider, clientId, clientSecret, tenant, domain: config.SSO_DOMAIN?.trim().toLowerCase() || null };
}

/** What the sign-in page offers besides the emailed link, or null when single sign-on is off. */
export function ssoOption(env: Env): { provider: Provider; label: string } | null {
  const settings = settingsOf(env);
  return settings ? { provider: settings.provider, label: LABELS[settings.provider] } : null;
}

function clientFor(settings: Settings, redirectUri: string): Google | MicrosoftEntraId {
  return settings.provider === 'google'
    ? new Google(settings.clientId, settings.clientSecret, redirectUri)
    : new MicrosoftEntraId(settings.tenant, settings.clientId, settings.clientSecret, redirectUri);
}

/** The provider sends the browser back here; the path is what a district registers with it. */
function redirectUri(c: Context<AppEnv>): string {
  return publicLink(c.env, '/api/auth/sso/callback');
}

/**
 * The address the provider vouches for, or null when the id token does not establish one.
 *
 * The id token came straight from the provider's token endpoint, over TLS, in answer to a
 * request authenticated with the client secret, so TLS already proves who issued it and its
 * signature need not be checked again (OpenID Connect Core 1.0, section 3.1.3.7, item 6);
 * the issuer, audience and expiry are still checked, as that section requires.
 */
function vouchedEmail(claims: Record<string, unknown>, settings: Settings, now: Date): string | null {
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(settings.clientId)) return null;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return null;

  let email: unknown;
  if (settings.provider === 'google') {
    if (claims.iss !== 'https://accounts.google.com' && claims.iss !== 'accounts.google.com') return null;
    if (claims.email_verified !== true) return null;
    if (settings.domain !== null && (typeof claims.hd !== 'string' || claims.hd.toLowerCase() !== settings.domain)) {
      return null;
    }
    email = claims.email;
  } else {
    if (typeof claims.tid !== 'string' || claims.iss !== `https://login.microsoftonline.com/${claims.tid}/v2.0`) {
      return null;
    }
    if (TENANT_ID.test(settings.tenant) && claims.tid.toLowerCase() !== settings.tenant.toLowerCase()) return null;
    email = claims.email ?? claims.preferred_username;
  }
  if (typeof email !== 'string') return null;
  const address = email.trim().toLowerCase();
  return emailAddress.safeParse(address).success ? address : null;
}

function signInPage(c: Context<AppEnv>, error: 'sso' | 'sso-unknown-account') {
  clearFlowCookies(c);
  return c.redirect(`/sign-in/?error=${error}`, 302);
}

function clearFlowCookies(c: Context<AppEnv>) {
  for (const name of Object.values(COOKIES)) deleteCookie(c, name, { prefix: 'host', path: '/', secure: true });
}

export const sso = new Hono<AppEnv>()
  .get(
    '/start',
    allow('public'),
    documented({
      summary: "Sign in through the district's identity provider",
      description:
        'Redirects the browser to Google or Microsoft to sign in; `?next=` names the page to come back to (without it, the page the account starts on: see GET /api/auth/session). Refused when single sign-on is not set up.',
      tags: ['auth'],
      responses: { 302: { description: "Redirect to the identity provider's sign-in page." } },
    }),
    (c) => {
      const settings = settingsOf(c.env);
      if (!settings) {
        throw new ApiError(
          404,
          'SSO_NOT_CONFIGURED',
          'Single sign-on is not set up here; sign in with an emailed link.',
        );
      }
      const state = generateState();
      const verifier = generateCodeVerifier();
      const url = clientFor(settings, redirectUri(c)).createAuthorizationURL(state, verifier, SCOPES);
      // Only a hint that skips Google's account chooser; the token's hd claim is what is checked.
      if (settings.provider === 'google' && settings.domain) url.searchParams.set('hd', settings.domain);
      // Empty when no page was asked for: the callback then sends the person where they start.
      const asked = c.req.query('next');
      const flow = { state, verifier, next: asked === undefined ? '' : safeNextPath(asked) };
      for (const [key, name] of Object.entries(COOKIES) as [keyof typeof COOKIES, string][]) {
        setCookie(c, name, flow[key], {
          prefix: 'host',
          httpOnly: true,
          secure: true,
          sameSite: 'Lax',
          path: '/',
          maxAge: FLOW_MINUTES * 60,
        });
      }
      return c.redirect(url.href, 302);
    },
  )
  .get(
    '/callback',
    allow('public'),
    documented({
      summary: 'Where the identity provider sends the browser back',
      description:
        'Signs in the account the provider vouches for and redirects to the page asked for; when that fails, redirects to the sign-in page with `?error=sso` or `?error=sso-unknown-account`.',
      tags: ['auth'],
      responses: { 302: { description: 'Redirect to the page asked for (signed in) or to the sign-in page.' } },
    }),
    async (c) => {
      const settings = settingsOf(c.env);
      const state = c.req.query('state');
      const code = c.req.query('code');
      const expectedState = getCookie(c, COOKIES.state, 'host');
      const verifier = getCookie(c, COOKIES.verifier, 'host');
      const asked = getCookie(c, COOKIES.next, 'host');
      // A missing or different state is a callback this browser did not start (or one
      // replayed from elsewhere): never exchange its code.
      if (!settings || !state || !code || !expectedState || !verifier || state !== expectedState) {
        return signInPage(c, 'sso');
      }

      let email: string | null;
      try {
        const tokens = await clientFor(settings, redirectUri(c)).validateAuthorizationCode(code, verifier);
        email = vouchedEmail(decodeIdToken(tokens.idToken()) as Record<string, unknown>, settings, new Date());
      } catch (error) {
        // The provider refused the code, could not be reached, or answered without a usable
        // id token: the person starts again; nothing about it is a server fault.
        const detail = error instanceof OAuth2RequestError ? `${error.code} ${error.description ?? ''}` : String(error);
        console.warn(`single sign-on: the code exchange failed: ${detail}`);
        return signInPage(c, 'sso');
      }
      if (!email) {
        console.warn('single sign-on: the id token did not establish a verified email address for this district');
        return signInPage(c, 'sso');
      }

      const account = await accountByEmail(c.env.DB, email);
      if (!account || account.disabled) return signInPage(c, 'sso-unknown-account');
      await startSession(c, account.id, 'sso');
      clearFlowCookies(c);
      const next = asked ? safeNextPath(asked) : startPage(await standingOf(c.env.DB, account));
      return c.redirect(next, 302);
    },
  );
