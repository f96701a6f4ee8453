import type { Answers } from '../domain/answers';

export interface StoredResponse {
  id: string;
  bodyHash: string;
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

/** What one store attempt found, read in the same transaction as the write. */
export interface StoreOutcome {
  stored: boolean;
  /** The response stored under this idempotency key: this one if `stored`, else an earlier one, if any. */
  existing: StoredResponse | null;
  campaignFound: boolean;
  campaignOpen: boolean;
  schoolKnown: boolean;
  /** Which of the peer nominations are on the roster. */
  knownNominees: string[];
}

// The checks, written once with the parameter numbers each statement binds them to.
const campaignOpen = (campaign: string, now: string) =>
  `EXISTS (SELECT 1 FROM campaigns WHERE id = ${campaign} AND closed_at IS NULL
    AND (closes_at IS NULL OR closes_at > ${now}))`;
const schoolKnown = (school: string) => `(${school} IS NULL OR EXISTS (SELECT 1 FROM schools WHERE id = ${school}))`;
const nominees = (list: string) => `staff WHERE staff_id IN (SELECT value FROM json_each(${list}))`;

/**
 * Stores a response with one statement (one transaction, one round trip). The row is written
 * only if the campaign is open and the school and every nominated colleague are on the
 * roster, and with ON CONFLICT DO NOTHING on (campaign_id, idempotency_key); its rating,
 * interest and strategy rows and the running aggregates follow from a trigger (migration
 * 0003) that fires only when the row is written. So a refused or repeated submission
 * (even two racing with one key) writes nothing at all; only then a second query says
 * which check decided.
 */
export async function storeResponse(db: D1Database, response: NewResponse, now: string): Promise<StoreOutcome> {
  const { answers } = response;
  const segment = [
    answers.school ?? null,
    answers.role ?? null,
    answers.careerStage ?? null,
    answers.subject ?? null,
    answers.gradeBand ?? null,
  ];
  const inserted = await db
    .prepare(
      `INSERT INTO responses (id, campaign_id, idempotency_key, body_hash, staff_id,
           school, role, career_stage, subject, grade_band, answers, submitted_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12
         WHERE ${campaignOpen('?2', '?13')} AND ${schoolKnown('?6')}
           AND (SELECT COUNT(*) FROM ${nominees('?14')}) = json_array_length(?14)
         ON CONFLICT (campaign_id, idempotency_key) DO NOTHING
         RETURNING id`,
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
      now,
      JSON.stringify(answers.peerNominations ?? []),
    )
    .first<{ id: string }>();
  if (inserted) {
    const existing = { id: inserted.id, bodyHash: response.bodyHash };
    return { stored: true, existing, campaignFound: true, campaignOpen: true, schoolKnown: true, knownNominees: [] };
  }
  // Not written: a second look says which check refused it (rare, so not paid for above).
  const row = await db
    .prepare(
      `SELECT r.id AS existingId, r.body_hash AS existingHash,
           EXISTS (SELECT 1 FROM campaigns WHERE id = ?1) AS campaignFound,
           ${campaignOpen('?1', '?3')} AS campaignOpen, ${schoolKnown('?4')} AS schoolKnown,
           (SELECT json_group_array(staff_id) FROM ${nominees('?5')}) AS knownNominees
         FROM (SELECT 1) LEFT JOIN responses r ON r.campaign_id = ?1 AND r.idempotency_key = ?2`,
    )
    .bind(
      response.campaignId,
      response.idempotencyKey,
      now,
      answers.school ?? null,
      JSON.stringify(answers.peerNominations ?? []),
    )
    .first<{
      existingId: string | null;
      existingHash: string | null;
      campaignFound: number;
      campaignOpen: number;
      schoolKnown: number;
      knownNominees: string;
    }>();
  const existing = row?.existingId && row.existingHash ? { id: row.existingId, bodyHash: row.existingHash } : null;
  return {
    stored: false,
    existing,
    campaignFound: row?.campaignFound === 1,
    campaignOpen: row?.campaignOpen === 1,
    schoolKnown: row?.schoolKnown === 1,
    knownNominees: JSON.parse(row?.knownNominees ?? '[]') as string[],
  };
}
