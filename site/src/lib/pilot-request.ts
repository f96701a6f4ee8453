/**
 * Requests for the director's pilot-groups and leaders pages. Their routes are plain fetch
 * calls with the API's documented shapes; a refusal is read into a Problem with everything
 * the API said (violations included), and a 401 sends the director to sign in once.
 */

import type { CampaignSummary } from './dashboard';
import { NETWORK_PROBLEM as NETWORK, type Outcome, type Problem, problemFrom } from './problem';

export type { Outcome, Problem };

/** Where to sign in again and come back to this very view. */
export function signInUrl(): string {
  return `/sign-in/?next=${encodeURIComponent(location.pathname + location.search)}`;
}

let leaving = false;

/** The session ended while the page was open: go and sign in again, however many requests notice. */
function signedOut(): void {
  if (leaving) return;
  leaving = true;
  location.assign(signInUrl());
}

export async function request<T>(path: string, body?: unknown): Promise<Outcome<T>> {
  let res: Response;
  try {
    res = await fetch(
      `/api${path}`,
      body === undefined
        ? { headers: { Accept: 'application/json' } }
        : {
            method: 'POST',
            headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          },
    );
  } catch {
    return { ok: false, problem: NETWORK };
  }
  if (res.status === 401) signedOut();
  if (!res.ok) return { ok: false, problem: await problemFrom(res) };
  try {
    return { ok: true, data: (await res.json()) as T };
  } catch {
    return { ok: false, problem: { ...NETWORK, message: 'The server sent an answer this page cannot read.' } };
  }
}

/** What these pages read of a campaign: part of what the dashboard lists. */
export type CampaignInfo = Pick<CampaignSummary, 'id' | 'title' | 'mode' | 'minGroupSize' | 'status' | 'responseCount'>;

/** Where a director page stands before its own figures arrive. */
export type PagePhase = 'loading' | 'choose' | 'missing' | 'anonymous' | 'unavailable' | 'signed-out' | 'ready';

/** The campaign named by ?c=, or the list to choose one from. */
export async function loadCampaign(
  id: string | null,
): Promise<{ phase: PagePhase; campaign: CampaignInfo | null; campaigns: CampaignInfo[] | null }> {
  if (!id) {
    const list = await request<{ items: CampaignInfo[] }>('/campaigns');
    if (!list.ok && list.problem.status === 401) return { phase: 'signed-out', campaign: null, campaigns: null };
    return { phase: 'choose', campaign: null, campaigns: list.ok ? list.data.items : [] };
  }
  const one = await request<CampaignInfo>(`/campaigns/${encodeURIComponent(id)}`);
  if (one.ok) {
    const phase = one.data.mode === 'anonymous' ? 'anonymous' : 'ready';
    return { phase, campaign: one.data, campaigns: null };
  }
  const status = one.problem.status;
  const phase = status === 401 ? 'signed-out' : status === 404 ? 'missing' : 'unavailable';
  return { phase, campaign: null, campaigns: null };
}
