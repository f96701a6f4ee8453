import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE, scrollThrough } from './browser';
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

/**
 * Brings each chart into view in turn, as a reader scrolling down would, and waits until it is
 * drawn: the chart library loads only once a chart comes near the screen.
 */
async function drawCharts(page: Page, count: number) {
  const hosts = page.locator('figure.chart .chart-host');
  for (const host of await hosts.all()) await host.scrollIntoViewIfNeeded();
  await expect.poll(() => page.locator('figure.chart svg[role="img"]').count()).toBe(count);
}

/**
 * Waits until every section has its figures (the tables; the charts are drawn as they come into view).
 * The sections below the first screen are drawn as they come near it, so this scrolls down through
 * the page as a reader would, then back to the top; or it presses a key, which draws them all.
 */
async function loaded(page: Page, strategies = 3, how: 'scrolling' | 'a key' = 'scrolling') {
  await page.getByRole('heading', { name: 'Summary' }).waitFor();
  if (how === 'a key') await page.keyboard.press('Shift');
  else await scrollThrough(page);
  await expect.poll(() => page.locator('#focus-table tbody tr').count()).toBeGreaterThan(0);
  await expect.poll(() => page.getByRole('region', { name: /^Heatmap of need by / }).count()).toBe(1);
  await expect.poll(() => page.locator('#rates-table').count()).toBe(1);
  await expect.poll(() => page.locator('section[aria-labelledby="strategies-heading"] h3').count()).toBe(strategies);
}

