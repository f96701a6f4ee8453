/**
 * Co-design boards, part 1: creating boards, who may do what on one, invitations and joining,
 * and members. Written from the API contract (issue 6), against the real worker and D1.
 */
import { describe, expect, it } from 'vitest';
import { hashToken } from '../src/auth/tokens';
import type { BoardState } from '../src/domain/boards';
import {
  addCard,
  api,
  boardMember,
  boardTeam,
  type Caller,
  createBoard,
  createCampaign,
  db,
  del,
  errorOf,
  inviteToBoard,
  patchJson,
  postJson,
  putJson,
  readBoard,
  signedIn,
  signedInNamed,
} from './helpers';

interface BoardListItem {
  id: string;
  title: string;
  template: string;
  campaignId: string;
  campaignTitle: string;
  role: string;
  locked: boolean;
  phase: number;
  phaseName: string;
  version: number;
  updatedAt: string;
}
interface BoardList {
  items: BoardListItem[];
  campaigns: Array<{ id: string; title: string }> | null;
}
interface Invitation {
  accountId: string;
  email: string;
  role: string;
  emailed: boolean;
}

const board = (id: string) => `/api/boards/${id}`;

/** A plan that passes validation, so a refusal can only be about who sends it. */
const PLAN = {
  version: 0,
  progression: Array.from({ length: 5 }, (_, i) => ({ educators: `Level ${i + 1}`, staff: '', students: '' })),
  strategies: ['coaching'],
  timeline: [{ when: 'October', what: 'First coaching cycle' }],
  successMeasures: ['Exit tickets used weekly'],
  feedback: ['relevance'],
};

async function list(as: Caller): Promise<BoardList> {
  const res = await api('/api/boards', {}, as);
  expect(res.status).toBe(200);
  return (await res.json()) as BoardList;
}

