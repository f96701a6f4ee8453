/**
 * A board that looks and works like a board: the columns side by side (scrolling sideways
 * inside the board on a phone, never the page), the facilitator tools in a bar that starts
 * closed, each card's actions in one menu, who is on the board now, a column sorted by dots
 * once (and only once) the votes are revealed, and cards dragged from one column to another.
 * The demo facilitator (context A) and an invited colleague (context B) share one board.
 */
import type { APIResponse, Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  cardAction,
  expectAccessible,
  expectNoSidewaysScroll,
  launch,
  type PageProblems,
  PHONE,
  scrollThrough,
  watchProblems,
} from './browser';
import { DEMO, nextPrintedLink, printedLink, signedInState } from './session';

const baseURL = inject('baseURL');
const FALL = 'demo-fall-2026';
const LAPTOP = { viewport: { width: 1280, height: 900 } };
const DEVICES = [
  ['laptop', LAPTOP],
  ['phone', PHONE],
] as const;
const WRITE = { Origin: baseURL, 'Content-Type': 'application/json' };
const TITLE = 'Grade 4 reading: a board to work on';
const MEMBER = { email: 'pat.layout@school.example', name: 'Pat Layout' };
const COLUMNS = ['working', 'not-working', 'root-causes', 'ideas', 'next-steps'];
/** Three ideas, added in this order; the dots they get put them the other way round. */
const IDEAS = ['Paired reading twice a week', 'A reading corner in every room', 'Read-alouds by older students'];

let browser: Browser;
let facilitatorState: BrowserContextOptions['storageState'];
let memberState: BrowserContextOptions['storageState'];
let boardId = '';
let boardPage = '';

