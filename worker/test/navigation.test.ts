/**
 * GET /api/auth/session: who is signed in, which signed-in pages they are offered and where
 * they start. Each page offered is one the worker serves them, and signed out is a plain answer.
 */
import { describe, expect, it } from 'vitest';
import { STAFF_PAGES } from '../src/domain/navigation';
import { currentSession } from '../src/schemas/auth';
import { answers, api, createBoard, createCampaign, db, postJson, seedRoster, signedIn, submit } from './helpers';

type Session = ReturnType<typeof currentSession.parse>;

async function session(as: Parameters<typeof api>[2]): Promise<Session> {
  const res = await api('/api/auth/session', {}, as);
  const body: unknown = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(res.headers.get('Cache-Control')).toBe('private, no-store');
  // Exactly what the contract states: parsing drops any key it does not name.
  expect(currentSession.parse(body)).toEqual(body);
  return body as Session;
}

async function mailedNext(email: string): Promise<string | null> {
  const row = await db()
    .prepare('SELECT body FROM dev_outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1')
    .bind(email)
    .first<{ body: string }>();
  const link = new URL(row?.body.match(/https?:\/\/\S+/)?.[0] ?? 'http://x/');
  return new URLSearchParams(link.hash.slice(1)).get('next');
}

describe('who is signed in, and what they are offered', () => {
  it('answers 200 with nobody and no pages when signed out, so a signed-out page logs no error', async () => {
    expect(await session('nobody')).toEqual({ account: null, pages: [], boards: 0, campaign: null, start: '/' });
    // A cookie that is no session is the same as none.
    expect((await session({ cookie: '__Host-homegrown_session=not-a-session' })).account).toBeNull();
  });

  it('starts a director on the newest campaign with enough answers to show a figure', async () => {
    const director = await signedIn(['director']);
    expect(await session(director)).toMatchObject({
      account: { email: director.email, roles: ['director'] },
      pages: ['dashboard', 'comments', 'pilot-groups', 'boards', 'leaders'],
      campaign: null,
      start: '/dashboard/',
    });

    await seedRoster();
    const answered = await createCampaign({ title: 'Fall needs survey', minGroupSize: 3 });
    for (let i = 0; i < 3; i++) expect((await submit(answered, { answers: answers() })).status).toBe(201);
    await new Promise((wait) => setTimeout(wait, 5));
    const fresh = await createCampaign({ title: 'Spring needs survey', minGroupSize: 3 });
    expect((await submit(fresh, { answers: answers() })).status).toBe(201);
    const now = await session(director);
    expect(now.campaign).toEqual({ id: answered, title: 'Fall needs survey' });
    expect(now.start).toBe(`/dashboard/?c=${answered}`);
  });

  it('starts an admin on the admin page, offering every page', async () => {
    const admin = await signedIn(['admin']);
    const answer = await session(admin);
    expect(answer.pages).toEqual(['dashboard', 'comments', 'pilot-groups', 'boards', 'leaders', 'admin']);
    expect(answer.start).toBe('/admin/');
  });

  it('offers a facilitator the boards only, and a role-less board member their boards', async () => {
    const facilitator = await signedIn(['facilitator']);
    expect(await session(facilitator)).toMatchObject({
      pages: ['boards'],
      boards: 0,
      campaign: null,
      start: '/boards/',
    });

    const teacher = await signedIn([]);
    // Nothing to use yet: no page offered, and the home page to start on.
    expect(await session(teacher)).toMatchObject({ pages: [], boards: 0, start: '/' });
    const board = await createBoard(facilitator);
    const invited = await postJson(
      `/api/boards/${board.id}/invitations`,
      { email: teacher.email, role: 'member' },
      {},
      facilitator,
    );
    expect(invited.status).toBe(201);
    expect(await session(teacher)).toMatchObject({ pages: ['boards'], boards: 1, campaign: null, start: '/boards/' });
    expect((await session(facilitator)).boards).toBe(1);
  });

  it('offers each person only pages the worker serves them', async () => {
    for (const roles of [['admin'], ['director'], ['facilitator'], []] as const) {
      const person = await signedIn([...roles]);
      const { pages } = await session(person);
      for (const { page, path } of STAFF_PAGES) {
        const res = await api(path, { redirect: 'manual' }, person);
        await res.body?.cancel();
        // Let through (the page itself comes from the site build, 200 once built), or refused.
        if (pages.includes(page)) expect([302, 403], `${roles.join()} ${path}`).not.toContain(res.status);
        else if (page !== 'boards') expect(res.status, `${roles.join()} ${path}`).toBe(403);
      }
    }
  });
});

describe('the page a sign-in link returns to', () => {
  it('is named in the link only when the sign-in asked for one', async () => {
    const { email } = await signedIn(['director']);
    expect((await postJson('/api/auth/sign-in-link', { email }, {}, 'nobody')).status).toBe(202);
    expect(await mailedNext(email)).toBeNull();
    await postJson('/api/auth/sign-in-link', { email, next: '/leaders/?c=x' }, {}, 'nobody');
    expect(await mailedNext(email)).toBe('/leaders/?c=x');
    await postJson('/api/auth/sign-in-link', { email, next: '/' }, {}, 'nobody');
    expect(await mailedNext(email)).toBe('/');
  });
});
