import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium, with the flags a closed network and a root user need. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
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
