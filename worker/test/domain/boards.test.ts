import { describe, expect, it } from 'vitest';
import { boardMarkdown, boardTable, planTable } from '../../src/domain/board-export';
import { type BoardHead, type BoardRows, boardView, type CardRow } from '../../src/domain/board-view';
import { summarizeIndicator, summarizeProgram } from '../../src/domain/boards';

describe('summarizeIndicator', () => {
  it.each([
    // 1, 3, 5: mean 9/3 = 3; squared deviations 4 + 0 + 4 = 8; 8/(3−1) = 4; sd 2. Range 4 ≥ 3.
    [[1, 3, 5], { n: 3, mean: 3, sd: 2, min: 1, max: 5, wideDisagreement: true }],
    // 4, 4, 5: mean 13/3 = 4.333…; deviations −1/3, −1/3, 2/3 → 1/9 + 1/9 + 4/9 = 6/9;
    // (6/9)/2 = 1/3; sd √(1/3) = 0.577… → 0.58. Range 1.
    [[4, 4, 5], { n: 3, mean: 4.33, sd: 0.58, min: 4, max: 5, wideDisagreement: false }],
    // 2 and 5 are exactly 3 apart: flagged. Mean 3.5; sd √((2.25 + 2.25)/1) = 2.121… → 2.12.
    [[2, 5], { n: 2, mean: 3.5, sd: 2.12, min: 2, max: 5, wideDisagreement: true }],
    // One rating has no spread.
    [[4], { n: 1, mean: 4, sd: null, min: 4, max: 4, wideDisagreement: false }],
    [[], { n: 0, mean: null, sd: null, min: null, max: null, wideDisagreement: false }],
  ])('%j', (scores, expected) => {
    expect(summarizeIndicator('need', scores)).toEqual({ indicator: 'need', ...expected });
  });

  it('summarizes a program on the six indicators in the tool’s order', () => {
    const summary = summarizeProgram([
      { indicator: 'usability', score: 2 },
      { indicator: 'need', score: 5 },
      { indicator: 'need', score: 1 },
    ]);
    expect(summary.map((s) => s.indicator)).toEqual(['need', 'fit', 'capacity', 'evidence', 'supports', 'usability']);
    expect(summary[0]).toMatchObject({ n: 2, mean: 3, wideDisagreement: true });
    expect(summary[5]).toMatchObject({ n: 1, mean: 2 });
    expect(summary[1]).toMatchObject({ n: 0, mean: null });
  });
});

const head = (overrides: Partial<BoardHead> = {}): BoardHead => ({
  id: 'b1',
  campaignId: 'c1',
  campaignTitle: 'Fall survey',
  title: 'Math design team',
  template: 'protocol',
  anonymous: false,
  locked: false,
  voteBudget: 5,
  votesPerCard: null,
  votesRevealed: false,
  phase: 0,
  timerEndsAt: null,
  version: 7,
  settingsVersion: 1,
  createdBy: 'fac',
  updatedAt: '2026-11-23T10:00:00.000Z',
  memberRole: 'member',
  ...overrides,
});

const card = (id: string, overrides: Partial<CardRow> = {}): CardRow => ({
  id,
  column: 'working',
  position: 1,
  text: `Card ${id}`,
  tags: [],
  clusterId: null,
  status: 'visible',
  authorId: 'ana',
  author: 'Ana Ruiz',
  version: 1,
  createdAt: `2026-11-23T10:00:0${id.length}.000Z`,
  updatedAt: '2026-11-23T10:00:00.000Z',
  deletedAt: null,
  ...overrides,
});

const rows = (overrides: Partial<BoardRows> = {}): BoardRows => ({
  members: [],
  cards: [],
  comments: [],
  clusters: [],
  votes: [],
  ratings: [],
  plans: [],
  pilotGroups: [],
  ...overrides,
});

const NOW = new Date('2026-11-23T10:05:00.000Z');
const ana = { accountId: 'ana', role: 'member' as const };
const ben = { accountId: 'ben', role: 'member' as const };
const fac = { accountId: 'fac', role: 'facilitator' as const };

