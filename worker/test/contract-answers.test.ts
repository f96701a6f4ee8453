/**
 * What the worker really sends, read by the answer schemas the OpenAPI document states: one
 * successful call per route of the auth, accounts, roster, audit, framework and responses
 * groups. Parsing drops any key a schema does not name, so a body must equal its own parse:
 * a field the schema misses fails here as surely as a field of the wrong type.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import app from '../src/index';
import type { SsoConfig } from '../src/routes/sso';
import { accountList, account as accountSchema } from '../src/schemas/accounts';
import { auditPage } from '../src/schemas/audit';
import { signedInSession, signedOut, signInLinkSent, signInOptions } from '../src/schemas/auth';
import { framework } from '../src/schemas/framework';
import { nominationStaff, respondentSurvey, submittedResponse } from '../src/schemas/responses';
import { rosterImported, rosterPreview, staffList } from '../src/schemas/roster';
import { answers, api, createCampaign, db, invite, patchJson, postJson, seedRoster, signedIn, submit } from './helpers';

const GOOGLE: SsoConfig = { SSO_PROVIDER: 'google', SSO_CLIENT_ID: 'homegrown-client', SSO_CLIENT_SECRET: 's3cret' };

const ROSTER = [
  'staffId,name,email,school,role,careerStage,subject,gradeBand,isCoach,coachFocuses',
  'C1,Ana Ruiz,ana@district.example,Maple Elementary,classroom-teacher,early-career,math,elementary,yes,formative-assessment',
  'C2,Cal Diaz,,Oak High,classroom-teacher,,,,,',
].join('\n');

/** The answer has this status, and its body is exactly what the schema describes. */
async function conforms(res: Response, status: number, schema: ZodType) {
  const body: unknown = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(schema.parse(body)).toEqual(body);
  return body;
}

/** The whole worker with single sign-on configured, as sso.test.ts calls it. */
const withSso = (path: string) => app.request(`https://homegrown.test${path}`, {}, { ...env, ...GOOGLE });

describe('the auth routes answer what the contract states', () => {
  it('from asking for a link to signing out', async () => {
    const { email } = await signedIn(['director']);
    await conforms(await postJson('/api/auth/sign-in-link', { email }, {}, 'nobody'), 202, signInLinkSent);
    const mail = await db()
      .prepare('SELECT body FROM dev_outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1')
      .bind(email)
      .first<{ body: string }>();
    const link = new URL(mail?.body.match(/https?:\/\/\S+/)?.[0] ?? '');
    const token = new URLSearchParams(link.hash.slice(1)).get('token');
    const session = await postJson('/api/auth/session', { token }, {}, 'nobody');
    const cookie = (session.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    await conforms(session, 200, signedInSession);
    await conforms(await api('/api/auth/me', {}, { cookie }), 200, accountSchema);
    await conforms(await postJson('/api/auth/sign-out', {}, {}, { cookie }), 200, signedOut);
  });

  it('for the sign-in options, with and without single sign-on', async () => {
    await conforms(await api('/api/auth/options', {}, 'nobody'), 200, signInOptions);
    await conforms(await withSso('/api/auth/options'), 200, signInOptions);
  });

  it('for single sign-on, whose answers are redirects', async () => {
    const start = await withSso('/api/auth/sso/start?next=/dashboard/');
    expect(start.status).toBe(302);
    expect(new URL(start.headers.get('Location') ?? '').hostname).toBe('accounts.google.com');
    // A callback this browser did not start goes back to the sign-in page.
    const callback = await withSso('/api/auth/sso/callback?state=x&code=y');
    expect(callback.status).toBe(302);
    expect(callback.headers.get('Location')).toBe('/sign-in/?error=sso');
  });
});

describe('the admin routes answer what the contract states', () => {
  it('for accounts', async () => {
    const created = await postJson('/api/accounts', {
      email: 'contract@district.example',
      roles: ['facilitator', 'director'],
    });
    const { id } = (await conforms(created, 201, accountSchema)) as { id: string };
    await conforms(await patchJson(`/api/accounts/${id}`, { name: 'Dana Reyes', disabled: true }), 200, accountSchema);
    await conforms(await api('/api/accounts'), 200, accountList);
  });

  it('for the roster, the audit log and the framework', async () => {
    await conforms(await postJson('/api/roster/preview', { csv: ROSTER }), 200, rosterPreview);
    await conforms(await postJson('/api/roster', { csv: ROSTER }), 200, rosterImported);
    await conforms(await api('/api/roster'), 200, staffList);
    const page = (await conforms(await api('/api/audit?limit=1'), 200, auditPage)) as { nextCursor?: string };
    expect(page.nextCursor).toBeDefined();
    await conforms(await api(`/api/audit?cursor=${page.nextCursor}`), 200, auditPage);
    await conforms(await api('/api/framework', {}, 'nobody'), 200, framework);
  });
});

describe("a respondent's routes answer what the contract states", () => {
  it('for the survey, the colleagues to name and a submission, stored then replayed', async () => {
    await seedRoster([{}, {}]);
    const anonymous = await createCampaign();
    await conforms(await api(`/api/campaigns/${anonymous}/survey`, {}, 'nobody'), 200, respondentSurvey);
    const key = crypto.randomUUID();
    await conforms(await submit(anonymous, { answers: answers() }, key), 201, submittedResponse);
    await conforms(await submit(anonymous, { answers: answers() }, key), 200, submittedResponse);

    const identified = await createCampaign({ mode: 'identified' });
    const token = (await invite(identified)).get('T1') ?? '';
    const bearer = { headers: { Authorization: `Bearer ${token}` } };
    await conforms(await api(`/api/campaigns/${identified}/survey`, bearer, 'nobody'), 200, respondentSurvey);
    await conforms(await api(`/api/campaigns/${identified}/staff`, bearer, 'nobody'), 200, nominationStaff);
  });
});
