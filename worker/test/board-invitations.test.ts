/**
 * Board invitations may never hand anyone a session for an account that existed before the
 * invitation (security issue, item 1). The reported takeover, step by step: a facilitator
 * invited an existing role-less account to their board, read the join link from the API's
 * answer, redeemed it signed out, and so held a session as the victim, on the victim's other
 * boards and, once an admin granted the victim a district role, in district data.
 *
 * Now: the answer carries no link; the emailed link signs in only the account the invitation
 * itself created; everyone else accepts it signed in as themselves; a role change ends the
 * account's sessions, and disabling it kills its unused links for good.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../src/auth/tokens';
import type { BoardState } from '../src/domain/boards';
import app from '../src/index';
import {
  api,
  boardMember,
  type Caller,
  createBoard,
  db,
  errorOf,
  inviteToBoard,
  patchJson,
  postJson,
  readBoard,
  sessionCookie,
  signedIn,
  signedInNamed,
} from './helpers';

/** A 43-character base64url string anywhere in a text: what every token looks like. */
const TOKEN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/;

interface JoinRefusal {
  code: string;
  message: string;
  current?: { email?: string; boardId?: string };
}

const join = (token: string, as: Caller = 'nobody') => postJson('/api/boards/join', { token }, {}, as);

/** The newest join link's token in the local outbox for this address ('' when none was mailed). */
async function mailedJoinToken(email: string): Promise<string> {
  const row = await db()
    .prepare("SELECT body FROM dev_outbox WHERE recipient = ? AND body LIKE '%/join/#token=%' ORDER BY id DESC LIMIT 1")
    .bind(email.toLowerCase())
    .first<{ body: string }>();
  return row?.body.match(/\/join\/#token=([A-Za-z0-9_-]{43})/)?.[1] ?? '';
}

/** Invites as `as` and returns the answer's body as text (to search it) and the mailed token. */
async function inviteAndRead(boardId: string, email: string, role: string, as: Caller, name?: string) {
  const res = await inviteToBoard(boardId, email, role, as, name);
  expect(res.status).toBe(201);
  const text = await res.text();
  return { text, body: JSON.parse(text) as Record<string, unknown>, token: await mailedJoinToken(email) };
}

const sessionCookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => /^__Host-homegrown_session=[^;]+$/.test(pair)) ?? null;

async function whoIs(cookie: string): Promise<string | null> {
  const res = await api('/api/auth/me', {}, { cookie });
  return res.status === 200 ? ((await res.json()) as { email: string }).email : null;
}

const admin = async () => signedIn(['admin']);

/** A new session for an existing account, as signing in again would give it. */
async function freshSession(accountId: string): Promise<{ cookie: string }> {
  return { cookie: await sessionCookie(accountId) };
}

describe('the reported takeover', () => {
  it('fails at every step that matters', async () => {
    // The victim: an existing account without district roles, a member of board A.
    const owner = await signedIn(['facilitator']);
    const boardA = await createBoard(owner);
    const victim = await boardMember(boardA.id, 'member', owner, 'Vic Victim');
    // The attacker facilitates board B and is not on board A.
    const attacker = await signedInNamed(['facilitator'], 'Mallory');
    const boardB = await createBoard(attacker);

    // 1. The invitation's answer holds no token and no link.
    const invited = await inviteAndRead(boardB.id, victim.email, 'viewer', attacker);
    expect(invited.text).not.toMatch(TOKEN);
    expect(invited.body).toEqual({ accountId: victim.accountId, email: victim.email, role: 'viewer', emailed: true });

    // 2. Even the emailed link (which only the victim's mailbox holds) signs nobody in.
    expect(invited.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const signedOut = await join(invited.token);
    expect(signedOut.status).toBe(409);
    const refusal = (await errorOf(signedOut)) as JoinRefusal;
    expect(refusal.code).toBe('SIGN_IN_FIRST');
    expect(refusal.current).toEqual({ email: victim.email, boardId: boardB.id });
    expect(signedOut.headers.get('Set-Cookie')).toBeNull();

    // 3. Nor does the attacker, signed in, get anything from it: refused, still themselves.
    const asAttacker = await join(invited.token, attacker);
    expect(asAttacker.status).toBe(409);
    expect(((await errorOf(asAttacker)) as JoinRefusal).code).toBe('WRONG_ACCOUNT');
    expect(asAttacker.headers.get('Set-Cookie')).toBeNull();
    expect(await whoIs(attacker.cookie)).toBe(attacker.email);

    // 4. Board A stays out of the attacker's reach.
    expect((await api(`/api/boards/${boardA.id}`, {}, attacker)).status).toBe(403);
    const card = await postJson(`/api/boards/${boardA.id}/cards`, { column: 'working', text: 'as you' }, {}, attacker);
    expect(card.status).toBe(403);

    // 5. The victim, signed in as themselves, accepts; their session stays the one they had.
    const accepted = await join(invited.token, victim);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ boardId: boardB.id });
    expect(accepted.headers.get('Set-Cookie')).toBeNull();
    expect(await whoIs(victim.cookie)).toBe(victim.email);
    // The facilitator sees who joined.
    const members = (await readBoard(boardB.id, attacker)).members;
    expect(members.find((m) => m.accountId === victim.accountId)?.joinedAt).toEqual(expect.any(String));

    // 6. An admin then grants the victim a district role: every session they had ends.
    const granted = await patchJson(`/api/accounts/${victim.accountId}`, { roles: ['director'] }, await admin());
    expect(granted.status).toBe(200);
    expect(await whoIs(victim.cookie)).toBeNull();
    expect((await api('/api/campaigns', {}, { cookie: victim.cookie })).status).toBe(401);
  });
});

