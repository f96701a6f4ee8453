/**
 * The PL plan editor loses nothing: a refused save names the field and marks it, the
 * edits survive a reload (kept on the device until saved or discarded), and leaving with
 * unsaved edits asks first.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE, watchProblems } from './browser';
import { DEMO, signedInState } from './session';

const baseURL = inject('baseURL');
const LAPTOP = { viewport: { width: 1280, height: 900 } };
let browser: Browser;
let facilitator: BrowserContextOptions['storageState'];

beforeAll(async () => {
  browser = await launch();
  facilitator = await signedInState(browser, DEMO.facilitator, '/');
});
afterAll(async () => {
  await browser?.close();
});

/** A new plan board with one plan started on it, opened in a page of its own. */
async function planOnNewBoard(context: BrowserContext, title: string): Promise<{ page: Page; plan: Locator }> {
  const res = await context.request.post(`${baseURL}/api/boards`, {
    headers: { Origin: baseURL, 'Content-Type': 'application/json' },
    data: JSON.stringify({ campaignId: 'demo-fall-2026', title, template: 'plan' }),
  });
  expect(res.status()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const page = await context.newPage();
  await page.goto(`${baseURL}/board/?b=${encodeURIComponent(id)}`);
  const start = page.getByLabel('Start a plan for…');
  await expect.poll(() => start.locator('option').count()).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Start the plan' }).click();
  const plan = page.locator('section[data-plan]');
  await plan.getByLabel('What educators will show at level 1').waitFor();
  return { page, plan };
}

const status = (plan: Locator) => plan.getByTestId('plan-status').textContent();

describe.each([
  ['a laptop', LAPTOP],
  ['a phone', PHONE],
])('the plan editor on %s', (_, device) => {
  it('names and marks the field a save refused, and keeps every edit through the refusal and a reload', async () => {
    const context = await browser.newContext({ ...device, storageState: facilitator });
    const { page, plan } = await planOnNewBoard(context, `Drafts kept (${device.viewport.width} px)`);
    const problems = await watchProblems(page);

    await plan.getByLabel('What educators will show at level 1').fill('Educators try one questioning move a week.');
    await plan.getByLabel('What students will show at level 2').fill('Students explain their reasoning.');
    await plan.getByRole('checkbox', { name: /^Coaching/ }).check();
    await plan.getByRole('button', { name: 'Add a timeline row' }).click();
    await page.keyboard.type('October');
    // The row's "What" is left empty: the save is refused for that one field.
    await plan.getByRole('button', { name: /^Save plan/ }).click();
    await expect.poll(() => status(plan)).toBe('Not saved: One field needs a change, marked below.');
    const what = plan.getByLabel('What (row 1)');
    expect(await what.getAttribute('aria-invalid')).toBe('true');
    expect(await plan.getByLabel('When (row 1)').getAttribute('aria-invalid')).toBeNull();
    // Focus went to the field to fix, and the field says what is wrong with it.
    expect(await what.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await what.evaluate((input) => input.getAttribute('aria-describedby'))).toBeTruthy();
    const described = await what.evaluate(
      (input) => document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent,
    );
    expect(described).toBe('Timeline row 1, What: must not be empty');
    expect(await plan.getByTestId('plan-problems').textContent()).toBe('Timeline row 1, What: must not be empty');
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);

    // A reload (or a crash, or closing the tab) loses none of it.
    page.on('dialog', (dialog) => void dialog.accept());
    await page.reload();
    await plan.getByLabel('What educators will show at level 1').waitFor();
    await expect
      .poll(() => plan.getByLabel('What educators will show at level 1').inputValue())
      .toBe('Educators try one questioning move a week.');
    expect(await plan.getByLabel('What students will show at level 2').inputValue()).toBe(
      'Students explain their reasoning.',
    );
    expect(await plan.getByRole('checkbox', { name: /^Coaching/ }).isChecked()).toBe(true);
    expect(await plan.getByLabel('When (row 1)').inputValue()).toBe('October');
    expect(await status(plan)).toMatch(/^Your unsaved edits from .+ are back\. Save the plan to keep them\.$/);

    // Fixed and saved: the device forgets the copy, so the next visit reads the saved plan.
    await plan.getByLabel('What (row 1)').fill('First coaching cycle');
    await plan.getByRole('button', { name: /^Save plan/ }).click();
    await expect.poll(() => status(plan)).toMatch(/^Saved at /);
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('homegrown:board:'))),
    ).toEqual([]);
    await page.reload();
    await expect.poll(() => plan.getByLabel('What (row 1)').inputValue()).toBe('First coaching cycle');
    expect(await status(plan)).toBe('');
    // The one refused save is all the console saw.
    expect(problems).toEqual({
      csp: [],
      errors: ['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)'],
    });
    await context.close();
  });
});

describe('leaving the plan editor', () => {
  it('asks before leaving with unsaved edits, and not once they are discarded', async () => {
    const context = await browser.newContext({ ...LAPTOP, storageState: facilitator });
    const { page, plan } = await planOnNewBoard(context, 'Leave warning');
    await plan.getByLabel('What staff will show at level 3').fill('Coaches model a lesson.');
    expect(await status(plan)).toBe('You have unsaved changes, kept on this device until you save.');
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.dismiss();
    });
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => asked).toEqual(['beforeunload']);
    expect(page.isClosed()).toBe(false);

    // Discarding goes back to the saved plan: nothing is kept, and leaving asks nothing.
    await plan.getByRole('button', { name: /^Discard my edits/ }).click();
    expect(await plan.getByLabel('What staff will show at level 3').inputValue()).toBe('');
    expect(await status(plan)).toBe('Loaded the latest saved version; your edits were discarded.');
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('homegrown:board:'))),
    ).toEqual([]);
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => page.isClosed()).toBe(true);
    expect(asked).toEqual(['beforeunload']);
    await context.close();
  });
});
