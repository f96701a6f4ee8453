/**
 * What importing a roster file will do, worked out before anything is written: which
 * schools are new (a school is matched by name, ignoring case and spacing), and which staff
 * are new, changed or unchanged (staff are matched by the district's own staff id, so a
 * re-import updates people in place and never duplicates them). Staff missing from the
 * file are kept as they are, or, when the admin asks, retired: kept with their answers, but
 * offered nowhere any more (migration 0016), and so are the schools the file does not
 * name (0017). Someone, or a school, retired and in a later file is back.
 */
import type { RosterRow } from './roster-csv';

/** The roster file's columns, in the order the template gives them. */
export const ROSTER_COLUMNS = [
  'staffId',
  'name',
  'email',
  'school',
  'role',
  'careerStage',
  'subject',
  'gradeBand',
  'isCoach',
  'coachFocuses',
] as const;

export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

export interface School {
  id: string;
  name: string;
}

/** A staff member as stored: a roster row whose school is resolved to the school's id. */
export type StaffMember = Omit<RosterRow, 'school'> & { schoolId: string | null };

/** A stored school, and whether it has been retired from the district. */
export type StoredSchool = School & { retired: boolean };

/** A stored staff member, and whether they have been retired from the roster. */
export type StoredStaffMember = StaffMember & { retired: boolean };

export interface RosterPlan {
  newSchools: School[];
  /** Every row of the file, as it will be stored. */
  staff: StaffMember[];
  /** Staff on the roster now whom the file does not list: the ones an import can retire. */
  missing: StaffMember[];
  /** Schools of the district now that no row of the file names: retired with the staff. */
  missingSchools: School[];
  /** The stored schools the file names (retired ones among them are back). */
  listedSchools: string[];
  counts: {
    staffNew: number;
    staffUpdated: number;
    staffUnchanged: number;
    /** Retired staff the file lists again: they are staff again after the import. */
    staffReturning: number;
    schoolsExisting: number;
  };
}

const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** A readable, stable id for a new school: its name in lower-case ASCII words joined by hyphens. */
export function schoolIdFor(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'school';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function sameStaff(a: StaffMember, b: StaffMember): boolean {
  return (
    a.name === b.name &&
    a.email === b.email &&
    a.schoolId === b.schoolId &&
    a.role === b.role &&
    a.careerStage === b.careerStage &&
    a.subject === b.subject &&
    a.gradeBand === b.gradeBand &&
    a.isCoach === b.isCoach &&
    a.coachFocuses.join(';') === b.coachFocuses.join(';')
  );
}

export function planRosterImport(
  rows: RosterRow[],
  schools: StoredSchool[],
  existing: StoredStaffMember[],
): RosterPlan {
  const schoolByName = new Map(schools.map((school) => [nameKey(school.name), school.id]));
  const taken = new Set(schools.map((school) => school.id));
  const newSchools: School[] = [];
  const usedExisting = new Set<string>();
  const schoolOf = (name: string | null): string | null => {
    if (name === null) return null;
    const key = nameKey(name);
    let id = schoolByName.get(key);
    if (id === undefined) {
      id = schoolIdFor(name, taken);
      taken.add(id);
      schoolByName.set(key, id);
      newSchools.push({ id, name: name.trim().replace(/\s+/g, ' ') });
    } else if (!newSchools.some((school) => school.id === id)) {
      usedExisting.add(id);
    }
    return id;
  };

  const before = new Map(existing.map((member) => [member.staffId, member]));
  const counts = { staffNew: 0, staffUpdated: 0, staffUnchanged: 0, staffReturning: 0, schoolsExisting: 0 };
  const staff = rows.map((row): StaffMember => {
    const member: StaffMember = {
      staffId: row.staffId,
      name: row.name,
      email: row.email,
      schoolId: schoolOf(row.school),
      role: row.role,
      careerStage: row.careerStage,
      subject: row.subject,
      gradeBand: row.gradeBand,
      isCoach: row.isCoach,
      coachFocuses: row.coachFocuses,
    };
    const previous = before.get(row.staffId);
    if (!previous) counts.staffNew++;
    else if (previous.retired) counts.staffReturning++;
    else if (sameStaff(previous, member)) counts.staffUnchanged++;
    else counts.staffUpdated++;
    return member;
  });
  counts.schoolsExisting = usedExisting.size;
  const listed = new Set(rows.map((row) => row.staffId));
  const missing = existing
    .filter((member) => !member.retired && !listed.has(member.staffId))
    .map(({ retired: _, ...member }) => member);
  const missingSchools = schools
    .filter((school) => !school.retired && !usedExisting.has(school.id))
    .map(({ retired: _, ...school }) => school);
  return { newSchools, staff, missing, missingSchools, listedSchools: [...usedExisting], counts };
}
