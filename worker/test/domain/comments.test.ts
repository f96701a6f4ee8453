import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  COMMENT_ID,
  type Comment,
  commentId,
  commentKey,
  commentRows,
  filterComments,
  identify,
  newCommentSecret,
  offeredSegments,
  pageOf,
} from '../../src/domain/comments';

const FRAMEWORK = [
  { id: 'formative-assessment', name: 'Formative assessment' },
  { id: 'classroom-management', name: 'Classroom management' },
  { id: 'ai-literacy', name: 'AI literacy' },
];

// Submitted in this order: a, then b, then c.
const SUBMITTED = [
  { responseId: 'response-a', text: 'First in.' },
  { responseId: 'response-b', text: 'Second in.' },
  { responseId: 'response-c', text: 'Third in.' },
];

describe('comment ids', () => {
  it('are HMAC-SHA256 of the response id under the campaign secret, 32 hex characters', async () => {
    // Worked out independently with node:crypto: HMAC-SHA256(key "s1", "response-a"), first 128 bits.
    expect(await commentId(await commentKey('s1'), 'response-a')).toBe('f988ccf1e972bc572c10d3eef66d813c');
    const secret = newCommentSecret();
    const expected = createHmac('sha256', secret).update('response-b').digest('hex').slice(0, 32);
    expect(await commentId(await commentKey(secret), 'response-b')).toBe(expected);
  });

  it('neither equal nor contain the response id, and differ between campaigns', async () => {
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const one = await commentId(await commentKey(newCommentSecret()), uuid);
    const other = await commentId(await commentKey(newCommentSecret()), uuid);
    expect(one).toMatch(COMMENT_ID);
    expect(one).not.toContain(uuid);
    expect(one).not.toContain(uuid.replaceAll('-', '').slice(0, 8));
    expect(one).not.toBe(other);
  });

  it('makes 64-character secrets that are never the same twice', () => {
    const secrets = new Set(Array.from({ length: 20 }, newCommentSecret));
    expect(secrets.size).toBe(20);
    for (const secret of secrets) expect(secret).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('identify', () => {
  it('lists comments in an order that is not the order they were submitted in', async () => {
    // Under "s1" the ids are c d41f…, b e772…, a f988… (node:crypto, by hand): c, b, a.
    const listed = await identify(await commentKey('s1'), SUBMITTED, new Map(), FRAMEWORK);
    expect(listed.map((comment) => comment.text)).toEqual(['Third in.', 'Second in.', 'First in.']);
    // Under "s2": b 4b02…, a 6741…, c 8ecf…: b, a, c.
    const other = await identify(await commentKey('s2'), [...SUBMITTED].reverse(), new Map(), FRAMEWORK);
    expect(other.map((comment) => comment.text)).toEqual(['Second in.', 'First in.', 'Third in.']);
  });

  it('gives each comment its tags in framework order, and nothing that names the response', async () => {
    const key = await commentKey('s1');
    const id = await commentId(key, 'response-a');
    const listed = await identify(key, SUBMITTED, new Map([[id, ['ai-literacy', 'formative-assessment']]]), FRAMEWORK);
    const a = listed.find((comment) => comment.id === id);
    expect(a).toEqual({ id, text: 'First in.', tags: ['formative-assessment', 'ai-literacy'] });
    expect(JSON.stringify(listed)).not.toContain('response-');
  });
});

const comment = (id: string, text: string, tags: string[] = []): Comment => ({ id, text, tags });
const LIST = [
  comment('1'.repeat(32), 'More COACHING time, please.', ['formative-assessment']),
  comment('2'.repeat(32), 'Schedule sessions in the day.'),
  comment('3'.repeat(32), 'A coach who visits twice.', ['formative-assessment', 'ai-literacy']),
  comment('4'.repeat(32), 'Less paperwork.'),
];

describe('filterComments', () => {
  it('searches case-insensitively', () => {
    expect(filterComments(LIST, { q: 'Coach' }).map((c) => c.text)).toEqual([
      'More COACHING time, please.',
      'A coach who visits twice.',
    ]);
    expect(filterComments(LIST, { q: '  ' })).toHaveLength(4);
  });

  it('keeps the comments tagged to a focus, and both filters together', () => {
    expect(filterComments(LIST, { focus: 'ai-literacy' }).map((c) => c.id)).toEqual(['3'.repeat(32)]);
    expect(filterComments(LIST, { focus: 'formative-assessment', q: 'please' }).map((c) => c.id)).toEqual([
      '1'.repeat(32),
    ]);
  });
});

describe('pageOf', () => {
  it('pages by the last id, with a cursor only while more follow', () => {
    const first = pageOf(LIST, 3);
    expect(first.items.map((c) => c.text)).toEqual(LIST.slice(0, 3).map((c) => c.text));
    expect(first.nextCursor).toBe('3'.repeat(32));
    const second = pageOf(LIST, 3, first.nextCursor);
    expect(second).toEqual({ items: [LIST[3]] });
    expect(pageOf(LIST, 4)).toEqual({ items: LIST });
  });
});

describe('commentRows', () => {
  it('is the text and the tags by name, and no id', () => {
    expect(commentRows(LIST.slice(2, 4), FRAMEWORK)).toEqual([
      { comment: 'A coach who visits twice.', tags: 'Formative assessment; AI literacy' },
      { comment: 'Less paperwork.', tags: '' },
    ]);
  });
});

describe('offeredSegments', () => {
  const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));
  const SCHOOLS = ['a', 'b', 'c', 'd', ''];
  const showing =
    (...shown: string[]) =>
    (segment: string) =>
      shown.includes(segment);

  it('withholds the smallest offered school while the schools not offered hold 1 to k − 1 people', () => {
    // k = 5; a plan that hides c and d (1 each) but shows a (10) and b (6): the district list
    // minus a's and b's would be c's and d's 2 comments. Withholding b (the smaller) leaves
    // b + c + d = 6 + 1 + 1 = 8 ≥ 5 not offered.
    expect(offeredSegments(SCHOOLS, counts({ a: 10, b: 6, c: 1, d: 1 }), showing('a', 'b'), 5)).toEqual(['a']);
    // a 6, b 5, c 2: not offered 2 → withhold b (5) → 7.
    expect(offeredSegments(SCHOOLS, counts({ a: 6, b: 5, c: 2 }), showing('a', 'b'), 5)).toEqual(['a']);
    // A tie in size withholds the later key: a 5, b 5, '' 1 → b goes, leaving 6.
    expect(offeredSegments(SCHOOLS, counts({ a: 5, b: 5, '': 1 }), showing('a', 'b'), 5)).toEqual(['a']);
  });

  it('keeps every shown school when the rest is nobody or at least k', () => {
    // c + d = 3 + 3 = 6 ≥ 5.
    expect(offeredSegments(SCHOOLS, counts({ a: 10, b: 6, c: 3, d: 3 }), showing('a', 'b'), 5)).toEqual(['a', 'b']);
    // Nobody outside a and b: the rest is 0, which isolates no one.
    expect(offeredSegments(SCHOOLS, counts({ a: 10, b: 6 }), showing('a', 'b', 'c'), 5)).toEqual(['a', 'b']);
  });

  it('never offers a school under k, nor an empty one, even if the plan would show it', () => {
    // k = 3: c has 2, d 1, b none; '' (not stated) has 4 and is offered like a school. Not
    // offered: c + d = 3 ≥ 3.
    expect(offeredSegments(SCHOOLS, counts({ a: 3, c: 2, d: 1, '': 4 }), () => true, 3)).toEqual(['a', '']);
    // Withholding everything is allowed: a 5, b 1 → a goes, and the district list is all there is.
    expect(offeredSegments(SCHOOLS, counts({ a: 5, b: 1 }), showing('a'), 5)).toEqual([]);
  });
});
