/** What the sign-in routes answer, as the OpenAPI document states it. */
import { z } from 'zod';
import { account } from './accounts';

/** The same answer whether or not the address has an account. */
export const signInLinkSent = z.object({ sent: z.literal(true) });

export const signedInSession = z.object({ account });

export const signedOut = z.object({ signedOut: z.literal(true) });

export const signInOptions = z.object({
  /** Null when the district has not set up single sign-on. */
  sso: z.object({ provider: z.enum(['google', 'microsoft']), label: z.string() }).nullable(),
});
