import { describe, expect, it } from 'vitest';
import { api, db, errorOf, postJson } from './helpers';

const HEADER = 'staffId,name,email,school,role,careerStage,subject,gradeBand,isCoach,coachFocuses';
const ROSTER = [
  HEADER,
  'A1,Ana Ruiz,ana@district.example,Maple Elementary,classroom-teacher,early-career,math,elementary,no,',
  'A2,Ben Ode,ben@district.example,maple elementary ,classroom-teacher,established,science,elementary,yes,formative-assessment',
  'A3,Cal Diaz,,Ridge Middle School,classroom-teacher,,,,,',
].join('\n');

const staffCount = async () => (await db().prepare('SELECT COUNT(*) AS n FROM staff').first<{ n: number }>())?.n ?? 0;

describe('roster import', () => {
  it('previews what an import would do without storing anything', async () => {
    const res = await postJson('/api/roster/preview', { csv: ROSTER });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      valid: true,
      rows: 3,
      schools: { new: ['Maple Elementary', 'Ridge Middle School'], existing: 0, missing: [] },
      staff: { new: 3, updated: 0, unchanged: 0, returning: 0 },
      missing: { count: 0, names: [] },
    });
    expect(await staffCount()).toBe(0);
  });

  it('imports, then updates by staff id on re-import without duplicating anyone', async () => {
    const first = await postJson('/api/roster', { csv: ROSTER });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      schools: { created: 2, retired: 0 },
      staff: { created: 3, updated: 0, unchanged: 0, returning: 0, retired: 0 },
    });
    const schools = await db().prepare('SELECT id, name FROM schools ORDER BY id').all();
    expect(schools.results).toEqual([
      { id: 'maple-elementary', name: 'Maple Elementary' },
      { id: 'ridge-middle-school', name: 'Ridge Middle School' },
    ]);
    const ben = await db().prepare("SELECT * FROM staff WHERE staff_id = 'A2'").first();
    expect(ben).toMatchObject({
      school_id: 'maple-elementary',
      email: 'ben@district.example',
      is_coach: 1,
      coach_focuses: '["formative-assessment"]',
    });

    const changed = ROSTER.replace('A3,Cal Diaz,,', 'A3,Cal Díaz,cal@district.example,');
    const again = await postJson('/api/roster', { csv: `${changed}\nA4,Dee Eng,,Oak High,school-administrator,,,,,` });
    expect(await again.json()).toEqual({
      schools: { created: 1, retired: 0 },
      staff: { created: 1, updated: 1, unchanged: 2, returning: 0, retired: 0 },
    });
    expect(await staffCount()).toBe(4);
    const cal = await db().prepare("SELECT name, email FROM staff WHERE staff_id = 'A3'").first();
    expect(cal).toEqual({ name: 'Cal Díaz', email: 'cal@district.example' });
    const audit = await db()
      .prepare("SELECT detail FROM audit_log WHERE action = 'roster.import' ORDER BY id")
      .all<{ detail: string }>();
    expect(audit.results.map((row) => JSON.parse(row.detail).staff)).toEqual([
      { created: 3, updated: 0, unchanged: 0, returning: 0, retired: 0 },
      { created: 1, updated: 1, unchanged: 2, returning: 0, retired: 0 },
    ]);
  });

  it('refuses a file with any bad row, naming row and column, and stores none of it', async () => {
    const before = await staffCount();
    const csv = [
      HEADER,
      'B1,Good Row,,Maple Elementary,classroom-teacher,,,,,',
      'B2,Bad Role,,Maple Elementary,astronaut,,,,,',
      'B3,Bad Email,not-an-email,Maple Elementary,classroom-teacher,,,,,',
    ].join('\n');
    const res = await postJson('/api/roster', { csv });
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('ROSTER_INVALID');
    const rows = (error as { rows?: Array<{ row: number; column: string }> }).rows ?? [];
    expect(rows.map(({ row, column }) => [row, column])).toEqual([
      [3, 'role'],
      [4, 'email'],
    ]);
    expect(error.message).toMatch(/row 3.*Nothing was imported/);
    expect(await staffCount()).toBe(before);
    expect(
      (await db().prepare("SELECT COUNT(*) AS n FROM staff WHERE staff_id = 'B1'").first<{ n: number }>())?.n,
    ).toBe(0);
  });

  it('lists the roster to admins, recording that identified data was viewed', async () => {
    const res = await api('/api/roster');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Array<{ staffId: string }> };
    expect(items.length).toBe(await staffCount());
    const views = await db()
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'roster.view'")
      .first<{ n: number }>();
    expect(views?.n).toBe(1);
  });
});
