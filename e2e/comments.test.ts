import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE } from './browser';
import { DEMO, signedInState } from './session';

const baseURL = inject('baseURL');
const FALL = 'demo-fall-2026';
const HEADING = 'Comments: Fall 2026 professional learning needs survey';
/** Words of one of the demo district's comments, in another case than it was written in. */
const SEARCH = 'COACH WHO VISITS';
const LAPTOP = { viewport: { width: 1280, height: 900 } };
let browser: Browser;
let director: BrowserContextOptions['storageState'];

beforeAll(async () => {
  browser = await launch();
  director = await signedInState(browser, DEMO.director, '/comments/');
});
afterAll(async () => {
  await browser?.close();
});

interface CommentPage {
  shown: boolean;
  total: number;
  items: Array<{ id: string; text: string; tags: string[] }>;
}

async function open(options: BrowserContextOptions) {
  const context = await browser.newContext({ ...options, storageState: director });
  const page = await context.newPage();
  await page.goto(`${baseURL}/comments/?c=${FALL}`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(HEADING);
  await expect.poll(() => page.getByTestId('comment-count').count()).toBe(1);
  return { context, page };
}

/** The comments API as the signed-in director's page calls it. */
async function read(page: Page, query: string): Promise<CommentPage> {
  const res = await page.request.get(`${baseURL}/api/campaigns/${FALL}/comments${query}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as CommentPage;
}

/** The count line, as read. */
const countText = async (page: Page) =>
  (await page.getByTestId('comment-count').textContent())?.replace(/\s+/g, ' ').trim();
const cards = (page: Page) => page.locator('.comment-list article');

describe('the comments page of the demo fall campaign', () => {
  it('searches, tags a comment to a focus and downloads the CSV', async () => {
    const { context, page } = await open(LAPTOP);
    expect(await page.getByTestId('rule').textContent()).toContain(
      'Comments are shown only for groups of at least 5 people, without names, roles or times.',
    );
    const all = await read(page, '?limit=1');
    expect(all.total).toBeGreaterThan(25);
    expect(await countText(page)).toBe(`${all.total} comments.`);

    // One school at a time, of those the page offers: exactly that school's comments.
    const school = page.getByLabel('School', { exact: true });
    const [, option] = await school
      .locator('option')
      .evaluateAll((options) => options.map((one) => (one as HTMLOptionElement).value));
    if (!option) throw new Error('the demo campaign offers no school');
    await school.selectOption(option);
    await page.getByRole('button', { name: 'Show comments' }).click();
    const atSchool = await read(page, `?by=school&segment=${encodeURIComponent(option)}&limit=1`);
    expect(atSchool.shown).toBe(true);
    expect(atSchool.total).toBeLessThan(all.total);
    await expect.poll(() => countText(page)).toBe(`${atSchool.total} comments.`);
    await school.selectOption('');

    await page.getByLabel('Search the comments').fill(SEARCH);
    await page.getByRole('button', { name: 'Show comments' }).click();
    const found = await read(page, `?q=${encodeURIComponent(SEARCH)}&limit=100`);
    expect(found.total).toBeGreaterThan(0);
    expect(found.total).toBeLessThan(all.total);
    await expect.poll(() => countText(page)).toBe(`${found.total} comments match.`);
    const shown = await cards(page).locator('.comment-text').allTextContents();
    expect(shown.length).toBe(Math.min(found.total, 25));
    for (const text of shown) expect(text.toLowerCase()).toContain(SEARCH.toLowerCase());

    const first = cards(page).first();
    const text = (await first.locator('.comment-text').textContent()) ?? '';
    await first.getByLabel('Tag to a focus').selectOption({ label: 'Formative assessment' });
    await first.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => first.getByRole('button', { name: 'Remove the tag Formative assessment' }).count()).toBe(1);
    const tagged = await read(page, `?focus=formative-assessment&q=${encodeURIComponent(SEARCH)}`);
    expect(tagged.items.map((item) => item.text)).toContain(text);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these comments (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('comments.csv');
    const lines = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/);
    expect(lines[0]).toBe('comment,tags');
    expect(lines).toHaveLength(found.total + 1);
    expect(lines.filter((line) => line.endsWith(',Formative assessment')).length).toBeGreaterThanOrEqual(1);

    await expectAccessible(page);
    // Leave the demo as it was.
    await first.getByRole('button', { name: 'Remove the tag Formative assessment' }).click();
    await expect.poll(() => first.locator('.chip').count()).toBe(0);
    await context.close();
  });

  it('tags and untags with the keyboard alone', async () => {
    const { context, page } = await open(LAPTOP);
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return { id: element?.id ?? '', label: element?.getAttribute('aria-label') ?? '', text: element?.textContent };
      });
    const tabTo = async (wanted: (element: Awaited<ReturnType<typeof focused>>) => boolean) => {
      for (let presses = 0; presses < 60; presses++) {
        await page.keyboard.press('Tab');
        if (wanted(await focused())) return;
      }
      throw new Error('Tab never reached the control');
    };
    await tabTo((element) => element.id === 'comment-search');
    await page.keyboard.type('paraprofessionals');
    await page.keyboard.press('Enter');
    await expect.poll(() => countText(page)).toMatch(/^\d+ comments? match(es)?\.$/);
    await expect.poll(() => cards(page).count()).toBeGreaterThan(0);

    await tabTo((element) => element.id.startsWith('tag-'));
    // The first focus after "Choose a focus" is the framework's first.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect((await focused()).text?.trim()).toBe('Add tag');
    await page.keyboard.press('Enter');
    const first = cards(page).first();
    await expect.poll(() => first.locator('.chip').count()).toBe(1);
    // Focus is back on the picker; the chip's button is just before it.
    expect((await focused()).id).toMatch(/^tag-/);
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).label).toMatch(/^Remove the tag /);
    await page.keyboard.press('Enter');
    await expect.poll(() => first.locator('.chip').count()).toBe(0);
    // Focus went on to the picker, not to the top of the page.
    expect((await focused()).id).toMatch(/^tag-/);
    await context.close();
  });

  it('shows an admin the comments with no control to tag them (tags are for directors)', async () => {
    const admin = await signedInState(browser, DEMO.admin, '/comments/');
    const context = await browser.newContext({ ...LAPTOP, storageState: admin });
    const page = await context.newPage();
    await page.goto(`${baseURL}/comments/?c=${FALL}`);
    await expect.poll(() => page.getByTestId('comment-count').count()).toBe(1);
    expect(await cards(page).count()).toBeGreaterThan(0);
    expect(await page.getByLabel('Tag to a focus').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove the tag / }).count()).toBe(0);
    expect(await page.getByText('Directors tag comments to focuses').count()).toBe(1);
    await expectAccessible(page);
    await context.close();
  });

  it('fits a 360 px phone without sideways scrolling, and meets WCAG 2.1 AA there', async () => {
    const { context, page } = await open(PHONE);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    await context.close();
  });
});
