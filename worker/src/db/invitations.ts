export interface Invitation {
  staffId: string;
  name: string;
  usedAt: string | null;
  /** What the roster says about the holder (migration 0001's staff columns); null where it says nothing. */
  schoolId: string | null;
  role: string;
  careerStage: string | null;
  subject: string | null;
  gradeBand: string | null;
  /** Retired from the roster since (migration 0016): their unused links are gone, but a used one stays. */
  retired: boolean;
}

/** The staff member a personal link belongs to in this campaign, if it is one. */
export async function invitationFor(db: D1Database, campaignId: string, tokenHash: string): Promise<Invitation | null> {
  const row = await db
    .prepare(
      `SELECT i.staff_id AS staffId, s.name, i.used_at AS usedAt, s.school_id AS schoolId, s.role,
         s.career_stage AS careerStage, s.subject, s.grade_band AS gradeBand, s.retired_at IS NOT NULL AS retired
       FROM invitations i JOIN staff s ON s.staff_id = i.staff_id
       WHERE i.token_hash = ? AND i.campaign_id = ?`,
    )
    .bind(tokenHash, campaignId)
    .first<Omit<Invitation, 'retired'> & { retired: number }>();
  return row ? { ...row, retired: row.retired === 1 } : null;
}

export interface Invitee {
  staffId: string;
  name: string;
  email: string | null;
  school: string | null;
  answered: boolean;
}

/**
 * Everyone on the roster (not retired), with whether they have already answered this campaign: through a
 * link, or with a response stored under their staff id without one (the demo seed), which a
 * new link could only fail on (the database keeps one response per person and campaign).
 */
export async function listInvitees(db: D1Database, campaignId: string): Promise<Invitee[]> {
  const { results } = await db
    .prepare(
      `SELECT s.staff_id AS staffId, s.name, s.email, sc.name AS school,
         (EXISTS (SELECT 1 FROM invitations i WHERE i.campaign_id = ?1 AND i.staff_id = s.staff_id
           AND i.used_at IS NOT NULL)
          OR EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = ?1 AND r.staff_id = s.staff_id)) AS answered
       FROM staff s LEFT JOIN schools sc ON sc.id = s.school_id WHERE s.retired_at IS NULL
       ORDER BY sc.name, s.name, s.staff_id`,
    )
    .bind(campaignId)
    .all<Omit<Invitee, 'answered'> & { answered: number }>();
  return results.map((row) => ({ ...row, answered: row.answered === 1 }));
}

const LINKS_PER_STATEMENT = 500;

/**
 * New personal links (as hashes) for these staff: an unused older link is replaced and
 * stops working; a used one is never touched, so an answer keeps its link.
 */
export function issueInvitationStatements(
  db: D1Database,
  campaignId: string,
  links: Array<{ staffId: string; tokenHash: string }>,
  at: string,
): D1PreparedStatement[] {
  const statement = db.prepare(
    `INSERT INTO invitations (token_hash, campaign_id, staff_id, created_at)
     SELECT value ->> '$[1]', ?1, value ->> '$[0]', ?2 FROM json_each(?3) WHERE true
     ON CONFLICT (campaign_id, staff_id) DO UPDATE SET token_hash = excluded.token_hash,
       created_at = excluded.created_at
     WHERE invitations.used_at IS NULL`,
  );
  const statements: D1PreparedStatement[] = [];
  for (let start = 0; start < links.length; start += LINKS_PER_STATEMENT) {
    const chunk = links.slice(start, start + LINKS_PER_STATEMENT).map((link) => [link.staffId, link.tokenHash]);
    statements.push(statement.bind(campaignId, at, JSON.stringify(chunk)));
  }
  return statements;
}
