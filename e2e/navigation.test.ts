/**
 * The navigation by role, and the way in after sign-in: each person is offered only the
 * pages their account can use, lands where they can act when the sign-in asked for no page,
 * and the home page says where to go next, with no layout jump while the header loads.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE, watchProblems } from './browser';
import { DEMO, nextPrintedLink, printedLink, signedInState } from './session';

const baseURL = inject('baseURL');
const LAPTOP = { viewport: { width: 1280, height: 800 } };
const DEVICES: Array<[string, BrowserContextOptions]> = [
  ['a 360 px phone', PHONE],
  ['a laptop', LAPTOP],
];
const ALWAYS = ['Home', 'Competency framework'];
const DIRECTOR_PAGES = ['Dashboard', 'Comments', 'Pilot groups', 'Boards', 'Leaders'];
const DEMO_BOARD = 'demo-math-design-team';
/** Role-less accounts the tests make through board invitations, as a facilitator would. */
const TEACHER = 'nav-teacher@district.example';
const BOARD_MEMBER = 'nav-board-member@district.example';

let browser: Browser;
let admin: BrowserContext;

beforeAll(async () => {
  browser = await launch();
  admin = await browser.newContext({ storageState: await signedInState(browser, DEMO.admin, '/admin/') });
  // A board invitation makes a role-less account, as a teacher joining a design team has.
  const invite = (email: string, name: string) =>
    admin.request.post(`${baseURL}/api/boards/${DEMO_BOARD}/invitations`, { data: { email, role: 'member', name } });
  expect((await invite(BOARD_MEMBER, 'Bea Member')).status()).toBe(201);
  // The teacher was on the board and was taken off it: an account, and no board.
  const teacher = await invite(TEACHER, 'Nora Teacher');
  expect(teacher.status()).toBe(201);
  const { accountId } = (await teacher.json()) as { accountId: string };
  expect((await admin.request.delete(`${baseURL}/api/boards/${DEMO_BOARD}/members/${accountId}`)).status()).toBe(200);
});
afterAll(async () => {
  await admin?.close();
  await browser?.close();
});

/** The links of the main navigation a person can see (hidden ones are not offered). */
const navLinks = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

/** Signs in through the form with no page asked for (as from the home page's Sign in), and waits to land. */
async function signInAsked(page: Page, email: string): Promise<URL> {
  const previous = printedLink(email);
  await page.goto(`${baseURL}/`);
  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/sign-in/');
  expect(new URL(page.url()).search).toBe('');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByText('Check your email').waitFor();
  await page.goto(await nextPrintedLink(email, previous));
  await page.waitForURL((url) => url.pathname !== '/sign-in/complete/');
  return new URL(page.url());
}

/** An expected address, CURRENT replaced by the current campaign the session names (and checked to exist). */
async function expected(context: BrowserContext, address: string): Promise<string> {
  if (!address.includes('CURRENT')) return address;
  const session = (await (await context.request.get(`${baseURL}/api/auth/session`)).json()) as {
    campaign: { id: string } | null;
  };
  const id = session.campaign?.id ?? '';
  expect((await context.request.get(`${baseURL}/api/campaigns/${encodeURIComponent(id)}`)).status()).toBe(200);
  return address.replace('CURRENT', encodeURIComponent(id));
}

/**
 * One signed-in director for the tests after the landing one: sign-in links are rate-limited
 * per address, and the other test files sign the director in too.
 */
let director: BrowserContextOptions['storageState'] | undefined;
async function directorState(): Promise<BrowserContextOptions['storageState']> {
  director ??= await signedInState(browser, DEMO.director, '/');
  return director;
}

/** Opens the home page and waits until the header knows who is signed in. */
async function openHome(page: Page, email: string | null) {
  await page.goto(`${baseURL}/`);
  await expect.poll(() => h1(page)).toBe("Grow your district's own talent");
  await page.waitForLoadState('networkidle');
  const menu = page.locator('.account-menu');
  await expect.poll(() => menu.textContent()).toContain(email ?? 'Sign in');
}