describe('boardView', () => {
  const cards = [
    card('a', { position: 3 }),
    card('b', { position: 1.5 }),
    card('c', { position: 2, status: 'pending', authorId: 'ben', author: 'Ben Ode' }),
    card('d', { position: 0.5, deletedAt: '2026-11-23T10:01:00.000Z' }),
    card('e', { column: 'ideas', position: 1, status: 'hidden', authorId: 'ben', author: 'Ben Ode' }),
  ];
  const votes = [
    { cardId: 'a', accountId: 'ana', dots: 2 },
    { cardId: 'b', accountId: 'ben', dots: 1 },
    { cardId: 'a', accountId: 'ben', dots: 1 },
    // A dot on a deleted card goes back to its owner's budget.
    { cardId: 'd', accountId: 'ana', dots: 1 },
  ];

  it('shows another member only what everyone sees, numbered in order', () => {
    const state = boardView(head(), rows({ cards, votes }), ana, NOW);
    // Ana sees her own deleted card d (to restore) but not Ben's pending c or hidden e.
    expect(state.cards.map((c) => [c.id, c.position, c.deletedAt !== null])).toEqual([
      ['b', 0, false],
      ['a', 1, false],
      ['d', -1, true],
    ]);
    expect(state.cards.find((c) => c.id === 'a')).toMatchObject({
      author: 'Ana Ruiz',
      mine: true,
      myVotes: 2,
      votes: null,
    });
    // Budget 5 − Ana's 2 dots on live cards = 3; the dot on deleted d does not count.
    expect(state.you).toEqual({ accountId: 'ana', role: 'member', votesLeft: 3 });
    expect(state.votesPlaced).toBe(4);
  });

  it('gives facilitators the moderation queue and hides totals from them too until the reveal', () => {
    const state = boardView(head({ memberRole: 'facilitator' }), rows({ cards, votes }), fac, NOW);
    expect(state.cards.map((c) => c.id)).toEqual(['b', 'c', 'a', 'd', 'e']);
    expect(state.cards.every((c) => c.votes === null)).toBe(true);
    const revealed = boardView(head({ votesRevealed: true }), rows({ cards, votes }), ben, NOW);
    expect(revealed.cards.map((c) => [c.id, c.votes])).toEqual([
      ['b', 1],
      ['c', 0],
      ['a', 3],
      ['e', 0],
    ]);
  });

  it('names nobody on an anonymous board, and still tells authors their own', () => {
    const comments = [
      {
        id: 'm1',
        cardId: 'a',
        authorId: 'ben',
        author: 'Ben Ode',
        text: 'Agreed',
        createdAt: NOW.toISOString(),
        deletedAt: null,
      },
    ];
    for (const reader of [ana, ben, fac]) {
      const state = boardView(head({ anonymous: true }), rows({ cards, comments }), reader, NOW);
      expect(state.cards.every((c) => c.author === null)).toBe(true);
      expect(state.cards.flatMap((c) => c.comments).every((c) => c.author === null)).toBe(true);
      expect(JSON.stringify(state)).not.toMatch(/Ana Ruiz|Ben Ode/);
    }
    const forBen = boardView(head({ anonymous: true }), rows({ cards, comments }), ben, NOW);
    expect(forBen.cards.filter((c) => c.mine).map((c) => c.id)).toEqual(['c', 'e']);
  });
});

describe('exports', () => {
  const state = boardView(
    head({ votesRevealed: true, anonymous: true }),
    rows({
      cards: [
        card('a', { text: '=HYPERLINK("x") *bold*', tags: ['formative-assessment'] }),
        card('b', { column: 'ideas', status: 'pending' }),
      ],
      votes: [{ cardId: 'a', accountId: 'ben', dots: 2 }],
    }),
    fac,
    NOW,
  );

  it('writes Markdown with every column, escaped text, and no pending card or author', () => {
    const markdown = boardMarkdown(state, NOW);
    expect(markdown).toMatch(/^# Math design team\n/);
    for (const column of ['What is working', 'What is not working', 'Root causes', 'Ideas', 'Next steps']) {
      expect(markdown).toContain(`## ${column}`);
    }
    expect(markdown).toContain('- =HYPERLINK("x") \\*bold\\* _(focuses: Formative assessment; 2 dots)_');
    expect(markdown).not.toContain('Card b');
    expect(markdown).not.toContain('Ana Ruiz');
  });

  it('lists one CSV row per shared card', () => {
    const table = boardTable(state);
    expect(table.rows).toEqual([
      {
        column: 'What is working',
        position: 1,
        text: '=HYPERLINK("x") *bold*',
        focuses: 'Formative assessment',
        cluster: '',
        author: '',
        dots: 2,
        comments: 0,
      },
    ]);
    expect(planTable(state).rows).toEqual([]);
  });
});