describe('the invitation answer', () => {
  it('says whether it was emailed and holds no link or token, for a new or an existing account', async () => {
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const existing = await signedIn([]);
    const fresh = `new-${crypto.randomUUID()}@district.example`;
    for (const email of [existing.email, fresh]) {
      const { text, body, token } = await inviteAndRead(board.id, email, 'member', fac);
      expect(text).not.toMatch(TOKEN);
      expect(body).not.toHaveProperty('link');
      expect(body).toMatchObject({ email, role: 'member', emailed: true });
      // The link went by email only, to that address.
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });
});

describe('when no mail can be sent', () => {
  it('says so, still holds no link, and the colleague is on the board for when they sign in', async () => {
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const email = `unmailed-${crypto.randomUUID()}@district.example`;
    const { DEV_OUTBOX: _, ...deployed } = env as Env & { DEV_OUTBOX?: string };
    const res = await app.request(
      `/api/boards/${board.id}/invitations`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: fac.cookie },
        body: JSON.stringify({ email, role: 'member' }),
      },
      deployed,
    );
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toMatch(TOKEN);
    expect(JSON.parse(text)).toEqual({ accountId: expect.any(String), email, role: 'member', emailed: false });
    expect(await mailedJoinToken(email)).toBe('');
    const member = (await readBoard(board.id, fac)).members.find((m) => m.email === email);
    expect(member).toMatchObject({ role: 'member', joinedAt: null });
  });
});

describe('an account that existed before the invitation', () => {
  it('is never signed in by the emailed link: signed out it answers 409 SIGN_IN_FIRST, and the link stays usable', async () => {
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const teacher = await signedIn([]);
    const { token } = await inviteAndRead(board.id, teacher.email, 'member', fac);
    const res = await join(token);
    expect(res.status).toBe(409);
    const error = (await errorOf(res)) as JoinRefusal;
    expect(error.code).toBe('SIGN_IN_FIRST');
    expect(error.message).toContain(teacher.email);
    expect(res.headers.get('Set-Cookie')).toBeNull();
    // The refusal used nothing up: signed in, the same link accepts.
    const accepted = await join(token, teacher);
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('Set-Cookie')).toBeNull();
    const again = await join(token, teacher);
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('INVITATION_USED');
  });

  it('created by an earlier invitation is not signed in by a later one either', async () => {
    const fac = await signedIn(['facilitator']);
    const first = await createBoard(fac);
    const second = await createBoard(fac);
    const email = `nia-${crypto.randomUUID()}@district.example`;
    const made = await inviteAndRead(first.id, email, 'member', fac);
    const later = await inviteAndRead(second.id, email, 'viewer', fac);
    expect(later.token).not.toBe(made.token);
    const res = await join(later.token);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('SIGN_IN_FIRST');
    expect(sessionCookieOf(res)).toBeNull();
    // The first one, which made the account, still signs it in.
    const signIn = await join(made.token);
    expect(signIn.status).toBe(200);
    const cookie = sessionCookieOf(signIn) ?? '';
    expect(await whoIs(cookie)).toBe(email);
    // Signed in so, the later link accepts.
    expect((await join(later.token, { cookie })).status).toBe(200);
    expect((await readBoard(second.id, { cookie })).you.role).toBe('viewer');
  });

  it('signed in as another account, the link is refused, the session stays, and nothing is used up', async () => {
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const invitee = await signedIn([]);
    const other = await signedIn([]);
    const { token } = await inviteAndRead(board.id, invitee.email, 'member', fac);
    for (const as of [other, fac]) {
      const res = await join(token, as);
      expect(res.status).toBe(409);
      const error = (await errorOf(res)) as JoinRefusal;
      expect(error.code).toBe('WRONG_ACCOUNT');
      expect(error.message).toContain(invitee.email);
      expect(error.current).toEqual({ email: invitee.email, boardId: board.id });
      expect(res.headers.get('Set-Cookie')).toBeNull();
      expect(await whoIs(as.cookie)).toBe(as.email);
    }
    expect((await api(`/api/boards/${board.id}`, {}, other)).status).toBe(403);
    expect((await readBoard(board.id, fac)).members.find((m) => m.accountId === invitee.accountId)?.joinedAt).toBe(
      null,
    );
    expect((await join(token, invitee)).status).toBe(200);
  });

  it('holding a district role is refused the same way, and accepts once signed in', async () => {
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const director = await signedIn(['director']);
    const { token } = await inviteAndRead(board.id, director.email, 'member', fac);
    const res = await join(token);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('SIGN_IN_FIRST');
    expect(res.headers.get('Set-Cookie')).toBeNull();
    expect((await join(token, director)).status).toBe(200);
    expect((await readBoard(board.id, director)).you.role).toBe('member');
  });
});

