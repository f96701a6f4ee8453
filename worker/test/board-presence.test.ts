/**
 * Who is on a board now (presence), against the real worker and D1: an open board page says
 * "here" (PUT /api/boards/:id/presence) every few seconds and "gone" (DELETE) when it closes.
 * Only the board's members learn who is here, and a heartbeat never changes the board's
 * version (so it never makes every member read the whole board again).
 */
import { describe, expect, it } from 'vitest';
import { PRESENCE_SECONDS } from '../src/domain/boards';
import { api, boardTeam, db, del, errorOf, putJson, readBoard, signedInNamed } from './helpers';

interface Presence {
  here: { accountId: string; name: string }[];
  beatSeconds: number;
}

const here = (boardId: string, as: Parameters<typeof putJson>[2]) => putJson(`/api/boards/${boardId}/presence`, {}, as);
const names = async (res: Response) => ((await res.json()) as Presence).here.map((person) => person.name);

describe('who is on a board now', () => {
  it('names every member whose board page is open, and no longer one who left', async () => {
    const team = await boardTeam();
    const first = await here(team.id, team.fac);
    expect(first.status).toBe(200);
    const body = (await first.clone().json()) as Presence;
    expect(body.beatSeconds).toBeLessThan(PRESENCE_SECONDS);
    expect(await names(first)).toEqual(['Fran Facilitator']);

    expect(await names(await here(team.id, team.alice))).toEqual(['Alice Member', 'Fran Facilitator']);
    // A viewer is on the board too, and sees who else is.
    expect(await names(await here(team.id, team.viewer))).toEqual(['Alice Member', 'Fran Facilitator', 'Vera Viewer']);

    const gone = await del(`/api/boards/${team.id}/presence`, team.alice);
    expect(gone.status).toBe(204);
    expect(await names(await here(team.id, team.fac))).toEqual(['Fran Facilitator', 'Vera Viewer']);
  });

  it('forgets a member who went silent for longer than the presence window', async () => {
    const team = await boardTeam();
    await here(team.id, team.alice);
    const stale = new Date(Date.now() - (PRESENCE_SECONDS + 1) * 1000).toISOString();
    await db()
      .prepare('UPDATE board_members SET seen_at = ? WHERE board_id = ? AND account_id = ?')
      .bind(stale, team.id, team.alice.accountId)
      .run();
    expect(await names(await here(team.id, team.bob))).toEqual(['Bob Member']);
  });

  it('drops a member taken off the board at once, and a disabled account', async () => {
    const team = await boardTeam();
    await here(team.id, team.alice);
    await here(team.id, team.bob);
    expect((await del(`/api/boards/${team.id}/members/${team.alice.accountId}`, team.fac)).status).toBe(200);
    await db()
      .prepare('UPDATE accounts SET disabled_at = ? WHERE id = ?')
      .bind(new Date().toISOString(), team.bob.accountId)
      .run();
    expect(await names(await here(team.id, team.fac))).toEqual(['Fran Facilitator']);
  });

  it('tells nobody outside the board who is on it', async () => {
    const team = await boardTeam();
    await here(team.id, team.alice);
    const outsider = await signedInNamed([], 'Otto Outsider');
    for (const res of [await here(team.id, outsider), await del(`/api/boards/${team.id}/presence`, outsider)]) {
      expect(res.status).toBe(403);
      const error = await errorOf(res);
      expect(error.code).toBe('NOT_A_MEMBER');
      expect(JSON.stringify(error)).not.toContain('Alice');
    }
    const signedOut = await here(team.id, 'nobody');
    expect(signedOut.status).toBe(401);
    const missing = await here('no-such-board', team.fac);
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('BOARD_NOT_FOUND');
    // An outsider's attempt marks nobody here.
    expect(await names(await here(team.id, team.bob))).toEqual(['Alice Member', 'Bob Member']);
  });

  it('refuses a body, and never changes the board version that polling watches', async () => {
    const team = await boardTeam();
    const before = (await readBoard(team.id, team.fac)).version;
    const big = await api(
      `/api/boards/${team.id}/presence`,
      {
        method: 'PUT',
        body: JSON.stringify({ pad: 'x'.repeat(4096) }),
        headers: { 'Content-Type': 'application/json' },
      },
      team.alice,
    );
    expect(big.status).toBe(413);
    const extra = await putJson(`/api/boards/${team.id}/presence`, { here: true }, team.alice);
    expect(extra.status).toBe(422);
    expect((await errorOf(extra)).code).toBe('INVALID_INPUT');
    await here(team.id, team.alice);
    await del(`/api/boards/${team.id}/presence`, team.alice);
    const poll = await api(`/api/boards/${team.id}?since=${before}`, {}, team.fac);
    expect(poll.status).toBe(204);
  });
});
