/**
 * Published figures move in steps of at least k people (worker/src/domain/publication.ts).
 * The attack these tests close, as a security test found it: anonymous campaign, k = 5;
 * after 5 responses the focus list showed n = 5, mean importance 4.8, proficiency 2.2;
 * after a sixth, n = 6, 4.333 and 2.0, so 6 × 4.333 − 5 × 4.8 = 2 and 6 × 2.0 − 5 × 2.2 = 1
 * were the sixth person's ratings. Every table and export a director can read is checked.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../src/domain/answers';
import { api, count, createBoard, createCampaign, db, invite, postJson, seedRoster, submit } from './helpers';

const FA = 'formative-assessment';
/** The rows a publication step derives from each response's answers (migration 0015). */
const DERIVED = ['response_ratings', 'response_interests', 'response_strategies'];

/** The five of the security test: I = 5, 5, 5, 5, 4 (mean 4.8) and P = 2, 2, 2, 3, 2 (mean 2.2). */
const FIRST_FIVE: Array<[number, number]> = [
  [5, 2],
  [5, 2],
  [5, 2],
  [5, 3],
  [4, 2],
];

function rated(importance: number, proficiency: number): Answers {
  return {
    school: 'maple-elementary',
    role: 'classroom-teacher',
    careerStage: 'established',
    subject: 'math',
    gradeBand: 'elementary',
    ratings: { [FA]: { importance, proficiency } },
    interests: [FA],
    strategies: ['coaching'],
  };
}

async function answer(campaign: string, pairs: Array<[number, number]>, links?: string[]) {
  for (const [i, [importance, proficiency]] of pairs.entries()) {
    const res = await submit(campaign, { answers: rated(importance, proficiency) }, crypto.randomUUID(), links?.[i]);
    expect(res.status).toBe(201);
  }
}

/** Every figure about answers that a director (or a board) can read, as text. */
async function everyTable(campaign: string, boardId: string): Promise<Record<string, string>> {
  const paths = [
    `/api/campaigns/${campaign}/focuses`,
    `/api/campaigns/${campaign}/focuses?format=csv`,
    ...['school', 'role', 'careerStage', 'subject', 'gradeBand'].flatMap((by) => [
      `/api/campaigns/${campaign}/focuses?by=${by}`,
      `/api/campaigns/${campaign}/focuses?by=${by}&format=csv`,
    ]),
    `/api/campaigns/${campaign}/response-rates`,
    `/api/campaigns/${campaign}/strategy-preferences?focuses=${FA}`,
    `/api/boards/${boardId}/evidence`,
  ];
  const tables: Record<string, string> = {};
  for (const path of paths) {
    // The board's evidence is read as its facilitator (the admin made it); the rest as a director.
    const res = await api(path, {}, path.startsWith('/api/boards/') ? 'admin' : 'director');
    expect(res.status, path).toBe(200);
    tables[path] = await res.text();
  }
  const posted = await postJson(`/api/campaigns/${campaign}/focuses`, { by: 'school' }, {}, 'director');
  tables['POST focuses by school'] = await posted.text();
  return tables;
}

async function focusOf(campaign: string) {
  const res = await api(`/api/campaigns/${campaign}/focuses`, {}, 'director');
  const body = (await res.json()) as {
    respondents: number;
    items: Array<{ competencyId: string; n?: number; meanImportance?: number; meanProficiency?: number }>;
  };
  return { respondents: body.respondents, fa: body.items.find((item) => item.competencyId === FA) };
}

beforeAll(async () => {
  await seedRoster(Array.from({ length: 12 }, () => ({})));
});

