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
  /** Who answered, when known without a link (the demo seed); otherwise from the invitation. */
  staffId: string | null;
  /** The hash of the personal link it was sent with (identified campaigns). */
  invitationHash?: string | null;
  answers: Answers;
  submittedAt: string;
}

/** What one store attempt found, read in the same transaction as the write. */
export interface StoreOutcome {
  stored: boolean;
  /**
   * The response stored under this idempotency key in this campaign by the same sender (the
   * same personal link; in an anonymous campaign, anyone holding the key): this one if
   * `stored`, else an earlier one, if any. Only that one may be answered as a retry.
   */
  existing: StoredResponse | null;
  /** The key is already taken by another submission: another personal link's, or in another campaign. */
  keyTakenElsewhere: boolean;
  campaignFound: boolean;
  campaignOpen: boolean;
  schoolKnown: boolean;
  /** Which of the peer nominations are on the roster. */
  knownNominees: string[];
  /** The personal link's state in this campaign; null when none was sent. */
  invitation: null | 'unknown' | 'used' | 'unused';
  /** The respondent named themselves as a colleague they go to for advice. */
  selfNominated: boolean;
}

// The checks, written once with the parameter numbers each statement binds them to.
const campaignOpen = (campaign: string, now: string) =>
  `EXISTS (SELECT 1 FROM campaigns WHERE id = ${campaign} AND closed_at IS NULL
    AND (closes_at IS NULL OR closes_at > ${now}))`;
const schoolKnown = (school: string) => `(${school} IS NULL OR EXISTS (SELECT 1 FROM schools WHERE id = ${school}))`;
/** Colleagues on the roster now: a retired one (migration 0016) cannot be named. */
const nominees = (list: string) =>
  `staff WHERE retired_at IS NULL AND staff_id IN (SELECT value FROM json_each(${list}))`;
const invitee = (hash: string, campaign: string) =>
  `(SELECT staff_id FROM invitations WHERE token_hash = ${hash} AND campaign_id = ${campaign})`;
const unusedInvitation = (hash: string, campaign: string) =>
  `EXISTS (SELECT 1 FROM invitations WHERE token_hash = ${hash} AND campaign_id = ${campaign} AND used_at IS NULL)`;
const selfNomination = (list: string, staff: string) =>
  `EXISTS (SELECT 1 FROM json_each(${list}) WHERE value = ${staff})`;
/** An idempotency key names one submission: one already stored in another campaign is not this one's (migration 0009 indexes it). */
const keyInOtherCampaign = (key: string, campaign: string) =>
  `EXISTS (SELECT 1 FROM responses WHERE idempotency_key = ${key} AND campaign_id <> ${campaign})`;

/**
 * Stores a response with one statement (one transaction, one round trip). The row is written
 * only if the campaign is open, the school and every nominated colleague are on the roster,
 * a personal link (when sent) belongs to the campaign and is unused, the respondent did
 * not name themselves and no other campaign holds the idempotency key; and with ON CONFLICT
 * DO NOTHING on (campaign_id, idempotency_key). A trigger counts it in its campaign
 * (migration 0015; its rating, interest and strategy rows are derived when it is published)
 * and another uses up the link (0004); both fire only when the row is written. So a
 * refused or repeated submission (even two racing with one key, or one link) writes nothing
 * at all; only then a second query says which check decided.
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
         SELECT ?1, ?2, ?3, ?4, staff, ?6, ?7, ?8, ?9, ?10, ?11, ?12
         FROM (SELECT COALESCE(?5, ${invitee('?15', '?2')}) AS staff)
         WHERE ${campaignOpen('?2', '?13')} AND ${schoolKnown('?6')}
           AND (SELECT COUNT(*) FROM ${nominees('?14')}) = json_array_length(?14)
           AND (?15 IS NULL OR ${unusedInvitation('?15', '?2')})
           AND NOT ${selfNomination('?14', 'staff')}
           AND NOT ${keyInOtherCampaign('?3', '?2')}
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
      response.invitationHash ?? null,
    )
    .first<{ id: string }>();
  if (inserted) {
    const existing = { id: inserted.id, bodyHash: response.bodyHash };
    return {
      stored: true,
      existing,
      keyTakenElsewhere: false,
      campaignFound: true,
      campaignOpen: true,
      schoolKnown: true,
      knownNominees: [],
      invitation: response.invitationHash ? 'unused' : null,
      selfNominated: false,
    };
  }
  // Not written: a second look says which check refused it (rare, so not paid for above).
  // A response under this key is this sender's only if it came through the same personal link
  // (the link records the response it brought) or, without a link, from the same staff id
  // (none, in an anonymous campaign): a key must not let one link replay another's answer.
  const row = await db
    .prepare(
      `SELECT r.id AS existingId, r.body_hash AS existingHash,
           CASE WHEN r.id IS NULL THEN 0
             WHEN ?6 IS NOT NULL THEN EXISTS (SELECT 1 FROM invitations
               WHERE token_hash = ?6 AND campaign_id = ?1 AND response_id = r.id)
             ELSE r.staff_id IS ?7 END AS sameSender,
           ${keyInOtherCampaign('?2', '?1')} AS keyInOtherCampaign,
           EXISTS (SELECT 1 FROM campaigns WHERE id = ?1) AS campaignFound,
           ${campaignOpen('?1', '?3')} AS campaignOpen, ${schoolKnown('?4')} AS schoolKnown,
           (SELECT json_group_array(staff_id) FROM ${nominees('?5')}) AS knownNominees,
           CASE WHEN ?6 IS NULL THEN NULL WHEN ${unusedInvitation('?6', '?1')} THEN 'unused'
             WHEN ${invitee('?6', '?1')} IS NOT NULL THEN 'used' ELSE 'unknown' END AS invitation,
           ${selfNomination('?5', `COALESCE(?7, ${invitee('?6', '?1')})`)} AS selfNominated
         FROM (SELECT 1) LEFT JOIN responses r ON r.campaign_id = ?1 AND r.idempotency_key = ?2`,
    )
    .bind(
      response.campaignId,
      response.idempotencyKey,
      now,
      answers.school ?? null,
      JSON.stringify(answers.peerNominations ?? []),
      response.invitationHash ?? null,
      response.staffId,
    )
    .first<{
      existingId: string | null;
      existingHash: string | null;
      sameSender: number;
      keyInOtherCampaign: number;
      campaignFound: number;
      campaignOpen: number;
      schoolKnown: number;
      knownNominees: string;
      invitation: StoreOutcome['invitation'];
      selfNominated: number;
    }>();
  const found = row?.existingId && row.existingHash ? { id: row.existingId, bodyHash: row.existingHash } : null;
  const existing = found && row?.sameSender === 1 ? found : null;
  return {
    stored: false,
    existing,
    keyTakenElsewhere: (found !== null && existing === null) || row?.keyInOtherCampaign === 1,
    campaignFound: row?.campaignFound === 1,
    campaignOpen: row?.campaignOpen === 1,
    schoolKnown: row?.schoolKnown === 1,
    knownNominees: JSON.parse(row?.knownNominees ?? '[]') as string[],
    invitation: row?.invitation ?? null,
    selfNominated: row?.selfNominated === 1,
  };
}
