import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE, watchProblems } from './browser';
import { DEMO, expectSignInAgain, signedInState } from './session';

const baseURL = inject('baseURL');
const FALL = 'demo-fall-2026';
const PAGE = `/leaders/?c=${FALL}`;
const LAPTOP = { viewport: { width: 1280, height: 900 } };
let browser: Browser;
let director: BrowserContextOptions['storageState'];

interface PipelineRow {
  schoolId: string | null;
  school: string | null;
  n: number;
}

beforeAll(async () => {
  browser = await launch();
  director = await signedInState(browser, DEMO.director, PAGE);
});
afterAll(async () => {
  await browser?.close();
});

const asDirector = (options: BrowserContextOptions = {}): Promise<BrowserContext> =>
  browser.newContext({ ...options, storageState: director });

async function pipelineOf(
  context: BrowserContext,
): Promise<{ rows: PipelineRow[]; district: Array<{ n: number }>; schools: Array<{ schoolId: string | null }> }> {
  const res = await context.request.get(`${baseURL}/api/campaigns/${FALL}/leaders`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { pipeline: Awaited<ReturnType<typeof pipelineOf>> }).pipeline;
}

/** The counts the table shows (a hidden cell says "fewer than k", never a number). */
const tableTotal = (page: Page) =>
  page
    .locator('#pipeline-table tbody td')
    .allTextContents()
    .then((cells) => cells.map((cell) => cell.trim()).filter((cell) => /^\d+$/.test(cell)))
    .then((cells) => cells.reduce((sum, cell) => sum + Number(cell), 0));
const hiddenInTable = (page: Page) => page.locator('#pipeline-table tbody td', { hasText: 'fewer than 5' }).count();
/** The counts written in the chart's cells (its axis labels are names, never bare numbers). */
const chartTotal = (page: Page) =>
  page
    .locator('#pipeline figure svg text')
    .evaluateAll((texts) =>
      texts
        .map((text) => text.textContent?.trim() ?? '')
        .filter((text) => /^\d+$/.test(text))
        .map(Number),
    )
    .then((counts) => counts.reduce((sum, n) => sum + n, 0));

async function loaded(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#aspiring-table tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  await expect.poll(() => page.locator('#pipeline-table').count()).toBe(1);
}

it('lists aspiring leaders, influencers per school and the pipeline, whose table matches the chart', async () => {
  const context = await asDirector(LAPTOP);
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.goto(`${baseURL}${PAGE}`);
  await loaded(page);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
    'Leaders from inside: Fall 2026 professional learning needs survey',
  );
  // One definition of an aspiring leader, said where the list is, and how the pipeline counts the rest.
  const aspiring = page.locator('#aspiring');
  const words = async (locator: typeof aspiring) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ');
  expect(await words(aspiring)).toContain(
    'An aspiring leader answered yes to “Would you like the district to consider you for a leadership opportunity?”',
  );
  expect(await words(page.locator('#pipeline'))).toContain(
    'the aspiring leaders listed above and everyone else who named a role',
  );
  const first = await page.locator('#aspiring-table tbody tr').first().locator('th, td').allTextContents();
  expect(first).toHaveLength(4);
  for (const cell of first) expect(cell.trim()).not.toBe('');
  expect(await page.getByTestId('influencers').locator('h3').count()).toBeGreaterThan(0);
  // A count of colleagues is shown only from k = 5 up; under it the line says so instead.
  const named = await page.getByTestId('influencers').locator('li').allTextContents();
  for (const line of named) {
    const count = /named by (\d+) colleagues/.exec(line)?.[1];
    if (count) expect(Number(count)).toBeGreaterThanOrEqual(5);
    else expect(line).toMatch(/named by fewer than 5 colleagues$/);
  }
  expect(await page.getByText(/An influencer is someone colleagues/).count()).toBe(1);

  // The district's cells of at least k (the demo has five); every other cell says "fewer than 5".
  const pipeline = await pipelineOf(context);
  const all = pipeline.district.reduce((sum, cell) => sum + cell.n, 0);
  expect(pipeline.district.length).toBeGreaterThan(0);
  expect(all).toBeGreaterThan(0);
  expect(await tableTotal(page)).toBe(all);
  // The chart (and Observable Plot with it) loads only as it comes into view, into a box
  // that already has its height: the table under it does not move when it is drawn.
  const figure = page.locator('#pipeline figure');
  expect(await figure.locator('svg').count()).toBe(0);
  const table = page.locator('#pipeline-table');
  const before = await table.evaluate((element) => element.getBoundingClientRect().top + window.scrollY);
  await figure.scrollIntoViewIfNeeded();
  await expect.poll(() => chartTotal(page)).toBe(all);
  const after = await table.evaluate((element) => element.getBoundingClientRect().top + window.scrollY);
  expect(Math.abs(after - before)).toBeLessThanOrEqual(1);
  const cells = await page.locator('#pipeline-table tbody td').count();
  expect(await hiddenInTable(page)).toBe(cells - pipeline.district.length);
  const chart = page.locator('#pipeline figure svg[role="img"]');
  expect(await chart.getAttribute('aria-label')).toBe('Leadership pipeline across the district');

  // One school: every school of the roster is offered; its cells agree with the API's
  // (on the demo every school's cells are under k, so all of them say so, and the chart too).
  const select = page.getByLabel('School', { exact: true });
  expect(await select.locator('option').count()).toBe(pipeline.schools.length + 1);
  const schoolId = pipeline.schools.find((school) => school.schoolId !== null)?.schoolId;
  if (!schoolId) throw new Error('no school on the roster');
  await select.selectOption(schoolId);
  const schoolName = await select.locator('option:checked').textContent();
  expect(schoolName).not.toBe(schoolId);
  const atSchool = pipeline.rows.filter((row) => row.schoolId === schoolId).reduce((sum, row) => sum + row.n, 0);
  await expect.poll(() => tableTotal(page)).toBe(atSchool);
  await expect.poll(() => chartTotal(page)).toBe(atSchool);
  expect(atSchool).toBeLessThan(all);
  expect(await chart.getAttribute('aria-label')).toBe(`Leadership pipeline at ${schoolName}`);

  await expectAccessible(page);
  expect(problems).toEqual({ csp: [], errors: [] });
  await context.close();
});

it('fits a 360 px phone and meets WCAG 2.1 AA there', async () => {
  const context = await asDirector(PHONE);
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.goto(`${baseURL}${PAGE}`);
  await loaded(page);
  await expectNoSidewaysScroll(page);
  await expectAccessible(page);
  expect(problems).toEqual({ csp: [], errors: [] });
  await context.close();
});

it('filters the pipeline by school with the keyboard alone', async () => {
  const context = await asDirector(LAPTOP);
  const page = await context.newPage();
  await page.goto(`${baseURL}${PAGE}`);
  await loaded(page);
  const all = await tableTotal(page);
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id === 'pipeline-school')) break;
  }
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('pipeline-school');
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => tableTotal(page)).toBeLessThan(all);
  // The table's own scrolling box is reachable too.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('region');
  await context.close();
});

it('explains kindly that an anonymous campaign names no leaders', async () => {
  const context = await asDirector(LAPTOP);
  const page = await context.newPage();
  await page.goto(`${baseURL}/leaders/?c=demo-spring-2027`);
  await expect.poll(() => page.getByText('was anonymous, so no answer is linked to a person').count()).toBe(1);
  await expectAccessible(page);
  await context.close();
});

it('sends the director to sign in again when the session has ended', async () => {
  const context = await asDirector(LAPTOP);
  const page = await context.newPage();
  await expectSignInAgain(page, PAGE);
  await context.close();
});
