import { beforeAll, describe, expect, it } from 'vitest';
import { upsertSchools } from '../src/db/roster';
import type { Answers } from '../src/domain/answers';
import {
  answers,
  api,
  count,
  createCampaign,
  db,
  del,
  errorOf,
  invite,
  putJson,
  seedRoster,
  signedIn,
  submit,
} from './helpers';

interface CommentPage {
  minGroupSize: number;
  canTag: boolean;
  by: string | null;
  segment: string | null;
  shown: boolean;
  segments: Array<{ segment: string; name: string }>;
  total: number;
  items: Array<{ id: string; text: string; tags: string[] }>;
  nextCursor?: string;
}

async function submitAll(campaign: string, list: Answers[]) {
  for (const one of list) expect((await submit(campaign, { answers: answers(one) })).status).toBe(201);
}

const commentsOf = (campaign: string, query = '') => api(`/api/campaigns/${campaign}/comments${query}`, {}, 'director');
async function page(campaign: string, query = ''): Promise<CommentPage> {
  const res = await commentsOf(campaign, query);
  expect(res.status).toBe(200);
  return (await res.json()) as CommentPage;
}
const texts = (body: CommentPage) => body.items.map((item) => item.text).sort();

async function audited(action: string, target: string): Promise<number> {
  const row = await db()
    .prepare('SELECT COUNT(*) AS n FROM audit_log WHERE action = ? AND target = ?')
    .bind(action, target)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

// k = 5. Maple has 6 respondents (5 wrote a comment), Ridge 3 and Cedar 3 (both under k, so
// both hidden, and together 6: the district minus Maple is still a group of k), Oak none.
const MAPLE = ['Maple one', 'Maple two', 'Maple three', 'Maple four', 'Maple five'];
const RIDGE = ['Ridge one', 'Ridge two', 'Ridge three'];
const CEDAR = ['Cedar one', 'Cedar two', 'Cedar three'];
const PENDING = 'Written after the last step';

let campaign: string;
let identified: string;

beforeAll(async () => {
  await seedRoster([{ name: 'Winifred Quill' }, { name: 'Bartholomew Inkwell' }, { name: 'Ottoline Vellum' }]);
  await upsertSchools(db(), [
    { id: 'cedar-high', name: 'Cedar High School' },
    { id: 'oak-primary', name: 'Oak Primary' },
  ]);
  campaign = await createCampaign();
  await submitAll(campaign, [
    ...MAPLE.map((comment) => ({ school: 'maple-elementary', comment })),
    { school: 'maple-elementary', comment: undefined },
    ...RIDGE.map((comment) => ({ school: 'ridge-middle', comment })),
    ...CEDAR.map((comment) => ({ school: 'cedar-high', comment })),
  ]);
  // The first read publishes all twelve; a thirteenth after it waits for k more at Maple.
  await page(campaign);
  await submitAll(campaign, [{ school: 'maple-elementary', comment: PENDING }]);

  identified = await createCampaign({ mode: 'identified', minGroupSize: 3, title: 'Named survey' });
  const links = await invite(identified);
  for (const [index, staffId] of ['T1', 'T2', 'T3'].entries()) {
    const res = await submit(
      identified,
      { answers: answers({ comment: `Identified comment ${index + 1}` }) },
      crypto.randomUUID(),
      links.get(staffId),
    );
    expect(res.status).toBe(201);
  }
});

describe('GET /api/campaigns/:id/comments', () => {
  it('shows no comment while the campaign has fewer than k published respondents', async () => {
    const few = await createCampaign();
    await submitAll(few, [{ comment: 'One' }, { comment: 'Two' }, { comment: 'Three' }, { comment: 'Four' }]);
    const body = await page(few);
    expect(body).toMatchObject({ shown: false, total: 0, items: [], segments: [] });
    const csv = await (await commentsOf(few, '?format=csv')).text();
    expect(csv.trim()).toBe('comment,tags');
  });

  it('lists every published comment district-wide, and none of a response still pending', async () => {
    const body = await page(campaign);
    expect(body.shown).toBe(true);
    expect(body.total).toBe(11);
    expect(texts(body)).toEqual([...MAPLE, ...RIDGE, ...CEDAR].sort());
    expect(JSON.stringify(body)).not.toContain(PENDING);
    expect(await (await commentsOf(campaign, '?format=csv')).text()).not.toContain(PENDING);
  });

  it('lists exactly the comments of a school the plan shows, and offers only such schools', async () => {
    const body = await page(campaign, '?by=school&segment=maple-elementary');
    expect(body).toMatchObject({ shown: true, by: 'school', segment: 'maple-elementary', total: 5 });
    expect(texts(body)).toEqual([...MAPLE].sort());
    expect(body.segments).toEqual([{ segment: 'maple-elementary', name: 'Maple Elementary' }]);
  });

  it('answers a hidden school the same with three respondents as with none', async () => {
    const ridge = await page(campaign, '?by=school&segment=ridge-middle');
    const oak = await page(campaign, '?by=school&segment=oak-primary');
    const unstated = await page(campaign, '?by=school&segment=%3Aunstated');
    expect(ridge).toMatchObject({ shown: false, total: 0, items: [] });
    expect({ ...ridge, segment: null }).toEqual({ ...oak, segment: null });
    expect({ ...ridge, segment: null }).toEqual({ ...unstated, segment: null });
    const csv = await (await commentsOf(campaign, '?by=school&segment=ridge-middle&format=csv')).text();
    expect(csv.trim()).toBe('comment,tags');
  });

  it('offers no second dimension, so two lists can never be intersected to fewer than k', async () => {
    // Were role lists offered, the ids (or texts) in both "Maple" and "classroom teacher"
    // would be the comments of Maple's classroom teachers: a group the plan never checked.
    for (const query of ['?by=role&segment=classroom-teacher', '?by=careerStage&segment=early-career']) {
      const res = await commentsOf(campaign, query);
      expect([res.status, (await errorOf(res)).code]).toEqual([422, 'INVALID_INPUT']);
    }
    for (const query of ['?by=school', '?segment=maple-elementary']) {
      expect((await commentsOf(campaign, query)).status).toBe(422);
    }
    const unknown = await commentsOf(campaign, '?by=school&segment=nowhere');
    expect([unknown.status, (await errorOf(unknown)).code]).toEqual([422, 'UNKNOWN_ID']);
  });

  it('searches the text case-insensitively, within the group', async () => {
    expect(texts(await page(campaign, '?q=RIDGE'))).toEqual([...RIDGE].sort());
    expect(texts(await page(campaign, '?by=school&segment=maple-elementary&q=ridge'))).toEqual([]);
    expect((await page(campaign, '?q=maple%20t')).total).toBe(2);
  });

  it('pages through every comment once, in an order that carries no time', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const body = await page(campaign, `?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(body.items.length).toBeLessThanOrEqual(4);
      expect(body.total).toBe(11);
      seen.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    // 11 comments in pages of 4: 4 + 4 + 3.
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(11);
    const { items } = await page(campaign, '?limit=100');
    expect(seen).toEqual(items.map((item) => item.id));
    const order = await db()
      .prepare('SELECT id FROM responses WHERE campaign_id = ? ORDER BY rowid')
      .bind(campaign)
      .all<{ id: string }>();
    for (const { id } of order.results) expect(seen.join()).not.toContain(id.replaceAll('-', '').slice(0, 12));
    const bad = await commentsOf(campaign, '?cursor=not-a-cursor');
    expect([bad.status, (await errorOf(bad)).code]).toEqual([400, 'INVALID_CURSOR']);
    expect((await commentsOf(campaign, '?limit=101')).status).toBe(422);
  });

  it('never sends a name, staff id, role, school, response id or time beside a comment', async () => {
    const body = await page(identified);
    expect(body.total).toBe(3);
    for (const item of body.items) expect(Object.keys(item).sort()).toEqual(['id', 'tags', 'text']);
    const csvRes = await commentsOf(identified, '?format=csv');
    expect(csvRes.headers.get('Content-Type')).toMatch(/^text\/csv/);
    const itemsJson = JSON.stringify(body.items);
    const csv = await csvRes.text();
    const responseIds = await db()
      .prepare('SELECT id, submitted_at AS at FROM responses WHERE campaign_id = ?')
      .bind(identified)
      .all<{ id: string; at: string }>();
    for (const raw of [itemsJson, csv]) {
      for (const name of ['Winifred Quill', 'Bartholomew Inkwell', 'Ottoline Vellum']) expect(raw).not.toContain(name);
      expect(raw).not.toMatch(/\bT[123]\b/);
      expect(raw).not.toContain('classroom-teacher');
      expect(raw).not.toMatch(/maple|Maple/);
      expect(raw).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
      for (const { id, at } of responseIds.results) {
        expect(raw).not.toContain(id);
        expect(raw).not.toContain(at.slice(0, 16));
      }
    }
    for (const name of ['Winifred', 'T1']) expect(JSON.stringify(body)).not.toContain(name);
    expect(csv.split('\r\n')[0]).toBe('comment,tags');
  });

  it('exports the same comments as CSV, audited', async () => {
    const before = await audited('comments.export', campaign);
    const res = await commentsOf(campaign, '?by=school&segment=maple-elementary&format=csv');
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('comment,tags');
    expect(lines.slice(1).sort()).toEqual(MAPLE.map((text) => `${text},`).sort());
    expect(await audited('comments.export', campaign)).toBe(before + 1);
  });

  it('is for directors and admins only', async () => {
    for (const roles of [[], ['facilitator']] as const) {
      const { cookie } = await signedIn([...roles]);
      const res = await api(`/api/campaigns/${campaign}/comments`, {}, { cookie });
      expect([res.status, (await errorOf(res)).code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await api(`/api/campaigns/${campaign}/comments`, {}, 'admin')).status).toBe(200);
  });
});

describe('tagging a comment to a focus', () => {
  const tagPath = (id: string, competency: string) => `/api/campaigns/${campaign}/comments/${id}/tags/${competency}`;

  it('tags and untags, audited, and filters by the tag', async () => {
    const [first, second] = (await page(campaign)).items;
    if (!first || !second) throw new Error('no comments listed');
    const tagged = await putJson(tagPath(first.id, 'formative-assessment'), {}, 'director');
    expect(tagged.status).toBe(200);
    expect(await tagged.json()).toEqual({ id: first.id, tags: ['formative-assessment'] });
    // A second tag; the answer lists them in framework order (formative assessment before AI literacy).
    const both = await putJson(tagPath(first.id, 'ai-literacy'), {}, 'director');
    expect(((await both.json()) as { tags: string[] }).tags).toEqual(['formative-assessment', 'ai-literacy']);
    expect(await audited('comments.tag', campaign)).toBe(2);

    const focused = await page(campaign, '?focus=ai-literacy');
    expect(focused.items).toEqual([{ id: first.id, text: first.text, tags: ['formative-assessment', 'ai-literacy'] }]);
    const csv = await (await commentsOf(campaign, '?focus=ai-literacy&format=csv')).text();
    expect(csv).toContain(`${first.text},Formative assessment; AI literacy`);

    const removed = await del(tagPath(first.id, 'ai-literacy'), 'director');
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ id: first.id, tags: ['formative-assessment'] });
    expect(await audited('comments.untag', campaign)).toBe(1);
    expect((await page(campaign, '?focus=ai-literacy')).items).toEqual([]);
    expect(await count('comment_tags', campaign)).toBe(1);
  });

  it('refuses an unknown competency with 422 and an unknown comment with 404, storing nothing', async () => {
    const [first] = (await page(campaign)).items;
    if (!first) throw new Error('no comments listed');
    const tags = await count('comment_tags', campaign);
    const audits = await audited('comments.tag', campaign);
    const badFocus = await putJson(tagPath(first.id, 'basket-weaving'), {}, 'director');
    expect([badFocus.status, (await errorOf(badFocus)).code]).toEqual([422, 'UNKNOWN_ID']);
    for (const id of ['f'.repeat(32), 'not-an-id']) {
      const res = await putJson(tagPath(id, 'formative-assessment'), {}, 'director');
      expect([res.status, (await errorOf(res)).code]).toEqual([404, 'COMMENT_NOT_FOUND']);
    }
    const badFilter = await commentsOf(campaign, '?focus=basket-weaving');
    expect([badFilter.status, (await errorOf(badFilter)).code]).toEqual([422, 'UNKNOWN_ID']);
    expect([await count('comment_tags', campaign), await audited('comments.tag', campaign)]).toEqual([tags, audits]);
  });

  it('is for directors only: an admin reads the comments but may not tag them', async () => {
    const [first] = (await page(campaign)).items;
    if (!first) throw new Error('no comments listed');
    const tags = await count('comment_tags', campaign);
    const audits = await audited('comments.tag', campaign);
    for (const roles of [[], ['facilitator'], ['admin']] as const) {
      const { cookie } = await signedIn([...roles]);
      const put = await putJson(tagPath(first.id, 'formative-assessment'), {}, { cookie });
      const remove = await del(tagPath(first.id, 'formative-assessment'), { cookie });
      expect([put.status, (await errorOf(put)).code, remove.status]).toEqual([403, 'FORBIDDEN', 403]);
    }
    expect([await count('comment_tags', campaign), await audited('comments.tag', campaign)]).toEqual([tags, audits]);
    // The page is told, so it offers no tag controls to an admin.
    const asAdmin = (await (await api(`/api/campaigns/${campaign}/comments`, {}, 'admin')).json()) as {
      canTag: boolean;
    };
    expect([asAdmin.canTag, (await page(campaign)).canTag]).toEqual([false, true]);
  });
});