/** The newest join link's token mailed to this address (the local outbox); the API never returns it. */
async function mailedToken(email: string): Promise<string> {
  const row = await db()
    .prepare("SELECT body FROM dev_outbox WHERE recipient = ? AND body LIKE '%/join/#token=%' ORDER BY id DESC LIMIT 1")
    .bind(email.toLowerCase())
    .first<{ body: string }>();
  return row?.body.match(/http:\/\/127\.0\.0\.1:8787\/join\/#token=([A-Za-z0-9_-]{43})/)?.[1] ?? '';
}

async function invite(id: string, email: string, role: string, as: Caller, name?: string): Promise<Invitation> {
  const res = await inviteToBoard(id, email, role, as, name);
  expect(res.status).toBe(201);
  return (await res.json()) as Invitation;
}

const join = (token: string, as: Caller = 'nobody') => postJson('/api/boards/join', { token }, {}, as);

describe('creating a board', () => {
  it.each([
    ['protocol', ['working', 'not-working', 'root-causes', 'ideas', 'next-steps'], 5],
    ['hexagon', ['programs'], 4],
    ['plan', ['notes'], 3],
  ])('a %s board has its template’s columns and phases, and sensible defaults', async (template, columns, phases) => {
    const fac = await signedInNamed(['facilitator'], 'Fran Facilitator');
    const campaignId = await createCampaign({ title: 'Spring needs survey' });
    const res = await postJson('/api/boards', { campaignId, title: 'Design team', template }, {}, fac);
    expect(res.status).toBe(201);
    const state = (await res.json()) as BoardState;
    expect(state.columns.map((c) => c.id)).toEqual(columns);
    for (const column of state.columns) {
      expect(column.name.length).toBeGreaterThan(0);
      expect(column.prompt.length).toBeGreaterThan(0);
    }
    expect(state.phases).toHaveLength(phases);
    expect(state).toMatchObject({
      title: 'Design team',
      template,
      campaignId,
      campaignTitle: 'Spring needs survey',
      anonymous: false,
      locked: false,
      voteBudget: 5,
      votesPerCard: null,
      votesRevealed: false,
      phase: 0,
      timerEndsAt: null,
      votesPlaced: 0,
      cards: [],
      clusters: [],
      plans: [],
      you: { accountId: fac.accountId, role: 'facilitator', votesLeft: 5 },
    });
    expect(state.version).toBeGreaterThanOrEqual(1);
    expect(state.members).toEqual([
      expect.objectContaining({ accountId: fac.accountId, name: 'Fran Facilitator', role: 'facilitator' }),
    ]);
    // The creator finds it in their list, as its facilitator, at phase 0.
    const item = (await list(fac)).items.find((i) => i.id === state.id);
    expect(item).toMatchObject({
      title: 'Design team',
      template,
      campaignId,
      campaignTitle: 'Spring needs survey',
      role: 'facilitator',
      locked: false,
      phase: 0,
      phaseName: state.phases[0],
      version: state.version,
    });
  });

  it('keeps the anonymous, budget and per-card choices given at creation', async () => {
    const fac = await signedIn(['facilitator']);
    const state = await createBoard(fac, { anonymous: true, voteBudget: 3, votesPerCard: 2 });
    expect(state).toMatchObject({ anonymous: true, voteBudget: 3, votesPerCard: 2, you: { votesLeft: 3 } });
  });

  it.each([
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(121) }, 'title'],
    [{ template: 'kanban' }, 'template'],
    [{ voteBudget: 0 }, 'voteBudget'],
    [{ voteBudget: 51 }, 'voteBudget'],
    [{ votesPerCard: 0 }, 'votesPerCard'],
  ])('refuses %j with 422 naming %s, and stores nothing', async (override, field) => {
    const fac = await signedIn(['facilitator']);
    const campaignId = await createCampaign();
    const before = (await list(fac)).items.length;
    const res = await postJson(
      '/api/boards',
      { campaignId, title: 'Design team', template: 'protocol', ...override },
      {},
      fac,
    );
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('INVALID_INPUT');
    expect(Object.keys(error.fields ?? {})).toContain(field);
    expect((await list(fac)).items.length).toBe(before);
  });

  it('takes a title of exactly 120 characters', async () => {
    const fac = await signedIn(['facilitator']);
    const state = await createBoard(fac, { title: 't'.repeat(120), voteBudget: 50, votesPerCard: 50 });
    expect(state.title).toBe('t'.repeat(120));
  });

  it('an unknown campaign is a 404, and nothing is stored', async () => {
    const fac = await signedIn(['facilitator']);
    const res = await postJson('/api/boards', { campaignId: 'nope', title: 'Design team', template: 'plan' }, {}, fac);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('CAMPAIGN_NOT_FOUND');
    expect((await list(fac)).items).toEqual([]);
  });

  it('directors and admins may create boards; an account with no district role may not; nobody must sign in', async () => {
    const campaignId = await createCampaign();
    const body = { campaignId, title: 'Design team', template: 'protocol' };
    expect((await postJson('/api/boards', body, {}, await signedIn(['director']))).status).toBe(201);
    expect((await postJson('/api/boards', body, {}, await signedIn(['admin']))).status).toBe(201);
    const noRole = await signedIn([]);
    const refused = await postJson('/api/boards', body, {}, noRole);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('FORBIDDEN');
    expect((await list(noRole)).items).toEqual([]);
    const anonymous = await postJson('/api/boards', body, {}, 'nobody');
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe('SIGNED_OUT');
  });
});