describe('the dashboard of the demo fall campaign', () => {
  it('opens with its first screen on a phone and draws the rest as it is scrolled to, jumped to, keyed through or printed', async () => {
    const context = await asDirector(PHONE);
    /** The dashboard freshly opened, its summary in. */
    const open = async () => {
      const page = await context.newPage();
      await page.goto(`${baseURL}/dashboard/?c=${FALL}`);
      await expect.poll(() => page.locator('#summary-rates').count()).toBe(1);
      return page;
    };
    const page = await open();
    const drawn = () =>
      page.evaluate(() =>
        ['focuses-heading', 'segments-heading', 'rates-heading', 'strategies-heading'].map(
          (id) => document.getElementById(id) !== null,
        ),
      );
    // Only the summary is drawn; the sections below keep their room.
    await page.waitForTimeout(500);
    expect(await drawn()).toEqual([false, false, false, false]);
    const before = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(before).toBeGreaterThan(3000);
    // Scrolling down draws the section coming near the screen, and not the ones far below it.
    await page.evaluate(() => document.querySelector('.later')?.scrollIntoView());
    await expect.poll(async () => (await drawn())[0]).toBe(true);
    expect((await drawn())[3]).toBe(false);
    await page.evaluate(() => window.scrollTo(0, 0));
    await expectAccessible(page);

    // A link to a section further down draws it and lands on it.
    const jumped = await open();
    await jumped.getByRole('link', { name: 'How staff want to learn' }).click();
    const landed = jumped.getByRole('heading', { name: 'How staff with high need want to learn' });
    await expect.poll(async () => (await landed.count()) === 1 && (await landed.boundingBox())?.y).toBeGreaterThan(-1);
    expect((await landed.boundingBox())?.y).toBeLessThan(PHONE.viewport.height / 2);

    // The first key pressed draws every section, so Tab and find-in-page reach them all.
    const keyed = await open();
    await keyed.keyboard.press('Tab');
    await expect.poll(() => keyed.locator('section[aria-labelledby="strategies-heading"] h3').count()).toBe(3);

    // Printing draws every section before the page is laid out for paper.
    const printed = await open();
    expect(
      await printed.evaluate(() => {
        window.dispatchEvent(new Event('beforeprint'));
        return ['focus-table', 'segments-heading', 'rates-table', 'strategies-heading'].map(
          (id) => document.getElementById(id) !== null,
        );
      }),
    ).toEqual([true, true, true, true]);
    // How staff want to learn follows the summary's figures, into the section already drawn.
    await expect.poll(() => printed.locator('section[aria-labelledby="strategies-heading"] h3').count()).toBe(3);
    await context.close();
  });

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
    await drawCharts(page, 6);
    const charts = page.locator('figure.chart svg[role="img"]');
    for (const label of await charts.evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute('aria-label')))) {
      expect(label).toBeTruthy();
    }
    expect(await page.locator('#top-focus-lines li').count()).toBe(3);
    expect(await page.locator('#top-focus-lines li').first().textContent()).toMatch(
      /^Need for .+ is highest at .+\(MWDS \d+\.\d/,
    );

    // The table is drawn once it is asked for, with a row for each focus in the ranking.
    expect(await page.locator('#segment-table').count()).toBe(0);
    await page.getByText('Show the heatmap as a table').click();
    const rows = await page.locator('#focus-table tbody tr:not(.hidden-row)').count();
    await expect.poll(() => page.locator('#segment-table tbody tr').count()).toBe(rows);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    // A phone zooms out instead of scrolling when something sticks out: the viewport must not grow.
    expect(await page.evaluate(() => window.innerWidth)).toBe(options.viewport.width);
    await context.close();
  });

  it.each([
    ['a 360 px phone', PHONE],
    ['a laptop', { viewport: { width: 1280, height: 800 } }],
  ])(
    'opens on %s with a summary: the top focuses and their ties, where the need is, the response rate',
    async (device, options) => {
      const focusesRes = await admin.request.get(`${baseURL}/api/campaigns/${FALL}/focuses`);
      const { items } = (await focusesRes.json()) as {
        items: Array<FocusItem & { name: string; tiedWith?: string[] }>;
      };
      const ranked = items.filter((item) => !item.suppressed);
      const nameOf = new Map(items.map((item) => [item.competencyId, item.name]));
      const hotspots: Array<{ name: string; label: string; difference: number }> = [];
      for (const by of ['school', 'role', 'careerStage', 'subject', 'gradeBand']) {
        const res = await admin.request.get(`${baseURL}/api/campaigns/${FALL}/focuses?by=${by}`);
        const table = (await res.json()) as {
          items: Array<{ competencyId: string; label: string; hotspot?: boolean; vsRest?: { difference: number } }>;
        };
        for (const cell of table.items) {
          if (!cell.hotspot) continue;
          hotspots.push({
            name: nameOf.get(cell.competencyId) ?? '',
            label: cell.label,
            difference: cell.vsRest?.difference ?? 0,
          });
        }
      }
      hotspots.sort((a, b) => b.difference - a.difference);
      const rates = (await (await admin.request.get(`${baseURL}/api/campaigns/${FALL}/response-rates`)).json()) as {
        respondents: number;
        staff: number;
        rate: number;
        items: Array<{ name: string; rate?: number | null; suppressed?: true }>;
      };
      expect(hotspots.length).toBeGreaterThan(3);

      const context = await asDirector(options);
      const page = await context.newPage();
      await page.goto(`${baseURL}/dashboard/?c=${FALL}`);
      const summary = page.locator('section', { has: page.locator('#summary-heading') });
      await expect.poll(() => summary.count()).toBe(1);
      await expect.poll(() => summary.getByRole('status').count()).toBe(0);
      // The summary is the first thing under the page's heading.
      expect(await page.evaluate(() => document.querySelector('h1')?.nextElementSibling?.querySelector('h2')?.id)).toBe(
        'summary-heading',
      );

      // The top three in the worker's order, each with the focuses it is tied with, by name.
      const top = summary.locator('#summary-top li');
      expect(await top.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-focus')))).toEqual(
        ranked.slice(0, 3).map((item) => item.competencyId),
      );
      expect(ranked.slice(0, 3).some((item) => (item.tiedWith ?? []).length > 0)).toBe(true);
      for (const [index, item] of ranked.slice(0, 3).entries()) {
        const text = ((await top.nth(index).textContent()) ?? '').replace(/\s+/g, ' ').trim();
        expect(text).toMatch(new RegExp(`^${item.name}: need \\d+\\.\\d out of 20`));
        const tied = item.tiedWith ?? [];
        if (tied.length > 0) expect(text).toContain(`; tied with ${nameOf.get(tied[0] ?? '')}`);
        else expect(text).not.toContain('tied');
        for (const id of tied) expect(text).toContain(`${nameOf.get(id)} (#`);
      }
      expect(await summary.locator('#summary-top').textContent()).toContain('the survey cannot tell which');

      // Where the need is: how many groups stand out, the largest first.
      const need = summary.locator('#summary-need');
      expect((await need.locator('p').first().textContent())?.replace(/\s+/g, ' ')).toMatch(
        new RegExp(`^\\s*${hotspots.length} groups stand out from the rest of the district`),
      );
      const first = ((await need.locator('li').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
      expect(first).toContain(hotspots[0]?.name);
      expect(first).toContain(hotspots[0]?.label);
      expect(first).toMatch(/\d+\.\d points above the rest\.$/);

      // The response rate, and the lowest of the schools whose count is shown.
      const shown = rates.items.filter((row) => !row.suppressed && typeof row.rate === 'number');
      const lowest = shown.sort((a, b) => (a.rate ?? 0) - (b.rate ?? 0))[0];
      const ratesText = (await summary.locator('#summary-rates').textContent())?.replace(/\s+/g, ' ') ?? '';
      expect(ratesText).toContain(
        `${Math.round(rates.rate * 100)}% of staff answered: ${rates.respondents.toLocaleString('en-US')} of ${rates.staff.toLocaleString('en-US')}.`,
      );
      expect(ratesText).toContain(`Lowest: ${lowest?.name}, ${Math.round((lowest?.rate ?? 0) * 100)}%.`);

      // Its links lead to the detail below.
      await summary.getByRole('link', { name: "Every school's rate" }).click();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe('#rates-heading');
      const ratesHeading = await page.locator('#rates-heading').boundingBox();
      // Scrolled to the top of the screen (within a pixel: scrolling lands on sub-pixel offsets).
      expect(ratesHeading?.y).toBeGreaterThanOrEqual(-1);
      expect(ratesHeading?.y).toBeLessThan(options.viewport.height);

      if (device === 'a laptop') {
        // On a laptop the whole summary is on the first screen.
        await page.evaluate(() => window.scrollTo(0, 0));
        const box = await summary.boundingBox();
        expect((box?.y ?? 0) + (box?.height ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(options.viewport.height);
      }
      await expectAccessible(page);
      await expectNoSidewaysScroll(page);
      await context.close();
    },
  );

  it("keeps the heatmap's school and focus names in view while a phone scrolls it, by keyboard too", async () => {
    const context = await asDirector(PHONE);
    const page = await context.newPage();
    await page.goto(`${baseURL}/dashboard/?c=${FALL}`);
    await loaded(page);
    await page.getByText('Show the heatmap as a table').click();
    const region = page.getByRole('region', { name: 'Heatmap of need by school' });
    await region.scrollIntoViewIfNeeded();
    await expect.poll(() => region.locator('svg[role="img"]').count()).toBe(1);
    const schools = await page.locator('#segment-table thead th').allTextContents();
    const focuses = await page.locator('#segment-table tbody th').allTextContents();

    /** What is on top just inside the box's top edge (the header row) and its left edge (the first column). */
    const namesInView = () =>
      region.evaluate((box) => {
        const rect = box.getBoundingClientRect();
        const header = box.querySelector('.column-name')?.getBoundingClientRect().height ?? 0;
        const at = (x: number, y: number) => document.elementFromPoint(x, y)?.textContent?.trim() ?? '';
        return {
          scrolled: { down: box.scrollTop, sideways: box.scrollLeft },
          school: at(rect.right - 30, rect.top + header / 2),
          focus: at(rect.left + 20, rect.top + header + 30),
        };
      });
    const before = await namesInView();
    expect(before.scrolled).toEqual({ down: 0, sideways: 0 });
    expect(focuses[0]).toBe(before.focus);

    // The box takes focus from the keyboard, and the arrow keys scroll it down and sideways.
    await region.focus();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Heatmap of need by school',
    );
    // (Few enough presses that the box never reaches its end, where the page itself would scroll on.)
    for (let press = 0; press < 4; press++) await page.keyboard.press('ArrowDown');
    for (let press = 0; press < 4; press++) await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await namesInView()).scrolled.down).toBeGreaterThan(100);
    await expect.poll(async () => (await namesInView()).scrolled.sideways).toBeGreaterThan(100);
    const after = await namesInView();
    // Another school and another focus are at the edges now, and still named there.
    expect(schools).toContain(after.school);
    expect(after.school).not.toBe(before.school);
    expect(focuses).toContain(after.focus);
    expect(after.focus).not.toBe(focuses[0]);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    await context.close();
  });

  it('draws each chart only when it comes into view, in room kept for it, beside its table', async () => {
    const context = await asDirector(LAPTOP);
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.addInitScript(() => {
      const shifts: number[] = [];
      (window as unknown as { shifts: number[] }).shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
          if (!entry.hadRecentInput) shifts.push(entry.value);
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${baseURL}/dashboard/?c=${FALL}`);
    // A key pressed draws every section (a keyboard user's first Tab) without scrolling to them.
    await loaded(page, 3, 'a key');
    await page.waitForLoadState('networkidle');
    // Nothing below the first screen is drawn yet, and the chart library is not loaded; the tables are there.
    expect(await page.locator('figure.chart svg').count()).toBe(0);
    expect(scripts.filter((path) => path.includes('focuses-charts'))).toEqual([]);
    expect(await page.locator('#rates-table tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    const shifted = () =>
      page.evaluate(() => (window as unknown as { shifts: number[] }).shifts.reduce((a, b) => a + b, 0));
    // The figures arrive all at once, so the page barely moves while it loads (CLS, the layout-shift score, under 0.1).
    const onLoad = await shifted();
    expect(onLoad).toBeLessThan(0.1);

    const figure = page.locator('figure.chart', { has: page.locator('#rates-table') });
    const host = figure.locator('.chart-host');
    const kept = await host.boundingBox();
    const table = await figure.locator('#rates-table').boundingBox();
    expect(kept?.height).toBeGreaterThan(300);
    await host.scrollIntoViewIfNeeded();
    const chart = figure.getByRole('img', { name: 'Response rate by school' });
    await expect.poll(() => chart.count()).toBe(1);
    expect(scripts.filter((path) => path.includes('focuses-charts'))).toHaveLength(1);
    // Drawn in the room kept for it: the table under it has not moved.
    expect((await chart.boundingBox())?.height).toBeCloseTo(kept?.height ?? 0, 0);
    const scrolled = await page.evaluate(() => window.scrollY);
    const tableNow = await figure.locator('#rates-table').boundingBox();
    expect((tableNow?.y ?? 0) + scrolled).toBeCloseTo(table?.y ?? 0, 0);
    expect(await chart.getAttribute('aria-description')).toContain('The table that follows lists every school');

    // Every other chart as it comes into view; nothing on the page moves as they are drawn.
    await drawCharts(page, 6);
    expect((await shifted()) - onLoad).toBeLessThan(0.001);
    await expectAccessible(page);
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
  await page.locator('#segment-table').waitFor();

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
  // The chart says so too, in words, once it has come into view.
  await page.locator('.heatmap-box').scrollIntoViewIfNeeded();
  await expect
    .poll(() => page.locator('#segments-heading ~ figure svg text', { hasText: 'hidden' }).count())
    .toBeGreaterThan(0);
  // The summary names no school whose count is hidden, and says that some are.
  const rates = (await (await admin.request.get(`${baseURL}/api/campaigns/${id}/response-rates`)).json()) as {
    items: Array<{ name: string; suppressed?: true }>;
  };
  const hiddenSchools = rates.items.filter((row) => row.suppressed).map((row) => row.name);
  expect(hiddenSchools).toContain('Cedar Hollow Elementary');
  const summaryRates = (await page.locator('#summary-rates').textContent()) ?? '';
  expect(summaryRates).toContain('Schools with fewer than 3 responses are not shown.');
  for (const name of hiddenSchools) expect(summaryRates).not.toContain(name);
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
  await expect.poll(() => hot.count()).toBe(1);
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
