/**
 * Signing in the way a person does: ask for a link, take it from the mail the app prints
 * in its terminal (the local outbox), open it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect, inject } from 'vitest';

export const DEMO = {
  admin: 'admin@district.example',
  director: 'director@district.example',
  facilitator: 'facilitator@district.example',
} as const;

/** The newest sign-in link the app has printed for this address, if any. */
export function printedLink(email: string): string | undefined {
  const terminal = readFileSync(join(inject('stateDir'), 'app.log'), 'utf8');
  const mails = terminal.split('── mail to ').filter((mail) => mail.startsWith(`${email} `));
  return mails.at(-1)?.match(/https?:\/\/\S+#token=\S+/)?.[0];
}

/** Waits for a link newer than `previous` to be printed for this address. */
export async function nextPrintedLink(email: string, previous: string | undefined): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const link = printedLink(email);
    if (link && link !== previous) return link;
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error(`no sign-in link was printed for ${email}`);
}

/**
 * Signs the page's browser context in through the sign-in form and the printed link,
 * then waits until the page it was sent to has loaded.
 */
export async function signIn(page: Page, email: string, next = '/dashboard/'): Promise<void> {
  const previous = printedLink(email);
  await page.goto(`${inject('baseURL')}/sign-in/?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await page.getByText('Check your email').waitFor();
  const link = await nextPrintedLink(email, previous);
  await page.goto(link);
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
}

/**
 * Signs in once, in a context of its own, and returns its cookies: every context a test file
 * opens with them starts signed in, without asking for another link (sign-in is rate-limited).
 */
export async function signedInState(
  browser: Browser,
  email: string,
  next: string,
): Promise<BrowserContextOptions['storageState']> {
  const context = await browser.newContext();
  await signIn(await context.newPage(), email, next);
  const state = await context.storageState();
  await context.close();
  return state;
}

/**
 * Opens `path` in a page that was served while signed in, with the API then finding the
 * session gone (it lasts 12 hours): the page must send the person to sign in, coming back
 * to the very same view.
 */
export async function expectSignInAgain(page: Page, path: string): Promise<void> {
  await page.route('**/api/campaigns/**', (route) =>
    route.fulfill({ status: 401, json: { error: { code: 'SIGNED_OUT', message: 'Sign in to do this.' } } }),
  );
  await page.goto(`${inject('baseURL')}${path}`);
  await page.waitForURL((url) => url.pathname === '/sign-in/');
  expect(new URL(page.url()).searchParams.get('next')).toBe(path);
}