describe('the list of boards', () => {
  it('lists the boards I belong to with my role; campaigns only for those who may create boards', async () => {
    const t = await boardTeam();
    const other = await createBoard(await signedIn(['facilitator']));
    const mine = await list(t.alice);
    expect(mine.items.map((i) => [i.id, i.role])).toEqual([[t.id, 'member']]);
    expect(mine.campaigns).toBeNull();
    expect((await list(t.viewer)).items.map((i) => [i.id, i.role])).toEqual([[t.id, 'viewer']]);

    const facList = await list(t.fac);
    expect(facList.items.map((i) => i.id)).toEqual([t.id]);
    expect(facList.campaigns).toEqual(
      expect.arrayContaining([{ id: t.state.campaignId, title: 'Spring needs survey' }]),
    );

    // An admin sees every board, including those they are not a member of.
    const admin = await list(await signedIn(['admin']));
    expect(admin.items.map((i) => i.id)).toEqual(expect.arrayContaining([t.id, other.id]));
    expect(admin.campaigns).not.toBeNull();
    // A director who belongs to no board sees none, but may build one.
    const director = await list(await signedIn(['director']));
    expect(director.items).toEqual([]);
    expect(director.campaigns).not.toBeNull();

    const res = await api('/api/boards', {}, 'nobody');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('SIGNED_OUT');
  });
});

