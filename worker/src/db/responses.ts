import type { Answers } from '../domain/answers';
import type { Campaign } from '../domain/campaign';
import { addResponseToAggregates } from './aggregates';
import { CAMPAIGN_COLUMNS, type CampaignRow, toCampaign } from './campaigns';

export interface StoredResponse {
  id: string;
  bodyHash: string;
}

export async function findResponseByKey(
  db: D1Database,
  campaignId: string,
  idempotencyKey: string,
): Promise<StoredResponse | null> {
  return db
    .prepare(`SELECT id, body_hash AS bodyHash FROM responses WHERE campaign_id = ? AND idempotency_key = ?`)
    .bind(campaignId, idempotencyKey)
    .first<StoredResponse>();
}

export interface SubmissionContext {
  campaign: Campaign;
  /** What was stored earlier under this idempotency key, if anything. */
  earlier: StoredResponse | null;
  schoolKnown: boolean;
}

/**
 * Everything a submission must check before storing, in one query: the campaign, an
 * earlier response under the same key, and whether the school is on the roster.
 */
export async function findSubmissionContext(
  db: D1Database,
  campaignId: string,
  idempotencyKey: string,
  school: string | null,
): Promise<SubmissionContext | null> {
  const row = await db
    .prepare(
      `SELECT ${CAMPAIGN_COLUMNS}, r.id AS earlier_id, r.body_hash AS earlier_hash,
         EXISTS (SELECT 1 FROM schools WHERE id = ?3) AS school_known
       FROM campaigns c LEFT JOIN responses r ON r.campaign_id = c.id AND r.idempotency_key = ?2
       WHERE c.id = ?1`,
    )
    .bind(campaignId, idempotencyKey, school)
    .first<CampaignRow & { earlier_id: string | null; earlier_hash: string | null; school_known: number }>();
  if (!row) return null;
  return {
    campaign: toCampaign(row),
    earlier: row.earlier_id && row.earlier_hash ? { id: row.earlier_id, bodyHash: row.earlier_hash } : null,
    schoolKnown: row.school_known === 1,
  };
}

export interface NewResponse {
  id: string;
  campaignId: string;
  idempotencyKey: string;
  bodyHash: string;
  staffId: string | null;
  answers: Answers;
  submittedAt: string;
}

/**
 * Stores a response and its normalized rows in one transaction. The response row is
 * inserted with ON CONFLICT DO NOTHING on (campaign_id, idempotency_key), and every
 * child insert is guarded by the new id existing, so when two identical submissions
 * race, the loser's batch writes nothing at all, running aggregates included. Returns
 * whether this call stored it.
 */
export async function insertResponse(db: D1Database, response: NewResponse): Promise<boolean> {
  const { answers } = response;
  const segment = [
    answers.school ?? null,
    answers.role ?? null,
    answers.careerStage ?? null,
    answers.subject ?? null,
    answers.gradeBand ?? null,
  ];
  const guard = 'WHERE EXISTS (SELECT 1 FROM responses WHERE id = ?1)';
  const [inserted] = await db.batch([
    db
      .prepare(
        `INSERT INTO responses (id, campaign_id, idempotency_key, body_hash, staff_id,
           school, role, career_stage, subject, grade_band, answers, submitted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (campaign_id, idempotency_key) DO NOTHING`,
      )
      .bind(
        response.id,
        response.campaignId,
        response.idempotencyKey,
        response.bodyHash,
        response.staffId,
        ...segment,
        JSON.stringify(answers),
        response.submittedAt,
      ),
    db
      .prepare(
        `INSERT INTO response_ratings (response_id, campaign_id, competency_id, importance,
           proficiency, school, role, career_stage, subject, grade_band)
         SELECT ?1, ?2, r.key, json_extract(r.value, '$.importance'),
           json_extract(r.value, '$.proficiency'), ?4, ?5, ?6, ?7, ?8
         FROM json_each(?3) AS r ${guard}`,
      )
      .bind(response.id, response.campaignId, JSON.stringify(answers.ratings ?? {}), ...segment),
    db
      .prepare(
        `INSERT INTO response_interests (response_id, campaign_id, competency_id)
         SELECT ?1, ?2, i.value FROM json_each(?3) AS i ${guard}`,
      )
      .bind(response.id, response.campaignId, JSON.stringify(answers.interests ?? [])),
    db
      .prepare(
        `INSERT INTO response_strategies (response_id, campaign_id, strategy_id, position)
         SELECT ?1, ?2, s.value, s.key + 1 FROM json_each(?3) AS s ${guard}`,
      )
      .bind(response.id, response.campaignId, JSON.stringify(answers.strategies ?? [])),
    ...addResponseToAggregates(db, response.id),
  ]);
  return (inserted?.meta.changes ?? 0) === 1;
}
