import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE } from './browser';
import { DEMO, expectSignInAgain, signedInState, signIn } from './session';

const baseURL = inject('baseURL');
const FALL = 'demo-fall-2026';
let browser: Browser;
/** The demo admin, who creates campaigns; reading figures is for directors and admins alike. */
let admin: BrowserContext;
/** The director's signed-in cookies, for every dashboard page the tests open. */
let director: BrowserContextOptions['storageState'];

beforeAll(async () => {
  browser = await launch();
  admin = await browser.newContext();
  await signIn(await admin.newPage(), DEMO.admin, '/');
  director = await signedInState(browser, DEMO.director, '/dashboard/');
});
afterAll(async () => {
  await browser?.close();
});

/** A browser context signed in as the demo director. */
const asDirector = (options: BrowserContextOptions = {}) => browser.newContext({ ...options, storageState: director });
const LAPTOP = { viewport: { width: 1280, height: 900 } };

interface FocusItem {
  competencyId: string;
  rank?: number;
  suppressed?: true;
}

async function rankedIds(campaignId: string, weights?: string): Promise<string[]> {
  const query = weights ? `?weights=${encodeURIComponent(weights)}` : '';
  const res = await admin.request.get(`${baseURL}/api/campaigns/${campaignId}/focuses${query}`);
  expect(res.status()).toBe(200);
  const { items } = (await res.json()) as { items: FocusItem[] };
  return items.filter((item) => !item.suppressed).map((item) => item.competencyId);
}

/** A new anonymous campaign with k = 3, and responses posted straight to the API. */
async function campaignWith(title: string, answers: Array<Record<string, unknown>>): Promise<string> {
  const headers = { Origin: baseURL, 'Content-Type': 'application/json' };
  const res = await admin.request.post(`${baseURL}/api/campaigns`, {
    headers,
    data: JSON.stringify({ surveyId: 'needs-assessment', title, mode: 'anonymous', minGroupSize: 3 }),
  });
  expect(res.status()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await answerCampaign(id, answers);
  return id;
}

/** Anonymous answers sent as the survey page sends them. */
async function answerCampaign(id: string, answers: Array<Record<string, unknown>>): Promise<void> {
  for (const answer of answers) {
    const sent = await fetch(`${baseURL}/api/campaigns/${id}/responses`, {
      method: 'POST',
      headers: { Origin: baseURL, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ answers: answer }),
    });
    expect(sent.status).toBe(201);
  }
}

const rating = (importance: number, proficiency: number) => ({
  role: 'classroom-teacher',
  ratings: { 'formative-assessment': { importance, proficiency } },
});

/** The ranked focuses as the table lists them, top first. */
const tableOrder = (page: Page) =>
  page
    .locator('#focus-table tbody tr:not(.hidden-row)')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-focus')));

/** Waits until every section has drawn its figures. */
async function loaded(page: Page, strategies = 3) {
  await expect.poll(() => page.locator('#focus-table tbody tr').count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator('#segment-table').count()).toBe(1);
  await expect.poll(() => page.locator('#rates-table').count()).toBe(1);
  await expect.poll(() => page.locator('section[aria-labelledby="strategies-heading"] h3').count()).toBe(strategies);
}

describe('the dashboard of the demo fall campaign', () => {
  it.each([
    ['a 360 px phone', PHONE],
    ['a laptop', { viewport: { width: 1280, height: 800 } }],
  ])('meets WCAG 2.1 AA on %s and ranks formative assessment or AI literacy first', async (_device, options) => {
    const context = await asDirector(options);
    const page = await context.newPage();
    await page.goto(`${baseURL}/dashboard/?c=${FALL}`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Fall 2026 professional learning needs survey');
    await loaded(page);
    expect(await page.getByTestId('respondents').textContent()).toBe('769');
    const first = await page.locator('#focus-table tbody tr').first().locator('th').textContent();
    expect(['Formative assessment', 'AI literacy']).toContain(first?.trim());
    // Every chart has a text alternative and a table beside it.
    const charts = page.locator('figure.chart svg[role="img"]');
    expect(await charts.count()).toBe(6);
    for (const label of await charts.evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute('aria-label')))) {
      expect(label).toBeTruthy();
    }
    expect(await page.locator('#top-focus-lines li').count()).toBe(3);
    expect(await page.locator('#top-focus-lines li').first().textContent()).toMatch(
      /^Need for .+ is highest at .+\(MWDS \d+\.\d/,
    );

    await page.getByText('Show the heatmap as a table').click();
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    // A phone zooms out instead of scrolling when something sticks out: the viewport must not grow.
    expect(await page.evaluate(() => window.innerWidth)).toBe(options.viewport.width);
    await context.close();
  });

  it('re-ranks when a weight changes, and explains weights it cannot use', async () => {
    const context = await asDirector(LAPTOP);
    const page = await context.newPage();
    await page.goto(`${baseURL}/dashboard/?c=${FALL}`);
    await loaded(page);
    const byDefault = await rankedIds(FALL);
    expect(await tableOrder(page)).toEqual(byDefault);

    const interestOnly = await rankedIds(FALL, 'mwds:0,breadth:0,interest:100,evidenceGap:0');
    expect(interestOnly).not.toEqual(byDefault);
    await page.getByLabel('Need (MWDS)', { exact: true }).fill('0');
    await page.getByLabel('Breadth', { exact: true }).fill('0');
    await page.getByLabel('Interest', { exact: true }).fill('100');
    await page.getByLabel('Evidence gap', { exact: true }).fill('0');
    await expect.poll(() => tableOrder(page)).toEqual(interestOnly);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Priority = 100% interest' }).count()).toBe(1);

    // Every weight at 0 is refused by the API: its message appears, the last ranking stays.
    await page.getByLabel('Interest', { exact: true }).fill('0');
    const alert = page.getByRole('alert').filter({ hasText: 'every weight is 0' });
    await expect.poll(() => alert.count()).toBe(1);
    expect(await tableOrder(page)).toEqual(interestOnly);

    await page.getByRole('button', { name: 'Reset to defaults' }).click();
    await expect.poll(() => tableOrder(page)).toEqual(byDefault);
    expect(await alert.count()).toBe(0);
    await context.close();
  });
});