describe.each([
  {
    who: 'the director',
    email: DEMO.director,
    // The current campaign: the demo's fall one on a fresh start; other test files may have
    // added a newer one with answers since (worker/test/navigation.test.ts checks the rule).
    lands: '/dashboard/?c=CURRENT',
    nav: [...ALWAYS, ...DIRECTOR_PAGES],
    firstStep: 'Open the dashboard',
    firstHref: '/dashboard/?c=CURRENT',
  },
  {
    who: 'an admin',
    email: DEMO.admin,
    lands: '/admin/',
    nav: [...ALWAYS, ...DIRECTOR_PAGES, 'Admin'],
    firstStep: 'Open the admin page',
    firstHref: '/admin/',
  },
  {
    who: 'a facilitator with a board',
    email: DEMO.facilitator,
    lands: '/boards/',
    nav: [...ALWAYS, 'Boards'],
    firstStep: 'Go to your boards',
    firstHref: '/boards/',
  },
  {
    who: 'a board member without a district role',
    email: BOARD_MEMBER,
    lands: '/boards/',
    nav: [...ALWAYS, 'Boards'],
    firstStep: 'Go to your boards',
    firstHref: '/boards/',
  },
  {
    who: 'a teacher with an account but no board yet',
    email: TEACHER,
    lands: '/',
    nav: ALWAYS,
    firstStep: 'see the competency framework',
    firstHref: '/framework/',
  },
])('$who', ({ email, lands, nav, firstStep, firstHref }) => {
  let state: BrowserContextOptions['storageState'];

  it('lands where they can act after signing in, with only their pages in the header', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const problems = await watchProblems(page);
    const landed = await signInAsked(page, email);
    expect(`${landed.pathname}${landed.search}`).toBe(await expected(context, lands));
    await expect.poll(() => page.locator('.account-menu').textContent()).toContain(email);
    expect(await navLinks(page)).toEqual(nav);
    expect(problems).toEqual({ csp: [], errors: [] });
    state = await context.storageState();
    await context.close();
  });

  it.each(DEVICES)('sees their next step on the home page, which meets WCAG 2.1 AA on %s', async (_device, options) => {
    const context = await browser.newContext({ ...options, storageState: state });
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await openHome(page, email);
    expect(await navLinks(page)).toEqual(nav);
    const step = page.getByRole('region', { name: 'Your next step' });
    const first = step.getByRole('link').first();
    expect(await first.textContent()).toBe(firstStep);
    expect(await first.getAttribute('href')).toBe(await expected(context, firstHref));
    // Every page offered in the header is offered as a step too.
    const steps = await step.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    const offered = await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    for (const href of offered.filter((path) => path !== '/' && path !== '/framework/')) {
      expect(steps.some((path) => path?.split('?')[0] === href)).toBe(true);
    }
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    expect(problems).toEqual({ csp: [], errors: [] });
    await context.close();
  });
});

