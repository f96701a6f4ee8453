/**
 * Published aggregates (migrations 0002 and 0007): the sums over the published responses,
 * which every focus table reads. A submission only stores its response as pending;
 * `publishPending` (run by every read of the figures) adds the largest batch of pending
 * responses the step rule of domain/publication.ts allows, so a figure moves only when at
 * least k people join its group, and derives the batch's rating rows as it does. Reads
 * cost the same for 100 or 100,000 responses: a step reads only what is pending.
 */
import type { Campaign } from '../domain/campaign';
import {
  type BoardEvidence,
  boardEvidenceFrom,
  type CampaignAggregates,
  type CampaignSums,
  type NeedStrategyRow,
  type RatingSums,
  SEGMENT_DIMENSIONS,
  type SegmentDimension,
  type SegmentSums,
  segmentTable,
} from '../domain/focuses';
import { type PendingResponse, publishableBatch, ratingCell, respondentCell } from '../domain/publication';
import type { School } from '../domain/roster-import';
import { readDisclosurePlan } from './disclosure';
import { listSchools } from './roster';

/** What a publication step reads of a campaign: its k, and whether its responses name people. */
type Publishable = Pick<Campaign, 'id' | 'minGroupSize' | 'mode'>;

// A row per dimension to cross join with (D1 caps compound SELECTs, so not a UNION).
const DIMENSIONS = `(SELECT value AS dimension FROM json_each('${JSON.stringify(SEGMENT_DIMENSIONS)}'))`;

/** The segment a rating's response (p) falls in for each dimension; '' is "not stated". */
const SEGMENT = `CASE d.dimension WHEN 'school' THEN COALESCE(p.school, '') WHEN 'role' THEN COALESCE(p.role, '')
  WHEN 'careerStage' THEN COALESCE(p.career_stage, '') WHEN 'subject' THEN COALESCE(p.subject, '')
  WHEN 'gradeBand' THEN COALESCE(p.grade_band, '') ELSE '' END`;

/**
 * Recomputes a campaign's aggregates from the published responses' rating, interest and
 * strategy rows: a repair tool, and the check that the steps' running sums are right.
 */