describe('who may do what on a board', () => {
  it('members and viewers read it, each seeing their own role', async () => {
    const t = await boardTeam();
    const asAlice = await readBoard(t.id, t.alice);
    expect(asAlice.you).toEqual({ accountId: t.alice.accountId, role: 'member', votesLeft: 5 });
    expect((await readBoard(t.id, t.viewer)).you.role).toBe('viewer');
    expect(asAlice.members.map((m) => [m.name, m.role]).sort()).toEqual([
      ['Alice Member', 'member'],
      ['Bob Member', 'member'],
      ['Fran Facilitator', 'facilitator'],
      ['Vera Viewer', 'viewer'],
    ]);
  });

  it('an admin who is not a member acts as facilitator', async () => {
    const t = await boardTeam();
    const admin = await signedIn(['admin']);
    const state = await readBoard(t.id, admin);
    expect(state.you.role).toBe('facilitator');
    const settings = await patchJson(board(t.id), { settingsVersion: state.settingsVersion, locked: true }, admin);
    expect(settings.status).toBe(200);
    expect(((await settings.json()) as BoardState).locked).toBe(true);
    const { card } = await addCard(t.id, t.fac, 'Exit tickets work');
    const hidden = await patchJson(
      `${board(t.id)}/cards/${card.id}`,
      { version: card.version, status: 'hidden' },
      admin,
    );
    expect(hidden.status).toBe(200);
    expect((await invite(t.id, (await signedIn([])).email, 'member', admin)).role).toBe('member');
  });

  it('a director who is not a member may not open it', async () => {
    const t = await boardTeam();
    const res = await api(board(t.id), {}, await signedIn(['director']));
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('NOT_A_MEMBER');
  });

  it('a board that does not exist is a 404', async () => {
    for (const as of [await signedIn(['admin']), await signedIn(['facilitator'])]) {
      const res = await api(board('no-such-board'), {}, as);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('BOARD_NOT_FOUND');
    }
  });

  /** Every route of a board, with real ids from it, so only who is asking can be the reason for a refusal. */
  async function everyRoute() {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Students like peer feedback');
    const withComment = await postJson(`${board(t.id)}/cards/${card.id}/comments`, { text: 'Agreed' }, {}, t.bob);
    expect(withComment.status).toBe(201);
    const comment = ((await withComment.json()) as BoardState).cards.find((c) => c.id === card.id)?.comments[0];
    const withCluster = await postJson(
      `${board(t.id)}/clusters`,
      { name: 'Feedback', cardIds: [card.id] },
      {},
      t.alice,
    );
    expect(withCluster.status).toBe(201);
    const cluster = ((await withCluster.json()) as BoardState).clusters[0];
    if (!comment || !cluster) throw new Error('setup failed');
    const state = await readBoard(t.id, t.fac);
    const b = board(t.id);
    const routes: Array<[string, string, unknown?]> = [
      ['GET', b],
      ['GET', `${b}?since=0`],
      ['PATCH', b, { settingsVersion: state.settingsVersion, title: 'Taken over' }],
      ['POST', `${b}/invitations`, { email: 'intruder@district.example', role: 'facilitator' }],
      ['PATCH', `${b}/members/${t.fac.accountId}`, { role: 'viewer' }],
      ['DELETE', `${b}/members/${t.alice.accountId}`],
      ['POST', `${b}/cards`, { column: 'working', text: 'Injected' }],
      ['PATCH', `${b}/cards/${card.id}`, { version: card.version, text: 'Changed' }],
      ['DELETE', `${b}/cards/${card.id}`],
      ['POST', `${b}/cards/${card.id}/restore`, {}],
      ['POST', `${b}/cards/${card.id}/comments`, { text: 'Injected' }],
      ['DELETE', `${b}/comments/${comment.id}`],
      ['POST', `${b}/comments/${comment.id}/restore`, {}],
      ['POST', `${b}/cards/${card.id}/votes`, {}],
      ['DELETE', `${b}/cards/${card.id}/votes`],
      ['POST', `${b}/clusters`, { name: 'Injected', cardIds: [card.id] }],
      ['PATCH', `${b}/clusters/${cluster.id}`, { version: cluster.version, name: 'Renamed' }],
      ['DELETE', `${b}/clusters/${cluster.id}`],
      ['POST', `${b}/clusters/${cluster.id}/restore`, {}],
      ['PUT', `${b}/ratings`, { cardId: card.id, indicator: 'need', score: 3 }],
      ['PUT', `${b}/plans/formative-assessment`, PLAN],
      ['GET', `${b}/evidence`],
      ['GET', `${b}/export?format=markdown&part=board`],
      ['GET', `${b}/export?format=csv&part=board`],
    ];
    return { t, routes, version: state.version };
  }

  const call = (method: string, path: string, body: unknown, as: Caller) => {
    if (method === 'GET') return api(path, {}, as);
    if (method === 'DELETE') return del(path, as);
    if (method === 'PATCH') return patchJson(path, body, as);
    if (method === 'PUT') return putJson(path, body, as);
    return postJson(path, body, {}, as);
  };

  it('a member of another board is refused every route of this one, and changes nothing', async () => {
    const { t, routes, version } = await everyRoute();
    const elsewhere = await createBoard(await signedIn(['facilitator']));
    const outsider = await boardMember(elsewhere.id, 'member', 'admin', 'Oscar Outsider');
    for (const [method, path, body] of routes) {
      const res = await call(method, path, body, outsider);
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({ route: `${method} ${path}`, status: 403 });
      expect((await errorOf(res)).code).toBe('NOT_A_MEMBER');
    }
    expect((await readBoard(t.id, t.fac)).version).toBe(version);
  });

  it('nobody signed in is refused every route with 401', async () => {
    const { t, routes, version } = await everyRoute();
    for (const [method, path, body] of routes) {
      const res = await call(method, path, body, 'nobody');
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({ route: `${method} ${path}`, status: 401 });
      expect((await errorOf(res)).code).toBe('SIGNED_OUT');
    }
    expect((await readBoard(t.id, t.fac)).version).toBe(version);
  });

  it('a viewer reads but every write is refused as read-only', async () => {
    const { t, routes, version } = await everyRoute();
    const memberWrites = routes.filter(
      ([method, path]) =>
        method !== 'GET' &&
        !path.includes('/invitations') &&
        !path.includes('/members/') &&
        path !== board(t.id) &&
        // On a protocol board these two may fairly answer WRONG_TEMPLATE first (the viewer knows the
        // template); the viewer's ratings and plans are refused in boards-hexagon-plan.test.ts.
        method !== 'PUT',
    );
    expect(memberWrites.length).toBeGreaterThan(10);
    for (const [method, path, body] of memberWrites) {
      const res = await call(method, path, body, t.viewer);
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({ route: `${method} ${path}`, status: 403 });
      expect((await errorOf(res)).code).toBe('READ_ONLY');
    }
    expect((await readBoard(t.id, t.fac)).version).toBe(version);
    expect((await readBoard(t.id, t.viewer)).cards.map((c) => c.text)).toEqual(['Students like peer feedback']);
  });

  it('a member is refused what only facilitators do', async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, 'Mine to write, not to moderate');
    const state = await readBoard(t.id, t.alice);
    const attempts: Array<Promise<Response>> = [
      patchJson(board(t.id), { settingsVersion: state.settingsVersion, locked: true }, t.alice),
      patchJson(board(t.id), { settingsVersion: state.settingsVersion, votesRevealed: true }, t.alice),
      postJson(`${board(t.id)}/invitations`, { email: 'friend@district.example', role: 'member' }, {}, t.alice),
      patchJson(`${board(t.id)}/members/${t.bob.accountId}`, { role: 'viewer' }, t.alice),
      del(`${board(t.id)}/members/${t.bob.accountId}`, t.alice),
      patchJson(`${board(t.id)}/cards/${card.id}`, { version: card.version, status: 'hidden' }, t.alice),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('FACILITATORS_ONLY');
    }
    const after = await readBoard(t.id, t.fac);
    expect(after.version).toBe(state.version);
    expect(after.locked).toBe(false);
    expect(after.members).toHaveLength(4);
  });

  it("a member may not delete someone else's card or comment", async () => {
    const t = await boardTeam();
    const { card } = await addCard(t.id, t.alice, "Alice's idea");
    const withComment = await postJson(
      `${board(t.id)}/cards/${card.id}/comments`,
      { text: "Alice's note" },
      {},
      t.alice,
    );
    const comment = ((await withComment.json()) as BoardState).cards.find((c) => c.id === card.id)?.comments[0];
    const res = await del(`${board(t.id)}/cards/${card.id}`, t.bob);
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('NOT_YOURS');
    const commentRes = await del(`${board(t.id)}/comments/${comment?.id}`, t.bob);
    expect(commentRes.status).toBe(403);
    expect((await errorOf(commentRes)).code).toBe('NOT_YOURS');
    const seen = (await readBoard(t.id, t.bob)).cards.find((c) => c.id === card.id);
    expect(seen?.deletedAt).toBeNull();
    expect(seen?.comments.map((c) => c.text)).toEqual(["Alice's note"]);
  });
});

