/** What the sign-in routes answer, as the OpenAPI document states it. */
import { z } from 'zod';
import { STAFF_PAGES, type StaffPage } from '../domain/navigation';
import { account } from './accounts';

/** The same answer whether or not the address has an account. */
export const signInLinkSent = z.object({ sent: z.literal(true) });

export const signedInSession = z.object({ account });

const staffPages = STAFF_PAGES.map((entry) => entry.page) as [StaffPage, ...StaffPage[]];

/** Who is signed in, if anyone, and what that means for the navigation; signed out is an answer too. */
export const currentSession = z
  .object({
    /** Null when nobody is signed in. */
    account: account.nullable(),
    /** The signed-in pages this person can use, in the navigation's order. */
    pages: z.array(z.enum(staffPages)),
    /** Boards the account belongs to (every board, for an admin). */
    boards: z.number().int(),
    /** For a director or an admin: the campaign the dashboard starts from. */
    campaign: z.object({ id: z.string(), title: z.string() }).nullable(),
    /** Where this person starts when signing in asked for no page. */
    start: z.string(),
  })
  .meta({ id: 'CurrentSession' });

export const signedOut = z.object({ signedOut: z.literal(true) });

export const signInOptions = z.object({
  /** Null when the district has not set up single sign-on. */
  sso: z.object({ provider: z.enum(['google', 'microsoft']), label: z.string() }).nullable(),
});
