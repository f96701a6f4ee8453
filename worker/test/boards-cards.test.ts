/**
 * Co-design boards, part 2: cards, comments, dot votes, clusters, settings, the live poll and
 * bad input. Written from the API contract (issue 6), against the real worker and D1.
 */
import { describe, expect, it } from 'vitest';
import type { BoardState, CardView, ClusterView } from '../src/domain/boards';
import {
  addCard,
  api,
  boardMember,
  boardTeam,
  type Caller,
  conflictOf,
  createBoard,
  del,
  errorOf,
  patchJson,
  postJson,
  readBoard,
  signedInNamed,
} from './helpers';

const board = (id: string) => `/api/boards/${id}`;
const cardOf = (state: BoardState, id: string) => state.cards.find((c) => c.id === id);
/** The cards in board order (column, then position): the contract fixes positions, not the array's order. */
const ordered = (state: BoardState) =>
  [...state.cards].sort(
    (a, b) =>
      state.columns.findIndex((c) => c.id === a.column) - state.columns.findIndex((c) => c.id === b.column) ||
      a.position - b.position,
  );
const column = (state: BoardState, name: string) =>
  state.cards
    .filter((c) => c.column === name)
    .sort((a, b) => a.position - b.position)
    .map((c) => [c.text, c.position]);

