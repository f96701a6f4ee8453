/**
 * What the director's pilot-groups and leaders pages share before their own figures: the
 * campaign named by ?c=, or the list to choose one from, and where the page stands.
 */
import { api, call } from './api';
import type { Campaign, CampaignDetail } from './campaigns';

/** Where a director page stands before its own figures arrive. */
export type PagePhase = 'loading' | 'choose' | 'missing' | 'anonymous' | 'unavailable' | 'signed-out' | 'ready';

export interface CampaignPage {
  phase: PagePhase;
  campaign: CampaignDetail | null;
  campaigns: Campaign[] | null;
}

/** The campaign named by ?c=, or the list to choose one from. */
export async function loadCampaign(id: string | null): Promise<CampaignPage> {
  if (!id) {
    const list = await call(() => api.campaigns.$get({ query: {} }));
    if (!list.ok && list.problem.code === 'SIGNED_OUT') return { phase: 'signed-out', campaign: null, campaigns: null };
    return { phase: 'choose', campaign: null, campaigns: list.ok ? list.data.items : [] };
  }
  // The id comes from the address; the client puts it in the path as it is.
  const one = await call(() => api.campaigns[':id'].$get({ param: { id: encodeURIComponent(id) } }));
  if (one.ok)
    return { phase: one.data.mode === 'anonymous' ? 'anonymous' : 'ready', campaign: one.data, campaigns: null };
  const { code } = one.problem;
  const phase = code === 'SIGNED_OUT' ? 'signed-out' : code === 'CAMPAIGN_NOT_FOUND' ? 'missing' : 'unavailable';
  return { phase, campaign: null, campaigns: null };
}