it('hides a small group in the heatmap and shows no figure for it', async () => {
  // Four and four at two schools, one at a third: the one is hidden, and one of the fours with it,
  // or the district total minus the shown school would give the one person's answers away.
  const id = await campaignWith('Heatmap suppression check', [
    ...Array.from({ length: 4 }, () => ({ school: 'alder-creek-elementary', ...rating(5, 2) })),
    ...Array.from({ length: 4 }, () => ({ school: 'birchwood-elementary', ...rating(4, 3) })),
    { school: 'cedar-hollow-elementary', ...rating(5, 1) },
  ]);
  const context = await asDirector(LAPTOP);
  const page = await context.newPage();
  await page.goto(`${baseURL}/dashboard/?c=${id}`);
  await loaded(page, 1);
  await page.getByLabel('Break down by').selectOption('school');
  await page.getByText('Show the heatmap as a table').click();

  const row = page.locator('#segment-table tbody tr', { has: page.locator('th', { hasText: 'Formative assessment' }) });
  const cells = await row.locator('td').allTextContents();
  // Every school of the district and "not stated" is a column; the empty ones are hidden like the small one.
  const columns = await page.locator('#segment-table thead th').count();
  expect(cells).toHaveLength(columns - 1);
  const hidden = cells.filter((text) => text.includes('hidden: fewer than 3 respondents'));
  const shown = cells.filter((text) => !text.includes('hidden'));
  expect(hidden).toHaveLength(cells.length - 1);
  expect(shown).toHaveLength(1);
  for (const text of hidden) expect(text.replace('fewer than 3', '')).not.toMatch(/\d/);
  expect(shown[0]).toMatch(/\d+\.\d/);
  // The chart says so too, in words.
  expect(await page.locator('#segments-heading ~ figure svg text', { hasText: 'hidden' }).count()).toBeGreaterThan(0);
  await context.close();
});

it('says in plain words how much higher a hotspot is, with its interval, and explains ties and hotspots', async () => {
  // k = 3, so schools of 2k = 6 or more are tested. Alder Creek: 6 × (5, 1) and 6 × (5, 2): Ī 5, D̄ 3.5,
  // MWDS 17.5, s_D² = 12 × 0.25/11 = 3/11, s_I² = s_ID = 0 → SE² = 25 × (3/11)/12 = 0.5681818.
  // The rest (Birchwood and Cedar Hollow, 8 each of 4 × (4, 3), 2 × (3, 3), 2 × (5, 4)): ΣI 64,
  // ΣD 12 → Ī 4, D̄ 0.75, MWDS 3; SE² = 0.3187500 (delta method). Difference 14.5, SE 0.9417,
  // Welch df 21.78, t 2.0738 → 95% interval 12.55 to 16.45; Welch's p ≈ 2e−13, and against the
  // district's spread (28 people, σ² 20077/343, SE 2.9217 on 26 df) p = 1.85e−5, the larger, × 3
  // tested cells: still a hotspot.
  const rest = [
    ...Array.from({ length: 4 }, () => rating(4, 3)),
    ...Array.from({ length: 2 }, () => rating(3, 3)),
    ...Array.from({ length: 2 }, () => rating(5, 4)),
  ];
  const id = await campaignWith('Hotspot check', [
    ...Array.from({ length: 6 }, () => ({ school: 'alder-creek-elementary', ...rating(5, 1) })),
    ...Array.from({ length: 6 }, () => ({ school: 'alder-creek-elementary', ...rating(5, 2) })),
    ...rest.map((answer) => ({ school: 'birchwood-elementary', ...answer })),
    ...rest.map((answer) => ({ school: 'cedar-hollow-elementary', ...answer })),
  ]);
  const context = await asDirector(LAPTOP);
  const page = await context.newPage();
  await page.goto(`${baseURL}/dashboard/?c=${id}`);
  await loaded(page, 1);
  const lines = page.locator('#hotspot-lines li');
  await expect.poll(() => lines.count()).toBe(1);
  expect(await lines.first().textContent()).toBe(
    'Need for Formative assessment at Alder Creek Elementary is 14.5 points higher than in the rest of the district ' +
      '(95% interval 12.5 to 16.5).',
  );
  expect(await page.locator('#segments-heading ~ p').first().textContent()).toContain(
    'credibly above the rest of the district, after allowing for the many comparisons in the table',
  );
  expect(await page.locator('#tied-meaning').textContent()).toContain('the difference between them could be zero');
  await page.getByText('Show the heatmap as a table').click();
  const hot = page.locator('#segment-table td.hotspot');
  expect(await hot.count()).toBe(1);
  expect(await hot.textContent()).toContain('vs rest +14.5');
  await expectAccessible(page);
  await context.close();
});

