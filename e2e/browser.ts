import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { CHROMIUM_FLAGS } from '../scripts/chromium';

/** The Chromium the global setup found (scripts/chromium.ts), with the flags a closed network and a root user need. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('chromiumPath'),
    args: CHROMIUM_FLAGS,
  });
}

export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** No WCAG 2.1 A or AA violation that axe can find. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.slice(0, 3).map((node) => node.target.join(' ')),
  }));
  expect(violations).toEqual([]);
}

/**
 * Nothing sticks out sideways on a phone. A mobile browser zooms out to fit a page that
 * is too wide, so the layout width must also still be the device's.
 */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { innerWidth, overflow } = await page.evaluate(() => ({
    innerWidth: window.innerWidth,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  }));
  expect(overflow).toBeLessThanOrEqual(0);
  expect(innerWidth).toBe(page.viewportSize()?.width);
}

/**
 * Brings each part of a long page that is not drawn yet into view, as a reader looking at all of
 * it would (down the page, and sideways through a board's columns): such a part is drawn as it
 * comes near the screen (site/src/components/InTurn.svelte). Then back to the top.
 */
export async function scrollThrough(page: Page): Promise<void> {
  const waiting = page.locator('.later');
  for (let step = 0; step < 50 && (await waiting.count()) > 0; step++) {
    await waiting
      .first()
      .evaluate((part) => part.scrollIntoView({ block: 'nearest', inline: 'nearest' }))
      .catch(() => undefined);
    await page.waitForTimeout(50);
  }
  expect(await waiting.count()).toBe(0);
  await page.evaluate(() => {
    for (const region of document.querySelectorAll('.columns')) region.scrollLeft = 0;
    window.scrollTo(0, 0);
  });
}

/** What went wrong on a page while it was watched: CSP violations and console errors, as text. */
export interface PageProblems {
  csp: string[];
  errors: string[];
}

/**
 * Starts recording a page's CSP violations (the `securitypolicyviolation` events, and the
 * console messages Chromium writes about them) and every other console error or uncaught
 * exception, a refused request's network log line included. Call it before the page loads anything.
 */
export async function watchProblems(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { csp: [], errors: [] };
  await page.exposeFunction('__homegrownCspViolation', (text: string) => problems.csp.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __homegrownCspViolation: (text: string) => void }).__homegrownCspViolation;
      report(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/Content Security Policy/i.test(text)) problems.csp.push(text);
    else problems.errors.push(text);
  });
  page.on('pageerror', (error) => problems.errors.push(`uncaught: ${error.message}`));
  return problems;
}

/** One of a board card's actions, from its Actions menu (opened first, as a person would). */
export async function cardAction(card: Locator, name: RegExp | string): Promise<Locator> {
  const menu = card.getByRole('button', { name: /^Actions for “/ });
  if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  return card.getByRole('button', { name, exact: typeof name === 'string' });
}
