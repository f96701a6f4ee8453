/**
 * What the board routes really send, read by the answer schemas the OpenAPI document states
 * (schemas/boards.ts): a successful call of every board route, on boards that hold every
 * kind of thing a board can show (pending, hidden and deleted cards, comments, clusters,
 * revealed dots, Hexagon ratings, plans with a pilot group). Parsing drops any key a schema
 * does not name, so a body must equal its own parse: a field the schema misses fails here
 * as surely as a field of the wrong type.
 */
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { upsertSchools } from '../src/db/roster';
import { BOARD_CSV_COLUMNS, exportFilename, PLAN_CSV_COLUMNS } from '../src/domain/board-export';
import type { BoardState } from '../src/domain/boards';
import { boardEvidence, boardListing, boardState, invitationSent, joined } from '../src/schemas/boards';
import {
  addCard,
  answers,
  api,
  boardTeam,
  type Caller,
  createCampaign,
  db,
  del,
  inviteToBoard,
  patchJson,
  postJson,
  putJson,
  seedRoster,
  signedIn,
  submit,
} from './helpers';

const board = (id: string) => `/api/boards/${id}`;

/** The answer has this status, and its body is exactly what the schema describes. */
async function conforms<T>(res: Response, status: number, schema: ZodType): Promise<T> {
  const body: unknown = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(schema.parse(body)).toEqual(body);
  return body as T;
}

const state = (res: Response, status = 200) => conforms<BoardState>(res, status, boardState);

