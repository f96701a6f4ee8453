/**
 * The navigation by role: which signed-in pages the header and the home page offer, from
 * GET /api/auth/session (the worker decides, domain/navigation.ts). Links for those pages are
 * in every page's HTML but hidden until the account's pages are known, by the rules
 * `pageRules` writes. So the header does not jump as it loads, the last answer is kept on the
 * device as a hint, which an inline script in the layout applies before anything is drawn;
 * it names pages only, and the pages themselves are still refused by the worker to anyone
 * without the role.
 */
import type { InferResponseType } from 'hono/client';
import { STAFF_PAGES, type StaffPage } from '../../../worker/src/domain/navigation';
import { api, call, type Outcome } from './api';

export type Session = InferResponseType<typeof api.auth.session.$get, 200>;

/** Where the hint is kept (localStorage); the layout's inline script reads the same key. */
export const HINT_KEY = 'homegrown.navigation';

/** The hint: the pages offered, nothing else. */
export interface Hint {
  pages: StaffPage[];
}

export function hintOf(session: Session): Hint | null {
  return session.account ? { pages: session.pages } : null;
}

/**
 * The CSS that shows what the hint or the answer allows: elements marked `data-page` show
 * for those offered that page, `data-signed-in` for anyone signed in, `data-no-pages` for an
 * account offered none.
 */
export function pageRules(): string {
  const pages = STAFF_PAGES.map((entry) => entry.page);
  return [
    'body [data-page], body [data-signed-in], body [data-no-pages] { display: none; }',
    'html[data-signed-in] body [data-signed-in] { display: revert; }',
    'html[data-signed-in][data-pages=""] body [data-no-pages] { display: revert; }',
    ...pages.map((page) => `html[data-pages~="${page}"] body [data-page="${page}"] { display: revert; }`),
  ].join('\n');
}

/** Shows what this hint allows (null: signed out, nothing) and keeps it for the next page. */
export function applyHint(hint: Hint | null): void {
  const root = document.documentElement;
  if (hint) {
    root.dataset.signedIn = '';
    root.dataset.pages = hint.pages.join(' ');
  } else {
    delete root.dataset.signedIn;
    delete root.dataset.pages;
  }
  try {
    if (hint) localStorage.setItem(HINT_KEY, JSON.stringify(hint));
    else localStorage.removeItem(HINT_KEY);
  } catch {
    // Storage refused (a private window, a policy): the links then show once the answer is in.
  }
}

/** Applies the answer: the pages, and the start links (a director's go to the current campaign). */
export function applySession(session: Session): void {
  applyHint(hintOf(session));
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-start-link]')) {
    if (session.campaign) link.href = `/dashboard/?c=${encodeURIComponent(session.campaign.id)}`;
  }
}

let asked: Promise<Outcome<Session>> | undefined;

/** GET /api/auth/session, asked once per page however many islands want it. */
export function currentSession(): Promise<Outcome<Session>> {
  asked ??= readSession();
  return asked;
}

/** GET /api/auth/session now (after signing in, when an earlier answer is out of date). */
export function readSession(): Promise<Outcome<Session>> {
  asked = call(() => api.auth.session.$get(), { signedOut: 'report' });
  return asked;
}
