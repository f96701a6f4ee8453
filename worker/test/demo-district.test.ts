import { describe, expect, it } from 'vitest';
import { FALL_CAMPAIGN_ID, generateDemoDistrict, SPRING_CAMPAIGN_ID } from '../../scripts/demo/district';
import { DEMO_BOARD_ID, seedDemoDistrict } from '../../scripts/demo/seed';
import {
  publishPending,
  readCampaignAggregates,
  readNeedStrategies,
  readSegmentSums,
  rebuildAggregates,
} from '../src/db/aggregates';
import type { BoardState } from '../src/domain/boards';
import { api, count, db, postJson } from './helpers';

describe('the demo district', () => {
  it('is the same on every run', () => {
    const a = generateDemoDistrict();
    const b = generateDemoDistrict();
    expect(b).toEqual(a);
    expect(a.schools).toHaveLength(12);
    expect(a.staff.length).toBeGreaterThanOrEqual(950);
    expect(a.staff.length).toBeLessThanOrEqual(1050);
  });

  it('seeds an empty database through the API rules, and never over existing data', async () => {
    expect(await seedDemoDistrict(db())).toBe(true);
    const district = generateDemoDistrict();
    expect(await count('responses', FALL_CAMPAIGN_ID)).toBe(district.responses.length);
    expect(await seedDemoDistrict(db())).toBe(false);
    expect(await count('responses', FALL_CAMPAIGN_ID)).toBe(district.responses.length);

    const fall = (await (await api(`/api/campaigns/${FALL_CAMPAIGN_ID}`)).json()) as { status: string; mode: string };
    expect(fall).toMatchObject({ status: 'closed', mode: 'identified' });
    // A board the demo facilitator started on the fall results, its cards in the protocol's columns.
    const board = (await (await api(`/api/boards/${DEMO_BOARD_ID}`)).json()) as BoardState;
    expect(board).toMatchObject({ campaignId: FALL_CAMPAIGN_ID, template: 'protocol' });
    expect(board.members.map((member) => [member.email, member.role])).toEqual([
      ['facilitator@district.example', 'facilitator'],
    ]);
    expect(board.cards.map((card) => card.column)).toEqual([
      'working',
      'working',
      'not-working',
      'not-working',
      'root-causes',
      'ideas',
      'ideas',
    ]);

    const spring = (await (await api(`/api/campaigns/${SPRING_CAMPAIGN_ID}`)).json()) as {
      status: string;
      responseCount: number;
    };
    expect(spring).toMatchObject({ status: 'open', responseCount: 0 });

    // The first publication step takes in every seeded response (every cell starts hidden, and
    // together they gain far more than k), and its sums (checked against a recount below) hold every one.
    expect(await publishPending(db(), { id: FALL_CAMPAIGN_ID, minGroupSize: 5, mode: 'identified' })).toBe(
      district.responses.filter((r) => r.campaignId === FALL_CAMPAIGN_ID).length,
    );
    // District-wide need shows in the sums: mean discrepancy ΣD / n is largest for the
    // two competencies the generator makes important but weak everywhere.
    const sums = (await readCampaignAggregates(db(), FALL_CAMPAIGN_ID)).ratings;
    const byNeed = [...sums].sort((x, y) => y.sumDiscrepancy / y.n - x.sumDiscrepancy / x.n);
    expect(
      byNeed
        .slice(0, 2)
        .map((s) => s.competencyId)
        .sort(),
    ).toEqual(['ai-literacy', 'formative-assessment']);

    // Need concentrated in a few schools: multilingual learners at the three newcomer schools.
    const { results } = await db()
      .prepare(
        `SELECT p.school, AVG(r.importance - r.proficiency) AS need
         FROM response_ratings r JOIN responses p ON p.id = r.response_id
         WHERE r.campaign_id = ? AND r.competency_id = 'supporting-multilingual-learners'
         GROUP BY p.school ORDER BY need DESC LIMIT 3`,
      )
      .bind(FALL_CAMPAIGN_ID)
      .all<{ school: string }>();
    expect(results.map((r) => r.school).sort()).toEqual(['dogwood-elementary', 'harbor-view-middle', 'lakeside-high']);

    // Peer nominations cluster: the most-named person in the district is named far more than average.
    const named = new Map<string, number>();
    for (const response of district.responses) {
      for (const id of response.answers.peerNominations ?? []) named.set(id, (named.get(id) ?? 0) + 1);
    }
    const counts = [...named.values()];
    const mean = counts.reduce((sum, n) => sum + n, 0) / counts.length;
    expect(Math.max(...counts)).toBeGreaterThan(8 * mean);
    expect(district.responses.filter((r) => r.answers.pilotWilling && r.answers.contactConsent).length).toBeGreaterThan(
      100,
    );
    expect(district.staff.filter((m) => m.isCoach).length).toBeGreaterThan(12);

    // The published sums equal a recount from the stored rows.
    const snapshot = async () => {
      const all = await readCampaignAggregates(db(), FALL_CAMPAIGN_ID);
      const order = (rows: Array<{ competencyId: string; segment?: string | null }>) =>
        rows.map((row) => JSON.stringify(row)).sort();
      return {
        ratings: order(all.ratings),
        bySchool: order(await readSegmentSums(db(), FALL_CAMPAIGN_ID, 'school')),
        byStage: order(await readSegmentSums(db(), FALL_CAMPAIGN_ID, 'careerStage')),
        interests: [...all.interests].sort(),
        counts: all.respondentsBySchool.map((row) => JSON.stringify(row)).sort(),
        strategies: order(await readNeedStrategies(db(), FALL_CAMPAIGN_ID)),
      };
    };
    const running = await snapshot();
    await rebuildAggregates(db(), FALL_CAMPAIGN_ID);
    expect(await snapshot()).toEqual(running);
    expect(running.ratings).toHaveLength(16);
  }, 30_000);

  it('proposes, with the default options, pilot groups that each have coaches for every member', async () => {
    // Defaults must be coherent (PRODUCT.md, Pilot groups): groups of up to 10 and 8 teachers per coach mean a
    // full group needs two coaches, and the demo roster must have them outside the groups, for each top focus.
    await seedDemoDistrict(db());
    const res = await postJson(`/api/campaigns/${FALL_CAMPAIGN_ID}/pilot-groups/proposal`, {}, {}, 'director');
    expect(res.status, await res.clone().text()).toBe(200);
    const proposal = (await res.json()) as {
      options: { coachCapacity: number };
      groups: Array<{ members: unknown[]; coaches: Array<{ staffId: string; supports: number }> }>;
    };
    expect(proposal.options.coachCapacity).toBe(8);
    expect(proposal.groups).toHaveLength(3);
    const load = new Map<string, number>();
    for (const group of proposal.groups) {
      expect(group.coaches.reduce((n, coach) => n + coach.supports, 0)).toBe(group.members.length);
      for (const coach of group.coaches) load.set(coach.staffId, (load.get(coach.staffId) ?? 0) + coach.supports);
    }
    expect(Math.max(...load.values())).toBeLessThanOrEqual(8);
  }, 30_000);
});