async function send(context: BrowserContext, method: string, path: string, body?: unknown): Promise<APIResponse> {
  return context.request.fetch(`${baseURL}${path}`, {
    method,
    headers: WRITE,
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
}

const card = (page: Page | Locator, text: string): Locator => page.locator('li.board-card').filter({ hasText: text });
const column = (page: Page, id: string): Locator => page.locator(`section[data-column="${id}"]`);
const cardTexts = (page: Page, id: string) => column(page, id).locator('li.board-card .card-text').allTextContents();

/** A signed-in page on the board, hydrated (its cards are shown). */
async function openBoard(context: BrowserContext): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.goto(boardPage);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
  await expect.poll(() => page.locator('li.board-card').count()).toBeGreaterThan(0);
  // On a phone the columns past the screen's edge are drawn as they are scrolled to.
  await scrollThrough(page);
  return { page, problems };
}

/** Closes the context's pages as a person closes a tab (the page hears it go), then the context. */
async function leave(context: BrowserContext): Promise<void> {
  for (const page of context.pages()) await page.close({ runBeforeUnload: true });
  await context.close();
}

beforeAll(async () => {
  browser = await launch();
  facilitatorState = await signedInState(browser, DEMO.facilitator, '/boards/');
  const setup = await browser.newContext({ storageState: facilitatorState });
  const created = await send(setup, 'POST', '/api/boards', { campaignId: FALL, title: TITLE, template: 'protocol' });
  expect(created.status()).toBe(201);
  boardId = ((await created.json()) as { id: string }).id;
  boardPage = `${baseURL}/board/?b=${encodeURIComponent(boardId)}`;
  for (const text of IDEAS) {
    expect((await send(setup, 'POST', `/api/boards/${boardId}/cards`, { column: 'ideas', text })).status()).toBe(201);
  }
  const first = await send(setup, 'POST', `/api/boards/${boardId}/cards`, {
    column: 'working',
    text: 'Guided reading groups meet daily',
  });
  expect(first.status()).toBe(201);
  const state = (await first.json()) as { cards: { id: string; text: string }[] };
  const idOf = (text: string) => state.cards.find((item) => item.text === text)?.id ?? '';
  // Two dots on the last idea, one on the second: by dots, the order reverses.
  for (const text of [IDEAS[2], IDEAS[2], IDEAS[1]]) {
    const voted = await send(setup, 'POST', `/api/boards/${boardId}/cards/${idOf(text ?? '')}/votes`, {});
    expect(voted.status()).toBe(200);
  }

  const before = printedLink(MEMBER.email);
  const invited = await send(setup, 'POST', `/api/boards/${boardId}/invitations`, { ...MEMBER, role: 'member' });
  expect(invited.status()).toBe(201);
  const token = new URL(await nextPrintedLink(MEMBER.email, before)).hash.replace(/^#(token=)?/, '');
  const member = await browser.newContext();
  expect((await send(member, 'POST', '/api/boards/join', { token })).status()).toBe(200);
  memberState = await member.storageState();
  await member.close();
  await setup.close();
});
afterAll(async () => {
  await browser?.close();
});

describe('a board laid out as a board', () => {
  it('puts the five columns side by side: all on one row on a laptop, scrolling inside the board on a phone', async () => {
    for (const [device, options] of DEVICES) {
      const context = await browser.newContext({ ...options, storageState: facilitatorState });
      const { page, problems } = await openBoard(context);
      const boxes = await Promise.all(COLUMNS.map((id) => column(page, id).boundingBox()));
      const tops = boxes.map((box) => Math.round(box?.y ?? -1));
      expect(new Set(tops).size, `${device}: column tops ${tops.join(', ')}`).toBe(1);
      const region = page.getByRole('region', { name: 'Columns' });
      if (device === 'laptop') {
        // All five fit beside each other, with nothing to scroll to.
        for (const box of boxes) expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1280);
        expect(await region.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
      } else {
        // The columns go on past the screen's edge, inside the board; the page itself does not move sideways.
        expect(await region.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeGreaterThan(0);
        await expectNoSidewaysScroll(page);
        // The keyboard scrolls it too: the region takes focus and the arrow keys move it.
        await region.focus();
        expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Columns');
        for (let press = 0; press < 5; press++) await page.keyboard.press('ArrowRight');
        await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
      }
      await expectAccessible(page);
      expect(problems).toEqual({ csp: [], errors: [] });
      await leave(context);
    }
  });

  it('keeps the facilitator tools in a bar that starts closed, opens from the keyboard and stays as it was left', async () => {
    for (const [device, options] of DEVICES) {
      const context = await browser.newContext({ ...options, storageState: facilitatorState });
      const { page } = await openBoard(context);
      const bar = page.locator('.facilitator-panel');
      const summary = bar.locator(':scope > summary');
      // Closed: one line that says where things stand, and the columns right below it.
      expect(await bar.getAttribute('open'), device).toBeNull();
      expect(((await summary.textContent()) ?? '').replace(/\s+/g, ' ')).toContain(
        'Facilitator tools Open for changes · 3 dots placed · totals hidden',
      );
      expect(await page.getByRole('button', { name: 'Lock the board' }).isVisible()).toBe(false);
      const barBox = await summary.boundingBox();
      expect(barBox?.height ?? 999).toBeLessThan(device === 'laptop' ? 80 : 120);
      await expectAccessible(page);
      if (device === 'phone') await expectNoSidewaysScroll(page);

      await summary.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => bar.getAttribute('open')).toBe('');
      // The bar builds its tools once it is open (on its toggle event), a moment after the attribute.
      await expect.poll(() => page.getByRole('button', { name: 'Lock the board' }).isVisible()).toBe(true);
      await expectAccessible(page);
      if (device === 'phone') await expectNoSidewaysScroll(page);

      // Left open, it is open on the next visit from this browser.
      await page.reload();
      await expect.poll(() => page.getByRole('button', { name: 'Lock the board' }).isVisible()).toBe(true);
      await page.locator('.facilitator-panel > summary').click();
      await expect.poll(() => bar.getAttribute('open')).toBeNull();
      await page.reload();
      await expect.poll(() => page.locator('li.board-card').count()).toBeGreaterThan(0);
      expect(await bar.getAttribute('open')).toBeNull();
      await leave(context);
    }
    // A member has no facilitator bar at all.
    const member = await browser.newContext({ ...LAPTOP, storageState: memberState });
    const { page } = await openBoard(member);
    expect(await page.locator('.facilitator-panel').count()).toBe(0);
    await leave(member);
  });

  it('gives each card one Actions menu: the keyboard opens it, Escape closes it and focus goes back', async () => {
    for (const [device, options] of DEVICES) {
      const context = await browser.newContext({ ...options, storageState: facilitatorState });
      const { page, problems } = await openBoard(context);
      const item = card(page, IDEAS[0] ?? '');
      // Closed, the card has the dot button and the one menu button, nothing else.
      expect(await item.getByRole('button').allTextContents()).toEqual(['Add a dot', 'Actions▾']);
      const menu = item.getByRole('button', { name: /^Actions for “/ });
      expect(await menu.getAttribute('aria-expanded')).toBe('false');

      await menu.focus();
      await page.keyboard.press('Enter');
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      const list = item.getByRole('list', { name: /^Actions for “/ });
      expect(await list.getByRole('button').allTextContents()).toEqual(['Edit', 'Move', 'Hide from members', 'Delete']);
      expect(await menu.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
      // Focus is on the first action; the arrow keys go round the list.
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Edit');
      await page.keyboard.press('ArrowUp');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Delete');
      await expectAccessible(page);
      if (device === 'phone') await expectNoSidewaysScroll(page);

      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await list.count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
        `Actions for “${IDEAS[0]}”`,
      );
      // An action from the menu does what it says: Move opens the move controls.
      await (await cardAction(item, /^Move “/)).click();
      await expect.poll(() => item.getByRole('group', { name: /^Move “/ }).count()).toBe(1);
      await expectAccessible(page);
      expect(problems).toEqual({ csp: [], errors: [] });
      await leave(context);
    }
    // A member's menu on someone else's card has no moderation and no delete.
    const member = await browser.newContext({ ...LAPTOP, storageState: memberState });
    const { page } = await openBoard(member);
    const theirs = card(page, IDEAS[0] ?? '');
    await theirs.getByRole('button', { name: /^Actions for “/ }).click();
    expect(
      await theirs
        .getByRole('list', { name: /^Actions for “/ })
        .getByRole('button')
        .allTextContents(),
    ).toEqual(['Edit', 'Move']);
    await leave(member);
  });

  it('shows who is on the board now: both while two people have it open, one after the other leaves', async () => {
    const contextA = await browser.newContext({ ...LAPTOP, storageState: facilitatorState });
    const contextB = await browser.newContext({ ...PHONE, storageState: memberState });
    const { page: a, problems } = await openBoard(contextA);
    const presence = a.getByRole('region', { name: 'On the board now' });
    await expect
      .poll(() => presence.getByRole('listitem').allTextContents(), { timeout: 25_000 })
      .toEqual(['Demo Facilitator\u00a0(you)']);
    const { page: b } = await openBoard(contextB);
    await expect
      .poll(() => presence.getByRole('listitem').allTextContents(), { timeout: 10_000 })
      .toEqual(['Demo Facilitator\u00a0(you)', MEMBER.name]);
    const seenByB = b.getByRole('region', { name: 'On the board now' }).getByRole('listitem');
    await expect.poll(() => seenByB.allTextContents()).toEqual([`${MEMBER.name}\u00a0(you)`, 'Demo Facilitator']);
    await expectAccessible(a);
    await expectAccessible(b);
    await expectNoSidewaysScroll(b);

    // The colleague closes the board: the facilitator sees them go.
    await leave(contextB);
    await expect
      .poll(() => presence.getByRole('listitem').allTextContents(), { timeout: 25_000 })
      .toEqual(['Demo Facilitator\u00a0(you)']);
    expect(problems).toEqual({ csp: [], errors: [] });
    await leave(contextA);
  });

  it('sorts a column by dots only once the votes are revealed, for everyone, and back to its own order', async () => {
    const contextA = await browser.newContext({ ...LAPTOP, storageState: facilitatorState });
    const contextB = await browser.newContext({ ...PHONE, storageState: memberState });
    const { page: a } = await openBoard(contextA);
    const { page: b } = await openBoard(contextB);
    // Before the reveal the totals are hidden, and nothing offers to order by them.
    for (const page of [a, b]) {
      expect(await page.getByRole('button', { name: /^Most dots first/ }).count()).toBe(0);
      expect(await cardTexts(page, 'ideas')).toEqual(IDEAS);
    }

    await a.locator('.facilitator-panel > summary').click();
    await a.getByRole('button', { name: 'Reveal the votes' }).click();
    for (const page of [a, b]) {
      const sort = page.getByRole('button', { name: 'Most dots first in Ideas' });
      await expect.poll(() => sort.count()).toBe(1);
      // A column with a single card has nothing to sort.
      expect(await page.getByRole('button', { name: 'Most dots first in What is working' }).count()).toBe(0);
      expect(await sort.getAttribute('aria-pressed')).toBe('false');
      await sort.click();
      expect(await sort.getAttribute('aria-pressed')).toBe('true');
      expect(await cardTexts(page, 'ideas')).toEqual([IDEAS[2], IDEAS[1], IDEAS[0]]);
      expect(await column(page, 'ideas').getByTestId('total').allTextContents()).toEqual(['2', '1', '0']);
      await expectAccessible(page);
    }
    await expectNoSidewaysScroll(b);
    // Sorting is the reader's own view: the other browser's order and the cards' places are untouched.
    await b.getByRole('button', { name: 'Most dots first in Ideas' }).click();
    expect(await cardTexts(b, 'ideas')).toEqual(IDEAS);
    expect(await cardTexts(a, 'ideas')).toEqual([IDEAS[2], IDEAS[1], IDEAS[0]]);

    // Hiding the totals again takes the sorting away with them.
    await a.getByRole('button', { name: 'Hide the totals' }).click();
    await expect.poll(() => a.getByRole('button', { name: /^Most dots first/ }).count()).toBe(0);
    expect(await cardTexts(a, 'ideas')).toEqual(IDEAS);
    await expect.poll(() => b.getByRole('button', { name: /^Most dots first/ }).count()).toBe(0);
    await leave(contextA);
    await leave(contextB);
  });

  it('moves a card to another column by drag and drop, and it is still there after a reload', async () => {
    const context = await browser.newContext({ ...LAPTOP, storageState: facilitatorState });
    const { page, problems } = await openBoard(context);
    const text = 'Guided reading groups meet daily';
    const moved = page.waitForResponse(
      (res) => res.request().method() === 'PATCH' && /\/cards\/[^/]+$/.test(new URL(res.url()).pathname),
    );
    await card(column(page, 'working'), text).dragTo(column(page, 'next-steps'));
    expect((await moved).status()).toBe(200);
    await expect.poll(() => cardTexts(page, 'next-steps')).toEqual([text]);
    expect(await card(column(page, 'working'), text).count()).toBe(0);
    await page.reload();
    await expect.poll(() => cardTexts(page, 'next-steps')).toEqual([text]);
    expect(await column(page, 'working').locator('li.board-card').count()).toBe(0);
    expect(problems).toEqual({ csp: [], errors: [] });
    await leave(context);
  });
});
