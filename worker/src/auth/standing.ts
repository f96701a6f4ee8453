/** What the signed-in person's navigation and first page depend on, read for their account. */
import type { Account } from '../db/accounts';
import { listBoards } from '../db/boards';
import { listCampaigns } from '../db/campaigns';
import { currentCampaign, type Standing } from '../domain/navigation';

/** How many of the newest campaigns are looked through for the current one. */
const CAMPAIGNS_LOOKED_AT = 20;

export async function standingOf(
  db: D1Database,
  account: Account,
): Promise<Standing & { campaign: { id: string; title: string } | null }> {
  const readsCampaigns = account.roles.includes('director') || account.roles.includes('admin');
  const [boards, campaigns] = await Promise.all([
    listBoards(db, account.id, account.roles.includes('admin')),
    readsCampaigns ? listCampaigns(db, CAMPAIGNS_LOOKED_AT) : Promise.resolve([]),
  ]);
  const campaign = currentCampaign(campaigns);
  return {
    roles: account.roles,
    boards: boards.length,
    campaign: campaign ? { id: campaign.id, title: campaign.title } : null,
  };
}
