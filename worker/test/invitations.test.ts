import { beforeAll, describe, expect, it } from 'vitest';
import { storeResponse } from '../src/db/responses';
import {
  answers,
  api,
  count,
  createCampaign,
  db,
  errorOf,
  invite,
  postJson,
  seedRoster,
  submit,
  withinOneMinute,
} from './helpers';

let identified: string;
let links: Map<string, string>;

beforeAll(async () => {
  await seedRoster([{}, {}, {}, { schoolId: 'ridge-middle' }, {}]);
  identified = await createCampaign({ mode: 'identified', title: 'Identified' });
  links = await invite(identified);
});

const token = (staffId: string) => links.get(staffId) ?? '';
const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });

describe('personal links', () => {
  it('are issued for everyone on the roster, as links carrying the token in the fragment, stored only as hashes', async () => {
    const res = await postJson(`/api/campaigns/${await createCampaign({ mode: 'identified' })}/invitations`, {});
    const body = (await res.json()) as {
      items: Array<{ staffId: string; name: string; status: string; link: string }>;
      created: number;
      answered: number;
    };
    expect(body.created).toBe(5);
    expect(body.answered).toBe(0);
    expect(body.items.map((item) => item.staffId).sort()).toEqual(['T1', 'T2', 'T3', 'T4', 'T5']);
    // At the configured public origin, not the request's Host (homegrown.test here).
    expect(body.items[0]?.link).toMatch(
      /^http:\/\/127\.0\.0\.1:8787\/survey\/\?c=[0-9a-f-]{36}#invite=[A-Za-z0-9_-]{43}$/,
    );
    const stored = await db().prepare('SELECT token_hash FROM invitations').all<{ token_hash: string }>();
    for (const item of body.items) {
      const value = item.link.split('#invite=')[1] ?? '';
      expect(stored.results.some((row) => row.token_hash === value)).toBe(false);
    }
  });

  it('are refused for anonymous campaigns, which keep one public link', async () => {
    const res = await postJson(`/api/campaigns/${await createCampaign()}/invitations`, {});
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('ANONYMOUS_CAMPAIGN');
  });

  it('tell the survey page whose link it is and whether it was used', async () => {
    const res = await api(`/api/campaigns/${identified}/survey`, { headers: bearer(token('T5')) }, 'nobody');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { invitation: unknown }).invitation).toEqual({
      status: 'unused',
      name: 'Teacher 5',
      fromRoster: {
        school: 'maple-elementary',
        role: 'classroom-teacher',
        careerStage: 'established',
        subject: 'math',
        gradeBand: 'elementary',
      },
    });
    const plain = await api(`/api/campaigns/${identified}/survey`, {}, 'nobody');
    expect(((await plain.json()) as { invitation: unknown }).invitation).toBeNull();
  });

  it('list colleagues to name, never the respondent themselves, only to a link holder', async () => {
    const res = await api(`/api/campaigns/${identified}/staff`, { headers: bearer(token('T2')) }, 'nobody');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Array<{ staffId: string }> };
    expect(items.map((item) => item.staffId).sort()).toEqual(['T1', 'T3', 'T4', 'T5']);
    const without = await api(`/api/campaigns/${identified}/staff`, {}, 'nobody');
    expect(without.status).toBe(401);
    expect((await errorOf(without)).code).toBe('INVITATION_REQUIRED');
  });

  it('tie the response to the staff member, once: a retry gets the same id, a second answer is refused kindly', async () => {
    const key = crypto.randomUUID();
    const first = await submit(identified, { answers: answers({ peerNominations: ['T2'] }) }, key, token('T1'));
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    const row = await db()
      .prepare(
        'SELECT r.staff_id AS staffId, i.response_id AS responseId, i.used_at AS usedAt FROM responses r JOIN invitations i ON i.response_id = r.id WHERE r.id = ?',
      )
      .bind(id)
      .first<{ staffId: string; responseId: string; usedAt: string }>();
    expect(row?.staffId).toBe('T1');
    expect(row?.usedAt).toBeTruthy();

    const retry = await submit(identified, { answers: answers({ peerNominations: ['T2'] }) }, key, token('T1'));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ id });

    const again = await submit(
      identified,
      { answers: answers({ comment: 'changed my mind' }) },
      crypto.randomUUID(),
      token('T1'),
    );
    expect(again.status).toBe(409);
    const error = await errorOf(again);
    expect(error.code).toBe('INVITATION_USED');
    expect(error.message).toMatch(/already answered.*Thank you/);
    expect(await count('responses', identified)).toBe(1);

    const survey = await api(`/api/campaigns/${identified}/survey`, { headers: bearer(token('T1')) }, 'nobody');
    expect(((await survey.json()) as { invitation: { status: string } }).invitation.status).toBe('used');
    const staff = await api(`/api/campaigns/${identified}/staff`, { headers: bearer(token('T1')) }, 'nobody');
    expect(staff.status).toBe(409);
  });

  it("refuse another person's key through your link, whatever the answers, leaving your link unused", async () => {
    const campaign = await createCampaign({ mode: 'identified' });
    const round = await invite(campaign);
    const key = crypto.randomUUID();
    const body = { answers: answers({ comment: 'what A said' }) };
    const first = await submit(campaign, body, key, round.get('T1'));
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };

    // B sends A's key with A's exact answers, then with a guess: the same refusal both times,
    // so the answer neither hands B A's response id nor confirms a guess of A's answers.
    const same = await submit(campaign, body, key, round.get('T2'));
    const guess = await submit(campaign, { answers: answers({ comment: 'a guess' }) }, key, round.get('T2'));
    for (const res of [same, guess]) expect(res.status).toBe(409);
    const [sameError, guessError] = [await errorOf(same), await errorOf(guess)];
    expect(sameError.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(guessError).toEqual(sameError);
    expect(JSON.stringify(sameError)).not.toContain(id);
    expect(await count('responses', campaign)).toBe(1);

    // B's link is still unused and still works; A's genuine retry still gets A's id.
    const survey = await api(`/api/campaigns/${campaign}/survey`, { headers: bearer(round.get('T2') ?? '') }, 'nobody');
    expect(((await survey.json()) as { invitation: { status: string } }).invitation.status).toBe('unused');
    const retry = await submit(campaign, body, key, round.get('T1'));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ id });
    expect((await submit(campaign, body, crypto.randomUUID(), round.get('T2'))).status).toBe(201);
    expect(await count('responses', campaign)).toBe(2);
  });

  it('refuse a key already stored under another campaign, leaving this link unused', async () => {
    const [first, second] = [
      await createCampaign({ mode: 'identified' }),
      await createCampaign({ mode: 'identified' }),
    ];
    const [firstLinks, secondLinks] = [await invite(first), await invite(second)];
    const key = crypto.randomUUID();
    expect((await submit(first, { answers: answers() }, key, firstLinks.get('T1'))).status).toBe(201);
    const res = await submit(second, { answers: answers() }, key, secondLinks.get('T1'));
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count('responses', second)).toBe(0);
    const survey = await api(
      `/api/campaigns/${second}/survey`,
      { headers: bearer(secondLinks.get('T1') ?? '') },
      'nobody',
    );
    expect(((await survey.json()) as { invitation: { status: string } }).invitation.status).toBe('unused');
  });

  it('are not issued to someone whose answer was stored without one (as the demo seed stores them), so none can fail', async () => {
    const campaign = await createCampaign({ mode: 'identified' });
    const now = new Date().toISOString();
    const seeded = await storeResponse(
      db(),
      {
        id: crypto.randomUUID(),
        campaignId: campaign,
        idempotencyKey: crypto.randomUUID(),
        bodyHash: 'seeded',
        staffId: 'T5',
        answers: answers(),
        submittedAt: now,
      },
      now,
    );
    expect(seeded.stored).toBe(true);
    const res = await postJson(`/api/campaigns/${campaign}/invitations`, {});
    const body = (await res.json()) as {
      items: Array<{ staffId: string; status: string; link: string | null }>;
      answered: number;
    };
    expect(body.answered).toBe(1);
    expect(body.items.find((item) => item.staffId === 'T5')).toMatchObject({ status: 'answered', link: null });
    // Had a link been issued, the database would refuse its answer (one response per person).
    const link = body.items.find((item) => item.staffId === 'T5')?.link?.split('#invite=')[1];
    if (link) {
      const answer = await submit(campaign, { answers: answers() }, crypto.randomUUID(), link);
      expect([answer.status, (await errorOf(answer)).code]).toEqual([409, 'INVITATION_USED']);
    }
    expect(await count('responses', campaign)).toBe(1);
  });

  it('let one of five racing answers through a link, and only one', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        submit(identified, { answers: answers({ comment: `try ${n}` }) }, crypto.randomUUID(), token('T3')),
      ),
    );
    expect(results.map((res) => res.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(
      (await db().prepare("SELECT COUNT(*) AS n FROM responses WHERE staff_id = 'T3'").first<{ n: number }>())?.n,
    ).toBe(1);
  });

  it('refuse identified answers without a link, with a link of another campaign, or with a made-up one', async () => {
    const other = await createCampaign({ mode: 'identified' });
    const otherLinks = await invite(other);
    const before = await count('responses', identified);
    const cases: Array<[string | undefined, number, string]> = [
      [undefined, 401, 'INVITATION_REQUIRED'],
      [otherLinks.get('T4'), 403, 'INVITATION_INVALID'],
      ['A'.repeat(43), 403, 'INVITATION_INVALID'],
      ['short', 403, 'INVITATION_INVALID'],
    ];
    for (const [value, status, code] of cases) {
      const res = await submit(identified, { answers: answers() }, crypto.randomUUID(), value);
      expect([res.status, (await errorOf(res)).code]).toEqual([status, code]);
    }
    expect(await count('responses', identified)).toBe(before);
  });

  it('refuse naming oneself as a colleague to go to for advice, storing nothing', async () => {
    const res = await submit(
      identified,
      { answers: answers({ peerNominations: ['T4'] }) },
      crypto.randomUUID(),
      token('T4'),
    );
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('SELF_NOMINATION');
    expect(error.fields).toHaveProperty('peerNominations');
    expect(
      (await db().prepare("SELECT COUNT(*) AS n FROM responses WHERE staff_id = 'T4'").first<{ n: number }>())?.n,
    ).toBe(0);
  });

  it('issued again replace the unused links and leave answered ones alone', async () => {
    const campaign = await createCampaign({ mode: 'identified' });
    const firstRound = await invite(campaign);
    expect((await submit(campaign, { answers: answers() }, crypto.randomUUID(), firstRound.get('T1'))).status).toBe(
      201,
    );
    const res = await postJson(`/api/campaigns/${campaign}/invitations`, {});
    const body = (await res.json()) as {
      items: Array<{ staffId: string; status: string; link: string | null }>;
      answered: number;
    };
    expect(body.answered).toBe(1);
    expect(body.items.find((item) => item.staffId === 'T1')).toMatchObject({ status: 'answered', link: null });
    const old = await submit(campaign, { answers: answers() }, crypto.randomUUID(), firstRound.get('T2'));
    expect([old.status, (await errorOf(old)).code]).toEqual([403, 'INVITATION_INVALID']);
    const fresh = body.items.find((item) => item.staffId === 'T2')?.link?.split('#invite=')[1];
    expect((await submit(campaign, { answers: answers() }, crypto.randomUUID(), fresh)).status).toBe(201);
    const audit = await db()
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invitations.export' AND target = ?")
      .bind(campaign)
      .first<{ n: number }>();
    expect(audit?.n).toBe(2);
  });
});

