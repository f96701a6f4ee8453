import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE, watchProblems } from './browser';
import { DEMO, signedInState } from './session';

const baseURL = inject('baseURL');
let browser: Browser;
let director: BrowserContextOptions['storageState'];

beforeAll(async () => {
  browser = await launch();
  director = await signedInState(browser, DEMO.director, '/');
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
  ['sign-in', '/sign-in/', 'Sign in'],
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

describe.each([
  ['home', '/', "Grow your district's own talent", false],
  ['framework', '/framework/', 'Competency framework', false],
  ['survey', '/survey/?c=demo-spring-2027', 'Spring 2027 professional learning needs survey', false],
  ['sign-in', '/sign-in/?next=%2Fdashboard%2F', 'Sign in', false],
  ['dashboard', '/dashboard/?c=demo-fall-2026', 'Fall 2026 professional learning needs survey', true],
  ['comments', '/comments/?c=demo-fall-2026', 'Comments: Fall 2026 professional learning needs survey', true],
  ['API reference', '/api-reference/', 'API reference', false],
])('the %s page under its Content-Security-Policy', (_name, path, heading, signedIn) => {
  it('runs with no CSP violation and no console error', async () => {
    const context = await browser.newContext(signedIn ? { storageState: director } : {});
    const page = await context.newPage();
    const problems = await watchProblems(page);
    const askedWhoIsSignedIn = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/auth/session');
    const response = await page.goto(`${baseURL}${path}`);
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
    // Every island has hydrated and the account menu has asked who is signed in.
    await expect.poll(() => page.locator('astro-island[ssr]').count()).toBe(0);
    // Signed out is an answer, not an error: nothing for the console to log.
    const whoIsSignedIn = await askedWhoIsSignedIn;
    expect(whoIsSignedIn.status()).toBe(200);
    expect(((await whoIsSignedIn.json()) as { account: unknown }).account === null).toBe(!signedIn);
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual({ csp: [], errors: [] });
    await context.close();
  });
});

describe('the API reference page', () => {
  /** Swagger UI slows with every operation it opens, so axe reads one of each kind rather than all of them. */
  const REFERENCE_TIMEOUT = 120_000;

  interface Operation {
    tags: string[];
    operationId: string;
    parameters?: Array<{ schema?: { enum?: unknown[] } }>;
  }

  /**
   * Opens the page and waits until Swagger UI shows one block per operation of the served
   * document; answers the blocks' ids of the first operation of each method and of the first
   * with a parameter of listed values.
   */
  async function openReference(options: BrowserContextOptions) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const document = (await (await page.request.get(`${baseURL}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const kinds = new Map<string, string>();
    for (const item of Object.values(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const id = `operations-${operation.tags[0]}-${operation.operationId}`;
        if (!kinds.has(method)) kinds.set(method, id);
        if (!kinds.has('listed values') && operation.parameters?.some((parameter) => parameter.schema?.enum)) {
          kinds.set('listed values', id);
        }
      }
    }
    const operations = Object.values(document.paths).flatMap((item) => Object.keys(item)).length;
    await page.goto(`${baseURL}/api-reference/`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('API reference');
    await expect.poll(() => page.locator('.opblock').count()).toBe(operations);
    return { context, page, kinds: [...new Set(kinds.values())] };
  }

  it.each([
    ['a 360 px phone', PHONE],
    ['a laptop', { viewport: { width: 1280, height: 800 } }],
  ])(
    'shows every operation and meets WCAG 2.1 AA on %s, closed and with one of each kind open',
    async (_device, options) => {
      const { context, page, kinds } = await openReference(options);
      await expectAccessible(page);
      await expectNoSidewaysScroll(page);
      expect(kinds.length).toBeGreaterThanOrEqual(5);
      for (const id of kinds) {
        const block = page.locator(`[id="${id}"]`);
        await block.locator('.opblock-summary-control').click();
        // Each answer's schema as well as its example.
        const schemaTabs = block.locator('.tablinks[data-name="model"]');
        await schemaTabs.first().waitFor();
        for (let i = 0; i < (await schemaTabs.count()); i++) await schemaTabs.nth(i).click();
        await expect.poll(() => block.getByText('x-audience').count()).toBe(1);
      }
      await page.locator('.models-control').click();
      await expectAccessible(page);
      await expectNoSidewaysScroll(page);
      await context.close();
    },
    REFERENCE_TIMEOUT,
  );

  it(
    'opens an operation with the keyboard alone, its focus visible',
    async () => {
      const { context, page } = await openReference({ viewport: { width: 1280, height: 800 } });
      const first = page.locator('.opblock-summary-control').first();
      const onFirst = () => first.evaluate((element) => element === document.activeElement);
      for (let presses = 0; presses < 40 && !(await onFirst()); presses++) await page.keyboard.press('Tab');
      expect(await onFirst()).toBe(true);
      expect(await first.evaluate((element) => getComputedStyle(element).outlineStyle)).not.toBe('none');
      await page.keyboard.press('Enter');
      await expect.poll(() => first.getAttribute('aria-expanded')).toBe('true');
      await expect.poll(() => page.locator('.opblock-body').first().isVisible()).toBe(true);
      await context.close();
    },
    REFERENCE_TIMEOUT,
  );
});
