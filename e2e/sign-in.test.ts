import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE, watchProblems } from './browser';
import { DEMO, nextPrintedLink, printedLink, signIn } from './session';

const baseURL = inject('baseURL');
const FALL_DASHBOARD = '/dashboard/?c=demo-fall-2026';
const LAPTOP = { viewport: { width: 1280, height: 800 } };
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

/** Asks for a link on the sign-in form the page is on, and returns the link the app printed. */
async function askForLink(page: Page, email: string): Promise<string> {
  const previous = printedLink(email);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByText('Check your email').waitFor();
  return nextPrintedLink(email, previous);
}

async function whoIsSignedIn(context: BrowserContext): Promise<string | null> {
  const res = await context.request.get(`${baseURL}/api/auth/me`);
  return res.ok() ? ((await res.json()) as { email: string }).email : null;
}

/** Presses Tab until the focused element is the one wanted, as a keyboard user would. */
async function tabTo(page: Page, isFocused: () => Promise<boolean>, presses = 30): Promise<void> {
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    if (await isFocused()) return;
  }
  throw new Error(`never reached the element by pressing Tab ${presses} times`);
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
const mainText = async (page: Page) => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

describe('signing in with an emailed link', () => {
  it('sends a signed-out visitor of the dashboard to sign in, and back to that dashboard', async () => {
    const context = await browser.newContext(LAPTOP);
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(`${baseURL}${FALL_DASHBOARD}`);
    await page.waitForURL((url) => url.pathname === '/sign-in/');
    expect(new URL(page.url()).searchParams.get('next')).toBe(FALL_DASHBOARD);
    expect(await h1(page)).toBe('Sign in');

    const link = await askForLink(page, DEMO.director);
    expect(await page.getByText('works once, within 15 minutes').count()).toBe(1);
    expect(new URL(link).pathname).toBe('/sign-in/complete/');
    await page.goto(link);
    await page.waitForURL((url) => url.pathname === '/dashboard/' && url.search === '?c=demo-fall-2026');
    await expect.poll(() => h1(page), { timeout: 20_000 }).toBe('Fall 2026 professional learning needs survey');
    // The token never stays in the address bar or the history.
    expect(page.url()).not.toContain('token');
    await expect.poll(() => page.locator('.account-menu').textContent()).toContain(DEMO.director);
    expect(problems).toEqual({ csp: [], errors: [] });
    await context.close();
  });

  it('a link works once: opened again, it signs nobody in and says why', async () => {
    const first = await browser.newContext(LAPTOP);
    const page = await first.newPage();
    await page.goto(`${baseURL}/sign-in/?next=%2F`);
    const link = await askForLink(page, DEMO.director);
    await page.goto(link);
    await page.waitForURL((url) => url.pathname === '/');
    expect(await whoIsSignedIn(first)).toBe(DEMO.director);

    const second = await browser.newContext(PHONE);
    const again = await second.newPage();
    await again.goto(link);
    await expect.poll(() => h1(again)).toBe('This sign-in link cannot be used');
    expect(await again.getByText('works only once').count()).toBe(1);
    expect(again.url()).not.toContain('token');
    expect(await whoIsSignedIn(second)).toBeNull();
    await expectAccessible(again);
    await expectNoSidewaysScroll(again);
    // On with the keyboard alone: focus is on the heading, the way on is the next Tab stop.
    await tabTo(again, async () => (await focusedText(again)) === 'Ask for a new sign-in link');
    await again.keyboard.press('Enter');
    await again.waitForURL((url) => url.pathname === '/sign-in/');
    await first.close();
    await second.close();
  });

  it('gives a facilitator the 403 page for the dashboard, naming the account', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signIn(page, DEMO.facilitator, '/');
    const problems = await watchProblems(page);
    const response = await page.goto(`${baseURL}/dashboard/`);
    expect(response?.status()).toBe(403);
    await expect.poll(() => h1(page)).toBe('This page is not available to your account');
    await expect.poll(() => mainText(page)).toContain(`signed in as ${DEMO.facilitator} (facilitator)`);
    expect(await mainText(page)).toContain('this page is for curriculum directors and admins');
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    expect(problems.csp).toEqual([]);

    // Keyboard alone: from the top of the page to the sign-out button in the page, and out.
    await tabTo(page, async () => (await focusedText(page)) === 'Sign out to use another account');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => page.locator('.account-menu').textContent()).toContain('Sign in');
    expect(await whoIsSignedIn(context)).toBeNull();
    await context.close();
  });

  it('signs out from the menu, after which the dashboard asks to sign in again', async () => {
    const context = await browser.newContext(LAPTOP);
    const page = await context.newPage();
    await signIn(page, DEMO.director, '/dashboard/');
    await expect.poll(() => h1(page)).toBe('Curriculum dashboard');
    await page.locator('.account-menu').getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => page.locator('.account-menu').getByRole('link', { name: 'Sign in' }).count()).toBe(1);
    expect(await whoIsSignedIn(context)).toBeNull();

    await page.goto(`${baseURL}/dashboard/`);
    await page.waitForURL((url) => url.pathname === '/sign-in/');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/dashboard/');
    await context.close();
  });

  it('can be used with a keyboard alone, and meets WCAG 2.1 AA on a phone', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(`${baseURL}/sign-in/?next=%2Fframework%2F`);
    await expect.poll(() => page.getByRole('button', { name: 'Email me a sign-in link' }).isEnabled()).toBe(true);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);

    const previous = printedLink(DEMO.admin);
    await tabTo(page, async () => (await focusedId(page)) === 'sign-in-email');
    await page.keyboard.type(DEMO.admin);
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Email me a sign-in link');
    await page.keyboard.press('Enter');
    await page.getByText('Check your email').waitFor();
    // Focus moves to the confirmation, so a screen reader reads it and Tab continues from there.
    expect(await focusedText(page)).toBe('Check your email');
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);

    const link = await nextPrintedLink(DEMO.admin, previous);
    await page.goto(link);
    await page.waitForURL((url) => url.pathname === '/framework/');
    expect(await whoIsSignedIn(context)).toBe(DEMO.admin);
    expect(problems).toEqual({ csp: [], errors: [] });
    await context.close();
  });

  it('refuses a malformed address in words, next to the field', async () => {
    const context = await browser.newContext(LAPTOP);
    const page = await context.newPage();
    await page.goto(`${baseURL}/sign-in/`);
    await page.getByLabel('Email address').fill('not an address');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect.poll(() => page.getByText('Enter a whole email address').count()).toBe(1);
    expect(await page.getByLabel('Email address').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId(page)).toBe('sign-in-email');
    await expectAccessible(page);
    await context.close();
  });

  it('offers single sign-on when the district has it, and says when it failed', async () => {
    const context = await browser.newContext(LAPTOP);
    const page = await context.newPage();
    await page.route('**/api/auth/options', (route) =>
      route.fulfill({ json: { sso: { provider: 'google', label: 'Sign in with Google' } } }),
    );
    await page.goto(`${baseURL}/sign-in/?next=%2Fdashboard%2F&error=sso`);
    const sso = page.getByRole('link', { name: 'Sign in with Google' });
    await expect.poll(() => sso.count()).toBe(1);
    expect(await sso.getAttribute('href')).toBe('/api/auth/sso/start?next=%2Fdashboard%2F');
    expect(await page.getByRole('alert').textContent()).toContain('did not work');
    await expectAccessible(page);
    await context.close();
  });

  it('never sends a person to another site after signing in', async () => {
    const context = await browser.newContext(LAPTOP);
    const page = await context.newPage();
    await page.route('**/api/auth/options', (route) =>
      route.fulfill({ json: { sso: { provider: 'microsoft', label: 'Sign in with Microsoft' } } }),
    );
    await page.goto(`${baseURL}/sign-in/?next=${encodeURIComponent('//evil.example/')}`);
    const sso = page.getByRole('link', { name: 'Sign in with Microsoft' });
    await expect.poll(() => sso.count()).toBe(1);
    expect(await sso.getAttribute('href')).toBe('/api/auth/sso/start?next=%2F');
    await context.close();
  });
});

describe('the sign-in pages', () => {
  it.each([
    ['a 360 px phone', PHONE],
    ['a laptop', LAPTOP],
  ])('an incomplete link explains itself and meets WCAG 2.1 AA on %s', async (_device, options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(`${baseURL}/sign-in/complete/`);
    await expect.poll(() => h1(page)).toBe('This sign-in link is incomplete');
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    expect(problems).toEqual({ csp: [], errors: [] });
    await context.close();
  });
});
