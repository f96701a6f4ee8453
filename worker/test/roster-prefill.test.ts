/**
 * A personal link fills in About you from the roster: its holder's own school, role, career
 * stage, subject and grade band, for them to correct. Nobody else learns them: not another
 * link's holder, not an anonymous caller, not a wrong, used or retired link.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { retireStaffStatements } from '../src/db/roster';
import { answers, api, createCampaign, db, errorOf, invite, seedRoster, submit } from './helpers';

let campaign: string;
let links: Map<string, string>;

beforeAll(async () => {
  await seedRoster([
    {
      name: 'Alicia Moreno',
      schoolId: 'ridge-middle',
      role: 'instructional-coach',
      careerStage: 'veteran',
      subject: 'science',
      gradeBand: 'middle',
    },
    { name: 'Ben Ortiz', schoolId: 'maple-elementary', role: 'paraprofessional', careerStage: null, subject: null },
    // A role the survey does not offer, and nothing else known.
    { name: 'Cara Lin', schoolId: null, role: 'bus-driver', careerStage: null, subject: null, gradeBand: null },
    { name: 'Dan Reyes' },
  ]);
  campaign = await createCampaign({ mode: 'identified', title: 'Named survey' });
  links = await invite(campaign);
});

const surveyWith = (id: string, token?: string) =>
  api(`/api/campaigns/${id}/survey`, token ? { headers: { Authorization: `Bearer ${token}` } } : {}, 'nobody');
const invitationOf = async (res: Response) =>
  ((await res.json()) as { invitation: { name: string; fromRoster: unknown } | null }).invitation;

describe('GET /api/campaigns/:id/survey with a personal link', () => {
  it("fills in its holder's own roster entry, and each link gets only its own", async () => {
    expect(await invitationOf(await surveyWith(campaign, links.get('T1')))).toEqual({
      status: 'unused',
      name: 'Alicia Moreno',
      fromRoster: {
        school: 'ridge-middle',
        role: 'instructional-coach',
        careerStage: 'veteran',
        subject: 'science',
        gradeBand: 'middle',
      },
    });
    expect(await invitationOf(await surveyWith(campaign, links.get('T2')))).toMatchObject({
      name: 'Ben Ortiz',
      fromRoster: { school: 'maple-elementary', role: 'paraprofessional', gradeBand: 'elementary' },
    });
    const ben = await invitationOf(await surveyWith(campaign, links.get('T2')));
    expect(JSON.stringify(ben)).not.toMatch(/ridge-middle|instructional-coach|veteran|science/);
  });

  it('leaves out what the roster does not know, or knows as something the survey does not offer', async () => {
    expect(await invitationOf(await surveyWith(campaign, links.get('T3')))).toEqual({
      status: 'unused',
      name: 'Cara Lin',
      fromRoster: {},
    });
  });

  it('tells an anonymous caller, a wrong link and a link of another campaign nothing', async () => {
    const plain = await surveyWith(campaign);
    expect(plain.status).toBe(200);
    expect(await invitationOf(plain)).toBeNull();

    const wrong = await surveyWith(campaign, 'A'.repeat(43));
    expect(wrong.status).toBe(403);
    const wrongBody = await wrong.text();
    expect(JSON.parse(wrongBody).error.code).toBe('INVITATION_INVALID');
    expect(wrongBody).not.toMatch(/ridge-middle|instructional-coach|Alicia/);

    // Alicia's link opens only the campaign it was issued for.
    const other = await createCampaign({ mode: 'identified' });
    const elsewhere = await surveyWith(other, links.get('T1'));
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.text()).not.toMatch(/ridge-middle|instructional-coach/);
    const anonymous = await surveyWith(await createCampaign(), links.get('T1'));
    expect(anonymous.status).toBe(403);
    expect((await errorOf(anonymous)).code).toBe('INVITATION_INVALID');
  });

  it('fills in nothing once the link has answered', async () => {
    const round = await createCampaign({ mode: 'identified' });
    const own = await invite(round);
    expect((await submit(round, { answers: answers() }, crypto.randomUUID(), own.get('T4'))).status).toBe(201);
    expect(await invitationOf(await surveyWith(round, own.get('T4')))).toEqual({
      status: 'used',
      name: 'Dan Reyes',
      fromRoster: null,
    });
  });

  it('fills in nothing through the unused link of someone retired from the roster: it no longer works', async () => {
    const round = await createCampaign({ mode: 'identified' });
    const own = await invite(round);
    expect((await invitationOf(await surveyWith(round, own.get('T2'))))?.fromRoster).not.toBeNull();
    await db().batch(retireStaffStatements(db(), ['T2'], new Date().toISOString()));
    const res = await surveyWith(round, own.get('T2'));
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(JSON.parse(body).error.code).toBe('INVITATION_INVALID');
    expect(body).not.toMatch(/maple-elementary|paraprofessional|Ben/);
  });
});
