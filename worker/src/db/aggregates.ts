/**
 * Running aggregates (migration 0002): kept up to date by the trigger that fires when a
 * response is stored (migration 0003), read by the dashboard. Reads cost the same for
 * 100 or 100,000 responses.
 */
import type { RatingSums } from '../domain/priorities';

export const SEGMENT_DIMENSIONS = ['school', 'role', 'careerStage', 'subject', 'gradeBand'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

// A row per dimension to cross join with (D1 caps compound SELECTs, so not a UNION).
const DIMENSIONS = `(SELECT value AS dimension FROM json_each('${JSON.stringify(SEGMENT_DIMENSIONS)}'))`;

/** The segment a rating's response (p) falls in for each dimension; '' is "not stated". */
const SEGMENT = `CASE d.dimension WHEN 'school' THEN COALESCE(p.school, '') WHEN 'role' THEN COALESCE(p.role, '')
  WHEN 'careerStage' THEN COALESCE(p.career_stage, '') WHEN 'subject' THEN COALESCE(p.subject, '')
  WHEN 'gradeBand' THEN COALESCE(p.grade_band, '') ELSE '' END`;

/**
 * Recomputes a campaign's aggregates from the stored rating, interest and strategy rows:
 * a repair tool, and the check that the trigger's running sums are right.
 */
export async function rebuildAggregates(db: D1Database, campaignId: string): Promise<void> {
  await db.batch([
    ...['rating_aggregates', 'response_counts', 'interest_aggregates', 'need_strategy_aggregates'].map((table) =>
      db.prepare(`DELETE FROM ${table} WHERE campaign_id = ?`).bind(campaignId),
    ),
    db
      .prepare(
        `INSERT INTO rating_aggregates
         SELECT r.campaign_id, d.dimension, ${SEGMENT}, r.competency_id, COUNT(*), SUM(r.importance),
           SUM(r.proficiency), SUM(r.importance - r.proficiency),
           SUM((r.importance - r.proficiency) * (r.importance - r.proficiency)), SUM(r.importance - r.proficiency >= 2)
         FROM response_ratings r JOIN responses p ON p.id = r.response_id CROSS JOIN ${DIMENSIONS} d
         WHERE r.campaign_id = ?1 GROUP BY 1, 2, 3, 4`,
      )
      .bind(campaignId),
    db
      .prepare(
        `INSERT INTO response_counts SELECT campaign_id, COALESCE(school, ''), COUNT(*) FROM responses
         WHERE campaign_id = ?1 GROUP BY 1, 2`,
      )
      .bind(campaignId),
    db
      .prepare(
        `INSERT INTO interest_aggregates SELECT campaign_id, competency_id, COUNT(*) FROM response_interests
         WHERE campaign_id = ?1 GROUP BY 1, 2`,
      )
      .bind(campaignId),
    db
      .prepare(
        `INSERT INTO need_strategy_aggregates
         SELECT r.campaign_id, r.competency_id, s.strategy_id, COUNT(*), SUM(s.position = 1)
         FROM response_ratings r JOIN response_strategies s ON s.response_id = r.response_id
         WHERE r.campaign_id = ?1 AND r.importance - r.proficiency >= 2 GROUP BY 1, 2, 3`,
      )
      .bind(campaignId),
  ]);
}

type RatingRow = RatingSums & { segment: string; competencyId: string };

export type SegmentSums = RatingSums & { competencyId: string; segment: string | null };

const RATING_COLUMNS = `segment, competency_id AS competencyId, n, sum_importance AS sumImportance,
  sum_proficiency AS sumProficiency, sum_discrepancy AS sumDiscrepancy,
  sum_discrepancy_squared AS sumDiscrepancySquared, high_need AS highNeed`;

function toSums(row: RatingRow): SegmentSums {
  const { segment, ...sums } = row;
  return { ...sums, segment: segment === '' ? null : segment };
}

export interface CampaignAggregates {
  ratings: SegmentSums[];
  interests: Map<string, number>;
  respondentsBySchool: Array<{ school: string | null; n: number }>;
  evidence: Map<string, { meanScore: number; scaleMin: number; scaleMax: number }>;
}

const respondentsStatement = (db: D1Database, campaignId: string) =>
  db.prepare('SELECT school, n FROM response_counts WHERE campaign_id = ?').bind(campaignId);
const toRespondents = (row: { school: string; n: number }) => ({
  school: row.school === '' ? null : row.school,
  n: row.n,
});

/** Respondents per school ('' = not stated → null), for response rates. */
export async function readRespondentsBySchool(db: D1Database, campaignId: string) {
  const { results } = await respondentsStatement(db, campaignId).all<{ school: string; n: number }>();
  return results.map(toRespondents);
}

/** Everything the ranked focus list needs, in one round trip. */
export async function readCampaignAggregates(db: D1Database, campaignId: string): Promise<CampaignAggregates> {
  const [ratings, interests, counts, evidence] = await db.batch<Record<string, unknown>>([
    db
      // District figures: every respondent is in exactly one school segment ('' if not stated).
      .prepare(
        `SELECT '' AS segment, competency_id AS competencyId, SUM(n) AS n, SUM(sum_importance) AS sumImportance,
           SUM(sum_proficiency) AS sumProficiency, SUM(sum_discrepancy) AS sumDiscrepancy,
           SUM(sum_discrepancy_squared) AS sumDiscrepancySquared, SUM(high_need) AS highNeed
         FROM rating_aggregates WHERE campaign_id = ? AND dimension = 'school' GROUP BY competency_id`,
      )
      .bind(campaignId),
    db
      .prepare('SELECT competency_id AS competencyId, n FROM interest_aggregates WHERE campaign_id = ?')
      .bind(campaignId),
    respondentsStatement(db, campaignId),
    db
      .prepare(
        `SELECT competency_id AS competencyId, AVG(score) AS meanScore, MIN(scale_min) AS scaleMin,
           MAX(scale_max) AS scaleMax
         FROM evidence_scores WHERE campaign_id = ? GROUP BY competency_id`,
      )
      .bind(campaignId),
  ]);
  const rows = <T>(result: D1Result<Record<string, unknown>> | undefined) => (result?.results ?? []) as T[];
  return {
    ratings: rows<RatingRow>(ratings).map(toSums),
    interests: new Map(rows<{ competencyId: string; n: number }>(interests).map((row) => [row.competencyId, row.n])),
    respondentsBySchool: rows<{ school: string; n: number }>(counts).map(toRespondents),
    evidence: new Map(
      rows<{ competencyId: string; meanScore: number; scaleMin: number; scaleMax: number }>(evidence).map(
        ({ competencyId, ...rest }) => [competencyId, rest],
      ),
    ),
  };
}

export async function readSegmentSums(
  db: D1Database,
  campaignId: string,
  dimension: SegmentDimension,
): Promise<SegmentSums[]> {
  const { results } = await db
    .prepare(`SELECT ${RATING_COLUMNS} FROM rating_aggregates WHERE campaign_id = ? AND dimension = ?`)
    .bind(campaignId, dimension)
    .all<RatingRow>();
  return results.map(toSums);
}

export interface NeedStrategyRow {
  competencyId: string;
  strategyId: string;
  n: number;
  firstChoice: number;
}

export async function readNeedStrategies(db: D1Database, campaignId: string): Promise<NeedStrategyRow[]> {
  const { results } = await db
    .prepare(
      `SELECT competency_id AS competencyId, strategy_id AS strategyId, n, first_choice AS firstChoice
       FROM need_strategy_aggregates WHERE campaign_id = ?`,
    )
    .bind(campaignId)
    .all<NeedStrategyRow>();
  return results;
}

/** Replaces a campaign's evidence import with these rows, atomically. */
export async function replaceEvidence(
  db: D1Database,
  campaignId: string,
  rows: Array<{ competencyId: string; school: string; score: number }>,
  scale: { min: number; max: number },
): Promise<void> {
  const insert = db.prepare(
    `INSERT INTO evidence_scores (campaign_id, row_number, competency_id, school, score, scale_min, scale_max)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  await db.batch([
    db.prepare('DELETE FROM evidence_scores WHERE campaign_id = ?').bind(campaignId),
    ...rows.map((row, index) =>
      insert.bind(campaignId, index + 1, row.competencyId, row.school, row.score, scale.min, scale.max),
    ),
  ]);
}