describe('an account the invitation created', () => {
  it('is signed in by its emailed link, as that account only, once', async () => {
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const email = `new-${crypto.randomUUID()}@district.example`;
    const { body, token } = await inviteAndRead(board.id, email, 'member', fac, 'Nia Newcomer');
    const res = await join(token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ boardId: board.id });
    const cookie = sessionCookieOf(res) ?? '';
    expect(cookie).toMatch(/^__Host-homegrown_session=[A-Za-z0-9_-]{43}$/);
    const me = (await (await api('/api/auth/me', {}, { cookie })).json()) as { id: string; email: string };
    expect(me).toMatchObject({ id: body.accountId, email, roles: [] });
    const again = await join(token);
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('INVITATION_USED');
    expect(again.headers.get('Set-Cookie')).toBeNull();
  });

  it('is not signed in when another account is signed in: refused, no switch, and the link still works after', async () => {
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const other = await signedIn([]);
    const email = `new-${crypto.randomUUID()}@district.example`;
    const { token } = await inviteAndRead(board.id, email, 'member', fac);
    const res = await join(token, other);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('WRONG_ACCOUNT');
    expect(res.headers.get('Set-Cookie')).toBeNull();
    expect(await whoIs(other.cookie)).toBe(other.email);
    const signedOut = await join(token);
    expect(signedOut.status).toBe(200);
    expect(await whoIs(sessionCookieOf(signedOut) ?? '')).toBe(email);
  });

  it('is not signed in once it holds a district role', async () => {
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const email = `new-${crypto.randomUUID()}@district.example`;
    const { body, token } = await inviteAndRead(board.id, email, 'member', fac);
    expect((await patchJson(`/api/accounts/${body.accountId}`, { roles: ['director'] }, await admin())).status).toBe(
      200,
    );
    const res = await join(token);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('SIGN_IN_FIRST');
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('links stored before this change sign nobody in', async () => {
    // A row as the old code stored it: no say on whether it signs in.
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const accountId = crypto.randomUUID();
    const email = `old-${crypto.randomUUID()}@district.example`;
    const token = newToken();
    const now = new Date();
    await db().batch([
      db()
        .prepare('INSERT INTO accounts (id, email, name, created_at) VALUES (?, ?, ?, ?)')
        .bind(accountId, email, '', now.toISOString()),
      db()
        .prepare("INSERT INTO board_members (board_id, account_id, role, invited_at) VALUES (?, ?, 'member', ?)")
        .bind(board.id, accountId, now.toISOString()),
      db()
        .prepare(
          'INSERT INTO board_invitations (token_hash, board_id, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        )
        .bind(
          await hashToken(token),
          board.id,
          accountId,
          now.toISOString(),
          new Date(now.getTime() + 3_600_000).toISOString(),
        ),
    ]);
    const res = await join(token);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('SIGN_IN_FIRST');
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });
});

describe('changing roles and disabling', () => {
  it('changing an account’s roles ends all its sessions', async () => {
    const person = await signedIn(['director']);
    const second = await signedIn(['director'], person.email.replace('@', '+2@'));
    await db()
      .prepare('UPDATE sessions SET account_id = ? WHERE account_id = ?')
      .bind(person.accountId, second.accountId)
      .run();
    const res = await patchJson(
      `/api/accounts/${person.accountId}`,
      { roles: ['director', 'facilitator'] },
      await admin(),
    );
    expect(res.status).toBe(200);
    for (const cookie of [person.cookie, second.cookie]) {
      const me = await api('/api/auth/me', {}, { cookie });
      expect(me.status).toBe(401);
      expect((await errorOf(me)).code).toBe('SIGNED_OUT');
    }
  });

  it('a rename alone ends no session', async () => {
    const person = await signedIn(['director']);
    expect((await patchJson(`/api/accounts/${person.accountId}`, { name: 'Renamed' }, await admin())).status).toBe(200);
    expect(await whoIs(person.cookie)).toBe(person.email);
  });

  it('the session a new account’s join link gave ends when it is granted a role', async () => {
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const email = `new-${crypto.randomUUID()}@district.example`;
    const { body, token } = await inviteAndRead(board.id, email, 'member', fac);
    const cookie = sessionCookieOf(await join(token)) ?? '';
    expect(await whoIs(cookie)).toBe(email);
    await patchJson(`/api/accounts/${body.accountId}`, { roles: ['director'] }, await admin());
    expect((await api('/api/campaigns', {}, { cookie })).status).toBe(401);
  });

  it.each([
    ['a new account', true],
    ['an existing account', false],
  ])('disabling %s kills its unused join link, and enabling it again does not revive it', async (_, isNew) => {
    const fac = await signedIn(['facilitator']);
    const board = await createBoard(fac);
    const existing = isNew ? null : await signedIn([]);
    const email = existing?.email ?? `new-${crypto.randomUUID()}@district.example`;
    const { body, token } = await inviteAndRead(board.id, email, 'member', fac);
    const anAdmin = await admin();
    expect((await patchJson(`/api/accounts/${body.accountId}`, { disabled: true }, anAdmin)).status).toBe(200);
    const whileDisabled = await join(token);
    expect(whileDisabled.status).toBe(404);
    expect(whileDisabled.headers.get('Set-Cookie')).toBeNull();
    expect(
      (
        await db()
          .prepare('SELECT COUNT(*) AS n FROM board_invitations WHERE account_id = ? AND used_at IS NULL')
          .bind(body.accountId)
          .first<{ n: number }>()
      )?.n,
    ).toBe(0);

    expect((await patchJson(`/api/accounts/${body.accountId}`, { disabled: false }, anAdmin)).status).toBe(200);
    const revived = await join(token);
    expect(revived.status).toBe(404);
    expect((await errorOf(revived)).code).toBe('INVITATION_NOT_FOUND');
    expect(revived.headers.get('Set-Cookie')).toBeNull();
    // Not even for the account itself, signed in again the usual way.
    if (existing) {
      const asItself = await join(token, await freshSession(existing.accountId));
      expect(asItself.status).toBe(404);
    }
    // The membership itself stays: signed in again, the board is there under Boards.
    const state = (await readBoard(board.id, fac)) as BoardState;
    expect(state.members.map((m) => m.accountId)).toContain(body.accountId);
  });

  it('disabling voids unused sign-in links for good', async () => {
    const person = await signedIn(['director']);
    const signInLink = await postJson('/api/auth/sign-in-link', { email: person.email }, {}, 'nobody');
    expect(signInLink.status).toBe(202);
    const row = await db()
      .prepare('SELECT body FROM dev_outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1')
      .bind(person.email)
      .first<{ body: string }>();
    const token = new URLSearchParams(new URL(row?.body.match(/https?:\/\/\S+/)?.[0] ?? 'x:').hash.slice(1)).get(
      'token',
    );
    const anAdmin = await admin();
    await patchJson(`/api/accounts/${person.accountId}`, { disabled: true }, anAdmin);
    await patchJson(`/api/accounts/${person.accountId}`, { disabled: false }, anAdmin);
    const res = await postJson('/api/auth/session', { token }, {}, 'nobody');
    expect(res.status).toBe(401);
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });
});