describe('anonymous answers', () => {
  it('store no identity and no address', async () => {
    const campaign = await createCampaign();
    const res = await api(
      `/api/campaigns/${campaign}/responses`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': crypto.randomUUID(),
          'CF-Connecting-IP': '203.0.113.77',
          'User-Agent': 'Mozilla/5.0 (unique-agent-string)',
        },
        body: JSON.stringify({ answers: answers() }),
      },
      'nobody',
    );
    expect(res.status).toBe(201);
    const row = await db().prepare('SELECT * FROM responses WHERE campaign_id = ?').bind(campaign).first();
    expect(row?.staff_id).toBeNull();
    const dump = JSON.stringify(row);
    expect(dump).not.toContain('203.0.113.77');
    expect(dump).not.toContain('unique-agent-string');
  });

  it('are rate limited per caller and campaign: past 120 in a minute, 429 with Retry-After and nothing stored', () =>
    withinOneMinute(async (attempt) => {
      const campaign = await createCampaign();
      const send = (body: unknown, address = `198.51.100.${1 + 2 * attempt}`) =>
        api(
          `/api/campaigns/${campaign}/responses`,
          {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              'Idempotency-Key': crypto.randomUUID(),
              'CF-Connecting-IP': address,
            },
            body: JSON.stringify(body),
          },
          'nobody',
        );
      // Refused answers count too: 119 bad ones and one good one use up the minute.
      const statuses = new Map<number, number>();
      for (let i = 0; i < 119; i++) {
        const status = (await send({ answers: {} })).status;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      expect([...statuses]).toEqual([[422, 119]]);
      expect((await send({ answers: answers() })).status).toBe(201);
      const refused = await send({ answers: answers() });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('Retry-After')).toBe('60');
      expect((await errorOf(refused)).code).toBe('RATE_LIMITED');
      expect(await count('responses', campaign)).toBe(1);
      // Another caller is not held back by this one.
      expect((await send({ answers: answers() }, `198.51.100.${2 + 2 * attempt}`)).status).toBe(201);
    }));
});