/** The join link's token mailed to this address (the local outbox). */
async function mailedToken(email: string): Promise<string> {
  const row = await db()
    .prepare("SELECT body FROM dev_outbox WHERE recipient = ? AND body LIKE '%/join/#token=%' ORDER BY id DESC LIMIT 1")
    .bind(email)
    .first<{ body: string }>();
  return row?.body.match(/\/join\/#token=([A-Za-z0-9_-]{43})/)?.[1] ?? '';
}

/**
 * A campaign (k = 3) whose evidence has a ranked focus, suppressed ones and a hotspot, as
 * boards-hexagon-plan.test.ts works out by hand: Maple ×4 and Cedar ×2 rate formative
 * assessment I 5, P 1; Ridge ×3 rate it I 5, P 5; Cedar alone rates student engagement.
 */
let campaignId: string;

beforeAll(async () => {
  await seedRoster();
  await upsertSchools(db(), [{ id: 'cedar-high', name: 'Cedar High School' }]);
  campaignId = await createCampaign({ title: 'Contract survey', minGroupSize: 3 });
  const people = [
    // Maple (6 = 2k, so tested) is a hotspot against Ridge and Cedar (every gap 0): the
    // fixture of boards-hexagon-plan.test.ts, worked by hand there.
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
});

describe('the board routes answer what the contract states', () => {
  it('for the list of boards, to a creator, to a member without district roles and to an admin', async () => {
    const t = await boardTeam();
    const asFacilitator = await conforms<{ campaigns: unknown[] | null }>(
      await api('/api/boards', {}, t.fac),
      200,
      boardListing,
    );
    expect(asFacilitator.campaigns).not.toBeNull();
    const asMember = await conforms<{ campaigns: unknown[] | null }>(
      await api('/api/boards', {}, t.alice),
      200,
      boardListing,
    );
    expect(asMember.campaigns).toBeNull();
    await conforms(await api('/api/boards', {}, { cookie: (await signedIn(['admin'])).cookie }), 200, boardListing);
  });

  it('from opening a board to inviting, joining, polling, facilitating and managing members', async () => {
    const t = await boardTeam();
    const opened = await state(
      await postJson('/api/boards', { campaignId, title: 'Contract board', template: 'protocol' }, {}, t.fac),
      201,
    );

    const email = `newcomer-${crypto.randomUUID()}@district.example`;
    await conforms(await inviteToBoard(opened.id, email, 'member', t.fac, 'Nia Newcomer'), 201, invitationSent);
    // The invitation created the account, so its link signs the newcomer in.
    await conforms(await postJson('/api/boards/join', { token: await mailedToken(email) }, {}, 'nobody'), 200, joined);

    const read = await state(await api(board(t.id), {}, t.alice));
    const unchanged = await api(`${board(t.id)}?since=${read.version}`, {}, t.alice);
    expect(unchanged.status).toBe(204);
    expect(await unchanged.text()).toBe('');

    const timed = await state(
      await patchJson(
        board(t.id),
        { settingsVersion: read.settingsVersion, phase: 1, timerSeconds: 600, locked: true },
        t.fac,
      ),
    );
    expect(timed.timerEndsAt).not.toBeNull();
    await state(await patchJson(`${board(t.id)}/members/${t.bob.accountId}`, { role: 'viewer' }, t.fac));
    await state(await del(`${board(t.id)}/members/${t.viewer.accountId}`, t.fac));
  });

  it('for cards, comments, dots and clusters, on an anonymous board with moderation', async () => {
    const t = await boardTeam({ anonymous: true, votesPerCard: 2 });
    const shown = await addCard(t.id, t.fac, 'Shown at once');
    const waiting = await addCard(t.id, t.alice, 'Waiting for the facilitator');
    expect(waiting.card).toMatchObject({ status: 'pending', author: null });
    await state(await postJson(`${board(t.id)}/cards`, { column: 'ideas', text: 'A third card' }, {}, t.fac), 201);

    const moved = await state(
      await patchJson(
        `${board(t.id)}/cards/${waiting.card.id}`,
        {
          version: waiting.card.version,
          status: 'visible',
          column: 'ideas',
          position: 0,
          tags: ['formative-assessment'],
        },
        t.fac,
      ),
    );
    const hidden = moved.cards.find((card) => card.text === 'A third card');
    await state(
      await patchJson(`${board(t.id)}/cards/${hidden?.id}`, { version: hidden?.version, status: 'hidden' }, t.fac),
    );

    const commented = await state(
      await postJson(`${board(t.id)}/cards/${shown.card.id}/comments`, { text: 'Agreed' }, {}, t.alice),
      201,
    );
    const comment = commented.cards.find((card) => card.id === shown.card.id)?.comments[0];
    await state(await del(`${board(t.id)}/comments/${comment?.id}`, t.alice));
    await state(await postJson(`${board(t.id)}/comments/${comment?.id}/restore`, {}, {}, t.alice));
    await state(await del(`${board(t.id)}/comments/${comment?.id}`, t.alice));

    const votes = `${board(t.id)}/cards/${shown.card.id}/votes`;
    await state(await postJson(votes, {}, {}, t.alice));
    await state(await postJson(votes, {}, {}, t.alice));
    await state(await del(votes, t.alice));

    const grouped = await state(
      await postJson(
        `${board(t.id)}/clusters`,
        { name: 'Assessment', cardIds: [shown.card.id, waiting.card.id] },
        {},
        t.alice,
      ),
      201,
    );
    const cluster = grouped.clusters[0];
    const renamed = await state(
      await patchJson(`${board(t.id)}/clusters/${cluster?.id}`, { version: cluster?.version, name: 'Feedback' }, t.bob),
    );
    expect(renamed.clusters[0]?.name).toBe('Feedback');
    await state(await del(`${board(t.id)}/clusters/${cluster?.id}`, t.bob));
    await state(await postJson(`${board(t.id)}/clusters/${cluster?.id}/restore`, {}, {}, t.bob));
    await state(await del(`${board(t.id)}/clusters/${cluster?.id}`, t.bob));

    const second = await addCard(t.id, t.alice, 'Deleted, then restored');
    const deleted = await state(await del(`${board(t.id)}/cards/${second.card.id}`, t.alice));
    expect(deleted.cards.find((card) => card.id === second.card.id)?.position).toBe(-1);
    await state(await postJson(`${board(t.id)}/cards/${second.card.id}/restore`, {}, {}, t.alice));
    await state(await del(`${board(t.id)}/cards/${second.card.id}`, t.alice));

    const before = await state(await api(board(t.id), {}, t.fac));
    const revealed = await state(
      await patchJson(board(t.id), { settingsVersion: before.settingsVersion, votesRevealed: true }, t.fac),
    );
    expect(revealed.cards.find((card) => card.id === shown.card.id)?.votes).toBe(1);
    // Every reader's view: the author's own deleted card, a facilitator's hidden ones.
    await state(await api(board(t.id), {}, t.alice));
    await state(await api(board(t.id), {}, t.viewer));
  });

  it('for Hexagon Tool ratings', async () => {
    const t = await boardTeam({ template: 'hexagon' });
    const { card } = await addCard(t.id, t.fac, 'Instructional coaching program', 'programs');
    const rate = (body: Record<string, unknown>, as: Caller) => putJson(`${board(t.id)}/ratings`, body, as);
    await state(await rate({ cardId: card.id, indicator: 'need', score: 2, note: 'Only two schools asked' }, t.alice));
    await state(await rate({ cardId: card.id, indicator: 'need', score: 5 }, t.bob));
    const rated = await state(await rate({ cardId: card.id, indicator: 'fit', score: 4 }, t.bob));
    expect(rated.hexagon[0]?.notes).toHaveLength(1);
    await state(await rate({ cardId: card.id, indicator: 'fit', score: null }, t.bob));
  });

  it('for plans, evidence and exports', async () => {
    const t = await boardTeam({ template: 'plan', campaignId });
    // A confirmed pilot group for the focus, as the pilot routes store it.
    await db()
      .prepare(
        `INSERT INTO pilot_groups (campaign_id, competency_id, confirmed_at, confirmed_by)
         VALUES (?, 'formative-assessment', ?, 'director@district.example')
         ON CONFLICT DO NOTHING`,
      )
      .bind(campaignId, new Date().toISOString())
      .run();
    const plan = {
      version: 0,
      progression: Array.from({ length: 5 }, (_, i) => ({ educators: `Level ${i + 1}`, staff: '', students: '' })),
      strategies: ['coaching'],
      timeline: [{ when: 'October', what: 'First coaching cycle' }],
      successMeasures: ['Exit tickets used weekly'],
      feedback: ['relevance', 'preparedness'],
    };
    const path = `${board(t.id)}/plans/formative-assessment`;
    const started = await state(await putJson(path, plan, t.alice));
    expect(started.plans[0]?.pilotGroup).toEqual({ members: 0, schools: 0, coach: null });
    await state(await putJson(path, { ...plan, version: started.plans[0]?.version }, t.bob));

    const evidence = await conforms<{ focuses: Array<{ suppressed?: true }>; hotspots: unknown[] }>(
      await api(`${board(t.id)}/evidence`, {}, t.viewer),
      200,
      boardEvidence,
    );
    expect(evidence.focuses.some((focus) => focus.suppressed)).toBe(true);
    expect(evidence.focuses.some((focus) => !focus.suppressed)).toBe(true);
    expect(evidence.hotspots).toHaveLength(1);

    const title = t.state.title;
    for (const [part, columns] of [
      ['board', BOARD_CSV_COLUMNS],
      ['plan', PLAN_CSV_COLUMNS],
    ] as const) {
      const markdown = await api(`${board(t.id)}/export?part=${part}`, {}, t.bob);
      expect(markdown.status).toBe(200);
      expect(markdown.headers.get('Content-Type')).toBe('text/markdown; charset=utf-8');
      expect(markdown.headers.get('Content-Disposition')).toBe(
        `attachment; filename="${exportFilename(title, part, 'markdown')}"`,
      );
      expect(await markdown.text()).toMatch(/^# /);

      const sheet = await api(`${board(t.id)}/export?format=csv&part=${part}`, {}, t.bob);
      expect(sheet.status).toBe(200);
      expect(sheet.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
      expect(sheet.headers.get('Content-Disposition')).toBe(
        `attachment; filename="${exportFilename(title, part, 'csv')}"`,
      );
      const [header] = Papa.parse<string[]>(await sheet.text(), { skipEmptyLines: true }).data;
      expect(header).toEqual([...columns]);
    }
  });
});
