import type { Campaign, CampaignMode } from '../domain/campaign';
import { ApiError } from '../errors';

export interface CampaignRow {
  id: string;
  survey_id: string;
  title: string;
  mode: CampaignMode;
  min_group_size: number;
  closes_at: string | null;
  closed_at: string | null;
  created_at: string;
  response_count: number;
}

/**
 * Responses received, published or still pending (kept by the store trigger): how the
 * campaign is going. It says that someone answered, never what; the figures about answers
 * move in steps (db/aggregates.ts).
 */
export const CAMPAIGN_COLUMNS = 'c.*, c.responses_received AS response_count';
const SELECT_CAMPAIGN = `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns c`;

export function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    surveyId: row.survey_id,
    title: row.title,
    mode: row.mode,
    minGroupSize: row.min_group_size,
    closesAt: row.closes_at,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    responseCount: row.response_count,
  };
}

export async function insertCampaign(
  db: D1Database,
  campaign: Omit<Campaign, 'closedAt' | 'responseCount'>,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO campaigns (id, survey_id, title, mode, min_group_size, closes_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      campaign.id,
      campaign.surveyId,
      campaign.title,
      campaign.mode,
      campaign.minGroupSize,
      campaign.closesAt,
      campaign.createdAt,
    )
    .run();
}

export async function getCampaign(db: D1Database, id: string): Promise<Campaign | null> {
  const row = await db.prepare(`${SELECT_CAMPAIGN} WHERE c.id = ?`).bind(id).first<CampaignRow>();
  return row ? toCampaign(row) : null;
}

/** Newest first; the cursor is the last item's (created_at, id), so pages never shift. */
export async function listCampaigns(
  db: D1Database,
  limit: number,
  after?: { createdAt: string; id: string },
): Promise<Campaign[]> {
  const statement = after
    ? db
        .prepare(
          `${SELECT_CAMPAIGN} WHERE (c.created_at, c.id) < (?, ?)
           ORDER BY c.created_at DESC, c.id DESC LIMIT ?`,
        )
        .bind(after.createdAt, after.id, limit)
    : db.prepare(`${SELECT_CAMPAIGN} ORDER BY c.created_at DESC, c.id DESC LIMIT ?`).bind(limit);
  const { results } = await statement.all<CampaignRow>();
  return results.map(toCampaign);
}

export function closeCampaign(db: D1Database, id: string, at: string): D1PreparedStatement {
  return db.prepare('UPDATE campaigns SET closed_at = ? WHERE id = ? AND closed_at IS NULL').bind(at, id);
}

/** A campaign's 404, the same wherever a route names one that does not exist. */
export function campaignNotFound(id: string): ApiError {
  return new ApiError(404, 'CAMPAIGN_NOT_FOUND', `There is no campaign "${id}".`);
}

export async function requireCampaign(db: D1Database, id: string): Promise<Campaign> {
  const campaign = await getCampaign(db, id);
  if (!campaign) throw campaignNotFound(id);
  return campaign;
}
