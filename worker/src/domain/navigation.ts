/**
 * Who is offered which signed-in page, and where each person starts after signing in. The
 * worker guards the pages with the same list (pages.ts), and the site's navigation offers a
 * page only to those it is for: a page a person cannot use is not offered to them.
 */
import type { Role } from '../auth/roles';

/** The signed-in pages in the navigation, in its order; `roles` empty means any signed-in account. */
export const STAFF_PAGES = [
  { page: 'dashboard', path: '/dashboard/', roles: ['director', 'admin'] },
  { page: 'comments', path: '/comments/', roles: ['director', 'admin'] },
  { page: 'pilot-groups', path: '/pilot-groups/', roles: ['director', 'admin'] },
  { page: 'boards', path: '/boards/', roles: [] },
  { page: 'leaders', path: '/leaders/', roles: ['director', 'admin'] },
  { page: 'admin', path: '/admin/', roles: ['admin'] },
] as const satisfies ReadonlyArray<{ page: string; path: string; roles: readonly Role[] }>;

export type StaffPage = (typeof STAFF_PAGES)[number]['page'];

/** What decides a person's pages and first page: their roles, their boards, the campaign to start from. */
export interface Standing {
  roles: readonly Role[];
  /** Boards the account belongs to (every board, for an admin). */
  boards: number;
  /** For a director or an admin, the campaign their dashboard opens on; null when there is none. */
  campaign: { id: string } | null;
}

/**
 * The pages offered to this person. Boards is offered to a member of a board, and to anyone
 * with a district role, who may start one; a role-less account with no board has nothing there.
 */
export function offeredPages({ roles, boards }: Pick<Standing, 'roles' | 'boards'>): StaffPage[] {
  return STAFF_PAGES.filter((entry) => {
    if (entry.page === 'boards') return boards > 0 || roles.length > 0;
    return entry.roles.some((role) => roles.includes(role));
  }).map((entry) => entry.page);
}

/**
 * Where a person starts when the sign-in asked for no page: a director on the dashboard of
 * the current campaign, an admin on the admin page, a board member or facilitator on the
 * boards, anyone else on the home page, which says what there is for them.
 */
export function startPage({ roles, boards, campaign }: Standing): string {
  if (roles.includes('director')) {
    return campaign ? `/dashboard/?c=${encodeURIComponent(campaign.id)}` : '/dashboard/';
  }
  if (roles.includes('admin')) return '/admin/';
  if (boards > 0 || roles.includes('facilitator')) return '/boards/';
  return '/';
}

/**
 * The campaign a dashboard starts from: the newest with enough answers to show a figure (at
 * least its minimum group size), else the newest; null when there are none. `campaigns` is
 * newest first, as the list of campaigns has them.
 */
export function currentCampaign<C extends { responseCount: number; minGroupSize: number }>(
  campaigns: readonly C[],
): C | null {
  return campaigns.find((campaign) => campaign.responseCount >= campaign.minGroupSize) ?? campaigns[0] ?? null;
}
