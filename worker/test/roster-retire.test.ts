/**
 * Retiring staff who have left: a roster file that no longer lists them, imported with
 * `retireMissing` after a preview that names them. Their answers stay; nothing offers them
 * any more. Its own file, so the roster is only what these tests import.
 */
import { describe, expect, it } from 'vitest';
import { answers, api, count, createCampaign, db, errorOf, invite, postJson, submit } from './helpers';

const HEADER = 'staffId,name,email,school,role,careerStage,subject,gradeBand,isCoach,coachFocuses';
const person = (id: string, name: string) =>
  `${id},${name},,Maple Elementary,classroom-teacher,established,math,elementary,no,`;
const EVERYONE = [
  HEADER,
  person('R1', 'Ana Ruiz'),
  person('R2', 'Ben Ode'),
  person('R3', 'Cal Diaz'),
  person('R4', 'Dee Eng'),
];
const STAYING = [HEADER, person('R1', 'Ana Ruiz'), person('R2', 'Ben Ode')].join('\n');

const atCedar = (id: string, name: string) =>
  `${id},${name},,Cedar High,classroom-teacher,established,science,high,no,`;

const rosterIds = async () =>
  ((await (await api('/api/roster')).json()) as { items: Array<{ staffId: string }> }).items.map((m) => m.staffId);

async function rateSchools(campaignId: string): Promise<Array<{ school: string; staff: number }>> {
  const res = await api(`/api/campaigns/${campaignId}/response-rates`, {}, 'director');
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<{ school: string; staff: number }> }).items;
}

async function mapleStaff(campaignId: string): Promise<number | undefined> {
  return (await rateSchools(campaignId)).find((item) => item.school === 'maple-elementary')?.staff;
}

/** The schools the survey offers as answers to "Your school". */
const offeredSchools = async () =>
  ((await (await api('/api/framework', {}, 'nobody')).json()) as { schools: Array<{ id: string }> }).schools.map(
    (school) => school.id,
  );

