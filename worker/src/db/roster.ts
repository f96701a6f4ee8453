import type { School, StaffMember, StoredSchool, StoredStaffMember } from '../domain/roster-import';

export type { School, StaffMember };

/**
 * The district's schools: every school ever known (what results of any campaign may name),
 * or with `current` only those not retired (migration 0017; what a respondent is offered),
 * or with `since` those that were schools of the district when a campaign began then.
 */
export async function listSchools(db: D1Database, when: { current?: true; since?: string } = {}): Promise<School[]> {
  const where =
    'current' in when
      ? 'WHERE retired_at IS NULL'
      : 'since' in when
        ? 'WHERE retired_at IS NULL OR retired_at > ?1'
        : '';
  const statement = db.prepare(`SELECT id, name FROM schools ${where} ORDER BY name`);
  const { results } = await ('since' in when ? statement.bind(when.since) : statement).all<School>();
  return results;
}

/** Every school stored, retired or not: what an import is planned against. */
export async function listStoredSchools(db: D1Database): Promise<StoredSchool[]> {
  const { results } = await db
    .prepare('SELECT id, name, retired_at IS NOT NULL AS retired FROM schools ORDER BY name')
    .all<School & { retired: number }>();
  return results.map((row) => ({ ...row, retired: row.retired === 1 }));
}

/**
 * The schools an import leaves: `retired` are retired now (kept, offered nowhere); `listed`,
 * the existing schools the file names, are schools of the district again if they had been retired.
 */
export function schoolStatusStatements(
  db: D1Database,
  change: { listed: string[]; retired: string[] },
  at: string,
): D1PreparedStatement[] {
  return [
    ...(change.listed.length
      ? [
          db
            .prepare('UPDATE schools SET retired_at = NULL WHERE id IN (SELECT value FROM json_each(?1))')
            .bind(JSON.stringify(change.listed)),
        ]
      : []),
    ...(change.retired.length
      ? [
          db
            .prepare(
              'UPDATE schools SET retired_at = ?2 WHERE retired_at IS NULL AND id IN (SELECT value FROM json_each(?1))',
            )
            .bind(JSON.stringify(change.retired), at),
        ]
      : []),
  ];
}

/** Names and schools for the "who do you go to for advice" picker. */
export async function listStaffForNomination(db: D1Database): Promise<Array<{ staffId: string; label: string }>> {
  const { results } = await db
    .prepare(
      `SELECT s.staff_id AS staffId, s.name || ' (' || COALESCE(sc.name, 'district') || ')' AS label
       FROM staff s LEFT JOIN schools sc ON sc.id = s.school_id WHERE s.retired_at IS NULL
       ORDER BY s.name, s.staff_id`,
    )
    .all<{ staffId: string; label: string }>();
  return results;
}

export function upsertSchoolsStatements(db: D1Database, schools: School[]): D1PreparedStatement[] {
  const statement = db.prepare(
    'INSERT INTO schools (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name',
  );
  return schools.map((school) => statement.bind(school.id, school.name));
}

export async function upsertSchools(db: D1Database, schools: School[]): Promise<void> {
  if (schools.length > 0) await db.batch(upsertSchoolsStatements(db, schools));
}

/** Staff rows per statement: a few hundred KB of JSON, far inside D1's limits on one value. */
const STAFF_PER_STATEMENT = 500;

/**
 * Upserts by the district's staff id, a few hundred people per statement (the roster
 * travels as one JSON parameter), so even a large district is a handful of statements
 * that a caller can run in one atomic batch.
 */
export function upsertStaffStatements(db: D1Database, staff: StaffMember[]): D1PreparedStatement[] {
  const statement = db.prepare(
    `INSERT INTO staff (staff_id, name, email, school_id, role, career_stage, subject, grade_band,
       is_coach, coach_focuses)
     SELECT value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', value ->> '$[4]',
       value ->> '$[5]', value ->> '$[6]', value ->> '$[7]', value ->> '$[8]', value ->> '$[9]'
     FROM json_each(?) WHERE true
     ON CONFLICT (staff_id) DO UPDATE SET name = excluded.name, email = excluded.email,
       school_id = excluded.school_id, role = excluded.role, career_stage = excluded.career_stage,
       subject = excluded.subject, grade_band = excluded.grade_band, is_coach = excluded.is_coach,
       coach_focuses = excluded.coach_focuses, retired_at = NULL`,
  );
  const statements: D1PreparedStatement[] = [];
  for (let start = 0; start < staff.length; start += STAFF_PER_STATEMENT) {
    const rows = staff
      .slice(start, start + STAFF_PER_STATEMENT)
      .map((member) => [
        member.staffId,
        member.name,
        member.email,
        member.schoolId,
        member.role,
        member.careerStage,
        member.subject,
        member.gradeBand,
        member.isCoach ? 1 : 0,
        JSON.stringify(member.coachFocuses),
      ]);
    statements.push(statement.bind(JSON.stringify(rows)));
  }
  return statements;
}

