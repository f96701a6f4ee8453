/**
 * Disclosure control across tables on real D1, through the HTTP routes: the one-role
 * school of issue 12. k = 5. Roster: Aspen 10 teachers, Birch 8 librarians (a role no
 * other school has), Cedar and Dogwood 30 teachers each. Answers: Aspen 3, Birch 6, Cedar
 * 20, Dogwood 25, everyone rating formative assessment.
 * - By school: Aspen (3 < 5) is hidden, Birch (6, the smallest shown) as its complement.
 * - By role, the rules within one table would show librarians = 6 = Birch, and then
 *   54 − 20 − 25 − 6 = 3 = Aspen. The audit hides the librarians, and the teachers with
 *   them (one hidden role would be 54 − the other).
 * - Response rates hide Aspen and Birch's counts the same way.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { forgetDisclosurePlans, readDisclosurePlan } from '../src/db/disclosure';
import { upsertSchools, upsertStaff } from '../src/db/roster';
import type { Answers } from '../src/domain/answers';
import { api, createCampaign, db, submit } from './helpers';

const SCHOOLS = [
  { id: 'aspen', name: 'Aspen Elementary', staff: 10, role: 'classroom-teacher', answered: 3 },
  { id: 'birch', name: 'Birch Library Center', staff: 8, role: 'librarian-media', answered: 6 },
  { id: 'cedar', name: 'Cedar Elementary', staff: 30, role: 'classroom-teacher', answered: 20 },
  { id: 'dogwood', name: 'Dogwood Elementary', staff: 30, role: 'classroom-teacher', answered: 25 },
];

const profile = { careerStage: 'established', subject: 'math', gradeBand: 'elementary' } as const;

let campaign: string;

beforeAll(async () => {
  await upsertSchools(
    db(),
    SCHOOLS.map(({ id, name }) => ({ id, name })),
  );
  await upsertStaff(
    db(),
    SCHOOLS.flatMap((school) =>
      Array.from({ length: school.staff }, (_, i) => ({
        staffId: `${school.id}-${i}`,
        name: `${school.name} ${i}`,
        email: null,
        schoolId: school.id,
        role: school.role,
        ...profile,
        isCoach: false,
        coachFocuses: [],
      })),
    ),
  );
  campaign = await createCampaign({ minGroupSize: 5 });
  for (const school of SCHOOLS) {
    for (let i = 0; i < school.answered; i++) {
      const answers: Answers = {
        school: school.id,
        role: school.role,
        ...profile,
        ratings: { 'formative-assessment': { importance: 5, proficiency: 2 + (i % 3) } },
      };
      const res = await submit(campaign, { answers });
      expect(res.status).toBe(201);
    }
  }
});

type Cell = { segment: string | null; competencyId: string; n?: number; suppressed?: true };

async function table(by: string): Promise<Cell[]> {
  const res = await api(`/api/campaigns/${campaign}/focuses?by=${by}`, {}, 'director');
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: Cell[] };
  return body.items.filter((item) => item.competencyId === 'formative-assessment');
}

const shown = (cells: Cell[]) =>
  Object.fromEntries(cells.filter((cell) => !cell.suppressed).map((cell) => [cell.segment, cell.n]));

describe('the one-role school across tables', () => {
  it('hides Aspen and Birch by school, and the librarians (and so the teachers) by role', async () => {
    const bySchool = await table('school');
    expect(shown(bySchool)).toEqual({ cedar: 20, dogwood: 25 });
    // Every school is listed, the hidden ones without a figure.
    expect(bySchool.map((cell) => cell.segment)).toEqual(
      expect.arrayContaining(['aspen', 'birch', 'cedar', 'dogwood', null]),
    );
    const byRole = await table('role');
    expect(shown(byRole)).toEqual({});
    expect(byRole.find((cell) => cell.segment === 'librarian-media')).toMatchObject({ suppressed: true });
    expect(byRole.find((cell) => cell.segment === 'classroom-teacher')).toMatchObject({ suppressed: true });
    // Everyone is in one career stage: that cell is the district total, shown.
    expect(shown(await table('careerStage'))).toEqual({ established: 54 });
    // The district figure stays: 54 raters.
    const district = await api(`/api/campaigns/${campaign}/focuses`, {}, 'director');
    const focus = ((await district.json()) as { items: Cell[] }).items.find(
      (item) => item.competencyId === 'formative-assessment',
    );
    expect(focus?.n).toBe(54);
  });

  it('hides the same schools in the response rates', async () => {
    const res = await api(`/api/campaigns/${campaign}/response-rates`, {}, 'director');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      respondents: number;
      items: Array<{ school: string; responses?: number; staff: number; suppressed?: true }>;
    };
    expect(body.respondents).toBe(54);
    const bySchool = Object.fromEntries(body.items.map((item) => [item.school, item]));
    expect(bySchool.aspen).toEqual({ school: 'aspen', name: 'Aspen Elementary', staff: 10, suppressed: true });
    expect(bySchool.birch).toEqual({ school: 'birch', name: 'Birch Library Center', staff: 8, suppressed: true });
    expect(bySchool.cedar).toMatchObject({ responses: 20, staff: 30 });
    expect(bySchool.dogwood).toMatchObject({ responses: 25, staff: 30 });
  });

  it('reads the same plan again from the isolate without solving', async () => {
    const started = performance.now();
    const plan = await readDisclosurePlan(db(), { id: campaign, minGroupSize: 5 });
    const again = await readDisclosurePlan(db(), { id: campaign, minGroupSize: 5 });
    expect(again).toBe(plan);
    expect(plan.respondentsHidden('role', 'librarian-media')).toBe(true);
    expect(plan.respondentsHidden('school', 'cedar')).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('keeps the true counts per profile in profile_aggregates as it publishes, and reads them from there', async () => {
    const profile = `COALESCE(p.school, '') AS school, COALESCE(p.role, '') AS role,
      COALESCE(p.career_stage, '') AS stage, COALESCE(p.subject, '') AS subject, COALESCE(p.grade_band, '') AS band`;
    const [counted, kept] = await db().batch([
      db()
        .prepare(
          `SELECT * FROM (SELECT '' AS competency, ${profile}, COUNT(*) AS n FROM responses p
             WHERE p.campaign_id = ?1 AND p.published_step IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6
           UNION ALL SELECT r.competency_id, ${profile}, COUNT(*) FROM response_ratings r
             JOIN responses p ON p.id = r.response_id
             WHERE p.campaign_id = ?1 AND p.published_step IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6)
           ORDER BY 1, 2, 3, 4, 5, 6`,
        )
        .bind(campaign),
      db()
        .prepare(
          `SELECT competency_id AS competency, school, role, career_stage AS stage, subject, grade_band AS band, n
           FROM profile_aggregates WHERE campaign_id = ? ORDER BY 1, 2, 3, 4, 5, 6`,
        )
        .bind(campaign),
    ]);
    // Four profiles (one per school), each with its respondents and its raters of formative assessment.
    expect(kept?.results.length).toBe(8);
    expect(kept?.results).toEqual(counted?.results);
    // Rows the plan must not count from: were it to, Birch's librarians would be teachers,
    // no profile would add up to the published tables, and every segment would be hidden.
    await db().prepare("UPDATE responses SET role = 'classroom-teacher' WHERE campaign_id = ?").bind(campaign).run();
    forgetDisclosurePlans();
    const plan = await readDisclosurePlan(db(), { id: campaign, minGroupSize: 5 });
    expect(plan.respondentsHidden('role', 'librarian-media')).toBe(true);
    expect(plan.respondentsHidden('school', 'aspen')).toBe(true);
    expect(plan.respondentsHidden('school', 'cedar')).toBe(false);
    expect((plan as { audit?: { inconsistent: boolean } }).audit?.inconsistent).toBe(false);
  });
});