describe('invitations and joining', () => {
  it('mails a single-use join link (and returns none) that signs a new person in as a member of the board', async () => {
    const fac = await signedIn(['facilitator']);
    const state = await createBoard(fac);
    const email = `New.Teacher-${crypto.randomUUID()}@District.example`;
    const invitation = await invite(state.id, email, 'member', fac, 'Nia Newcomer');
    expect(invitation).toEqual({
      accountId: expect.any(String),
      email: email.toLowerCase(),
      role: 'member',
      emailed: true,
    });
    const token = await mailedToken(email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listed = (await readBoard(state.id, fac)).members.find((m) => m.accountId === invitation.accountId);
    expect(listed).toMatchObject({ name: 'Nia Newcomer', email: email.toLowerCase(), role: 'member', joinedAt: null });

    const before = (await readBoard(state.id, fac)).version;
    const res = await join(token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ boardId: state.id });
    // The facilitator's open board learns of it through the live poll.
    expect((await api(`${board(state.id)}?since=${before}`, {}, fac)).status).toBe(200);
    const cookie = (res.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^__Host-homegrown_session=[A-Za-z0-9_-]{43}$/);
    const mine = await readBoard(state.id, { cookie });
    expect(mine.you).toMatchObject({ accountId: invitation.accountId, role: 'member' });
    expect(mine.members.find((m) => m.accountId === invitation.accountId)?.joinedAt).toEqual(expect.any(String));
    // The new account holds no district role: it may not create boards.
    expect((await list({ cookie })).campaigns).toBeNull();

    const again = await join(token);
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('INVITATION_USED');
    expect(again.headers.get('Set-Cookie')).toBeNull();
  });

  it('a link lasts 72 hours; an expired one is refused and signs nobody in', async () => {
    const fac = await signedIn(['facilitator']);
    const state = await createBoard(fac);
    const invitation = await invite(state.id, `late-${crypto.randomUUID()}@district.example`, 'member', fac);
    const token = await mailedToken(invitation.email);
    const tokenHash = await hashToken(token);
    const row = await db()
      .prepare('SELECT created_at AS createdAt, expires_at AS expiresAt FROM board_invitations WHERE token_hash = ?')
      .bind(tokenHash)
      .first<{ createdAt: string; expiresAt: string }>();
    expect(Date.parse(row?.expiresAt ?? '') - Date.parse(row?.createdAt ?? '')).toBe(72 * 3_600_000);
    // Three days and a minute later, as the database sees it.
    await db()
      .prepare('UPDATE board_invitations SET expires_at = ? WHERE token_hash = ?')
      .bind(new Date(Date.now() - 60_000).toISOString(), tokenHash)
      .run();
    const res = await join(token);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('INVITATION_EXPIRED');
    expect(res.headers.get('Set-Cookie')).toBeNull();
    // Inviting again mails a fresh link. The account exists by now, so that link signs nobody
    // in: the colleague signs in with an emailed sign-in link, then the join link accepts.
    await invite(state.id, invitation.email, 'member', fac);
    const fresh = await mailedToken(invitation.email);
    expect(fresh).not.toBe(token);
    const signedOut = await join(fresh);
    expect(signedOut.status).toBe(409);
    expect((await errorOf(signedOut)).code).toBe('SIGN_IN_FIRST');
    expect((await postJson('/api/auth/sign-in-link', { email: invitation.email }, {}, 'nobody')).status).toBe(202);
    const mail = await db()
      .prepare('SELECT body FROM dev_outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1')
      .bind(invitation.email)
      .first<{ body: string }>();
    const signInToken = mail?.body.match(/\/sign-in\/complete\/#token=([A-Za-z0-9_-]{43})/)?.[1];
    const session = await postJson('/api/auth/session', { token: signInToken }, {}, 'nobody');
    expect(session.status).toBe(200);
    const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    expect((await join(fresh, { cookie })).status).toBe(200);
    expect((await readBoard(state.id, { cookie })).you.role).toBe('member');
  });

  it('an unknown token is a 404', async () => {
    const made = 'A'.repeat(43);
    const res = await join(made);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('INVITATION_NOT_FOUND');
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('an account with a district role must sign in first; then the same link works', async () => {
    const fac = await signedIn(['facilitator']);
    const state = await createBoard(fac);
    const director = await signedIn(['director']);
    const invitation = await invite(state.id, director.email, 'member', fac);
    expect(invitation.accountId).toBe(director.accountId);
    const token = await mailedToken(director.email);
    const res = await join(token);
    expect(res.status).toBe(409);
    const error = (await errorOf(res)) as { code: string; message: string; current?: unknown };
    expect(error.code).toBe('SIGN_IN_FIRST');
    expect(error.message).toContain(director.email);
    expect(error.current).toEqual({ email: director.email, boardId: state.id });
    expect(res.headers.get('Set-Cookie')).toBeNull();
    // Signed in as someone else is no better.
    const stranger = await join(token, await signedIn(['director']));
    expect(stranger.status).toBe(409);
    expect((await errorOf(stranger)).code).toBe('WRONG_ACCOUNT');
    expect(stranger.headers.get('Set-Cookie')).toBeNull();

    const signedInAsIt = await join(token, director);
    expect(signedInAsIt.status).toBe(200);
    expect(await signedInAsIt.json()).toEqual({ boardId: state.id });
    expect((await readBoard(state.id, director)).you.role).toBe('member');
  });

  it('inviting again changes the role', async () => {
    const t = await boardTeam();
    await invite(t.id, t.alice.email, 'viewer', t.fac);
    const state = await readBoard(t.id, t.alice);
    expect(state.you.role).toBe('viewer');
    expect(state.members.filter((m) => m.accountId === t.alice.accountId)).toHaveLength(1);
    const res = await postJson(`${board(t.id)}/cards`, { column: 'working', text: 'Still writing?' }, {}, t.alice);
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('READ_ONLY');
    await invite(t.id, t.alice.email, 'facilitator', t.fac);
    expect((await readBoard(t.id, t.alice)).you.role).toBe('facilitator');
  });

  it.each([
    [{ email: 'not-an-address', role: 'member' }, 'email'],
    [{ email: 'someone@district.example', role: 'owner' }, 'role'],
  ])('refuses %j with 422 naming %s', async (body, field) => {
    const t = await boardTeam();
    const res = await postJson(`${board(t.id)}/invitations`, body, {}, t.fac);
    expect(res.status).toBe(422);
    expect(Object.keys((await errorOf(res)).fields ?? {})).toContain(field);
    expect((await readBoard(t.id, t.fac)).members).toHaveLength(4);
  });
});

describe('members', () => {
  it('the last facilitator can be neither demoted nor removed', async () => {
    const t = await boardTeam();
    const demote = await patchJson(`${board(t.id)}/members/${t.fac.accountId}`, { role: 'member' }, t.fac);
    expect(demote.status).toBe(409);
    expect((await errorOf(demote)).code).toBe('LAST_FACILITATOR');
    const remove = await del(`${board(t.id)}/members/${t.fac.accountId}`, t.fac);
    expect(remove.status).toBe(409);
    expect((await errorOf(remove)).code).toBe('LAST_FACILITATOR');
    expect((await readBoard(t.id, t.fac)).you.role).toBe('facilitator');

    // With a second facilitator, the first may step down.
    const promoted = await patchJson(`${board(t.id)}/members/${t.bob.accountId}`, { role: 'facilitator' }, t.fac);
    expect(promoted.status).toBe(200);
    const stepDown = await patchJson(`${board(t.id)}/members/${t.fac.accountId}`, { role: 'member' }, t.fac);
    expect(stepDown.status).toBe(200);
    const state = (await stepDown.json()) as BoardState;
    expect(state.members.filter((m) => m.role === 'facilitator').map((m) => m.accountId)).toEqual([t.bob.accountId]);
    // And now Bob is the only one left.
    const last = await del(`${board(t.id)}/members/${t.bob.accountId}`, t.bob);
    expect(last.status).toBe(409);
    expect((await errorOf(last)).code).toBe('LAST_FACILITATOR');
  });

  it('a removed member can no longer open the board', async () => {
    const t = await boardTeam();
    const res = await del(`${board(t.id)}/members/${t.alice.accountId}`, t.fac);
    expect(res.status).toBe(200);
    const state = (await res.json()) as BoardState;
    expect(state.members.map((m) => m.accountId)).not.toContain(t.alice.accountId);
    const refused = await api(board(t.id), {}, t.alice);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('NOT_A_MEMBER');
    const write = await postJson(`${board(t.id)}/cards`, { column: 'working', text: 'Let me back in' }, {}, t.alice);
    expect(write.status).toBe(403);
    expect((await errorOf(write)).code).toBe('NOT_A_MEMBER');
    expect((await list(t.alice)).items).toEqual([]);
  });

  it('changing a role answers with the board as it is now', async () => {
    const t = await boardTeam();
    const res = await patchJson(`${board(t.id)}/members/${t.viewer.accountId}`, { role: 'member' }, t.fac);
    expect(res.status).toBe(200);
    const state = (await res.json()) as BoardState;
    expect(state.members.find((m) => m.accountId === t.viewer.accountId)?.role).toBe('member');
    expect(state.version).toBeGreaterThan(t.state.version);
    const bad = await patchJson(`${board(t.id)}/members/${t.viewer.accountId}`, { role: 'owner' }, t.fac);
    expect(bad.status).toBe(422);
  });
});