export async function upsertStaff(db: D1Database, staff: StaffMember[]): Promise<void> {
  if (staff.length > 0) await db.batch(upsertStaffStatements(db, staff));
}

/** Everyone stored, retired or not: what an import is planned against. */
export async function listStoredStaff(db: D1Database): Promise<StoredStaffMember[]> {
  const { results } = await db
    .prepare(
      `SELECT staff_id AS staffId, name, email, school_id AS schoolId, role, career_stage AS careerStage,
         subject, grade_band AS gradeBand, is_coach AS isCoach, coach_focuses AS coachFocuses,
         retired_at IS NOT NULL AS retired
       FROM staff ORDER BY staff_id`,
    )
    .all<Omit<StaffMember, 'isCoach' | 'coachFocuses'> & { isCoach: number; coachFocuses: string; retired: number }>();
  return results.map((row) => ({
    ...row,
    isCoach: row.isCoach === 1,
    coachFocuses: JSON.parse(row.coachFocuses) as string[],
    retired: row.retired === 1,
  }));
}

/** The roster: the staff who have not been retired. */
export async function listStaff(db: D1Database): Promise<StaffMember[]> {
  return (await listStoredStaff(db)).filter((member) => !member.retired).map(({ retired: _, ...member }) => member);
}

/**
 * Retires these staff (migration 0016): kept, with their answers, but offered nowhere; their
 * unused personal links stop working. Statements for the import's own batch.
 */
export function retireStaffStatements(db: D1Database, staffIds: string[], at: string): D1PreparedStatement[] {
  if (staffIds.length === 0) return [];
  const ids = JSON.stringify(staffIds);
  return [
    db
      .prepare(
        'UPDATE staff SET retired_at = ?2 WHERE retired_at IS NULL AND staff_id IN (SELECT value FROM json_each(?1))',
      )
      .bind(ids, at),
    db
      .prepare('DELETE FROM invitations WHERE used_at IS NULL AND staff_id IN (SELECT value FROM json_each(?1))')
      .bind(ids),
  ];
}

/** The rows a district begins with (schools, staff, campaigns, accounts, boards), as one SQL expression. */
export const DISTRICT_ROWS_SQL = `((SELECT COUNT(*) FROM schools) + (SELECT COUNT(*) FROM staff)
  + (SELECT COUNT(*) FROM campaigns) + (SELECT COUNT(*) FROM accounts) + (SELECT COUNT(*) FROM boards))`;

/**
 * True when the database holds nothing of a district yet, not even an account (the demo
 * seeds only then): a first admin made from the command line is a district begun. npm start
 * reads the same count straight from the local file (scripts/start.ts).
 */
export async function isEmpty(db: D1Database): Promise<boolean> {
  const row = await db.prepare(`SELECT ${DISTRICT_ROWS_SQL} AS rows`).first<{ rows: number }>();
  return (row?.rows ?? 0) === 0;
}

/**
 * Staff on the roster per school while a campaign ran (begun at `since`): the denominator
 * of its response rates. Someone retired after it began was staff then, and counts.
 */
export async function staffCountsBySchool(db: D1Database, since: string): Promise<Map<string, number>> {
  const { results } = await db
    .prepare(
      `SELECT school_id AS school, COUNT(*) AS n FROM staff
       WHERE school_id IS NOT NULL AND (retired_at IS NULL OR retired_at > ?) GROUP BY school_id`,
    )
    .bind(since)
    .all<{ school: string; n: number }>();
  return new Map(results.map((row) => [row.school, row.n]));
}
