export interface School {
  id: string;
  name: string;
}

export interface StaffMember {
  staffId: string;
  name: string;
  email: string | null;
  schoolId: string | null;
  role: string;
  careerStage: string | null;
  subject: string | null;
  gradeBand: string | null;
  isCoach: boolean;
  coachFocuses: string[];
}

export async function listSchools(db: D1Database): Promise<School[]> {
  const { results } = await db.prepare('SELECT id, name FROM schools ORDER BY name').all<School>();
  return results;
}

/** Names and schools for the "who do you go to for advice" picker. */
export async function listStaffForNomination(db: D1Database): Promise<Array<{ staffId: string; label: string }>> {
  const { results } = await db
    .prepare(
      `SELECT s.staff_id AS staffId, s.name || ' (' || COALESCE(sc.name, 'district') || ')' AS label
       FROM staff s LEFT JOIN schools sc ON sc.id = s.school_id ORDER BY s.name, s.staff_id`,
    )
    .all<{ staffId: string; label: string }>();
  return results;
}

export async function upsertSchools(db: D1Database, schools: School[]): Promise<void> {
  const statement = db.prepare(
    'INSERT INTO schools (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name',
  );
  await db.batch(schools.map((school) => statement.bind(school.id, school.name)));
}

export async function upsertStaff(db: D1Database, staff: StaffMember[]): Promise<void> {
  const statement = db.prepare(
    `INSERT INTO staff (staff_id, name, email, school_id, role, career_stage, subject, grade_band,
       is_coach, coach_focuses)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (staff_id) DO UPDATE SET name = excluded.name, email = excluded.email,
       school_id = excluded.school_id, role = excluded.role, career_stage = excluded.career_stage,
       subject = excluded.subject, grade_band = excluded.grade_band, is_coach = excluded.is_coach,
       coach_focuses = excluded.coach_focuses`,
  );
  await db.batch(
    staff.map((member) =>
      statement.bind(
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
      ),
    ),
  );
}

/** True when the database holds no district yet (the demo seeds only then). */
export async function isEmpty(db: D1Database): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM schools) + (SELECT COUNT(*) FROM staff)
         + (SELECT COUNT(*) FROM campaigns) AS rows`,
    )
    .first<{ rows: number }>();
  return (row?.rows ?? 0) === 0;
}

/** Staff on the roster per school: the denominator of response rates. */
export async function staffCountsBySchool(db: D1Database): Promise<Map<string, number>> {
  const { results } = await db
    .prepare('SELECT school_id AS school, COUNT(*) AS n FROM staff WHERE school_id IS NOT NULL GROUP BY school_id')
    .all<{ school: string; n: number }>();
  return new Map(results.map((row) => [row.school, row.n]));
}