describe('published figures move only in steps of k respondents', () => {
  it('a sixth response changes no published table or export; four more (five new in the cell) do', async () => {
    const campaign = await createCampaign();
    const board = await createBoard('admin', { campaignId: campaign });
    await answer(campaign, FIRST_FIVE);
    expect(await focusOf(campaign)).toMatchObject({
      respondents: 5,
      fa: { n: 5, meanImportance: 4.8, meanProficiency: 2.2 },
    });
    const before = await everyTable(campaign, board.id);

    await answer(campaign, [[2, 1]]);
    const after = await everyTable(campaign, board.id);
    for (const path of Object.keys(before)) expect(after[path], path).toBe(before[path]);
    // How many answered is not a figure about answers: the campaign says 6 were received.
    const info = await api(`/api/campaigns/${campaign}`, {}, 'director');
    expect(((await info.json()) as { responseCount: number }).responseCount).toBe(6);

    // Four more: five new in every cell of the sixth person's, so the step goes through.
    // By hand: ΣI = 24 + 2 + 4 × 4 = 42, ΣP = 11 + 1 + 4 × 3 = 24 over 10 → 4.2 and 2.4.
    await answer(campaign, [
      [4, 3],
      [4, 3],
      [4, 3],
      [4, 3],
    ]);
    expect(await focusOf(campaign)).toMatchObject({
      respondents: 10,
      fa: { n: 10, meanImportance: 4.2, meanProficiency: 2.4 },
    });
    const stepped = await everyTable(campaign, board.id);
    // Every table moves but the ways of learning: the five new have no gap of 2 or more.
    for (const path of Object.keys(before)) {
      if (!path.includes('strategy-preferences')) expect(stepped[path], path).not.toBe(before[path]);
    }
  });

  it('nothing is published until k have answered', async () => {
    const campaign = await createCampaign();
    await answer(campaign, FIRST_FIVE.slice(0, 4));
    expect(await focusOf(campaign)).toMatchObject({ respondents: 0, fa: { suppressed: true } });
    const rates = await api(`/api/campaigns/${campaign}/response-rates`, {}, 'director');
    expect(((await rates.json()) as { respondents: number }).respondents).toBe(0);
  });

  it('a lone newcomer at another school waits while five at the first school go through', async () => {
    const campaign = await createCampaign();
    await answer(campaign, FIRST_FIVE);
    await focusOf(campaign);
    const ridge = await submit(campaign, {
      answers: { ...rated(1, 1), school: 'ridge-middle' },
    });
    expect(ridge.status).toBe(201);
    await answer(campaign, FIRST_FIVE);
    // Published: the ten at maple (ΣI = 48, ΣP = 22), not the one at ridge (I = P = 1).
    expect(await focusOf(campaign)).toMatchObject({
      respondents: 10,
      fa: { n: 10, meanImportance: 4.8, meanProficiency: 2.2 },
    });
  });

  it('reads that publish at the same moment add the batch once', async () => {
    const campaign = await createCampaign();
    await answer(campaign, FIRST_FIVE);
    const reads = await Promise.all([1, 2, 3, 4].map(() => focusOf(campaign)));
    for (const read of reads) expect(read.respondents === 0 || read.respondents === 5).toBe(true);
    expect(await focusOf(campaign)).toMatchObject({ respondents: 5, fa: { n: 5, meanImportance: 4.8 } });
    // The step derived each response's rows once.
    expect(await Promise.all(DERIVED.map((table) => count(table, campaign)))).toEqual([5, 5, 5]);
  });

  it('in an identified campaign, the person whose link flips to answered is not readable in the figures', async () => {
    const campaign = await createCampaign({ mode: 'identified' });
    const links = await invite(campaign);
    const tokens = [...links.values()];
    await answer(campaign, FIRST_FIVE, tokens.slice(0, 5));
    const before = await focusOf(campaign);
    await answer(campaign, [[2, 1]], tokens.slice(5, 6));
    // The admin's links list now shows a sixth person answered…
    const issued = await postJson(`/api/campaigns/${campaign}/invitations`, {});
    const items = ((await issued.json()) as { items: Array<{ link: string | null }> }).items;
    expect(items.filter((item) => item.link === null)).toHaveLength(6);
    // …and the figures still describe the first five.
    expect(await focusOf(campaign)).toEqual(before);
    expect(before).toMatchObject({ respondents: 5, fa: { n: 5, meanImportance: 4.8, meanProficiency: 2.2 } });
  });

  it('the leaders view (nominations, aspiring leaders, pipeline) moves in the same steps', async () => {
    const campaign = await createCampaign({ mode: 'identified' });
    // Everyone but T1 answers, and names T1 as a colleague they go to for advice.
    const tokens = [...(await invite(campaign))].filter(([staffId]) => staffId !== 'T1').map(([, token]) => token);
    const send = async (from: number, to: number) => {
      for (const token of tokens.slice(from, to)) {
        // Not self-nominated: the pipeline counts people beside the named aspiring leaders
        // (domain/leaders.ts publishedPipeline), so these five are what its cells show.
        const leader = { leadershipInterest: ['mentor'], selfNominate: false, peerNominations: ['T1'] };
        const res = await submit(campaign, { answers: { ...rated(5, 2), ...leader } }, crypto.randomUUID(), token);
        expect(res.status, await res.clone().text()).toBe(201);
      }
    };
    const leaders = async () => {
      const res = await api(`/api/campaigns/${campaign}/leaders`, {}, 'director');
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      return JSON.stringify({ ...body, aspiringLeaders: body.aspiringLeaders, pipeline: body.pipeline });
    };
    await send(0, 5);
    const five = await leaders();
    expect(five).toContain('"n":5');
    await send(5, 6);
    // The sixth named T1 and wants to mentor; the view still shows the first five.
    expect(await leaders()).toBe(five);
    await send(6, 10);
    expect(await leaders()).toContain('"n":10');
  });
});

describe('migration 0015: rows derived at publication', () => {
  it('drops the rows the old trigger derived for pending responses, and publishing derives them once', async () => {
    const campaign = await createCampaign();
    await answer(campaign, FIRST_FIVE.slice(0, 3));
    expect((await focusOf(campaign)).respondents).toBe(0);
    // What the trigger before 0015 wrote at submission, for the three pending responses.
    const old = (sql: string) =>
      db()
        .prepare(`INSERT INTO ${sql} FROM responses p, json_each(p.answers, '$.ratings') r WHERE p.campaign_id = ?`)
        .bind(campaign);
    await db().batch([
      old(`response_ratings SELECT p.id, p.campaign_id, r.key, 5, 2`),
      old(`response_interests SELECT p.id, p.campaign_id, r.key`),
      old(`response_strategies SELECT p.id, p.campaign_id, 'coaching', 1`),
    ]);
    expect(await Promise.all(DERIVED.map((table) => count(table, campaign)))).toEqual([3, 3, 3]);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0015_'));
    expect(migration).toBeDefined();
    await db().batch((migration?.queries ?? []).map((query) => db().prepare(query)));
    expect(await Promise.all(DERIVED.map((table) => count(table, campaign)))).toEqual([0, 0, 0]);
    await answer(campaign, FIRST_FIVE.slice(3));
    expect(await focusOf(campaign)).toMatchObject({ respondents: 5, fa: { n: 5, meanImportance: 4.8 } });
    expect(await Promise.all(DERIVED.map((table) => count(table, campaign)))).toEqual([5, 5, 5]);
  });
});
