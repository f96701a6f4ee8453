import { describe, expect, it } from 'vitest';
import { api, createCampaign, errorOf, postJson } from './helpers';

interface CampaignBody {
  id: string;
  title: string;
  mode: string;
  minGroupSize: number;
  status: string;
  responseCount: number;
  surveyUrl: string;
}

describe('campaigns', () => {
  it('creates a campaign and gives the survey link', async () => {
    const res = await postJson('/api/campaigns', {
      surveyId: 'needs-assessment',
      title: 'Spring 2027 needs survey',
      mode: 'identified',
      minGroupSize: 7,
    });
    expect(res.status).toBe(201);
    const { id, surveyUrl } = (await res.json()) as { id: string; surveyUrl: string };
    // Built from the configured public origin, not the request's Host (homegrown.test here).
    expect(surveyUrl).toBe(`http://127.0.0.1:8787/survey/?c=${id}`);
    expect(res.headers.get('Location')).toBe(`/api/campaigns/${id}`);

    const campaign = (await (await api(`/api/campaigns/${id}`)).json()) as CampaignBody;
    expect(campaign).toMatchObject({
      id,
      title: 'Spring 2027 needs survey',
      mode: 'identified',
      minGroupSize: 7,
      status: 'open',
      responseCount: 0,
    });
  });

  it('defaults k to 5', async () => {
    const id = await createCampaign();
    expect(((await (await api(`/api/campaigns/${id}`)).json()) as CampaignBody).minGroupSize).toBe(5);
  });

  it('closes a campaign', async () => {
    const id = await createCampaign();
    const res = await postJson(`/api/campaigns/${id}/close`, {});
    expect(res.status).toBe(200);
    expect(((await res.json()) as CampaignBody).status).toBe('closed');
  });

  it('lists campaigns newest first, a page at a time', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await createCampaign({ title: `Round ${i}` }));
    const first = (await (await api('/api/campaigns?limit=2')).json()) as {
      items: CampaignBody[];
      nextCursor?: string;
    };
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTypeOf('string');
    const second = (await (
      await api(`/api/campaigns?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)
    ).json()) as {
      items: CampaignBody[];
    };
    const seen = [...first.items, ...second.items].map((c) => c.id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
  });

  it('serves the respondent view with the survey JSON', async () => {
    const id = await createCampaign({ minGroupSize: 6 });
    const view = (await (await api(`/api/campaigns/${id}/survey`)).json()) as {
      minGroupSize: number;
      status: string;
      survey: { pages: unknown[] };
    };
    expect(view.minGroupSize).toBe(6);
    expect(view.status).toBe('open');
    // About you, six pages of ratings, your learning: leading and piloting is asked only where someone can follow up.
    expect(view.survey.pages.length).toBe(8);
  });

  it("leaves what no one could follow up out of an anonymous campaign's survey", async () => {
    const names = async (id: string) =>
      JSON.stringify(((await (await api(`/api/campaigns/${id}/survey`)).json()) as { survey: unknown }).survey);
    const anonymous = await names(await createCampaign());
    const identified = await names(await createCampaign({ mode: 'identified' }));
    for (const question of [
      'leadershipInterest',
      'selfNominate',
      'peerNominations',
      'pilotWilling',
      'contactConsent',
    ]) {
      expect(anonymous).not.toContain(`"${question}"`);
      expect(identified).toContain(`"name":"${question}"`);
    }
    expect(anonymous).not.toContain('consider you for a leadership opportunity');
    expect(identified).toContain('consider you for a leadership opportunity');
    expect(anonymous).toContain('"name":"comment"');
  });

  it.each([
    [{ surveyId: 'needs-assessment', title: 'x', mode: 'secret' }, 'mode'],
    [{ surveyId: 'nope', title: 'x', mode: 'anonymous' }, 'surveyId'],
    // Names every object has: they passed the check and made a campaign with an empty survey.
    [{ surveyId: 'constructor', title: 'x', mode: 'anonymous' }, 'surveyId'],
    [{ surveyId: 'toString', title: 'x', mode: 'anonymous' }, 'surveyId'],
    [{ surveyId: '__proto__', title: 'x', mode: 'anonymous' }, 'surveyId'],
    [{ surveyId: '', title: 'x', mode: 'anonymous' }, 'surveyId'],
    [{ surveyId: 'needs-assessment', title: '   ', mode: 'anonymous' }, 'title'],
    [{ surveyId: 'needs-assessment', title: 'x', mode: 'anonymous', minGroupSize: 2 }, 'minGroupSize'],
    [{ surveyId: 'needs-assessment', title: 'x', mode: 'anonymous', closesAt: '2020-01-01T00:00:00Z' }, 'closesAt'],
    [{ surveyId: 'needs-assessment', title: 'x', mode: 'anonymous', closesAt: 'next tuesday' }, 'closesAt'],
  ])('refuses %j naming %s', async (body, field) => {
    const before = ((await (await api('/api/campaigns?limit=100')).json()) as { items: unknown[] }).items.length;
    const res = await postJson('/api/campaigns', body);
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('INVALID_INPUT');
    expect(Object.keys(error.fields ?? {})).toContain(field);
    const after = ((await (await api('/api/campaigns?limit=100')).json()) as { items: unknown[] }).items.length;
    expect(after).toBe(before);
  });

  it('an unknown campaign is a JSON 404', async () => {
    for (const path of ['/api/campaigns/nope', '/api/campaigns/nope/survey']) {
      const res = await api(path);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('CAMPAIGN_NOT_FOUND');
    }
    const res = await api('/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('NOT_FOUND');
  });

  it('a bad cursor is a 400', async () => {
    const res = await api('/api/campaigns?cursor=garbage');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('INVALID_CURSOR');
  });

  it('only identified campaigns list colleagues to nominate', async () => {
    const anonymous = await createCampaign();
    const res = await api(`/api/campaigns/${anonymous}/staff`);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('ANONYMOUS_CAMPAIGN');
  });
});
