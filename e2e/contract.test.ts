/**
 * The API against its own contract: the OpenAPI document the app serves, turned by Portman
 * into a request for every documented operation (each answer checked for its documented
 * status, content type and schema) and fuzzed variations of every body and query (each
 * refused with a documented 4xx), sent by newman to the running app (e2e/contract/run.ts).
 * The demo accounts sign in first; the run then works on objects it opens itself and the
 * demo district's own ids (e2e/contract/portman-config.json says which operation uses which).
 */
import { beforeAll, expect, inject, it } from 'vitest';
import { type OpenApiDocument, type Role, runContract } from './contract/run';
import { DEMO, nextPrintedLink, printedLink } from './session';

const baseURL = inject('baseURL');
const FALL = 'demo-fall-2026';
const SPRING = 'demo-spring-2027';
const DEMO_BOARD = 'demo-math-design-team';
/** The whole run (conversion, some 250 requests) takes well under a minute on a quiet machine. */
const RUN_MS = 120_000;

let document: OpenApiDocument;
let sessions: Record<Role, string>;

/** Signs in through an emailed link, as the sign-in page does, and returns the session cookie's value. */
async function sessionOf(email: string): Promise<string> {
  const previous = printedLink(email);
  const asked = await post('/api/auth/sign-in-link', { email });
  expect(asked.status).toBe(202);
  const link = new URL(await nextPrintedLink(email, previous));
  const token = new URLSearchParams(link.hash.slice(1)).get('token');
  const signedIn = await post('/api/auth/session', { token });
  expect(signedIn.status).toBe(200);
  const cookie = document.components.securitySchemes.session.name;
  const value = signedIn.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith(`${cookie}=`))
    ?.slice(cookie.length + 1);
  if (!value) throw new Error(`signing in as ${email} set no ${cookie} cookie`);
  return value;
}

function post(path: string, body: unknown, role?: Role): Promise<Response> {
  const cookie: Record<string, string> = role
    ? { Cookie: `${document.components.securitySchemes.session.name}=${sessions[role]}` }
    : {};
  return fetch(`${baseURL}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...cookie },
    body: JSON.stringify(body),
  });
}

/** A board the facilitator opens for the run, as the board routes answer it. */
async function openBoard(template: 'hexagon' | 'plan'): Promise<{ id: string }> {
  const res = await post(
    '/api/boards',
    { campaignId: FALL, title: `Contract tests: ${template}`, template },
    'facilitator',
  );
  expect(res.status).toBe(201);
  return res.json();
}

beforeAll(async () => {
  document = await (await fetch(`${baseURL}/api/openapi.json`)).json();
  sessions = {
    admin: await sessionOf(DEMO.admin),
    director: await sessionOf(DEMO.director),
    facilitator: await sessionOf(DEMO.facilitator),
  };
});

it(
  'answers every documented operation as documented, refuses every fuzzed request with a 4xx, and never with a 5xx',
  async () => {
    // Ratings and plans belong to boards of their own templates; the run opens a protocol board itself.
    const hexagon = await openBoard('hexagon');
    const withProgram = await post(
      `/api/boards/${hexagon.id}/cards`,
      { column: 'programs', text: 'Peer coaching' },
      'facilitator',
    );
    expect(withProgram.status).toBe(201);
    const [program] = ((await withProgram.json()) as { cards: Array<{ id: string }> }).cards;
    if (!program) throw new Error('the hexagon board shows no card after adding one');
    const plan = await openBoard('plan');

    const report = await runContract(document, `${baseURL}/api`, {
      adminSession: sessions.admin,
      directorSession: sessions.director,
      facilitatorSession: sessions.facilitator,
      fallCampaignId: FALL,
      springCampaignId: SPRING,
      demoBoardId: DEMO_BOARD,
      hexagonBoardId: hexagon.id,
      hexagonCardId: program.id,
      planBoardId: plan.id,
    });
    console.log(
      `Contract run: ${report.operations} operations, ${report.requests} requests, ${report.assertions} assertions, ` +
        `${report.failures.length} failed, ${(report.durationMs / 1000).toFixed(1)} s`,
    );
    expect(
      report.failures.map(({ request, status, problem }) => `${request} → ${status ?? 'no answer'}: ${problem}`),
    ).toEqual([]);
  },
  RUN_MS,
);