async function ok(res: Response, status = 200): Promise<BoardState> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${await res.text()}`);
  return (await res.json()) as BoardState;
}

const editCard = (id: string, cardId: string, body: Record<string, unknown>, as: Caller) =>
  patchJson(`${board(id)}/cards/${cardId}`, body, as);

async function settings(id: string, body: Record<string, unknown>, as: Caller): Promise<BoardState> {
  const { settingsVersion } = await readBoard(id, as);
  return ok(await patchJson(board(id), { settingsVersion, ...body }, as));
}

describe('cards', () => {
  it('adds a card at the end of its column, with its author', async () => {
    const t = await boardTeam();
    await addCard(t.id, t.fac, 'Exit tickets every day');
    const { state, card } = await addCard(t.id, t.alice, 'Peer feedback on drafts');
    expect(card).toMatchObject({
      column: 'working',
      position: 1,
      text: 'Peer feedback on drafts',
      tags: [],
      clusterId: null,
      status: 'visible',
      author: 'Alice Member',
      mine: true,
      deletedAt: null,
      myVotes: 0,
      votes: null,
      comments: [],
    });
    expect(state.version).toBeGreaterThan(t.state.version);
    // Others see it too, not as theirs.
    expect(cardOf(await readBoard(t.id, t.bob), card.id)).toMatchObject({ author: 'Alice Member', mine: false });
  });

  it('takes 1000 characters after trimming, and competency tags', async () => {
    const t = await boardTeam();
    const text = 'a'.repeat(1000);
    const res = await postJson(`${board(t.id)}/cards`, { column: 'ideas', text: `  ${text}\n` }, {}, t.alice);
    const state = await ok(res, 201);
    expect(state.cards.map((c) => c.text.length)).toEqual([1000]);
    const tags = [
      'formative-assessment',
      'classroom-management',
      'student-engagement',
      'ai-literacy',
      'family-engagement',
    ];
    const tagged = await ok(
      await postJson(`${board(t.id)}/cards`, { column: 'ideas', text: 'Tagged', tags }, {}, t.alice),
      201,
    );
    expect(tagged.cards.find((c) => c.text === 'Tagged')?.tags).toEqual(tags);
  });

  it.each([
    [{ column: 'working', text: 'a'.repeat(1001) }, 'INVALID_INPUT', 'text'],
    [{ column: 'working', text: ' \n\t ' }, 'INVALID_INPUT', 'text'],
    [{ column: 'working', text: '' }, 'INVALID_INPUT', 'text'],
    [{ column: 'programs', text: 'Wrong column' }, 'UNKNOWN_COLUMN', null],
    [{ column: 'working', text: 'Tagged', tags: ['not-a-competency'] }, null, null],
    [
      {
        column: 'working',
        text: 'Six tags',
        tags: [
          'formative-assessment',
          'classroom-management',
          'student-engagement',
          'ai-literacy',
          'coaching',
          'family-engagement',
        ],
      },
      'INVALID_INPUT',
      'tags',
    ],
  ])('refuses %j with 422 (%s, %s) and stores nothing', async (body, code, field) => {
    const t = await boardTeam();
    const res = await postJson(`${board(t.id)}/cards`, body, {}, t.alice);
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    if (code) expect(error.code).toBe(code);
    if (field) expect(Object.keys(error.fields ?? {})).toContain(field);
    const after = await readBoard(t.id, t.fac);
    expect(after.cards).toEqual([]);
    expect(after.version).toBe((await readBoard(t.id, t.alice)).version);
  });

  it('an edit with the current version bumps it by one; a stale one is refused with the card as stored', async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'First draft');
    const edited = await ok(await editCard(t.id, card.id, { version: card.version, text: 'Second draft' }, t.alice));
    const after = cardOf(edited, card.id);
    expect(after).toMatchObject({ text: 'Second draft', version: card.version + 1 });

    // Bob still holds the first version.
    const stale = await editCard(t.id, card.id, { version: card.version, text: "Bob's rewrite" }, t.bob);
    expect(stale.status).toBe(409);
    const error = await conflictOf<CardView>(stale);
    expect(error.code).toBe('VERSION_CONFLICT');
    const stored = cardOf(await readBoard(t.id, t.bob), card.id);
    expect(stored?.text).toBe('Second draft');
    expect(error.current).toEqual(stored);

    // Re-sent on the current version, Bob's edit goes through.
    const retried = await ok(
      await editCard(t.id, card.id, { version: error.current?.version, text: "Bob's rewrite" }, t.bob),
    );
    expect(cardOf(retried, card.id)).toMatchObject({ text: "Bob's rewrite", version: card.version + 2 });
  });

  it('of two edits racing from one version, exactly one wins', async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Contested');
    const [a, b] = await Promise.all([
      editCard(t.id, card.id, { version: card.version, text: 'From Alice' }, t.alice),
      editCard(t.id, card.id, { version: card.version, text: 'From Bob' }, t.bob),
    ]);
    expect([a?.status, b?.status].sort()).toEqual([200, 409]);
    const winner = a?.status === 200 ? 'From Alice' : 'From Bob';
    expect(cardOf(await readBoard(t.id, t.fac), card.id)).toMatchObject({ text: winner, version: card.version + 1 });
  });

  it('moves a card to another column or place, renumbering both columns 0…n−1', async () => {
    const t = await boardTeam();
    const a = (await addCard(t.id, t.alice, 'A')).card;
    const b = (await addCard(t.id, t.alice, 'B')).card;
    await addCard(t.id, t.alice, 'C');
    await addCard(t.id, t.alice, 'D', 'ideas');
    await addCard(t.id, t.alice, 'E', 'ideas');

    const moved = await ok(await editCard(t.id, b.id, { version: b.version, column: 'ideas', position: 1 }, t.alice));
    expect(column(moved, 'working')).toEqual([
      ['A', 0],
      ['C', 1],
    ]);
    expect(column(moved, 'ideas')).toEqual([
      ['D', 0],
      ['B', 1],
      ['E', 2],
    ]);
    expect(cardOf(moved, b.id)?.version).toBe(b.version + 1);

    // Within one column, to the top; a position past the end is clamped to the end.
    const e = moved.cards.find((c) => c.text === 'E') as CardView;
    const top = await ok(await editCard(t.id, e.id, { version: e.version, position: 0 }, t.bob));
    expect(column(top, 'ideas')).toEqual([
      ['E', 0],
      ['D', 1],
      ['B', 2],
    ]);
    const last = await ok(await editCard(t.id, a.id, { version: a.version, column: 'ideas', position: 99 }, t.bob));
    expect(column(last, 'ideas')).toEqual([
      ['E', 0],
      ['D', 1],
      ['B', 2],
      ['A', 3],
    ]);
    expect(column(last, 'working')).toEqual([['C', 0]]);
    // Everyone sees the same order.
    expect(column(await readBoard(t.id, t.viewer), 'ideas')).toEqual(column(last, 'ideas'));
  });

  it('a deleted card stays for its author (to restore) and disappears for the others', async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Oops');
    await addCard(t.id, t.alice, 'Keeper');
    const deleted = await ok(await del(`${board(t.id)}/cards/${card.id}`, t.alice));
    expect(cardOf(deleted, card.id)?.deletedAt).toEqual(expect.any(String));
    expect(cardOf(await readBoard(t.id, t.bob), card.id)).toBeUndefined();
    expect(cardOf(await readBoard(t.id, t.viewer), card.id)).toBeUndefined();
    expect(cardOf(await readBoard(t.id, t.fac), card.id)?.deletedAt).toEqual(expect.any(String));

    const restored = await ok(await postJson(`${board(t.id)}/cards/${card.id}/restore`, {}, {}, t.alice));
    expect(cardOf(restored, card.id)).toMatchObject({ text: 'Oops', deletedAt: null });
    expect(cardOf(await readBoard(t.id, t.bob), card.id)?.text).toBe('Oops');
  });

  it("a facilitator deletes and restores a member's card; a member cannot restore it", async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Off topic');
    await ok(await del(`${board(t.id)}/cards/${card.id}`, t.fac));
    expect(cardOf(await readBoard(t.id, t.bob), card.id)).toBeUndefined();
    // The author sees their card deleted, and may restore it too; another member may not.
    expect(cardOf(await readBoard(t.id, t.alice), card.id)?.deletedAt).toEqual(expect.any(String));
    const bob = await postJson(`${board(t.id)}/cards/${card.id}/restore`, {}, {}, t.bob);
    expect(bob.status).toBe(403);
    expect((await errorOf(bob)).code).toBe('NOT_YOURS');
    const restored = await ok(await postJson(`${board(t.id)}/cards/${card.id}/restore`, {}, {}, t.fac));
    expect(cardOf(restored, card.id)?.deletedAt).toBeNull();
    expect(cardOf(await readBoard(t.id, t.bob), card.id)?.text).toBe('Off topic');
  });

  it('a facilitator hides a card: only its author and the facilitators still see it', async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Names a colleague');
    const hidden = await ok(await editCard(t.id, card.id, { version: card.version, status: 'hidden' }, t.fac));
    expect(cardOf(hidden, card.id)).toMatchObject({ status: 'hidden', version: card.version + 1 });
    expect(cardOf(await readBoard(t.id, t.bob), card.id)).toBeUndefined();
    expect(cardOf(await readBoard(t.id, t.viewer), card.id)).toBeUndefined();
    expect(cardOf(await readBoard(t.id, t.alice), card.id)?.status).toBe('hidden');
    const shown = await ok(await editCard(t.id, card.id, { version: card.version + 1, status: 'visible' }, t.fac));
    expect(cardOf(shown, card.id)?.status).toBe('visible');
    expect(cardOf(await readBoard(t.id, t.bob), card.id)?.status).toBe('visible');
  });

  it('on a locked board members change nothing, while the facilitator still can', async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Before the lock');
    const locked = await settings(t.id, { locked: true }, t.fac);
    expect(locked.locked).toBe(true);
    const attempts = [
      postJson(`${board(t.id)}/cards`, { column: 'working', text: 'After the lock' }, {}, t.alice),
      editCard(t.id, card.id, { version: card.version, text: 'Changed after the lock' }, t.alice),
      del(`${board(t.id)}/cards/${card.id}`, t.alice),
      postJson(`${board(t.id)}/cards/${card.id}/comments`, { text: 'Late' }, {}, t.bob),
      postJson(`${board(t.id)}/cards/${card.id}/votes`, {}, {}, t.bob),
      postJson(`${board(t.id)}/clusters`, { name: 'Late', cardIds: [card.id] }, {}, t.bob),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(409);
      expect((await errorOf(res)).code).toBe('BOARD_LOCKED');
    }
    const after = await readBoard(t.id, t.fac);
    expect(after.version).toBe(locked.version);
    expect(after.cards.map((c) => [c.text, c.deletedAt, c.comments.length, c.clusterId])).toEqual([
      ['Before the lock', null, 0, null],
    ]);
    expect(after.votesPlaced).toBe(0);

    const { card: facCard } = await addCard(t.id, t.fac, 'Facilitator summary');
    await ok(await editCard(t.id, card.id, { version: card.version, text: 'Tidied by the facilitator' }, t.fac));
    expect((await readBoard(t.id, t.bob)).cards.map((c) => c.text).sort()).toEqual([
      'Facilitator summary',
      'Tidied by the facilitator',
    ]);
    expect(facCard.status).toBe('visible');

    await settings(t.id, { locked: false }, t.fac);
    await addCard(t.id, t.alice, 'After the unlock');
  });
});

describe('an anonymous board', () => {
  it('names no author to anyone, holds members’ cards until the facilitator shows them', async () => {
    const t = await boardTeam({ anonymous: true });
    const { card } = await addCard(t.id, t.alice, 'We never have time to plan');
    expect(card).toMatchObject({ author: null, mine: true, status: 'pending' });
    // Another member does not see it yet; the facilitator does, without a name.
    expect(cardOf(await readBoard(t.id, t.bob), card.id)).toBeUndefined();
    expect(cardOf(await readBoard(t.id, t.viewer), card.id)).toBeUndefined();
    expect(cardOf(await readBoard(t.id, t.fac), card.id)).toMatchObject({
      author: null,
      mine: false,
      status: 'pending',
    });

    const shown = await ok(await editCard(t.id, card.id, { version: card.version, status: 'visible' }, t.fac));
    expect(cardOf(shown, card.id)).toMatchObject({ status: 'visible', author: null, mine: false });
    expect(cardOf(await readBoard(t.id, t.bob), card.id)).toMatchObject({ author: null, mine: false });
    expect(cardOf(await readBoard(t.id, t.alice), card.id)).toMatchObject({ author: null, mine: true });

    // A facilitator's own card shows at once, also without a name.
    const { card: facCard } = await addCard(t.id, t.fac, 'Agenda for today');
    expect(facCard).toMatchObject({ status: 'visible', author: null, mine: true });
    expect(cardOf(await readBoard(t.id, t.bob), facCard.id)).toMatchObject({ author: null, mine: false });

    // Comments are anonymous too.
    const commented = await ok(
      await postJson(`${board(t.id)}/cards/${card.id}/comments`, { text: 'Same here' }, {}, t.bob),
      201,
    );
    expect(cardOf(commented, card.id)?.comments).toEqual([
      expect.objectContaining({ text: 'Same here', author: null, mine: true }),
    ]);
    for (const reader of [t.alice, t.fac]) {
      expect(cardOf(await readBoard(t.id, reader), card.id)?.comments).toEqual([
        expect.objectContaining({ author: null, mine: false }),
      ]);
    }
    // A member moves a card among the cards they see: someone else's pending card, which
    // they cannot see, does not shift where it lands.
    await addCard(t.id, t.alice, 'Still pending');
    await addCard(t.id, t.fac, 'First');
    await addCard(t.id, t.fac, 'Last');
    const texts = (state: BoardState) => column(state, 'working').map(([text]) => text);
    const seen = await readBoard(t.id, t.bob);
    expect(texts(seen)).toEqual([card.text, 'Agenda for today', 'First', 'Last']);
    const plan = cardOf(seen, card.id);
    // Third of the other three Bob sees: between First and Last.
    const moved = await ok(await editCard(t.id, card.id, { version: plan?.version, position: 2 }, t.bob));
    expect(texts(moved)).toEqual(['Agenda for today', 'First', card.text, 'Last']);

    // No name leaks anywhere in what a member reads.
    const raw = await (await api(board(t.id), {}, t.bob)).text();
    expect(raw).not.toContain('"author":"');
  });
});

describe('comments', () => {
  it('adds, soft-deletes and restores a comment', async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Coaching cycles');
    const added = await ok(
      await postJson(`${board(t.id)}/cards/${card.id}/comments`, { text: 'Twice a term?' }, {}, t.bob),
      201,
    );
    const comment = cardOf(added, card.id)?.comments[0];
    expect(comment).toMatchObject({ text: 'Twice a term?', author: 'Bob Member', mine: true });
    expect(comment?.createdAt).toEqual(expect.any(String));
    expect(cardOf(await readBoard(t.id, t.alice), card.id)?.comments).toEqual([
      expect.objectContaining({ id: comment?.id, author: 'Bob Member', mine: false }),
    ]);

    await ok(await del(`${board(t.id)}/comments/${comment?.id}`, t.bob));
    expect(cardOf(await readBoard(t.id, t.alice), card.id)?.comments).toEqual([]);
    await ok(await postJson(`${board(t.id)}/comments/${comment?.id}/restore`, {}, {}, t.bob));
    expect(cardOf(await readBoard(t.id, t.alice), card.id)?.comments.map((c) => c.text)).toEqual(['Twice a term?']);

    // A facilitator may delete and restore anyone's comment.
    await ok(await del(`${board(t.id)}/comments/${comment?.id}`, t.fac));
    expect(cardOf(await readBoard(t.id, t.alice), card.id)?.comments).toEqual([]);
    await ok(await postJson(`${board(t.id)}/comments/${comment?.id}/restore`, {}, {}, t.fac));
    expect(cardOf(await readBoard(t.id, t.alice), card.id)?.comments).toHaveLength(1);
  });

  it('refuses a comment over 1000 characters or empty, and stores nothing', async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Coaching cycles');
    for (const text of ['c'.repeat(1001), '   ']) {
      const res = await postJson(`${board(t.id)}/cards/${card.id}/comments`, { text }, {}, t.bob);
      expect(res.status).toBe(422);
      expect(Object.keys((await errorOf(res)).fields ?? {})).toContain('text');
    }
    await ok(await postJson(`${board(t.id)}/cards/${card.id}/comments`, { text: 'c'.repeat(1000) }, {}, t.bob), 201);
    expect(cardOf(await readBoard(t.id, t.alice), card.id)?.comments.map((c) => c.text.length)).toEqual([1000]);
  });
});

describe('dot votes', () => {
  const vote = (id: string, cardId: string, as: Caller) => postJson(`${board(id)}/cards/${cardId}/votes`, {}, {}, as);
  const unvote = (id: string, cardId: string, as: Caller) => del(`${board(id)}/cards/${cardId}/votes`, as);
  // The contract gives 201 to creations; whether a dot is one it does not say, so either is accepted.
  const placed = async (res: Response) => {
    expect([200, 201]).toContain(res.status);
    return (await res.json()) as BoardState;
  };

  it('a budget of 2 allows two dots and refuses the third', async () => {
    const t = await boardTeam({ voteBudget: 2 });
    const { card } = await addCard(t.id, t.fac, 'Idea one');
    const { card: other } = await addCard(t.id, t.fac, 'Idea two');
    expect((await placed(await vote(t.id, card.id, t.alice))).you.votesLeft).toBe(1);
    const second = await placed(await vote(t.id, other.id, t.alice));
    expect(second.you.votesLeft).toBe(0);
    const third = await vote(t.id, card.id, t.alice);
    expect(third.status).toBe(422);
    expect((await errorOf(third)).code).toBe('VOTE_BUDGET_SPENT');
    const state = await readBoard(t.id, t.alice);
    expect(ordered(state).map((c) => [c.text, c.myVotes])).toEqual([
      ['Idea one', 1],
      ['Idea two', 1],
    ]);
    expect(state.votesPlaced).toBe(2);
    expect(state.you.votesLeft).toBe(0);
  });

  it('a per-card cap of 1 refuses a second dot on one card, not on another', async () => {
    const t = await boardTeam({ votesPerCard: 1 });
    const { card } = await addCard(t.id, t.fac, 'Capped');
    const { card: other } = await addCard(t.id, t.fac, 'Other');
    await placed(await vote(t.id, card.id, t.alice));
    const second = await vote(t.id, card.id, t.alice);
    expect(second.status).toBe(422);
    expect((await errorOf(second)).code).toBe('CARD_VOTE_LIMIT');
    await placed(await vote(t.id, other.id, t.alice));
    const state = await readBoard(t.id, t.alice);
    expect(ordered(state).map((c) => c.myVotes)).toEqual([1, 1]);
    expect(state.you.votesLeft).toBe(3);
  });

  it('hides everyone’s totals until the reveal, then shows them exactly', async () => {
    const t = await boardTeam();
    const carol = await boardMember(t.id, 'member', t.fac, 'Carol Member');
    const { card } = await addCard(t.id, t.fac, 'Weekly PLC time');
    const { card: other } = await addCard(t.id, t.fac, 'Instructional rounds');
    // Alice 2 dots, Bob 1, Carol none on the first card: 2 + 1 + 0 = 3. Carol 1 on the second.
    await placed(await vote(t.id, card.id, t.alice));
    await placed(await vote(t.id, card.id, t.alice));
    await placed(await vote(t.id, card.id, t.bob));
    await placed(await vote(t.id, other.id, carol));

    for (const reader of [t.alice, t.bob, carol, t.fac, t.viewer]) {
      const state = await readBoard(t.id, reader);
      expect(ordered(state).map((c) => c.votes)).toEqual([null, null]);
      expect(state.votesPlaced).toBe(4);
    }
    const alice = await readBoard(t.id, t.alice);
    expect(ordered(alice).map((c) => c.myVotes)).toEqual([2, 0]);
    expect(alice.you.votesLeft).toBe(3);
    expect((await readBoard(t.id, t.bob)).you.votesLeft).toBe(4);
    expect(ordered(await readBoard(t.id, carol)).map((c) => c.myVotes)).toEqual([0, 1]);

    const revealed = await settings(t.id, { votesRevealed: true }, t.fac);
    expect(revealed.votesRevealed).toBe(true);
    expect(ordered(revealed).map((c) => [c.text, c.votes])).toEqual([
      ['Weekly PLC time', 3],
      ['Instructional rounds', 1],
    ]);
    expect(ordered(await readBoard(t.id, t.viewer)).map((c) => c.votes)).toEqual([3, 1]);

    const late = await vote(t.id, card.id, carol);
    expect(late.status).toBe(409);
    expect((await errorOf(late)).code).toBe('VOTES_REVEALED');
    expect((await readBoard(t.id, t.fac)).votesPlaced).toBe(4);
  });

  it('takes a dot back, and says so when there is none to take', async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.fac, 'Idea');
    await placed(await vote(t.id, card.id, t.alice));
    const removed = await ok(await unvote(t.id, card.id, t.alice));
    expect(cardOf(removed, card.id)?.myVotes).toBe(0);
    expect(removed.you.votesLeft).toBe(5);
    expect(removed.votesPlaced).toBe(0);
    const none = await unvote(t.id, card.id, t.alice);
    expect(none.status).toBe(422);
    expect((await errorOf(none)).code).toBe('NO_VOTE');
    // Bob cannot take back Alice's dot.
    await placed(await vote(t.id, card.id, t.alice));
    const bob = await unvote(t.id, card.id, t.bob);
    expect(bob.status).toBe(422);
    expect((await errorOf(bob)).code).toBe('NO_VOTE');
    expect((await readBoard(t.id, t.alice)).cards[0]?.myVotes).toBe(1);
  });

  it('five dots sent at once on a budget of 3 store exactly 3', async () => {
    const t = await boardTeam({ voteBudget: 3 });
    const { card } = await addCard(t.id, t.fac, 'Popular');
    const { card: other } = await addCard(t.id, t.fac, 'Also popular');
    const results = await Promise.all([
      vote(t.id, card.id, t.alice),
      vote(t.id, other.id, t.alice),
      vote(t.id, card.id, t.alice),
      vote(t.id, other.id, t.alice),
      vote(t.id, card.id, t.alice),
    ]);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200 || s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 422)).toHaveLength(2);
    const state = await readBoard(t.id, t.alice);
    expect(state.cards.reduce((sum, c) => sum + c.myVotes, 0)).toBe(3);
    expect(state.votesPlaced).toBe(3);
    expect(state.you.votesLeft).toBe(0);
  });
});

describe('clusters', () => {
  it('groups cards, renames with a version, ungroups and restores', async () => {
    const t = await boardTeam();
    const a = (await addCard(t.id, t.alice, 'Time to plan')).card;
    const b = (await addCard(t.id, t.bob, 'Time to observe', 'not-working')).card;
    const c = (await addCard(t.id, t.bob, 'Unrelated')).card;
    const created = await ok(
      await postJson(`${board(t.id)}/clusters`, { name: 'Time', cardIds: [a.id, b.id] }, {}, t.alice),
      201,
    );
    expect(created.clusters).toHaveLength(1);
    const cluster = created.clusters[0] as ClusterView;
    expect(cluster.name).toBe('Time');
    expect(created.cards.map((card) => [card.text, card.clusterId])).toEqual(
      expect.arrayContaining([
        ['Time to plan', cluster.id],
        ['Time to observe', cluster.id],
        ['Unrelated', null],
      ]),
    );

    const renamed = await ok(
      await patchJson(
        `${board(t.id)}/clusters/${cluster.id}`,
        { version: cluster.version, name: 'Time together' },
        t.bob,
      ),
    );
    expect(renamed.clusters).toEqual([
      { id: cluster.id, name: 'Time together', version: cluster.version + 1, deletedAt: null },
    ]);
    const stale = await patchJson(
      `${board(t.id)}/clusters/${cluster.id}`,
      { version: cluster.version, name: 'Time apart' },
      t.alice,
    );
    expect(stale.status).toBe(409);
    const error = await conflictOf<ClusterView>(stale);
    expect(error.code).toBe('VERSION_CONFLICT');
    expect(error.current).toEqual({
      id: cluster.id,
      name: 'Time together',
      version: cluster.version + 1,
      deletedAt: null,
    });

    const ungrouped = await ok(await del(`${board(t.id)}/clusters/${cluster.id}`, t.bob));
    // The cluster stays listed, marked deleted, so that any member may restore it.
    expect(ungrouped.clusters.map((cl) => [cl.id, cl.deletedAt === null])).toEqual([[cluster.id, false]]);
    expect(ungrouped.cards.map((card) => card.clusterId)).toEqual([null, null, null]);
    const restored = await ok(await postJson(`${board(t.id)}/clusters/${cluster.id}/restore`, {}, {}, t.alice));
    expect(restored.clusters.map((cl) => [cl.name, cl.deletedAt])).toEqual([['Time together', null]]);
    expect(cardOf(restored, a.id)?.clusterId).toBe(cluster.id);
    expect(cardOf(restored, b.id)?.clusterId).toBe(cluster.id);
    expect(cardOf(restored, c.id)?.clusterId).toBeNull();
  });

  it('a card leaves a cluster through an edit with clusterId null', async () => {
    const t = await boardTeam();
    const a = (await addCard(t.id, t.alice, 'One')).card;
    const created = await ok(
      await postJson(`${board(t.id)}/clusters`, { name: 'Group', cardIds: [a.id] }, {}, t.alice),
      201,
    );
    const card = cardOf(created, a.id) as CardView;
    const out = await ok(await editCard(t.id, a.id, { version: card.version, clusterId: null }, t.bob));
    expect(cardOf(out, a.id)).toMatchObject({ clusterId: null, version: card.version + 1 });
  });

  it.each([
    [{ name: 'Empty', cardIds: [] }, 'cardIds'],
    [{ name: '', cardIds: ['x'] }, 'name'],
    [{ name: 'n'.repeat(121), cardIds: ['x'] }, 'name'],
  ])('refuses %j with 422 naming %s', async (body, field) => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Lonely');
    const cardIds = (body.cardIds as string[]).map(() => card.id);
    const res = await postJson(`${board(t.id)}/clusters`, { ...body, cardIds }, {}, t.alice);
    expect(res.status).toBe(422);
    expect(Object.keys((await errorOf(res)).fields ?? {})).toContain(field);
    expect((await readBoard(t.id, t.alice)).clusters).toEqual([]);
  });
});

describe('settings', () => {
  it('change with the settings version; a stale one is refused with the settings as they are', async () => {
    const t = await boardTeam();
    const before = await readBoard(t.id, t.fac);
    const changed = await ok(
      await patchJson(board(t.id), { settingsVersion: before.settingsVersion, title: 'Renamed', phase: 4 }, t.fac),
    );
    expect(changed).toMatchObject({ title: 'Renamed', phase: 4, settingsVersion: before.settingsVersion + 1 });
    expect(changed.version).toBeGreaterThan(before.version);

    const stale = await patchJson(board(t.id), { settingsVersion: before.settingsVersion, locked: true }, t.fac);
    expect(stale.status).toBe(409);
    const error = await conflictOf<Record<string, unknown>>(stale);
    expect(error.code).toBe('VERSION_CONFLICT');
    expect(error.current).toMatchObject({
      title: 'Renamed',
      phase: 4,
      locked: false,
      anonymous: false,
      voteBudget: 5,
      votesPerCard: null,
      votesRevealed: false,
      timerEndsAt: null,
      settingsVersion: before.settingsVersion + 1,
    });
    expect((await readBoard(t.id, t.alice)).locked).toBe(false);
  });

  it('a card changes the board version but not the settings version', async () => {
    const t = await boardTeam();
    const before = await readBoard(t.id, t.fac);
    const { state } = await addCard(t.id, t.alice, 'Any card');
    expect(state.version).toBeGreaterThan(before.version);
    expect(state.settingsVersion).toBe(before.settingsVersion);
  });

  it.each([
    [{ phase: 5 }, 'phase'],
    [{ phase: -1 }, 'phase'],
    [{ timerSeconds: 0 }, 'timerSeconds'],
    [{ timerSeconds: 10_801 }, 'timerSeconds'],
    [{ voteBudget: 51 }, 'voteBudget'],
    [{ title: '' }, 'title'],
  ])('refuses %j with 422 naming %s, changing nothing', async (body, field) => {
    const t = await boardTeam();
    const before = await readBoard(t.id, t.fac);
    const res = await patchJson(board(t.id), { settingsVersion: before.settingsVersion, ...body }, t.fac);
    expect(res.status).toBe(422);
    expect(Object.keys((await errorOf(res)).fields ?? {})).toContain(field);
    const after = await readBoard(t.id, t.fac);
    expect(after.settingsVersion).toBe(before.settingsVersion);
    expect(after.phase).toBe(0);
  });

  it('the phase runs to the last of the template’s phases (a hexagon board has 4)', async () => {
    const fac = await signedInNamed(['facilitator'], 'Fran Facilitator');
    const state = await createBoard(fac, { template: 'hexagon' });
    expect((await settings(state.id, { phase: 3 }, fac)).phase).toBe(3);
    const { settingsVersion } = await readBoard(state.id, fac);
    const res = await patchJson(board(state.id), { settingsVersion, phase: 4 }, fac);
    expect(res.status).toBe(422);
  });

  it('cannot make a board anonymous after creation', async () => {
    const t = await boardTeam();
    const res = await patchJson(board(t.id), { settingsVersion: t.state.settingsVersion, anonymous: true }, t.fac);
    // The contract fixes `anonymous` at creation without saying how a try is answered: refused or ignored.
    expect([200, 422]).toContain(res.status);
    expect((await readBoard(t.id, t.fac)).anonymous).toBe(false);
  });

  it('starts a shared timer that ends timerSeconds from now, and stops it', async () => {
    const t = await boardTeam();
    const started = await settings(t.id, { timerSeconds: 600 }, t.fac);
    const endsAt = Date.parse(started.timerEndsAt ?? '');
    expect(Math.abs(endsAt - (Date.now() + 600_000))).toBeLessThan(5000);
    expect(Math.abs(endsAt - Date.parse(started.serverTime) - 600_000)).toBeLessThan(5000);
    expect((await readBoard(t.id, t.bob)).timerEndsAt).toBe(started.timerEndsAt);
    const stopped = await settings(t.id, { timerSeconds: null }, t.fac);
    expect(stopped.timerEndsAt).toBeNull();
  });

  it('changes the vote budget and per-card cap; my dots left follow', async () => {
    const t = await boardTeam();
    const changed = await settings(t.id, { voteBudget: 8, votesPerCard: 2 }, t.fac);
    expect(changed).toMatchObject({ voteBudget: 8, votesPerCard: 2, you: { votesLeft: 8 } });
    const cleared = await settings(t.id, { votesPerCard: null }, t.fac);
    expect(cleared.votesPerCard).toBeNull();
  });
});

describe('the live poll', () => {
  it('answers 204 while nothing changed, and the new state after another member’s write', async () => {
    const t = await boardTeam();
    const { version } = await readBoard(t.id, t.bob);
    const quiet = await api(`${board(t.id)}?since=${version}`, {}, t.bob);
    expect(quiet.status).toBe(204);
    expect(await quiet.text()).toBe('');

    await addCard(t.id, t.alice, 'Something new');
    const changed = await api(`${board(t.id)}?since=${version}`, {}, t.bob);
    expect(changed.status).toBe(200);
    const state = (await changed.json()) as BoardState;
    expect(state.version).toBeGreaterThan(version);
    expect(state.cards.map((c) => c.text)).toEqual(['Something new']);

    // Every kind of write moves the version: a comment, a dot, a setting.
    let last = state.version;
    const card = state.cards[0] as CardView;
    const writes: Array<() => Promise<Response>> = [
      () => postJson(`${board(t.id)}/cards/${card.id}/comments`, { text: 'Yes' }, {}, t.alice),
      () => postJson(`${board(t.id)}/cards/${card.id}/votes`, {}, {}, t.alice),
      () => patchJson(board(t.id), { settingsVersion: state.settingsVersion, phase: 1 }, t.fac),
    ];
    for (const write of writes) {
      expect((await write()).status).toBeLessThan(300);
      const res = await api(`${board(t.id)}?since=${last}`, {}, t.bob);
      expect(res.status).toBe(200);
      const next = ((await res.json()) as BoardState).version;
      expect(next).toBeGreaterThan(last);
      last = next;
    }
  });
});

describe('more races and strays', () => {
  it('of two settings changes racing from one settings version, exactly one wins', async () => {
    const t = await boardTeam();
    const { settingsVersion } = await readBoard(t.id, t.fac);
    const admin = await signedInNamed(['admin'], 'Ada Admin');
    const [a, b] = await Promise.all([
      patchJson(board(t.id), { settingsVersion, title: 'From Fran' }, t.fac),
      patchJson(board(t.id), { settingsVersion, title: 'From Ada' }, admin),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = await readBoard(t.id, t.bob);
    expect(after.title).toBe(a.status === 200 ? 'From Fran' : 'From Ada');
    expect(after.settingsVersion).toBe(settingsVersion + 1);
  });

  it('a move to a column the template lacks is refused', async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Stays put');
    const res = await editCard(t.id, card.id, { version: card.version, column: 'programs', position: 0 }, t.alice);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).code).toBe('UNKNOWN_COLUMN');
    expect(cardOf(await readBoard(t.id, t.alice), card.id)).toMatchObject({ column: 'working', version: card.version });
  });

  it('a cluster cannot take a card of another board', async () => {
    const t = await boardTeam();
    const other = await boardTeam();
    const { card: mine } = await addCard(t.id, t.alice, 'Ours');
    const { card: theirs } = await addCard(other.id, other.alice, 'Theirs');
    const res = await postJson(
      `${board(t.id)}/clusters`,
      { name: 'Mixed', cardIds: [mine.id, theirs.id] },
      {},
      t.alice,
    );
    expect([404, 422]).toContain(res.status);
    expect((await readBoard(t.id, t.alice)).clusters).toEqual([]);
    expect(cardOf(await readBoard(other.id, other.alice), theirs.id)?.clusterId).toBeNull();
  });
});

describe('bad input', () => {
  it('malformed JSON is a 400, a wrong content type a 400, an oversized body a 413; nothing is stored', async () => {
    const t = await boardTeam();
    const before = await readBoard(t.id, t.fac);
    const send = (body: string, contentType: string) =>
      api(`${board(t.id)}/cards`, { method: 'POST', headers: { 'Content-Type': contentType }, body }, t.alice);

    const malformed = await send('{"column": "working", "text": ', 'application/json');
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).code).toBe('MALFORMED_JSON');

    const wrongType = await send(JSON.stringify({ column: 'working', text: 'As text' }), 'text/plain');
    expect(wrongType.status).toBe(400);

    const huge = await send(
      JSON.stringify({ column: 'working', text: 'x'.repeat(2 * 1024 * 1024) }),
      'application/json',
    );
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).code).toBe('PAYLOAD_TOO_LARGE');

    const settingsMalformed = await api(
      board(t.id),
      { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{oops' },
      t.fac,
    );
    expect(settingsMalformed.status).toBe(400);

    const after = await readBoard(t.id, t.fac);
    expect(after.cards).toEqual([]);
    expect(after.version).toBe(before.version);
  });

  it('an unknown card, comment or cluster is a 404', async () => {
    const t = await boardTeam();
    const results = await Promise.all([
      patchJson(`${board(t.id)}/cards/nope`, { version: 1, text: 'x' }, t.alice),
      del(`${board(t.id)}/cards/nope`, t.alice),
      postJson(`${board(t.id)}/cards/nope/votes`, {}, {}, t.alice),
      postJson(`${board(t.id)}/cards/nope/comments`, { text: 'x' }, {}, t.alice),
      del(`${board(t.id)}/comments/nope`, t.alice),
      patchJson(`${board(t.id)}/clusters/nope`, { version: 1, name: 'x' }, t.alice),
    ]);
    expect(results.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
  });

  it('a card of another board cannot be reached through this one', async () => {
    const t = await boardTeam();
    const other = await boardTeam();
    const { card } = await addCard(other.id, other.alice, 'Elsewhere');
    // Alice and Fran of board t name a card of the other board in a path under their own board.
    const res = await patchJson(
      `${board(t.id)}/cards/${card.id}`,
      { version: card.version, text: 'Hijacked' },
      t.alice,
    );
    expect(res.status).toBe(404);
    const del1 = await del(`${board(t.id)}/cards/${card.id}`, t.fac);
    expect(del1.status).toBe(404);
    expect(cardOf(await readBoard(other.id, other.bob), card.id)).toMatchObject({ text: 'Elsewhere', deletedAt: null });
  });
});
