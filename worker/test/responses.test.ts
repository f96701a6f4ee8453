import { beforeAll, describe, expect, it } from 'vitest';
import { publishPending, readCampaignAggregates, readSegmentSums } from '../src/db/aggregates';
import { answers, api, count, createCampaign, db, errorOf, invite, postJson, seedRoster, submit } from './helpers';

let campaignId: string;
let identifiedId: string;
/** Personal links of the identified campaign, by staff id. */
let links: Map<string, string>;

beforeAll(async () => {
  await seedRoster([{}, {}, {}, { schoolId: 'ridge-middle' }]);
  campaignId = await createCampaign();
  identifiedId = await createCampaign({ mode: 'identified', title: 'Fall identified' });
  links = await invite(identifiedId);
});

const TABLES = ['responses', 'response_ratings', 'response_interests', 'response_strategies'];
/** Rows of each table, and the campaign's count of responses received. */
async function storedRows(id: string) {
  const received = await db()
    .prepare('SELECT responses_received AS n FROM campaigns WHERE id = ?')
    .bind(id)
    .first<{ n: number }>();
  return [...(await Promise.all(TABLES.map((table) => count(table, id)))), received?.n ?? 0];
}

describe('POST /api/campaigns/:id/responses', () => {
  it('stores a valid response once, and its ratings, interests and strategies when it is published', async () => {
    const campaign = await createCampaign();
    const res = await submit(campaign, { answers: answers() });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // Pending: the response and its count; its rows come with the publication step.
    expect(await storedRows(campaign)).toEqual([1, 0, 0, 0, 1]);
    expect(await publishPending(db(), { id: campaign, minGroupSize: 1, mode: 'anonymous' })).toBe(1);
    expect(await storedRows(campaign)).toEqual([1, 2, 1, 2, 1]);
    const ratings = await db()
      .prepare('SELECT competency_id, importance, proficiency FROM response_ratings WHERE response_id = ? ORDER BY 1')
      .bind(id)
      .all();
    expect(ratings.results).toEqual([
      { competency_id: 'classroom-management', importance: 4, proficiency: 4 },
      { competency_id: 'formative-assessment', importance: 5, proficiency: 2 },
    ]);
    const strategies = await db()
      .prepare('SELECT strategy_id, position FROM response_strategies WHERE response_id = ? ORDER BY position')
      .bind(id)
      .all();
    expect(strategies.results).toEqual([
      { strategy_id: 'coaching', position: 1 },
      { strategy_id: 'peer-observation', position: 2 },
    ]);
  });

  it('answers a retry with the same key and body with the first id, storing nothing more', async () => {
    const campaign = await createCampaign();
    const key = crypto.randomUUID();
    const first = await submit(campaign, { answers: answers() }, key);
    const { id } = (await first.json()) as { id: string };
    // Same answers, keys in another order: still the same submission.
    const reordered = Object.fromEntries(Object.entries(answers()).reverse());
    const retry = await submit(campaign, { answers: reordered }, key);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ id });
    expect(await storedRows(campaign)).toEqual([1, 0, 0, 0, 1]);
  });

  it('refuses a different body under a used key and keeps the first', async () => {
    const campaign = await createCampaign();
    const key = crypto.randomUUID();
    await submit(campaign, { answers: answers() }, key);
    const res = await submit(campaign, { answers: answers({ comment: 'changed my mind' }) }, key);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('IDEMPOTENCY_KEY_REUSED');
    const row = await db()
      .prepare('SELECT answers FROM responses WHERE campaign_id = ?')
      .bind(campaign)
      .first<{ answers: string }>();
    expect(JSON.parse(row?.answers ?? '{}').comment).toBe('More time to plan together, please.');
  });

  it('stores concurrent submissions with one key exactly once', async () => {
    const campaign = await createCampaign();
    const key = crypto.randomUUID();
    const results = await Promise.all(Array.from({ length: 5 }, () => submit(campaign, { answers: answers() }, key)));
    const statuses = results.map((res) => res.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 201]);
    const ids = new Set(await Promise.all(results.map(async (res) => ((await res.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    expect(await storedRows(campaign)).toEqual([1, 0, 0, 0, 1]);
  });

  it('refuses a key already used in another campaign, storing nothing there', async () => {
    const first = await createCampaign();
    const second = await createCampaign();
    const key = crypto.randomUUID();
    const stored = await submit(first, { answers: answers() }, key);
    expect(stored.status).toBe(201);
    const elsewhere = await submit(second, { answers: answers() }, key);
    expect(elsewhere.status).toBe(409);
    expect((await errorOf(elsewhere)).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await storedRows(second)).toEqual([0, 0, 0, 0, 0]);
    // In its own campaign the key is still a retry of the first submission.
    const retry = await submit(first, { answers: answers() }, key);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual(await stored.json());
    expect(await storedRows(first)).toEqual([1, 0, 0, 0, 1]);
  });

  it('confirms a retry of a stored answer even after the campaign closed', async () => {
    const campaign = await createCampaign();
    const key = crypto.randomUUID();
    const first = (await (await submit(campaign, { answers: answers() }, key)).json()) as { id: string };
    await postJson(`/api/campaigns/${campaign}/close`, {});
    const retry = await submit(campaign, { answers: answers() }, key);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual(first);
  });

  // These two check the sums a publication step adds: with k = 1 a step takes in every
  // pending response (the step rule itself is tested in domain/publication and insights).
  it('adds per-competency sums, overall and per segment, when responses are published', async () => {
    const campaign = await createCampaign();
    await submit(campaign, { answers: answers() });
    await submit(campaign, {
      answers: answers({
        school: 'ridge-middle',
        careerStage: undefined,
        ratings: { 'formative-assessment': { importance: 4, proficiency: 3 } },
        interests: ['formative-assessment', 'classroom-management'],
        strategies: ['workshop'],
      }),
    });
    const sorted = <T extends { competencyId: string; segment: string | null }>(rows: T[]) =>
      rows.sort((a, b) => `${a.competencyId}${a.segment}`.localeCompare(`${b.competencyId}${b.segment}`));
    // Hand-worked: formative-assessment D = 5-2 = 3 and 4-3 = 1 → ΣI 9, ΣP 5, ΣD 4, ΣD² 10,
    // ΣI² 25 + 16 = 41, ΣI·D 5·3 + 4·1 = 19;
    // one gap of 2 or more; classroom-management D = 0 from the first response only.
    expect((await readCampaignAggregates(db(), campaign)).ratings).toEqual([]);
    expect(await publishPending(db(), { id: campaign, minGroupSize: 1, mode: 'anonymous' })).toBe(2);
    const aggregates = await readCampaignAggregates(db(), campaign);
    expect(sorted(aggregates.ratings)).toEqual([
      {
        segment: null,
        competencyId: 'classroom-management',
        n: 1,
        sumImportance: 4,
        sumProficiency: 4,
        sumDiscrepancy: 0,
        sumImportanceSquared: 16,
        sumDiscrepancySquared: 0,
        sumImportanceDiscrepancy: 0,
        highNeed: 0,
      },
      {
        segment: null,
        competencyId: 'formative-assessment',
        n: 2,
        sumImportance: 9,
        sumProficiency: 5,
        sumDiscrepancy: 4,
        sumImportanceSquared: 41,
        sumDiscrepancySquared: 10,
        sumImportanceDiscrepancy: 19,
        highNeed: 1,
      },
    ]);
    expect(Object.fromEntries(aggregates.interests)).toEqual({ 'formative-assessment': 2, 'classroom-management': 1 });
    expect(aggregates.respondentsBySchool.sort((a, b) => String(a.school).localeCompare(String(b.school)))).toEqual([
      { school: 'maple-elementary', n: 1 },
      { school: 'ridge-middle', n: 1 },
    ]);
    const byStage = sorted(await readSegmentSums(db(), campaign, 'careerStage'));
    expect(byStage.map((row) => [row.competencyId, row.segment, row.n, row.sumDiscrepancy])).toEqual([
      ['classroom-management', 'early-career', 1, 0],
      ['formative-assessment', 'early-career', 1, 3],
      ['formative-assessment', null, 1, 1],
    ]);
    // Only the first respondent has a gap of 2 or more, on formative assessment: coaching first, then peer observation.
    const strategies = await db()
      .prepare(
        'SELECT competency_id, strategy_id, n, first_choice FROM need_strategy_aggregates WHERE campaign_id = ? ORDER BY strategy_id',
      )
      .bind(campaign)
      .all();
    expect(strategies.results).toEqual([
      { competency_id: 'formative-assessment', strategy_id: 'coaching', n: 1, first_choice: 1 },
      { competency_id: 'formative-assessment', strategy_id: 'peer-observation', n: 1, first_choice: 0 },
    ]);
  });

  it('a repeated submission is published once', async () => {
    const campaign = await createCampaign();
    const key = crypto.randomUUID();
    await Promise.all([1, 2, 3].map(() => submit(campaign, { answers: answers() }, key)));
    expect(await publishPending(db(), { id: campaign, minGroupSize: 1, mode: 'anonymous' })).toBe(1);
    const { ratings, respondentsBySchool } = await readCampaignAggregates(db(), campaign);
    expect(ratings.map((row) => row.n)).toEqual([1, 1]);
    expect(respondentsBySchool).toEqual([{ school: 'maple-elementary', n: 1 }]);
  });

  it('takes peer nominations of rostered staff in an identified campaign', async () => {
    const res = await submit(
      identifiedId,
      { answers: answers({ peerNominations: ['T1', 'T4'], pilotWilling: true, contactConsent: true }) },
      crypto.randomUUID(),
      links.get('T2'),
    );
    expect(res.status).toBe(201);
  });
});

describe('bad input gets a 4xx with a code and stores nothing', () => {
  const bad: Array<[string, () => Promise<Response>, number, string, string?]> = [
    [
      'malformed JSON',
      () =>
        postJson(`/api/campaigns/${campaignId}/responses`, '{"answers": {', { 'Idempotency-Key': crypto.randomUUID() }),
      400,
      'MALFORMED_JSON',
    ],
    [
      'a form post',
      () =>
        api(`/api/campaigns/${campaignId}/responses`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': crypto.randomUUID() },
          body: 'answers=1',
        }),
      400,
      'UNSUPPORTED_CONTENT_TYPE',
    ],
    [
      'no content type',
      () =>
        api(`/api/campaigns/${campaignId}/responses`, {
          method: 'POST',
          headers: { 'Idempotency-Key': crypto.randomUUID() },
          body: JSON.stringify({ answers: answers() }),
        }),
      400,
      'UNSUPPORTED_CONTENT_TYPE',
    ],
    [
      'no idempotency key',
      () => postJson(`/api/campaigns/${campaignId}/responses`, { answers: answers() }),
      400,
      'MISSING_IDEMPOTENCY_KEY',
    ],
    [
      'a key that is not a UUID',
      () => submit(campaignId, { answers: answers() }, 'abc'),
      400,
      'INVALID_IDEMPOTENCY_KEY',
    ],
    [
      'a body over 64 KB',
      () => submit(campaignId, { answers: answers({ comment: 'x'.repeat(70_000) }) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['a body without answers', () => submit(campaignId, { ratings: {} }), 422, 'INVALID_INPUT', 'answers'],
    [
      'an unknown question',
      () => submit(campaignId, { answers: { ...answers(), favouriteColour: 'blue' } }),
      422,
      'UNKNOWN_QUESTION',
      'favouriteColour',
    ],
    [
      'a rating above 5',
      () =>
        submit(campaignId, {
          answers: answers({ ratings: { 'formative-assessment': { importance: 6, proficiency: 2 } } }),
        }),
      422,
      'OUT_OF_RANGE',
      'ratings.formative-assessment.importance',
    ],
    [
      'a rating below 1',
      () =>
        submit(campaignId, {
          answers: answers({ ratings: { 'formative-assessment': { importance: 3, proficiency: 0 } } }),
        }),
      422,
      'OUT_OF_RANGE',
      'ratings.formative-assessment.proficiency',
    ],
    [
      'a fractional rating',
      () =>
        submit(campaignId, {
          answers: answers({ ratings: { 'formative-assessment': { importance: 3.5, proficiency: 2 } } }),
        }),
      422,
      'WRONG_TYPE',
      'ratings.formative-assessment.importance',
    ],
    [
      'a rating given as text',
      () =>
        submit(campaignId, {
          answers: { ...answers(), ratings: { 'formative-assessment': { importance: '5', proficiency: 2 } } },
        }),
      422,
      'WRONG_TYPE',
      'ratings.formative-assessment.importance',
    ],
    [
      'half a rating',
      () => submit(campaignId, { answers: { ...answers(), ratings: { 'formative-assessment': { importance: 5 } } } }),
      422,
      'INCOMPLETE_RATING',
      'ratings.formative-assessment',
    ],
    [
      'an unknown competency',
      () =>
        submit(campaignId, {
          answers: answers({ ratings: { 'underwater-basketry': { importance: 5, proficiency: 1 } } }),
        }),
      422,
      'UNKNOWN_ID',
      'ratings.underwater-basketry',
    ],
    [
      'an unknown role',
      () => submit(campaignId, { answers: answers({ role: 'astronaut' }) }),
      422,
      'UNKNOWN_ID',
      'role',
    ],
    [
      'an unknown school',
      () => submit(campaignId, { answers: answers({ school: 'hogwarts' }) }),
      422,
      'UNKNOWN_ID',
      'school',
    ],
    [
      'an unknown strategy',
      () => submit(campaignId, { answers: answers({ strategies: ['coaching', 'osmosis'] }) }),
      422,
      'UNKNOWN_ID',
      'strategies',
    ],
    [
      'a strategy listed twice',
      () => submit(campaignId, { answers: answers({ strategies: ['coaching', 'coaching'] }) }),
      422,
      'DUPLICATE_CHOICE',
      'strategies',
    ],
    [
      'interests as text',
      () => submit(campaignId, { answers: { ...answers(), interests: 'formative-assessment' } }),
      422,
      'WRONG_TYPE',
      'interests',
    ],
    [
      'a yes/no given as text',
      () =>
        submit(identifiedId, { answers: { ...answers(), pilotWilling: 'yes' } }, crypto.randomUUID(), links.get('T3')),
      422,
      'WRONG_TYPE',
      'pilotWilling',
    ],
    [
      'a comment over 2,000 characters',
      () => submit(campaignId, { answers: answers({ comment: 'x'.repeat(2001) }) }),
      422,
      'TOO_LONG',
      'comment',
    ],
    [
      'no school',
      () => submit(campaignId, { answers: { ...answers(), school: undefined } }),
      422,
      'REQUIRED',
      'school',
    ],
    // An empty id passed the survey's rules but not the roster's, and nothing said why: a 500.
    ['an empty school', () => submit(campaignId, { answers: answers({ school: '' }) }), 422, 'REQUIRED', 'school'],
    [
      'a school of spaces only',
      () => submit(campaignId, { answers: answers({ school: '   ' }) }),
      422,
      'REQUIRED',
      'school',
    ],
    ['an empty role', () => submit(campaignId, { answers: answers({ role: '' }) }), 422, 'REQUIRED', 'role'],
    [
      'an empty career stage',
      () => submit(campaignId, { answers: answers({ careerStage: ' ' }) }),
      422,
      'UNKNOWN_ID',
      'careerStage',
    ],
    [
      'an empty peer nomination',
      () => submit(identifiedId, { answers: answers({ peerNominations: [''] }) }, crypto.randomUUID(), links.get('T3')),
      422,
      'UNKNOWN_ID',
      'peerNominations',
    ],
    [
      'an empty strategy',
      () => submit(campaignId, { answers: answers({ strategies: ['coaching', ''] }) }),
      422,
      'UNKNOWN_ID',
      'strategies',
    ],
    [
      'four peer nominations',
      () =>
        submit(
          identifiedId,
          { answers: answers({ peerNominations: ['T1', 'T2', 'T3', 'T4'] }) },
          crypto.randomUUID(),
          links.get('T3'),
        ),
      422,
      'TOO_MANY_CHOICES',
      'peerNominations',
    ],
    [
      'a nomination of someone not on the roster',
      () =>
        submit(
          identifiedId,
          { answers: answers({ peerNominations: ['T1', 'NOBODY'] }) },
          crypto.randomUUID(),
          links.get('T3'),
        ),
      422,
      'UNKNOWN_ID',
      'peerNominations',
    ],
    [
      'peer nominations in an anonymous campaign',
      () => submit(campaignId, { answers: answers({ peerNominations: ['T1'] }) }),
      422,
      'NOT_IN_THIS_CAMPAIGN',
      'peerNominations',
    ],
    [
      'a leadership opportunity asked for in an anonymous campaign',
      () => submit(campaignId, { answers: answers({ leadershipInterest: ['mentor'], selfNominate: true }) }),
      422,
      'NOT_IN_THIS_CAMPAIGN',
      'selfNominate',
    ],
    [
      'leadership roles in an anonymous campaign',
      () => submit(campaignId, { answers: answers({ leadershipInterest: ['principal'] }) }),
      422,
      'NOT_IN_THIS_CAMPAIGN',
      'leadershipInterest',
    ],
    ['answers that are a list', () => submit(campaignId, { answers: [1, 2] }), 422, 'INVALID_INPUT', 'answers'],
  ];

  it.each(bad)('%s → %i %s', async (_label, send, status, code, field) => {
    const before = await storedRows(campaignId);
    const beforeIdentified = await storedRows(identifiedId);
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('Content-Type')).toMatch(/application\/json/);
    const error = await errorOf(res);
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
    if (field) expect(Object.keys(error.fields ?? {})).toContain(field);
    expect(await storedRows(campaignId)).toEqual(before);
    expect(await storedRows(identifiedId)).toEqual(beforeIdentified);
  });

  it('an unknown campaign → 404', async () => {
    const res = await submit('no-such-campaign', { answers: answers() });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('CAMPAIGN_NOT_FOUND');
  });

  it('a campaign past its closing time → 409, nothing stored', async () => {
    const campaign = await createCampaign({ closesAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await submit(campaign, { answers: answers() })).status).toBe(201);
    await db()
      .prepare('UPDATE campaigns SET closes_at = ? WHERE id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), campaign)
      .run();
    const res = await submit(campaign, { answers: answers() });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('CAMPAIGN_CLOSED');
    expect(await storedRows(campaign)).toEqual([1, 0, 0, 0, 1]);
  });

  it('a closed campaign → 409, nothing stored', async () => {
    const campaign = await createCampaign();
    await postJson(`/api/campaigns/${campaign}/close`, {});
    const res = await submit(campaign, { answers: answers() });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('CAMPAIGN_CLOSED');
    expect(await storedRows(campaign)).toEqual([0, 0, 0, 0, 0]);
  });
});