it("a response submitted through the survey page joins the dashboard's figures at the next step of k", async () => {
  // Three staff rate formative assessment 5 for importance and 2 for skill: MWDS 5 × 3 = 15.
  const id = await campaignWith(
    'Dashboard round trip',
    Array.from({ length: 3 }, () => ({ school: 'cedar-hollow-elementary', ...rating(5, 2) })),
  );
  const directorContext = await asDirector(LAPTOP);
  const dashboard = await directorContext.newPage();
  const mwds = async () => {
    const text = await dashboard.locator('#focus-table tr[data-focus="formative-assessment"] td.mwds').textContent();
    return text?.trim().split(' ')[0];
  };
  await dashboard.goto(`${baseURL}/dashboard/?c=${id}`);
  await loaded(dashboard, 1);
  expect(await dashboard.getByTestId('respondents').textContent()).toBe('3');
  expect(await mwds()).toBe('15.0');

  // A fourth person answers on a phone: importance 5, skill 4.
  const context = await browser.newContext(PHONE);
  const survey = await context.newPage();
  await survey.goto(`${baseURL}/survey/?c=${id}`);
  const question = (name: string) => survey.locator(`[data-name="${name}"]`);
  const choose = async (name: string, option: string) => {
    await question(name).locator('.sd-dropdown').click();
    await survey.getByRole('option', { name: option, exact: true }).click();
    await expect.poll(() => question(name).locator('.sd-dropdown__value').textContent()).toContain(option);
  };
  const rate = (name: string, value: number) =>
    question(name)
      .locator('label.sd-rating__item', { hasText: new RegExp(`^${value}$`) })
      .click();
  const pageTitle = () => survey.locator('.sd-page__title').textContent();
  await choose('school', 'Cedar Hollow Elementary');
  await choose('role', 'Classroom teacher');
  await survey.getByRole('button', { name: 'Next' }).click();
  await expect.poll(pageTitle).toBe('Instruction and planning');
  await survey.getByRole('button', { name: 'Next' }).click();
  await expect.poll(pageTitle).toBe('Assessment and data use');
  await rate('formative-assessment__importance', 5);
  await rate('formative-assessment__proficiency', 4);
  for (let guard = 0; guard < 12; guard++) {
    // The last page leads to the review step, which sends.
    const review = survey.getByRole('button', { name: 'Review my answers' });
    if (await review.isVisible()) {
      await review.click();
      await survey.getByRole('button', { name: 'Send my answers' }).click();
      break;
    }
    await survey.getByRole('button', { name: 'Next' }).click();
  }
  await expect.poll(() => survey.getByRole('heading', { name: 'Your answers are saved' }).count()).toBe(1);
  await context.close();

  // One new answer would let a director work out that person's ratings from two visits, so
  // the figures wait: k = 3 here, and the page says one response is waiting.
  await dashboard.reload();
  await loaded(dashboard, 1);
  expect(await dashboard.getByTestId('received').textContent()).toBe('4');
  expect(await dashboard.getByTestId('respondents').textContent()).toBe('3');
  expect(await mwds()).toBe('15.0');
  expect(await dashboard.getByTestId('steps').innerText()).toContain('1 response is waiting for the next step');

  // Two more at the same school and role (importance 5, skill 4) make three new in every
  // group: mean importance 5, mean gap (3+3+3+1+1+1)/6 = 2, MWDS 10.
  await answerCampaign(id, [
    { school: 'cedar-hollow-elementary', ...rating(5, 4) },
    { school: 'cedar-hollow-elementary', ...rating(5, 4) },
  ]);
  await dashboard.reload();
  await loaded(dashboard, 1);
  expect(await dashboard.getByTestId('respondents').textContent()).toBe('6');
  expect(await mwds()).toBe('10.0');
  expect(await dashboard.getByTestId('steps').innerText()).not.toContain('waiting');
  await directorContext.close();
});

it('sends the director to sign in again, back to the same view, when the session has ended', async () => {
  const context = await asDirector(LAPTOP);
  const page = await context.newPage();
  await expectSignInAgain(page, `/dashboard/?c=${FALL}`);
  await context.close();
});
