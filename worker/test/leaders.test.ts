/**
 * The leaders route on real D1, for its pipeline under disclosure control
 * (domain/leaders.ts publishedPipeline): no cell under k, hidden and empty alike, and the
 * complementary cell hidden where the district cell minus the shown ones would give one away.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertSchools } from '../src/db/roster';
import type { Answers } from '../src/domain/answers';
import { answers, api, createCampaign, db, errorOf, invite, seedRoster, signedIn, submit } from './helpers';

interface LeadersBody {
  minGroupSize: number;
  aspiringLeaders: Array<{ staffId: string; schoolId: string | null; careerStage: string | null }>;
  pipeline: {
    schools: Array<{ schoolId: string | null; school: string | null }>;
    rows: Array<{
      schoolId: string | null;
      school: string | null;
      careerStage: string | null;
      leadershipRole: string;
      n: number;
    }>;
    district: Array<{ careerStage: string | null; leadershipRole: string; n: number }>;
  };
}

/** Who answers, in roster order T1…T19: their school, career stage, role of interest and whether they self-nominate. */
const PEOPLE: Array<{ school: string; careerStage: string; role: string; named: boolean }> = [
  // Early-career mentors: Maple 4 unnamed, Ridge 3 unnamed + 1 named, Oak 1 unnamed, Pine 2 named.
  ...Array.from({ length: 4 }, () => ({
    school: 'maple-elementary',
    careerStage: 'early-career',
    role: 'mentor',
    named: false,
  })),
  ...Array.from({ length: 3 }, () => ({
    school: 'ridge-middle',
    careerStage: 'early-career',
    role: 'mentor',
    named: false,
  })),
  { school: 'ridge-middle', careerStage: 'early-career', role: 'mentor', named: true },
  { school: 'oak-primary', careerStage: 'early-career', role: 'mentor', named: false },
  ...Array.from({ length: 2 }, () => ({
    school: 'pine-high',
    careerStage: 'early-career',
    role: 'mentor',
    named: true,
  })),
  // Veteran principals: Ridge 5 named + 1 unnamed, Maple 2 unnamed.
  ...Array.from({ length: 5 }, () => ({
    school: 'ridge-middle',
    careerStage: 'veteran',
    role: 'principal',
    named: true,
  })),
  { school: 'ridge-middle', careerStage: 'veteran', role: 'principal', named: false },
  ...Array.from({ length: 2 }, () => ({
    school: 'maple-elementary',
    careerStage: 'veteran',
    role: 'principal',
    named: false,
  })),
];

let campaign: string;

beforeAll(async () => {
  // Oak and Pine first: the roster's staff point at them.
  await upsertSchools(db(), [
    { id: 'oak-primary', name: 'Oak Primary' },
    { id: 'pine-high', name: 'Pine High School' },
  ]);
  await seedRoster(PEOPLE.map((person) => ({ schoolId: person.school, careerStage: person.careerStage })));
  campaign = await createCampaign({ mode: 'identified', minGroupSize: 3, title: 'Named survey' });
  const links = await invite(campaign);
  for (const [index, person] of PEOPLE.entries()) {
    const leader: Partial<Answers> = {
      school: person.school,
      careerStage: person.careerStage,
      leadershipInterest: [person.role],
      selfNominate: person.named,
    };
    const res = await submit(campaign, { answers: answers(leader) }, crypto.randomUUID(), links.get(`T${index + 1}`));
    expect(res.status, await res.clone().text()).toBe(201);
  }
});

async function leaders(id = campaign, as: Parameters<typeof api>[2] = 'director') {
  return api(`/api/campaigns/${id}/leaders`, {}, as);
}

describe('GET /api/campaigns/:id/leaders: the pipeline', () => {
  it('publishes no cell with fewer than k unnamed people, and hides the complementary cell', async () => {
    const res = await leaders();
    expect(res.status).toBe(200);
    const body = (await res.json()) as LeadersBody;
    expect(body.minGroupSize).toBe(3);
    // All 19 published; the 8 who put themselves forward are named beside the table.
    expect(body.aspiringLeaders).toHaveLength(8);
    // Early-career mentor, unnamed per school: Maple 4, Ridge 3, Oak 1, Pine 0 (its 2 are
    // named). Oak (1) and Pine (0) are hidden. Oak would be the only occupied hidden cell:
    // district 11 − Maple 4 − Ridge 4 − Pine's 2 named = Oak's 1. So Ridge, the next
    // smallest (3 unnamed), is hidden too: Ridge + Oak hold 4 ≥ 3 unnamed, over two cells.
    // The district cell 4 + 4 + 1 + 2 = 11 is shown (8 unnamed ≥ 3).
    // Veteran principal: Ridge has 6 but only 1 unnamed (5 are named), Maple 2: both hidden,
    // 3 together ≥ 3, so the district's 6 + 2 = 8 is shown.
    expect(body.pipeline.rows).toEqual([
      {
        schoolId: 'maple-elementary',
        school: 'Maple Elementary',
        careerStage: 'early-career',
        leadershipRole: 'mentor',
        n: 4,
      },
    ]);
    expect(body.pipeline.district).toEqual([
      { careerStage: 'early-career', leadershipRole: 'mentor', n: 11 },
      { careerStage: 'veteran', leadershipRole: 'principal', n: 8 },
    ]);
  });

  it('lists every school on the roster, so a school with one interested looks like one with none', async () => {
    const body = (await (await leaders()).json()) as LeadersBody;
    // Oak (1 unnamed) and Pine (none unnamed) are both listed and both have no cell.
    expect(body.pipeline.schools).toEqual([
      { schoolId: 'maple-elementary', school: 'Maple Elementary' },
      { schoolId: 'oak-primary', school: 'Oak Primary' },
      { schoolId: 'pine-high', school: 'Pine High School' },
      { schoolId: 'ridge-middle', school: 'Ridge Middle School' },
    ]);
    for (const school of ['oak-primary', 'pine-high']) {
      expect(body.pipeline.rows.filter((row) => row.schoolId === school)).toEqual([]);
    }
  });

  it('is for directors and admins, on identified campaigns only', async () => {
    for (const roles of [[], ['facilitator']] as const) {
      const { cookie } = await signedIn([...roles]);
      const res = await leaders(campaign, { cookie });
      expect([res.status, (await errorOf(res)).code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await leaders(campaign, 'admin')).status).toBe(200);
    const anonymous = await createCampaign();
    const refused = await leaders(anonymous);
    expect([refused.status, (await errorOf(refused)).code]).toEqual([409, 'ANONYMOUS_CAMPAIGN']);
    const unknown = await leaders('no-such-campaign');
    expect(unknown.status).toBe(404);
  });
});
