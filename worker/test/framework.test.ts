import { expect, it } from 'vitest';
import { api, seedRoster } from './helpers';

it('GET /api/framework returns the framework and every id list of the answer contract', async () => {
  await seedRoster();
  const res = await api('/api/framework');
  expect(res.status).toBe(200);
  const body = (await res.json()) as Record<string, Array<{ id: string; name: string }>>;
  expect(body.domains).toHaveLength(6);
  expect(body.competencies).toHaveLength(16);
  expect(body.strategies?.map((s) => s.id)).toContain('plc-inquiry-cycle');
  expect(body.jobRoles).toHaveLength(9);
  expect(body.careerStages).toHaveLength(7);
  expect(body.leadershipRoles).toHaveLength(7);
  expect(body.gradeBands?.map((g) => g.id)).toEqual(['early-childhood', 'elementary', 'middle', 'high', 'all-grades']);
  expect(body.subjects?.length).toBeGreaterThan(5);
  expect(body.hexagonIndicators?.map((h) => h.id)).toEqual([
    'need',
    'fit',
    'capacity',
    'evidence',
    'supports',
    'usability',
  ]);
  expect(body.schools).toEqual([
    { id: 'maple-elementary', name: 'Maple Elementary' },
    { id: 'ridge-middle', name: 'Ridge Middle School' },
  ]);
});
