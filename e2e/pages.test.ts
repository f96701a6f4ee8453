import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE } from './browser';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe.each([
  ['home', '/', "Grow your district's own talent"],
  ['framework', '/framework/', 'Competency framework'],
  ['unknown survey link', '/survey/?c=no-such-campaign', 'Survey not found'],
  ['missing page', '/no-such-page/', 'Page not found'],
  ['closed survey', '/survey/?c=demo-fall-2026', 'Fall 2026 professional learning needs survey'],
])('the %s page', (_name, path, heading) => {
  it.each([
    ['a 360 px phone', PHONE],
    ['a laptop', { viewport: { width: 1280, height: 800 } }],
  ])('meets WCAG 2.1 AA on %s', async (_device, options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${baseURL}${path}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    await context.close();
  });
});

it('a closed survey says so instead of taking answers', async () => {
  const page = await browser.newPage();
  await page.goto(`${baseURL}/survey/?c=demo-fall-2026`);
  await expect.poll(() => page.getByText('This survey is closed').count()).toBe(1);
  expect(await page.locator('.sd-root-modern').count()).toBe(0);
  await page.close();
});

it('the framework page shows every competency with its five-level progression', async () => {
  const page = await browser.newPage();
  await page.goto(`${baseURL}/framework/`);
  expect(await page.locator('details.card').count()).toBe(16);
  await page.locator('details#formative-assessment summary').click();
  expect(await page.locator('details#formative-assessment li').count()).toBe(5);
  await page.close();
});
