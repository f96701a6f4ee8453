/** The people of identified campaigns, for the pilot and leader views: respondents, the roster, confirmed groups. */
import type { Answers } from '../domain/answers';
import type { Campaign } from '../domain/campaign';
import type { IdentifiedRespondent, RosterPerson } from '../domain/leaders';
import type { StoredPilotGroup } from '../domain/pilot-groups';
import { ApiError } from '../errors';
import { publishPending } from './aggregates';
import { requireCampaign } from './campaigns';

/** The campaign, which must be identified: an anonymous one names nobody to invite or to lead. */
export async function requireIdentifiedCampaign(db: D1Database, id: string): Promise<Campaign> {
  const campaign = await requireCampaign(db, id);
  if (campaign.mode !== 'identified') {
    throw new ApiError(
      409,
      'ANONYMOUS_CAMPAIGN',
      'This campaign is anonymous: nobody can be invited to a pilot or named as a leader from it.',
    );
  }
  return campaign;
}

/**
 * With `publishedOnly`, only the responses a publication step took in (db/aggregates.ts):
 * what the leaders view counts, so its counts move in steps of k like every other table.
 */
export async function readIdentifiedRespondents(
  db: D1Database,
  campaignId: string,
  { publishedOnly = false } = {},
): Promise<IdentifiedRespondent[]> {
  const { results } = await db
    .prepare(
      `SELECT r.staff_id AS staffId, s.name, s.school_id AS schoolId, sc.name AS school,
         COALESCE(r.career_stage, s.career_stage) AS careerStage, r.answers
       FROM responses r JOIN staff s ON s.staff_id = r.staff_id LEFT JOIN schools sc ON sc.id = s.school_id
       WHERE r.campaign_id = ?1 AND r.staff_id IS NOT NULL AND (?2 = 0 OR r.published_step IS NOT NULL)
       ORDER BY r.staff_id`,
    )
    .bind(campaignId, publishedOnly ? 1 : 0)
    .all<Omit<IdentifiedRespondent, 'answers'> & { answers: string }>();
  return results.map((row) => ({ ...row, answers: JSON.parse(row.answers) as Answers }));
}

/**
 * The identified respondents the leaders view and a pilot proposal count: after a
 * publication step, the published ones only, so a sixth answer does not move a count until
 * it joins the figures with k others.
 */
export async function publishedRespondents(db: D1Database, campaign: Campaign): Promise<IdentifiedRespondent[]> {
  await publishPending(db, campaign);
  return readIdentifiedRespondents(db, campaign.id, { publishedOnly: true });
}

/**
 * Everyone on the roster with the few fields these views show (names, schools, coaching).
 * `current`: only those not retired (migration 0016), who can still join or coach a pilot
 * group. The leaders view reads everyone: its counts are of answers, which retiring someone
 * must not move.
 */
export async function readRosterPeople(db: D1Database, { current = false } = {}): Promise<RosterPerson[]> {
  const { results } = await db
    .prepare(
      `SELECT s.staff_id AS staffId, s.name, s.email, s.school_id AS schoolId, sc.name AS school,
         s.is_coach AS isCoach, s.coach_focuses AS coachFocuses
       FROM staff s LEFT JOIN schools sc ON sc.id = s.school_id WHERE ?1 = 0 OR s.retired_at IS NULL
       ORDER BY s.staff_id`,
    )
    .bind(current ? 1 : 0)
    .all<Omit<RosterPerson, 'isCoach' | 'coachFocuses'> & { isCoach: number; coachFocuses: string }>();
  return results.map((row) => ({
    ...row,
    isCoach: row.isCoach === 1,
    coachFocuses: JSON.parse(row.coachFocuses) as string[],
  }));
}

/** Statements that replace a campaign's confirmed groups, for one atomic batch. */
export function replacePilotGroupsStatements(
  db: D1Database,
  campaignId: string,
  groups: Array<Pick<StoredPilotGroup, 'competencyId' | 'members' | 'champion' | 'coaches'>>,
  confirmed: { at: string; by: string },
): D1PreparedStatement[] {
  const group = db.prepare(
    `INSERT INTO pilot_groups (campaign_id, competency_id, champion_id, confirmed_at, confirmed_by)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const members = db.prepare(
    `INSERT INTO pilot_group_members (campaign_id, competency_id, staff_id)
     SELECT ?1, ?2, value FROM json_each(?3)`,
  );
  const coaches = db.prepare(
    `INSERT INTO pilot_group_coaches (campaign_id, competency_id, staff_id, supports)
     SELECT ?1, ?2, value ->> 'staffId', value ->> 'supports' FROM json_each(?3) ORDER BY key`,
  );
  return [
    db.prepare('DELETE FROM pilot_group_coaches WHERE campaign_id = ?').bind(campaignId),
    db.prepare('DELETE FROM pilot_group_members WHERE campaign_id = ?').bind(campaignId),
    db.prepare('DELETE FROM pilot_groups WHERE campaign_id = ?').bind(campaignId),
    ...groups.flatMap((g) => [
      group.bind(campaignId, g.competencyId, g.champion, confirmed.at, confirmed.by),
      members.bind(campaignId, g.competencyId, JSON.stringify(g.members)),
      coaches.bind(campaignId, g.competencyId, JSON.stringify(g.coaches)),
    ]),
  ];
}

/** The campaign's confirmed groups in the order confirmed, each group's coaches in the order the director gave. */
export async function readPilotGroups(db: D1Database, campaignId: string): Promise<StoredPilotGroup[]> {
  const { results } = await db
    .prepare(
      `SELECT g.competency_id AS competencyId, g.champion_id AS champion,
         g.confirmed_at AS confirmedAt, g.confirmed_by AS confirmedBy,
         (SELECT json_group_array(staff_id) FROM (SELECT staff_id FROM pilot_group_members m
            WHERE m.campaign_id = g.campaign_id AND m.competency_id = g.competency_id ORDER BY staff_id)) AS members,
         (SELECT json_group_array(json_object('staffId', staff_id, 'supports', supports)) FROM (
            SELECT staff_id, supports FROM pilot_group_coaches c
            WHERE c.campaign_id = g.campaign_id AND c.competency_id = g.competency_id ORDER BY c.rowid)) AS coaches
       FROM pilot_groups g WHERE g.campaign_id = ? ORDER BY g.rowid`,
    )
    .bind(campaignId)
    .all<Omit<StoredPilotGroup, 'members' | 'coaches'> & { members: string; coaches: string }>();
  return results.map((row) => ({
    ...row,
    members: JSON.parse(row.members) as string[],
    coaches: JSON.parse(row.coaches) as StoredPilotGroup['coaches'],
  }));
}