export async function rebuildAggregates(db: D1Database, campaignId: string): Promise<void> {
  await db.batch([
    ...AGGREGATE_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE campaign_id = ?`).bind(campaignId)),
    ...addStatements(db, campaignId, 'p.published_step IS NOT NULL'),
  ]);
}

const AGGREGATE_TABLES = [
  'rating_aggregates',
  'respondent_aggregates',
  'interest_aggregates',
  'need_strategy_aggregates',
  'profile_aggregates',
];

/** A response's (p) full profile, '' where not stated: the key of profile_aggregates. */
const PROFILE = `COALESCE(p.school, ''), COALESCE(p.role, ''), COALESCE(p.career_stage, ''),
  COALESCE(p.subject, ''), COALESCE(p.grade_band, '')`;
const PROFILE_CONFLICT = `ON CONFLICT (campaign_id, competency_id, school, role, career_stage, subject, grade_band)
  DO UPDATE SET n = n + excluded.n`;

/**
 * Derives the rating, interest and strategy rows of the campaign's responses (p) that match
 * `which` from their answers (migration 0015): a step derives its batch's, so a submission
 * writes only its own row. Bound parameters: ?1 the campaign, and whatever `which` uses.
 */
function deriveStatements(
  db: D1Database,
  campaignId: string,
  which: string,
  ...params: unknown[]
): D1PreparedStatement[] {
  const derive = (sql: string) => db.prepare(sql).bind(campaignId, ...params);
  return [
    derive(
      `INSERT INTO response_ratings (response_id, campaign_id, competency_id, importance, proficiency)
       SELECT p.id, p.campaign_id, r.key, json_extract(r.value, '$.importance'), json_extract(r.value, '$.proficiency')
       FROM responses p CROSS JOIN json_each(p.answers, '$.ratings') r WHERE p.campaign_id = ?1 AND ${which}`,
    ),
    derive(
      `INSERT INTO response_interests (response_id, campaign_id, competency_id)
       SELECT p.id, p.campaign_id, i.value
       FROM responses p CROSS JOIN json_each(p.answers, '$.interests') i WHERE p.campaign_id = ?1 AND ${which}`,
    ),
    derive(
      `INSERT INTO response_strategies (response_id, campaign_id, strategy_id, position)
       SELECT p.id, p.campaign_id, s.value, s.key + 1
       FROM responses p CROSS JOIN json_each(p.answers, '$.strategies') s WHERE p.campaign_id = ?1 AND ${which}`,
    ),
  ];
}

/**
 * Adds the sums of the campaign's responses (p) that match `which` to the published
 * aggregates: the whole published set for a rebuild, one step's batch when publishing.
 * Bound parameters: ?1 the campaign, and whatever `which` uses.
 */
function addStatements(db: D1Database, campaignId: string, which: string, ...params: unknown[]): D1PreparedStatement[] {
  const add = (sql: string) => db.prepare(sql).bind(campaignId, ...params);
  return [
    add(
      `INSERT INTO rating_aggregates (campaign_id, dimension, segment, competency_id, n, sum_importance,
         sum_proficiency, sum_discrepancy, sum_importance_squared, sum_discrepancy_squared,
         sum_importance_discrepancy, high_need)
       SELECT r.campaign_id, d.dimension, ${SEGMENT}, r.competency_id, COUNT(*), SUM(r.importance),
         SUM(r.proficiency), SUM(r.importance - r.proficiency), SUM(r.importance * r.importance),
         SUM((r.importance - r.proficiency) * (r.importance - r.proficiency)),
         SUM(r.importance * (r.importance - r.proficiency)), SUM(r.importance - r.proficiency >= 2)
       FROM response_ratings r JOIN responses p ON p.id = r.response_id CROSS JOIN ${DIMENSIONS} d
       WHERE p.campaign_id = ?1 AND ${which} GROUP BY 1, 2, 3, 4
       ON CONFLICT (campaign_id, dimension, segment, competency_id) DO UPDATE SET
         n = n + excluded.n, sum_importance = sum_importance + excluded.sum_importance,
         sum_proficiency = sum_proficiency + excluded.sum_proficiency,
         sum_discrepancy = sum_discrepancy + excluded.sum_discrepancy,
         sum_importance_squared = sum_importance_squared + excluded.sum_importance_squared,
         sum_discrepancy_squared = sum_discrepancy_squared + excluded.sum_discrepancy_squared,
         sum_importance_discrepancy = sum_importance_discrepancy + excluded.sum_importance_discrepancy,
         high_need = high_need + excluded.high_need`,
    ),
    add(
      `INSERT INTO respondent_aggregates
       SELECT p.campaign_id, d.dimension, ${SEGMENT}, COUNT(*) FROM responses p CROSS JOIN ${DIMENSIONS} d
       WHERE p.campaign_id = ?1 AND ${which} GROUP BY 1, 2, 3
       ON CONFLICT (campaign_id, dimension, segment) DO UPDATE SET n = n + excluded.n`,
    ),
    add(
      `INSERT INTO interest_aggregates
       SELECT i.campaign_id, i.competency_id, COUNT(*) FROM response_interests i JOIN responses p ON p.id = i.response_id
       WHERE p.campaign_id = ?1 AND ${which} GROUP BY 1, 2
       ON CONFLICT (campaign_id, competency_id) DO UPDATE SET n = n + excluded.n`,
    ),
    add(
      `INSERT INTO need_strategy_aggregates
       SELECT r.campaign_id, r.competency_id, s.strategy_id, COUNT(*), SUM(s.position = 1)
       FROM response_ratings r JOIN response_strategies s ON s.response_id = r.response_id
         JOIN responses p ON p.id = r.response_id
       WHERE p.campaign_id = ?1 AND ${which} AND r.importance - r.proficiency >= 2 GROUP BY 1, 2, 3
       ON CONFLICT (campaign_id, competency_id, strategy_id) DO UPDATE SET
         n = n + excluded.n, first_choice = first_choice + excluded.first_choice`,
    ),
    // The disclosure audit's true counts (db/disclosure.ts): respondents, then raters per focus.
    add(
      `INSERT INTO profile_aggregates SELECT p.campaign_id, '', ${PROFILE}, COUNT(*) FROM responses p
       WHERE p.campaign_id = ?1 AND ${which} GROUP BY 1, 2, 3, 4, 5, 6, 7 ${PROFILE_CONFLICT}`,
    ),
    add(
      `INSERT INTO profile_aggregates SELECT p.campaign_id, r.competency_id, ${PROFILE}, COUNT(*)
       FROM response_ratings r JOIN responses p ON p.id = r.response_id
       WHERE p.campaign_id = ?1 AND ${which} GROUP BY 1, 2, 3, 4, 5, 6, 7 ${PROFILE_CONFLICT}`,
    ),
  ];
}

interface PendingRow {
  key: number;
  school: string;
  role: string;
  careerStage: string;
  subject: string;
  gradeBand: string;
  rated: string;
  rosterSchool: string;
  pipelineStage: string;
}

/**
 * The leaders' pipeline of an identified campaign counts people per school × career stage
 * (domain/leaders.ts), a group no single dimension holds, so there that crossing is one
 * more partition of the step rule, on the pipeline's own keys: the roster's school, and
 * the career stage given, else the roster's (db/pilots.ts).
 */
const SCHOOL_BY_STAGE = 'school × careerStage';
type StepDimension = SegmentDimension | typeof SCHOOL_BY_STAGE;

/**
 * One publication step: reads the campaign's pending responses and what is published,
 * chooses the batch (domain/publication.ts) and adds it, all or nothing. Two reads that
 * step at once both propose the next step number; the campaign row stores one attempt's
 * token, and every other statement of a step runs only under its own token, so the loser
 * adds nothing. Returns how many responses the step took in (0: nothing to publish).
 */
export async function publishPending(db: D1Database, campaign: Publishable): Promise<number> {
  const { id: campaignId, minGroupSize: k } = campaign;
  const crossed = campaign.mode === 'identified';
  const { results: pendingRows } = await db
    .prepare(
      `SELECT p.rowid AS key, COALESCE(p.school, '') AS school, COALESCE(p.role, '') AS role,
         COALESCE(p.career_stage, '') AS careerStage, COALESCE(p.subject, '') AS subject,
         COALESCE(p.grade_band, '') AS gradeBand,
         (SELECT json_group_array(r.key) FROM json_each(p.answers, '$.ratings') r) AS rated,
         COALESCE(s.school_id, '') AS rosterSchool, COALESCE(p.career_stage, s.career_stage, '') AS pipelineStage
       FROM responses p LEFT JOIN staff s ON s.staff_id = p.staff_id
       WHERE p.campaign_id = ? AND p.published_step IS NULL`,
    )
    .bind(campaignId)
    .all<PendingRow>();
  if (pendingRows.length === 0) return 0;
  const [respondents, ratings, step, crossings] = await db.batch<Record<string, unknown>>([
    db.prepare('SELECT dimension, segment, n FROM respondent_aggregates WHERE campaign_id = ?').bind(campaignId),
    db
      .prepare(
        'SELECT dimension, segment, competency_id AS competencyId, n FROM rating_aggregates WHERE campaign_id = ?',
      )
      .bind(campaignId),
    db.prepare('SELECT published_step AS step FROM campaigns WHERE id = ?').bind(campaignId),
    // At most one row per rostered person, in identified campaigns only.
    db
      .prepare(
        `SELECT COALESCE(s.school_id, '') AS school, COALESCE(p.career_stage, s.career_stage, '') AS careerStage,
           COUNT(*) AS n
         FROM responses p LEFT JOIN staff s ON s.staff_id = p.staff_id
         WHERE p.campaign_id = ? AND p.published_step IS NOT NULL AND ? GROUP BY 1, 2`,
      )
      .bind(campaignId, crossed ? 1 : 0),
  ]);
  const rows = <T>(result: D1Result<Record<string, unknown>> | undefined) => (result?.results ?? []) as T[];
  const crossing = (school: string, careerStage: string) => JSON.stringify([school, careerStage]);
  const pending: PendingResponse<StepDimension>[] = pendingRows.map((row) => ({
    key: row.key,
    segments: {
      school: row.school,
      role: row.role,
      careerStage: row.careerStage,
      subject: row.subject,
      gradeBand: row.gradeBand,
      [SCHOOL_BY_STAGE]: crossing(row.rosterSchool, row.pipelineStage),
    },
    rated: JSON.parse(row.rated) as string[],
  }));
  const batch = publishableBatch(
    pending,
    {
      respondents: new Map([
        ...rows<{ dimension: string; segment: string; n: number }>(respondents).map(
          (row) => [respondentCell(row.dimension, row.segment), row.n] as const,
        ),
        ...rows<{ school: string; careerStage: string; n: number }>(crossings).map(
          (row) => [respondentCell(SCHOOL_BY_STAGE, crossing(row.school, row.careerStage)), row.n] as const,
        ),
      ]),
      ratings: new Map(
        rows<{ dimension: string; segment: string; competencyId: string; n: number }>(ratings).map((row) => [
          ratingCell(row.dimension, row.segment, row.competencyId),
          row.n,
        ]),
      ),
    },
    // (Its per-competency partitions add nothing: together they are the school partition's.)
    crossed ? [...SEGMENT_DIMENSIONS, SCHOOL_BY_STAGE] : SEGMENT_DIMENSIONS,
    k,
  );
  if (batch.size === 0) return 0;
  const previous = rows<{ step: number }>(step)[0]?.step ?? 0;
  const token = crypto.randomUUID();
  // The batch as "every pending row read above but these": usually a short list, even
  // when the batch is a first step over many thousands of responses.
  const lastKey = Math.max(...pending.map((row) => row.key));
  const leftOut = JSON.stringify(pending.filter((row) => !batch.has(row.key)).map((row) => row.key));
  const mine = 'EXISTS (SELECT 1 FROM campaigns WHERE id = ?1 AND publish_token = ?3)';
  const inThisStep = `p.published_step = ?2 AND ${mine}`;
  await db.batch([
    db
      .prepare('UPDATE campaigns SET published_step = ?2, publish_token = ?3 WHERE id = ?1 AND published_step = ?4')
      .bind(campaignId, previous + 1, token, previous),
    db
      .prepare(
        `UPDATE responses SET published_step = ?2
         WHERE campaign_id = ?1 AND published_step IS NULL AND rowid <= ?4
           AND rowid NOT IN (SELECT value FROM json_each(?5)) AND ${mine}`,
      )
      .bind(campaignId, previous + 1, token, lastKey, leftOut),
    ...deriveStatements(db, campaignId, inThisStep, previous + 1, token),
    ...addStatements(db, campaignId, inThisStep, previous + 1, token),
  ]);
  return batch.size;
}

type RatingRow = RatingSums & { segment: string; competencyId: string };

const RATING_COLUMNS = `segment, competency_id AS competencyId, n, sum_importance AS sumImportance,
  sum_proficiency AS sumProficiency, sum_discrepancy AS sumDiscrepancy,
  sum_importance_squared AS sumImportanceSquared, sum_discrepancy_squared AS sumDiscrepancySquared,
  sum_importance_discrepancy AS sumImportanceDiscrepancy, high_need AS highNeed`;

function toSums(row: RatingRow): SegmentSums {
  const { segment, ...sums } = row;
  return { ...sums, segment: segment === '' ? null : segment };
}

const respondentsStatement = (db: D1Database, campaignId: string) =>
  db
    .prepare("SELECT segment AS school, n FROM respondent_aggregates WHERE campaign_id = ? AND dimension = 'school'")
    .bind(campaignId);
const toRespondents = (row: { school: string; n: number }) => ({
  school: row.school === '' ? null : row.school,
  n: row.n,
});

/** Everything the ranked focus list needs, in one round trip. */
export async function readCampaignAggregates(db: D1Database, campaignId: string): Promise<CampaignSums> {
  const [ratings, interests, counts, evidence] = await db.batch<Record<string, unknown>>([
    db
      // District figures: every respondent is in exactly one school segment ('' if not stated).
      .prepare(
        `SELECT '' AS segment, competency_id AS competencyId, SUM(n) AS n, SUM(sum_importance) AS sumImportance,
           SUM(sum_proficiency) AS sumProficiency, SUM(sum_discrepancy) AS sumDiscrepancy,
           SUM(sum_importance_squared) AS sumImportanceSquared, SUM(sum_discrepancy_squared) AS sumDiscrepancySquared,
           SUM(sum_importance_discrepancy) AS sumImportanceDiscrepancy, SUM(high_need) AS highNeed
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

/**
 * A dimension's published cells, with the district's schools to name the school segments
 * (the other dimensions are named by the framework).
 */
export async function readSegments(
  db: D1Database,
  campaignId: string,
  by: SegmentDimension,
): Promise<{ cells: SegmentSums[]; schools: School[] }> {
  const [cells, schools] = await Promise.all([
    readSegmentSums(db, campaignId, by),
    by === 'school' ? listSchools(db) : [],
  ]);
  return { cells, schools };
}

/**
 * The aggregates every focus table reads: first the publication step the rule allows
 * (pending responses join the figures only in groups of at least k per cell), then the
 * published sums and the disclosure plan of that same snapshot. Nothing here reads a
 * response that is still pending.
 */
export async function publishedAggregates(db: D1Database, campaign: Publishable): Promise<CampaignAggregates> {
  await publishPending(db, campaign);
  const [sums, plan] = await Promise.all([readCampaignAggregates(db, campaign.id), readDisclosurePlan(db, campaign)]);
  return { ...sums, plan };
}

/** The evidence beside a design team's board (domain/focuses.ts), from the published figures. */
export async function boardEvidence(db: D1Database, campaign: Campaign): Promise<BoardEvidence> {
  const aggregates = await publishedAggregates(db, campaign);
  const { cells, schools } = await readSegments(db, campaign.id, 'school');
  return boardEvidenceFrom(campaign, aggregates, segmentTable(campaign, aggregates, 'school', cells, schools));
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

/** Whether the campaign has imported observation or walkthrough scores. */
export async function hasEvidence(db: D1Database, campaignId: string): Promise<boolean> {
  return (
    (await db.prepare('SELECT 1 FROM evidence_scores WHERE campaign_id = ? LIMIT 1').bind(campaignId).first()) !== null
  );
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