describe('retiring staff who are not in a roster file', () => {
  it('names them in the preview, retires them only when asked, and keeps their answers', async () => {
    expect((await postJson('/api/roster', { csv: EVERYONE.join('\n') })).status).toBe(200);
    const before = await createCampaign({ mode: 'identified', title: 'Before they left' });
    const links = await invite(before);
    // Cal answers; Dee does not, and keeps an unused link.
    const answered = await submit(before, { answers: answers() }, crypto.randomUUID(), links.get('R3'));
    expect(answered.status).toBe(201);

    const preview = await postJson('/api/roster/preview', { csv: STAYING });
    expect(await preview.json()).toMatchObject({
      staff: { new: 0, updated: 0, unchanged: 2, returning: 0 },
      missing: { count: 2, names: ['Cal Diaz', 'Dee Eng'] },
    });
    // Imported without asking: nobody is retired.
    const kept = await postJson('/api/roster', { csv: STAYING });
    expect(((await kept.json()) as { staff: { retired: number } }).staff.retired).toBe(0);
    expect(await rosterIds()).toEqual(['R1', 'R2', 'R3', 'R4']);

    const retired = await postJson('/api/roster', { csv: STAYING, retireMissing: true });
    expect(retired.status).toBe(200);
    expect(await retired.json()).toEqual({
      schools: { created: 0, retired: 0 },
      staff: { created: 0, updated: 0, unchanged: 2, returning: 0, retired: 2 },
    });
    await new Promise((wait) => setTimeout(wait, 5));
    const after = await createCampaign({ mode: 'identified', title: 'After they left' });

    // Kept, with their answer; gone from the roster and from everything that offers people.
    expect(await db().prepare('SELECT COUNT(*) AS n FROM staff').first()).toEqual({ n: 4 });
    expect(await count('responses', before)).toBe(1);
    expect(await rosterIds()).toEqual(['R1', 'R2']);
    const dee = await api(
      `/api/campaigns/${before}/survey`,
      { headers: { Authorization: `Bearer ${links.get('R4')}` } },
      'nobody',
    );
    expect(dee.status).toBe(403);
    expect((await errorOf(dee)).code).toBe('INVITATION_INVALID');
    const picker = await api(
      `/api/campaigns/${before}/staff`,
      { headers: { Authorization: `Bearer ${links.get('R1')}` } },
      'nobody',
    );
    expect(((await picker.json()) as { items: Array<{ staffId: string }> }).items.map((m) => m.staffId)).toEqual([
      'R2',
    ]);
    const named = await submit(
      before,
      { answers: answers({ peerNominations: ['R4'] }) },
      crypto.randomUUID(),
      links.get('R1'),
    );
    expect(named.status).toBe(422);
    expect((await errorOf(named)).code).toBe('UNKNOWN_ID');
    const reissued = await postJson(`/api/campaigns/${after}/invitations`, {});
    expect(
      ((await reissued.json()) as { items: Array<{ staffId: string }> }).items.map((m) => m.staffId).sort(),
    ).toEqual(['R1', 'R2']);
    // Response rates: a campaign begun before they left counts them; one begun after does not.
    expect(await mapleStaff(before)).toBe(4);
    expect(await mapleStaff(after)).toBe(2);
    const audit = await db()
      .prepare("SELECT detail FROM audit_log WHERE action = 'roster.import' ORDER BY id DESC LIMIT 1")
      .first<{ detail: string }>();
    expect(JSON.parse(audit?.detail ?? '{}').staff.retired).toBe(2);

    // Listed again, they are staff again.
    const back = await postJson('/api/roster/preview', { csv: EVERYONE.join('\n') });
    expect(await back.json()).toMatchObject({ staff: { returning: 2 }, missing: { count: 0, names: [] } });
    await postJson('/api/roster', { csv: EVERYONE.join('\n') });
    expect(await rosterIds()).toEqual(['R1', 'R2', 'R3', 'R4']);
  });

  it('retires the schools a file no longer names with their staff, keeps them for earlier campaigns, and brings them back', async () => {
    const withCedar = [...EVERYONE, atCedar('C1', 'Eli Fox'), atCedar('C2', 'Fay Gil')].join('\n');
    const first = await postJson('/api/roster', { csv: withCedar });
    expect(((await first.json()) as { schools: unknown }).schools).toEqual({ created: 1, retired: 0 });
    expect(await offeredSchools()).toEqual(['cedar-high', 'maple-elementary']);
    const before = await createCampaign({ mode: 'anonymous', title: 'While Cedar was open' });

    const preview = await postJson('/api/roster/preview', { csv: EVERYONE.join('\n') });
    expect(await preview.json()).toMatchObject({
      schools: { new: [], existing: 1, missing: ['Cedar High'] },
      missing: { count: 2, names: ['Eli Fox', 'Fay Gil'] },
    });
    // Without the tick, Cedar stays a school of the district.
    await postJson('/api/roster', { csv: EVERYONE.join('\n') });
    expect(await offeredSchools()).toEqual(['cedar-high', 'maple-elementary']);

    const retired = await postJson('/api/roster', { csv: EVERYONE.join('\n'), retireMissing: true });
    expect(await retired.json()).toEqual({
      schools: { created: 0, retired: 1 },
      staff: { created: 0, updated: 0, unchanged: 4, returning: 0, retired: 2 },
    });
    await new Promise((wait) => setTimeout(wait, 5));
    const after = await createCampaign({ mode: 'anonymous', title: 'After Cedar closed' });
    // No longer a choice in the survey, nor a row in a later campaign's response rates…
    expect(await offeredSchools()).toEqual(['maple-elementary']);
    expect((await rateSchools(after)).map((item) => item.school)).toEqual(['maple-elementary']);
    // …but an earlier campaign still counts its two staff, and nothing was deleted.
    expect((await rateSchools(before)).find((item) => item.school === 'cedar-high')?.staff).toBe(2);
    expect(await db().prepare("SELECT COUNT(*) AS n FROM schools WHERE id = 'cedar-high'").first()).toEqual({ n: 1 });

    // A file that names Cedar again makes it a school of the district again (not a second Cedar).
    const back = await postJson('/api/roster', { csv: withCedar });
    expect(((await back.json()) as { schools: unknown }).schools).toEqual({ created: 0, retired: 0 });
    expect(await offeredSchools()).toEqual(['cedar-high', 'maple-elementary']);
  });

  it('refuses retireMissing that is not true or false, storing nothing', async () => {
    const before = await rosterIds();
    expect(before).toContain('R3');
    const res = await postJson('/api/roster', { csv: STAYING, retireMissing: 'yes' });
    expect(res.status).toBe(422);
    expect(await rosterIds()).toEqual(before);
  });
});
