/** A campaign: one round of a survey sent to a district's staff. */
export type CampaignMode = 'anonymous' | 'identified';

export interface Campaign {
  id: string;
  surveyId: string;
  title: string;
  mode: CampaignMode;
  /** k of the confidentiality rule: no figure about fewer respondents is ever shown. */
  minGroupSize: number;
  closesAt: string | null;
  closedAt: string | null;
  createdAt: string;
  responseCount: number;
}

/** The default and the floor of k (PRODUCT: default 5, never below 3). */
export const DEFAULT_MIN_GROUP_SIZE = 5;
export const MIN_GROUP_SIZE_FLOOR = 3;

/** Closed by hand, or past its closing time. */
export function isOpen(campaign: Pick<Campaign, 'closesAt' | 'closedAt'>, now: Date): boolean {
  if (campaign.closedAt !== null) return false;
  return campaign.closesAt === null || Date.parse(campaign.closesAt) > now.getTime();
}

/** A campaign as the API answers it: with whether it is open now. */
export function withStatus(campaign: Campaign) {
  return { ...campaign, status: isOpen(campaign, new Date()) ? ('open' as const) : ('closed' as const) };
}
