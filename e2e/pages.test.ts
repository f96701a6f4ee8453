import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
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
  /** Swagger UI slows with every operation it opens. */
  const REFERENCE_TIMEOUT = 120_000;

  interface Operation {
    operationId: string;
  }

  /** The served document's operations, by method, in its order. */
  async function servedOperations(page: Page) {
    const document = (await (await page.request.get(`${baseURL}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    return Object.values(document.paths).flatMap((item) =>
      Object.entries(item).map(([method, operation]) => ({ method, id: operation.operationId })),
    );
  }

  /** Opens the page; answers the served operations and the first operation of each method. */
  async function openReference(options: BrowserContextOptions, path = '/api-reference/') {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const swaggerRequests: string[] = [];
    page.on('request', (request) => {
      if (/swagger|openapi\.json/i.test(request.url())) swaggerRequests.push(request.url());
    });
    const operations = await servedOperations(page);
    const kinds = new Map<string, string>();
    for (const { method, id } of operations) if (!kinds.has(method)) kinds.set(method, id);
    await page.goto(`${baseURL}${path}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('API reference');
    return { context, page, operations, kinds, swaggerRequests };
  }

  it.each([
    ['a 360 px phone', PHONE],
    ['a laptop', { viewport: { width: 1280, height: 800 } }],
  ])(
    'shows every operation and meets WCAG 2.1 AA on %s, closed and with one of each method open',
    async (_device, options) => {
      const { context, page, operations, kinds } = await openReference(options);
      expect(await page.locator('details.api-operation').count()).toBe(operations.length);
      expect(new Set(await page.locator('details.api-operation').evaluateAll((all) => all.map((d) => d.id)))).toEqual(
        new Set(operations.map((operation) => operation.id)),
      );
      await expectAccessible(page);
      await expectNoSidewaysScroll(page);
      expect([...kinds.keys()].sort()).toEqual(['delete', 'get', 'patch', 'post', 'put']);
      for (const id of kinds.values()) {
        const operation = page.locator(`details[id="${id}"]`);
        await operation.locator('summary').click();
        await expect.poll(() => operation.evaluate((details) => (details as HTMLDetailsElement).open)).toBe(true);
        expect(await operation.getByText('Who may call it').isVisible()).toBe(true);
      }
      await expectAccessible(page);
      await expectNoSidewaysScroll(page);
      await context.close();
    },
  );

  it('opens an operation with the keyboard alone, its focus visible', async () => {
    const { context, page } = await openReference({ viewport: { width: 1280, height: 800 } });
    const first = page.locator('details.api-operation > summary').first();
    const onFirst = () => first.evaluate((element) => element === document.activeElement);
    for (let presses = 0; presses < 60 && !(await onFirst()); presses++) await page.keyboard.press('Tab');
    expect(await onFirst()).toBe(true);
    expect(await first.evaluate((element) => getComputedStyle(element).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    await expect.poll(() => first.evaluate((element) => (element.parentElement as HTMLDetailsElement).open)).toBe(true);
    expect(await page.locator('details.api-operation').first().getByText('Who may call it').isVisible()).toBe(true);
    await context.close();
  });

  it('opens the operation a link names, on load and on a later jump', async () => {
    const probe = await browser.newPage();
    const operations = await servedOperations(probe);
    await probe.close();
    const [one, other] = [operations[3]?.id ?? '', operations.at(-1)?.id ?? ''];
    const { context, page } = await openReference({ viewport: { width: 1280, height: 800 } }, `/api-reference/#${one}`);
    const isOpen = (id: string) =>
      page.locator(`details[id="${id}"]`).evaluate((details) => (details as HTMLDetailsElement).open);
    await expect.poll(() => isOpen(one)).toBe(true);
    expect(await page.locator(`details[id="${one}"]`).getByText('Who may call it').isVisible()).toBe(true);
    expect(await page.locator('details[open]').count()).toBe(1);
    await page.evaluate((id) => {
      window.location.hash = id;
    }, other);
    await expect.poll(() => isOpen(other)).toBe(true);
    await expect.poll(() => page.locator(`details[id="${other}"] summary`).isVisible()).toBe(true);
    await context.close();
  });

  it(
    'loads Swagger UI only when asked for, then shows every operation in it, meeting WCAG 2.1 AA',
    async () => {
      const { context, page, operations, swaggerRequests } = await openReference({
        viewport: { width: 1280, height: 800 },
      });
      await page.waitForLoadState('networkidle');
      expect(swaggerRequests).toEqual([]);
      const button = page.getByRole('button', { name: 'Open the interactive explorer (Swagger UI)' });
      await button.click();
      await expect.poll(() => page.locator('.opblock').count()).toBe(operations.length);
      expect(swaggerRequests.some((url) => url.includes('swagger-ui-bundle'))).toBe(true);
      expect(await page.locator('#explorer-toggle').getAttribute('aria-expanded')).toBe('true');
      await expect.poll(() => page.getByRole('status').textContent()).toBe('The interactive explorer is open below.');
      // One block of each method open, each answer's schema as well as its example.
      const kinds = new Map<string, string>();
      for (const element of await page.locator('.opblock').all()) {
        const method = (await element.getAttribute('class'))?.match(/opblock-(get|post|put|patch|delete)\b/)?.[1];
        if (method && !kinds.has(method)) kinds.set(method, (await element.getAttribute('id')) ?? '');
      }
      expect(kinds.size).toBe(5);
      for (const id of kinds.values()) {
        const block = page.locator(`[id="${id}"]`);
        await block.locator('.opblock-summary-control').click();
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
});