describe('the header as it loads', () => {
  it.each(DEVICES)('does not jump on %s for a signed-in director', async (_device, options) => {
    const context = await browser.newContext({
      ...options,
      storageState: await directorState(),
    });
    const page = await context.newPage();
    // The hint a sign-in on this device leaves, as the sign-in just now did in its own context.
    await page.goto(`${baseURL}/framework/`);
    await page.locator('.account-menu').getByText(DEMO.director).waitFor();
    await page.addInitScript(() => {
      const shifts = { total: 0 };
      (window as unknown as { __shifts: typeof shifts }).__shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
          if (!entry.hadRecentInput) shifts.total += entry.value;
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await openHome(page, DEMO.director);
    await page.waitForTimeout(500);
    const shifted = await page.evaluate(() => (window as unknown as { __shifts: { total: number } }).__shifts.total);
    // Lighthouse calls a cumulative layout shift under 0.1 good; the header and its links move nothing.
    expect(shifted).toBeLessThan(0.01);
    expect(await navLinks(page)).toEqual([...ALWAYS, ...DIRECTOR_PAGES]);
    await context.close();
  });

  it("comes with the account's links from the worker on a signed-in page, even on a device that keeps no hint", async () => {
    // The director's cookie alone: no hint on this device, and no script to read the session.
    const state = await directorState();
    const cookies = typeof state === 'object' && state ? state.cookies : [];
    const context = await browser.newContext({
      ...PHONE,
      javaScriptEnabled: false,
      storageState: { cookies, origins: [] },
    });
    const page = await context.newPage();
    const served = await page.goto(`${baseURL}/leaders/`);
    expect(served?.status()).toBe(200);
    expect(served?.headers()['cache-control']).toBe('private, no-store');
    expect(await navLinks(page)).toEqual([...ALWAYS, ...DIRECTOR_PAGES]);
    // The refusal of a page not theirs says the same, and a public page knows nothing of them.
    expect((await page.goto(`${baseURL}/admin/`))?.status()).toBe(403);
    expect(await navLinks(page)).toEqual([...ALWAYS, ...DIRECTOR_PAGES]);
    await page.goto(`${baseURL}/framework/`);
    expect(await navLinks(page)).toEqual(ALWAYS);
    await context.close();
  });

  it('keeps the skip link first: Tab then Enter moves focus past the header to the content', async () => {
    const context = await browser.newContext({ ...PHONE, storageState: await signedInState(browser, DEMO.admin, '/') });
    const page = await context.newPage();
    await openHome(page, DEMO.admin);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // The next Tab stop is in the content, not a header link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
    await context.close();
  });
});

describe('signed out', () => {
  it.each(DEVICES)(
    'a teacher on the survey sees no staff page, and no error, and it meets WCAG 2.1 AA on %s',
    async (_device, options) => {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      const problems = await watchProblems(page);
      const refused: string[] = [];
      page.on('response', (res) => {
        if (res.status() >= 400) refused.push(`${res.status()} ${new URL(res.url()).pathname}`);
      });
      await page.goto(`${baseURL}/survey/?c=demo-spring-2027`);
      await expect.poll(() => h1(page)).toBe('Spring 2027 professional learning needs survey');
      await page.waitForLoadState('networkidle');
      await expect.poll(() => page.locator('.account-menu').textContent()).toContain('Sign in');
      expect(await navLinks(page)).toEqual(ALWAYS);
      expect(refused).toEqual([]);
      await expectAccessible(page);
      await expectNoSidewaysScroll(page);
      expect(problems).toEqual({ csp: [], errors: [] });
      await context.close();
    },
  );

  it('is sent to sign in from every signed-in page, which no cache may keep', async () => {
    for (const path of ['/dashboard/', '/comments/', '/pilot-groups/', '/boards/', '/leaders/', '/admin/', '/board/']) {
      const res = await fetch(`${baseURL}${path}?c=demo-fall-2026`, { redirect: 'manual' });
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location'), path).toBe(
        `/sign-in/?next=${encodeURIComponent(`${path}?c=demo-fall-2026`)}`,
      );
      expect(res.headers.get('cache-control'), path).toBe('private, no-store');
    }
  });

  it('the home page offers no next step, and signing out takes the staff pages away', async () => {
    const context = await browser.newContext({
      ...LAPTOP,
      storageState: await directorState(),
    });
    const page = await context.newPage();
    await openHome(page, DEMO.director);
    expect(await navLinks(page)).toEqual([...ALWAYS, ...DIRECTOR_PAGES]);
    await page.locator('.account-menu').getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('.account-menu').textContent()).toContain('Sign in');
    await page.waitForLoadState('networkidle');
    expect(await navLinks(page)).toEqual(ALWAYS);
    expect(await page.getByRole('region', { name: 'Your next step' }).count()).toBe(0);
    await expectAccessible(page);
    await context.close();
  });
});
