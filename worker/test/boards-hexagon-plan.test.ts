/**
 * Co-design boards, part 3: the Hexagon Tool's ratings, plans built on a campaign's prioritized
 * focuses, the evidence a board reads, and exports. Written from the API contract (issue 6).
 */
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertSchools } from '../src/db/roster';
import type { BoardState, HexagonRow, PlanView } from '../src/domain/boards';
import {
  addCard,
  answers,
  api,
  boardMember,
  boardTeam,
  type Caller,
  conflictOf,
  createBoard,
  createCampaign,
  db,
  del,
  errorOf,
  patchJson,
  postJson,
  putJson,
  readBoard,
  seedRoster,
  signedIn,
  signedInNamed,
  submit,
} from './helpers';

const board = (id: string) => `/api/boards/${id}`;

async function ok(res: Response, status = 200): Promise<BoardState> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${await res.text()}`);
  return (await res.json()) as BoardState;
}

const rate = (id: string, body: Record<string, unknown>, as: Caller) => putJson(`${board(id)}/ratings`, body, as);
const rowOf = (state: BoardState, cardId: string) => state.hexagon.find((row) => row.cardId === cardId) as HexagonRow;
const summary = (row: HexagonRow, indicator: string) => row.indicators.find((i) => i.indicator === indicator);

describe('the Hexagon Tool', () => {
  it('summarizes three members’ ratings of a program per indicator, and flags wide disagreement', async () => {
    const t = await boardTeam({ template: 'hexagon' });
    const carol = await boardMember(t.id, 'member', t.fac, 'Carol Member');
    const { card } = await addCard(t.id, t.fac, 'Instructional coaching program', 'programs');
    const { card: other } = await addCard(t.id, t.fac, 'Online course bundle', 'programs');

    // Need: 1, 3, 5. Mean = 9/3 = 3. Sample SD = √(((1−3)² + (3−3)² + (5−3)²)/2) = √(8/2) = 2.
    // Range 5 − 1 = 4 ≥ 3: wide disagreement.
    // Fit: 4, 4, 5. Mean = 13/3 = 4.333… → 4.33. Deviations −1/3, −1/3, 2/3; squares 1/9 + 1/9 + 4/9
    // = 6/9; /2 = 1/3; √(1/3) = 0.57735 → 0.58. Range 1: not wide.
    const ratings: Array<[Caller, number, number]> = [
      [t.alice, 1, 4],
      [t.bob, 3, 4],
      [carol, 5, 5],
    ];
    for (const [who, need, fit] of ratings) {
      await ok(await rate(t.id, { cardId: card.id, indicator: 'need', score: need }, who));
      await ok(await rate(t.id, { cardId: card.id, indicator: 'fit', score: fit }, who));
    }
    await ok(
      await rate(
        t.id,
        { cardId: card.id, indicator: 'need', score: 1, note: 'Only two schools asked for it' },
        t.alice,
      ),
    );

    const state = await readBoard(t.id, t.alice);
    expect(state.hexagon.map((row) => row.cardId).sort()).toEqual([card.id, other.id].sort());
    const row = rowOf(state, card.id);
    expect(row.indicators.map((i) => i.indicator)).toEqual([
      'need',
      'fit',
      'capacity',
      'evidence',
      'supports',
      'usability',
    ]);
    expect(summary(row, 'need')).toEqual({
      indicator: 'need',
      n: 3,
      mean: 3,
      sd: 2,
      min: 1,
      max: 5,
      wideDisagreement: true,
    });
    expect(summary(row, 'fit')).toEqual({
      indicator: 'fit',
      n: 3,
      mean: 4.33,
      sd: 0.58,
      min: 4,
      max: 5,
      wideDisagreement: false,
    });
    expect(summary(row, 'capacity')).toEqual({
      indicator: 'capacity',
      n: 0,
      mean: null,
      sd: null,
      min: null,
      max: null,
      wideDisagreement: false,
    });
    expect(row.mine).toEqual({
      need: { score: 1, note: 'Only two schools asked for it' },
      fit: { score: 4, note: '' },
    });
    expect(row.notes).toEqual([{ indicator: 'need', note: 'Only two schools asked for it', author: 'Alice Member' }]);
    expect(rowOf(state, other.id).indicators.every((i) => i.n === 0)).toBe(true);
    // Everyone reads the same figures; only `mine` is personal.
    const asBob = rowOf(await readBoard(t.id, t.bob), card.id);
    expect(asBob.indicators).toEqual(row.indicators);
    expect(asBob.mine).toEqual({ need: { score: 3, note: '' }, fit: { score: 4, note: '' } });

    // A null score takes my rating back: need is now 3, 5. Mean 4, SD √((1 + 1)/1) = 1.41, range 2.
    const removed = await ok(await rate(t.id, { cardId: card.id, indicator: 'need', score: null }, t.alice));
    const after = rowOf(removed, card.id);
    expect(summary(after, 'need')).toEqual({
      indicator: 'need',
      n: 2,
      mean: 4,
      sd: 1.41,
      min: 3,
      max: 5,
      wideDisagreement: false,
    });
    expect(after.mine).toEqual({ fit: { score: 4, note: '' } });
  });

  it('one rating per member and indicator: rating again replaces it; a single rating has no SD', async () => {
    const t = await boardTeam({ template: 'hexagon' });
    const { card } = await addCard(t.id, t.fac, 'Program', 'programs');
    await ok(await rate(t.id, { cardId: card.id, indicator: 'evidence', score: 2 }, t.alice));
    const again = await ok(await rate(t.id, { cardId: card.id, indicator: 'evidence', score: 4 }, t.alice));
    expect(summary(rowOf(again, card.id), 'evidence')).toEqual({
      indicator: 'evidence',
      n: 1,
      mean: 4,
      sd: null,
      min: 4,
      max: 4,
      wideDisagreement: false,
    });
  });

  it.each([
    [{ indicator: 'need', score: 6 }, 'score'],
    [{ indicator: 'need', score: 0 }, 'score'],
    [{ indicator: 'need', score: 2.5 }, 'score'],
    [{ indicator: 'popularity', score: 3 }, 'indicator'],
    [{ indicator: 'need', score: 3, note: 'n'.repeat(501) }, 'note'],
  ])('refuses %j with 422 naming %s, storing nothing', async (body, field) => {
    const t = await boardTeam({ template: 'hexagon' });
    const { card } = await addCard(t.id, t.fac, 'Program', 'programs');
    const res = await rate(t.id, { cardId: card.id, ...body }, t.alice);
    expect(res.status).toBe(422);
    expect(Object.keys((await errorOf(res)).fields ?? {})).toContain(field);
    expect(rowOf(await readBoard(t.id, t.alice), card.id).indicators.every((i) => i.n === 0)).toBe(true);
  });

  it('a viewer may not rate; a protocol board has no ratings', async () => {
    const t = await boardTeam({ template: 'hexagon' });
    const { card } = await addCard(t.id, t.fac, 'Program', 'programs');
    const viewer = await rate(t.id, { cardId: card.id, indicator: 'need', score: 3 }, t.viewer);
    expect(viewer.status).toBe(403);
    expect((await errorOf(viewer)).code).toBe('READ_ONLY');

    const p = await boardTeam();
    const { card: protocolCard } = await addCard(p.id, p.alice, 'Not a program');
    const res = await rate(p.id, { cardId: protocolCard.id, indicator: 'need', score: 3 }, p.alice);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('WRONG_TEMPLATE');
    expect((await readBoard(p.id, p.alice)).hexagon).toEqual([]);
  });

  it('rows are for visible program cards only; a card of another board cannot be rated here', async () => {
    const t = await boardTeam({ template: 'hexagon', anonymous: true });
    const { card: pending } = await addCard(t.id, t.alice, 'Suggested by a member', 'programs');
    const { card: shown } = await addCard(t.id, t.fac, 'Suggested by the facilitator', 'programs');
    expect(pending.status).toBe('pending');
    expect((await readBoard(t.id, t.bob)).hexagon.map((row) => row.cardId)).toEqual([shown.id]);

    const other = await boardTeam({ template: 'hexagon' });
    const { card: foreign } = await addCard(other.id, other.fac, 'Elsewhere', 'programs');
    const res = await rate(t.id, { cardId: foreign.id, indicator: 'need', score: 3 }, t.bob);
    expect([404, 422]).toContain(res.status);
    expect(rowOf(await readBoard(other.id, other.alice), foreign.id).indicators.every((i) => i.n === 0)).toBe(true);
  });

  it('on an anonymous board, notes carry no author', async () => {
    const t = await boardTeam({ template: 'hexagon', anonymous: true });
    const { card } = await addCard(t.id, t.fac, 'Program', 'programs');
    await ok(await rate(t.id, { cardId: card.id, indicator: 'supports', score: 2, note: 'No coach funding' }, t.bob));
    for (const reader of [t.alice, t.fac]) {
      expect(rowOf(await readBoard(t.id, reader), card.id).notes).toEqual([
        { indicator: 'supports', note: 'No coach funding', author: null },
      ]);
    }
  });
});

/**
 * One campaign (k = 3) for the plan and evidence tests. By hand, formative assessment:
 *   Maple ×6: I 5; P 1 four times (D 4), P 2 twice (D 3).   Ridge ×3 and Cedar ×2: I 5, P 5 → D 0.
 *   District n 11, Ī 5, D̄ = (16 + 6 + 0)/11 = 2, MWDS = 5 × 2 = 10.
 * Classroom management (Maple and Ridge only): I 4, P 4 → D 0, n 9, MWDS 0.
 * Student engagement: Cedar's 2 only → fewer than k: suppressed. Family engagement: nobody.
 * Schools for formative assessment: Cedar (2) is under k and hidden; one hidden cell alone
 * could be recovered from the total, so the next smallest (Ridge, 3) is hidden too. Maple
 * (n 6 = 2k, so it is tested) shows: Ī 5, D̄ 22/6 = 11/3, MWDS 55/3 ≈ 18.33; s_D² of
 * (4,4,4,4,3,3) = (4 × 1/9 + 2 × 4/9)/5 = 4/15, I constant, so SE² = 25 × (4/15)/6 = 10/9.
 * The rest of the district (Ridge and Cedar, n 5) has every D = 0: MWDS 0, SE 0. The
 * difference 55/3 has SE √(10/9) ≈ 1.054 on (10/9)²/((10/9)²/5) = 5 df: t ≈ 17.4, a one-sided
 * p of about 6e-6, far under Benjamini–Hochberg's bar for the few cells the table tests.
 */
let campaignId: string;

beforeAll(async () => {
  await seedRoster();
  await upsertSchools(db(), [{ id: 'cedar-high', name: 'Cedar High School' }]);
  campaignId = await createCampaign({ title: 'Fall needs survey', minGroupSize: 3 });
  const people = [
    ...Array.from({ length: 6 }, (_, i) => ({
      school: 'maple-elementary',
      ratings: {
        'formative-assessment': { importance: 5, proficiency: i < 4 ? 1 : 2 },
        'classroom-management': { importance: 4, proficiency: 4 },
      },
    })),
    ...Array.from({ length: 3 }, () => ({
      school: 'ridge-middle',
      ratings: {
        'formative-assessment': { importance: 5, proficiency: 5 },
        'classroom-management': { importance: 4, proficiency: 4 },
      },
    })),
    ...Array.from({ length: 2 }, () => ({
      school: 'cedar-high',
      ratings: {
        'formative-assessment': { importance: 5, proficiency: 5 },
        'student-engagement': { importance: 5, proficiency: 1 },
      },
    })),
  ];
  for (const person of people) {
    const res = await submit(campaignId, { answers: answers({ ...person, interests: [] }) });
    if (res.status !== 201) throw new Error(`response not stored: ${res.status} ${await res.text()}`);
  }
  // Answers join the figures in steps of k, published by a read of them (README, "Figures move
  // in steps of k"): the director's first look at the dashboard.
  expect((await api(`/api/campaigns/${campaignId}/focuses`, {}, 'director')).status).toBe(200);
});

const plan = (overrides: Record<string, unknown> = {}) => ({
  version: 0,
  progression: [
    { educators: 'Hears of exit tickets', staff: 'Shares examples', students: 'Answer one question' },
    { educators: 'Tries exit tickets weekly', staff: '', students: 'Say what they learned' },
    { educators: 'Uses them daily', staff: 'Coach observes', students: 'Set a goal' },
    { educators: 'Adjusts teaching from them', staff: '', students: 'Track their goals' },
    { educators: 'Coaches colleagues', staff: 'Leads the PLC', students: 'Give peers feedback' },
  ],
  strategies: ['coaching', 'peer-observation'],
  timeline: [
    { when: 'October', what: 'First coaching cycle' },
    { when: 'January', what: 'Peer observation round' },
  ],
  successMeasures: ['Exit tickets used in 80% of observed lessons'],
  feedback: ['relevance', 'preparedness'],
  ...overrides,
});

async function planTeam() {
  return boardTeam({ template: 'plan', campaignId });
}

describe('plans', () => {
  it('creates a plan for a prioritized focus with version 0, then only with the current version', async () => {
    const t = await planTeam();
    const path = `${board(t.id)}/plans/formative-assessment`;
    const created = await ok(await putJson(path, plan(), t.alice));
    expect(created.plans).toHaveLength(1);
    const stored = created.plans[0] as PlanView;
    expect(stored).toMatchObject({
      competencyId: 'formative-assessment',
      name: 'Formative assessment',
      progression: plan().progression,
      strategies: ['coaching', 'peer-observation'],
      timeline: plan().timeline,
      successMeasures: ['Exit tickets used in 80% of observed lessons'],
      feedback: ['relevance', 'preparedness'],
      pilotGroup: null,
      updatedBy: 'Alice Member',
    });
    expect(stored.version).toBeGreaterThanOrEqual(1);
    expect(stored.updatedAt).toEqual(expect.any(String));

    // Bob, still holding "no plan yet", is refused and shown the plan as stored.
    const again = await putJson(path, plan({ strategies: ['workshop'] }), t.bob);
    expect(again.status).toBe(409);
    const conflict = await conflictOf<PlanView>(again);
    expect(conflict.code).toBe('VERSION_CONFLICT');
    expect(conflict.current).toEqual(stored);

    const updated = await ok(await putJson(path, plan({ version: stored.version, strategies: ['workshop'] }), t.bob));
    expect(updated.plans[0]).toMatchObject({
      strategies: ['workshop'],
      version: stored.version + 1,
      updatedBy: 'Bob Member',
    });

    const stale = await putJson(path, plan({ version: stored.version, strategies: ['mentoring'] }), t.alice);
    expect(stale.status).toBe(409);
    const staleError = await conflictOf<PlanView>(stale);
    expect(staleError.current).toMatchObject({ strategies: ['workshop'], version: stored.version + 1 });
    expect((await readBoard(t.id, t.viewer)).plans.map((p) => [p.competencyId, p.strategies])).toEqual([
      ['formative-assessment', ['workshop']],
    ]);
  });

  it('accepts every shown focus, even the one ranked last', async () => {
    const t = await planTeam();
    const state = await ok(await putJson(`${board(t.id)}/plans/classroom-management`, plan(), t.bob));
    expect(state.plans.map((p) => p.competencyId)).toEqual(['classroom-management']);
  });

  it.each([
    ['student-engagement', 'rated by fewer than k'],
    ['family-engagement', 'rated by nobody'],
    ['not-a-competency', 'not in the framework'],
  ])('refuses a plan for %s (%s)', async (focus) => {
    const t = await planTeam();
    const res = await putJson(`${board(t.id)}/plans/${focus}`, plan(), t.alice);
    expect(res.status).toBe(422);
    if (focus !== 'not-a-competency') expect((await errorOf(res)).code).toBe('FOCUS_NOT_PRIORITIZED');
    expect((await readBoard(t.id, t.alice)).plans).toEqual([]);
  });

  it.each([
    [{ progression: plan().progression.slice(0, 4) }, 'progression'],
    [{ strategies: ['homework-club'] }, 'strategies'],
    [{ feedback: ['vibes'] }, 'feedback'],
    [{ timeline: Array.from({ length: 21 }, () => ({ when: 'May', what: 'More' })) }, 'timeline'],
    [{ successMeasures: ['m'.repeat(501)] }, 'successMeasures'],
    [{ version: -1 }, 'version'],
  ])('refuses %j with 422 naming %s, storing nothing', async (override, field) => {
    const t = await planTeam();
    const res = await putJson(`${board(t.id)}/plans/formative-assessment`, plan(override), t.alice);
    expect(res.status).toBe(422);
    expect(Object.keys((await errorOf(res)).fields ?? {}).some((key) => key.startsWith(field))).toBe(true);
    expect((await readBoard(t.id, t.alice)).plans).toEqual([]);
  });

  it('of two first drafts racing for one focus, exactly one is stored', async () => {
    const t = await planTeam();
    const path = `${board(t.id)}/plans/formative-assessment`;
    const [a, b] = await Promise.all([
      putJson(path, plan({ strategies: ['coaching'] }), t.alice),
      putJson(path, plan({ strategies: ['mentoring'] }), t.bob),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const plans = (await readBoard(t.id, t.fac)).plans;
    expect(plans).toHaveLength(1);
    expect(plans[0]?.strategies).toEqual(a.status === 200 ? ['coaching'] : ['mentoring']);
  });

  it('a viewer may not write a plan; a protocol board has none', async () => {
    const t = await planTeam();
    const viewer = await putJson(`${board(t.id)}/plans/formative-assessment`, plan(), t.viewer);
    expect(viewer.status).toBe(403);
    expect((await errorOf(viewer)).code).toBe('READ_ONLY');
    const p = await boardTeam({ campaignId });
    const res = await putJson(`${board(p.id)}/plans/formative-assessment`, plan(), p.alice);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('WRONG_TEMPLATE');
  });
});

describe('an anonymous plan board', () => {
  it('names nobody who saved a plan, wrote, commented, grouped or voted, to any reader, in JSON or export', async () => {
    const t = await boardTeam({ template: 'plan', campaignId, anonymous: true });
    const admin = await signedInNamed(['admin'], 'Ada Admin');
    const path = `${board(t.id)}/plans/formative-assessment`;
    const first = (await ok(await putJson(path, plan(), t.alice))).plans[0] as PlanView;
    await ok(await putJson(path, plan({ version: first.version, strategies: ['workshop'] }), t.bob));
    await ok(await putJson(`${board(t.id)}/plans/classroom-management`, plan(), t.fac));
    // Alice, still on her first version, is refused and shown the plan as it is now.
    const stale = await putJson(path, plan({ version: first.version }), t.alice);
    expect(stale.status).toBe(409);
    const conflict = await stale.text();

    const { card } = await addCard(t.id, t.alice, 'Who books the substitute teachers?', 'notes');
    await ok(await patchJson(`${board(t.id)}/cards/${card.id}`, { version: card.version, status: 'visible' }, t.fac));
    await ok(await postJson(`${board(t.id)}/cards/${card.id}/comments`, { text: 'The office can' }, {}, t.bob), 201);
    await ok(await postJson(`${board(t.id)}/clusters`, { name: 'Logistics', cardIds: [card.id] }, {}, t.bob), 201);
    await ok(await postJson(`${board(t.id)}/cards/${card.id}/votes`, {}, {}, t.bob));
    const { settingsVersion } = await readBoard(t.id, t.fac);
    await ok(await patchJson(board(t.id), { settingsVersion, votesRevealed: true }, t.fac));

    const everyone = [t.fac, t.alice, t.bob, t.viewer, admin];
    const identities = everyone.flatMap((person) => [person.name, person.email, person.accountId]);
    const expectNobody = (text: string, where: string) => {
      for (const identity of identities) expect(text, `${where} names ${identity}`).not.toContain(identity);
    };
    expectNobody(conflict, 'the version conflict');

    const readers: Array<[string, Caller]> = [
      ['the facilitator', t.fac],
      ['an admin', admin],
      ['a member', t.alice],
      ['a viewer', t.viewer],
    ];
    for (const [who, reader] of readers) {
      const state = await readBoard(t.id, reader);
      expect(state.plans.map((p) => p.updatedBy)).toEqual([null, null]);
      expect(state.cards[0]?.votes).toBe(1);
      // Who belongs to the board (the facilitators manage it) is not who wrote what: the members
      // list and the reader's own `you` are the only places an account appears.
      const { members, you, ...rest } = state;
      expect(you.role).toEqual(expect.any(String));
      for (const member of members) {
        expect(Object.keys(member).sort()).toEqual(['accountId', 'email', 'joinedAt', 'name', 'role']);
      }
      expectNobody(JSON.stringify(rest), `GET /api/boards/:id as ${who}`);
      for (const part of ['board', 'plan']) {
        for (const format of ['markdown', 'csv']) {
          const res = await api(`${board(t.id)}/export?format=${format}&part=${part}`, {}, reader);
          expect(res.status).toBe(200);
          const text = await res.text();
          if (part === 'plan') expect(text).toContain('Exit tickets used in 80%');
          else expect(text).toContain('Who books the substitute teachers?');
          expectNobody(text, `the ${part} ${format} export as ${who}`);
          expect(text).not.toMatch(/saved[^\n]* by /i);
        }
      }
    }
  });

  it('still names who saved a plan on a board that is not anonymous', async () => {
    const t = await planTeam();
    const state = await ok(await putJson(`${board(t.id)}/plans/formative-assessment`, plan(), t.alice));
    expect(state.plans[0]?.updatedBy).toBe('Alice Member');
    const markdown = await (await api(`${board(t.id)}/export?format=markdown&part=plan`, {}, t.bob)).text();
    expect(markdown).toMatch(/Last saved [^\n]* by Alice Member/);
  });
});

interface Evidence {
  campaignId: string;
  campaignTitle: string;
  minGroupSize: number;
  respondents: number;
  focuses: Array<Record<string, unknown> & { competencyId: string }>;
  hotspots: Array<{ competencyId: string; name: string; school: string; mwds: number }>;
}

describe('evidence', () => {
  it('shows focuses rated by at least k with figures, the rest by name only, as the dashboard does', async () => {
    const t = await planTeam();
    const res = await api(`${board(t.id)}/evidence`, {}, t.alice);
    expect(res.status).toBe(200);
    const evidence = (await res.json()) as Evidence;
    expect(evidence).toMatchObject({
      campaignId,
      campaignTitle: 'Fall needs survey',
      minGroupSize: 3,
      respondents: 11,
    });
    const [first, second, ...rest] = evidence.focuses;
    expect(first).toMatchObject({ competencyId: 'formative-assessment', name: 'Formative assessment', rank: 1 });
    expect(first?.mwds).toBeCloseTo(10, 10);
    expect(second).toMatchObject({ competencyId: 'classroom-management', rank: 2 });
    expect(second?.mwds).toBeCloseTo(0, 10);
    expect(rest).toHaveLength(14);
    for (const item of rest) {
      expect(Object.keys(item).sort()).toEqual(['competencyId', 'name', 'suppressed']);
      expect(item.suppressed).toBe(true);
    }
    expect(rest.map((item) => item.competencyId)).toContain('student-engagement');

    // The same figures the director's dashboard gives.
    const dashboard = (await (
      await api(`/api/campaigns/${campaignId}/focuses`, {}, await signedIn(['director']))
    ).json()) as {
      items: Array<Record<string, unknown>>;
    };
    for (const [i, item] of [first, second].entries()) {
      expect(item?.priority).toBe(dashboard.items[i]?.priority);
      expect(item?.mwds).toBe(dashboard.items[i]?.mwds);
    }
    // A viewer reads it too.
    expect((await api(`${board(t.id)}/evidence`, {}, t.viewer)).status).toBe(200);
  });

  it('lists school hotspots, never a group under k', async () => {
    const t = await planTeam();
    const evidence = (await (await api(`${board(t.id)}/evidence`, {}, t.alice)).json()) as Evidence;
    expect(evidence.hotspots).toHaveLength(1);
    const [hotspot] = evidence.hotspots;
    expect(hotspot).toMatchObject({ competencyId: 'formative-assessment', name: 'Formative assessment' });
    expect(['maple-elementary', 'Maple Elementary']).toContain(hotspot?.school);
    expect(hotspot?.mwds).toBeCloseTo(55 / 3, 10);
    expect(JSON.stringify(evidence)).not.toMatch(/cedar/i);
  });
});

describe('exports', () => {
  const exportOf = (id: string, query: string, as: Caller) => api(`${board(id)}/export?${query}`, {}, as);

  it('a Markdown download of the board has its title, columns and cards', async () => {
    const t = await boardTeam({ title: 'Grade 5 design team' });
    await addCard(t.id, t.alice, 'Exit tickets every day');
    await addCard(t.id, t.bob, 'Release time for peer visits', 'ideas');
    const res = await exportOf(t.id, 'format=markdown&part=board', t.viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/markdown/);
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment/);
    const text = await res.text();
    for (const expected of [
      'Grade 5 design team',
      'What is working',
      'Ideas',
      'Exit tickets every day',
      'Release time for peer visits',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('names nobody on an anonymous board', async () => {
    const fac = await signedInNamed(['facilitator'], 'Fran Facilitator');
    const state = await createBoard(fac, { anonymous: true, title: 'Anonymous retro' });
    const zed = await boardMember(state.id, 'member', fac, 'Zed Quietly');
    const { card } = await addCard(state.id, zed, 'The schedule leaves no time');
    await ok(await patchJson(`${board(state.id)}/cards/${card.id}`, { version: card.version, status: 'visible' }, fac));
    await ok(
      await postJson(`${board(state.id)}/cards/${card.id}/comments`, { text: 'And no time to talk' }, {}, zed),
      201,
    );
    for (const format of ['markdown', 'csv']) {
      const res = await exportOf(state.id, `format=${format}&part=board`, fac);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('The schedule leaves no time');
      expect(text).not.toContain('Zed Quietly');
      expect(text).not.toContain(zed.email);
    }
  });

  it('a CSV download has a header and one row per visible card, with formulas defused', async () => {
    const t = await boardTeam();
    await addCard(t.id, t.alice, 'Plain card');
    await addCard(t.id, t.alice, 'A card, with "quotes"\nand a second line', 'ideas');
    await addCard(t.id, t.bob, '=HYPERLINK("http://evil.example","click")');
    const { card: gone } = await addCard(t.id, t.bob, 'Deleted card');
    await ok(await del(`${board(t.id)}/cards/${gone.id}`, t.bob));
    const { card: hidden } = await addCard(t.id, t.bob, 'Hidden card');
    await ok(
      await patchJson(`${board(t.id)}/cards/${hidden.id}`, { version: hidden.version, status: 'hidden' }, t.fac),
    );

    const res = await exportOf(t.id, 'format=csv&part=board', t.fac);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment/);
    const rows = Papa.parse<string[]>((await res.text()).trim(), { skipEmptyLines: true }).data;
    const [header, ...cards] = rows;
    expect(header?.some((cell) => /text/i.test(cell))).toBe(true);
    expect(cards).toHaveLength(3);
    const cells = cards.flat();
    expect(cells).toContain('Plain card');
    expect(cells).toContain('A card, with "quotes"\nand a second line');
    expect(cells.some((cell) => cell.includes('HYPERLINK'))).toBe(true);
    for (const cell of rows.flat()) expect(cell.startsWith('=')).toBe(false);
    expect(cells.join(' ')).not.toMatch(/Deleted card|Hidden card/);
  });

  it('leaves out cards still waiting for the facilitator on an anonymous board', async () => {
    const t = await boardTeam({ anonymous: true });
    await addCard(t.id, t.alice, 'Waiting for review');
    await addCard(t.id, t.fac, 'Shown at once');
    const res = await exportOf(t.id, 'format=csv&part=board', t.fac);
    const text = await res.text();
    expect(text).toContain('Shown at once');
    expect(text).not.toContain('Waiting for review');
    const markdown = await (await exportOf(t.id, 'format=markdown&part=board', t.fac)).text();
    expect(markdown).not.toContain('Waiting for review');
  });

  it('a plan board exports its plans', async () => {
    const t = await planTeam();
    await ok(await putJson(`${board(t.id)}/plans/formative-assessment`, plan(), t.alice));
    const res = await exportOf(t.id, 'format=markdown&part=plan', t.bob);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const expected of [
      'Formative assessment',
      'Coaches colleagues',
      'First coaching cycle',
      'Exit tickets used in 80%',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('a member of another board may not export this one', async () => {
    const t = await boardTeam();
    await addCard(t.id, t.alice, 'Private to this team');
    const outsider = (await boardTeam()).alice;
    for (const query of ['format=markdown&part=board', 'format=csv&part=board']) {
      const res = await exportOf(t.id, query, outsider);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('NOT_A_MEMBER');
    }
  });
});
