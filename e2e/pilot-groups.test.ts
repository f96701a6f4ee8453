import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE, watchProblems } from './browser';
import { DEMO, expectSignInAgain, signedInState } from './session';

const baseURL = inject('baseURL');
const FALL = 'demo-fall-2026';
const SPRING = 'demo-spring-2027';
const PAGE = `/pilot-groups/?c=${FALL}`;
const LAPTOP = { viewport: { width: 1280, height: 900 } };
let browser: Browser;
let director: BrowserContextOptions['storageState'];

beforeAll(async () => {
  browser = await launch();
  director = await signedInState(browser, DEMO.director, PAGE);
});
afterAll(async () => {
  await browser?.close();
});

const asDirector = (options: BrowserContextOptions = {}): Promise<BrowserContext> =>
  browser.newContext({ ...options, storageState: director });

const groups = (page: Page) => page.locator('article[data-group]');
const confirmButton = (page: Page) => page.getByRole('button', { name: 'Confirm groups' });
const violations = (page: Page) => page.getByTestId('violations').locator('li');

async function propose(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Propose groups' }).click();
  await expect.poll(() => groups(page).count(), { timeout: 20_000 }).toBeGreaterThan(0);
}

/** Each member row of a group: name, school and reason (their gap and interest, in words). */
async function members(group: Locator): Promise<Array<{ id: string; name: string; school: string; reason: string }>> {
  return group.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-member') ?? '',
      name: row.querySelector('th')?.childNodes[0]?.textContent?.trim() ?? '',
      school: row.querySelectorAll('td')[0]?.textContent?.trim() ?? '',
      reason: row.querySelectorAll('td')[1]?.textContent?.trim() ?? '',
    })),
  );
}

const dialog = (page: Page) => page.locator('dialog[open]');

/** A level in words; never a rating or a number (worker/src/domain/pilot-groups.ts sets the thresholds). */
const LEVEL = '(no|some|large) gap, (asked|did not ask) to learn it';
const MEMBER_REASON = new RegExp(
  `^(Added by you\\. )?${LEVEL.replace('(no|some|large)', '(No|Some|Large)')}(; brings the group to its minimum size|; the group had room for them)?\\.$`,
);
/** What would tell a director someone's own ratings or exact gap. */
const RATING_WORDS =
  /rated its importance|their practice \d|\bfit \d|total fit (of|is|from)? ?\d|Total fit of the proposal/i;
const levelRank = (label: string): number => {
  const [, gap, asked] = label.match(new RegExp(`: ${LEVEL}$`)) ?? [];
  return (gap === 'large' ? 4 : gap === 'some' ? 2 : 0) + (asked === 'asked' ? 1 : 0);
};

/** The replacements the swap dialog offers, as their labels. */
const replacementLabels = (page: Page) =>
  dialog(page)
    .getByLabel('Replacement')
    .locator('option')
    .evaluateAll((options) => options.map((option) => [(option as HTMLOptionElement).value, option.textContent ?? '']));

describe('pilot groups of the demo fall campaign', () => {
  it('proposes groups with reasons, swaps, shows a broken rule, undoes it, confirms and exports', async () => {
    const context = await asDirector(LAPTOP);
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(`${baseURL}${PAGE}`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Pilot groups: Fall 2026 professional learning needs survey');
    await expect.poll(() => page.getByRole('checkbox').count()).toBeGreaterThan(3);
    await propose(page);

    expect(await page.getByTestId('objective').textContent()).toMatch(/from \d+ willing staff\..*proven best/s);
    const first = groups(page).first();
    const proposed = await members(first);
    expect(proposed.length).toBeGreaterThanOrEqual(6);
    expect(proposed.length).toBeLessThanOrEqual(10);
    // Each person's fit is shown as a level in words, as the survey promised: no rating, no number.
    for (const member of proposed) {
      expect(member.name).not.toBe('');
      expect(member.reason).toMatch(MEMBER_REASON);
    }
    expect(await first.getByTestId('group-summary').textContent()).toMatch(
      new RegExp(`^${proposed.length} members: .*gap.*; \\d+ asked to learn it\\.$`),
    );
    expect(await first.locator('thead th').allTextContents()).not.toContain('Fit');
    expect(await page.getByTestId('levels-help').textContent()).toMatch(/some gap.*1 or 2 points.*large gap.*3 or 4/s);
    expect(await page.locator('main').textContent()).not.toMatch(RATING_WORDS);
    expect(await first.getByLabel('Champion').inputValue()).not.toBe('');
    expect((await first.locator('[id^="champion-"][id$="-why"]').textContent())?.trim()).not.toBe('');
    expect((await first.locator('[id^="coach-"][id$="-why"]').textContent())?.trim()).not.toBe('');
    const leftOut = page.locator('#left-out-table tbody tr');
    expect(await leftOut.count()).toBeGreaterThan(0);
    expect((await leftOut.first().locator('td').last().textContent())?.trim()).not.toBe('');
    await expectAccessible(page);

    // A swap for someone left out that keeps every rule.
    const out = proposed.at(-1);
    if (!out) throw new Error('no member');
    await first.getByRole('button', { name: `Swap ${out.name}…` }).click();
    await expect.poll(() => dialog(page).count()).toBe(1);
    // The director compares the people left out by level, the largest gap first.
    const offered = (await replacementLabels(page)).map(([, label]) => label ?? '');
    expect(offered.length).toBeGreaterThan(0);
    for (const label of offered) expect(label).toMatch(new RegExp(`, .+: ${LEVEL}$`));
    const ranks = offered.map(levelRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    // Side by side: the one who would join and the one who would leave, each by level.
    const compared = (await dialog(page).getByTestId('swap-compare').textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(compared).toMatch(
      new RegExp(`\\(joins\\): (No|Some|Large) gap, .* ${out.name} \\(leaves\\): (No|Some|Large) gap, `),
    );
    let replacement = '';
    for (const [value, label] of (await replacementLabels(page)).slice(0, 20)) {
      await dialog(page)
        .getByLabel('Replacement')
        .selectOption(value ?? '');
      if ((await dialog(page).locator('.preview').textContent())?.includes('keeps every rule')) {
        replacement = (label ?? '').split(',')[0] ?? '';
        break;
      }
    }
    expect(replacement).not.toBe('');
    await dialog(page).getByRole('button', { name: 'Make this change' }).click();
    await expect.poll(() => dialog(page).count()).toBe(0);
    const afterSwapRows = await members(first);
    const afterSwap = afterSwapRows.map((member) => member.name);
    expect(afterSwap).toContain(replacement);
    // Someone the director added is shown by level too.
    expect(afterSwapRows.find((member) => member.name === replacement)?.reason).toMatch(/^Added by you\. /);
    expect(afterSwapRows.find((member) => member.name === replacement)?.reason).toMatch(MEMBER_REASON);
    expect(afterSwap).not.toContain(out.name);
    expect(await page.locator('#left-out-table tbody th', { hasText: out.name }).count()).toBeGreaterThan(0);
    expect(await violations(page).count()).toBe(0);
    expect(await confirmButton(page).isEnabled()).toBe(true);

    // Bring members from the group's biggest school until one school has too many.
    const bySchool = new Map<string, number>();
    for (const member of await members(first)) bySchool.set(member.school, (bySchool.get(member.school) ?? 0) + 1);
    const [school] = [...bySchool].sort((a, b) => b[1] - a[1])[0] ?? [''];
    let broke = '';
    for (let guard = 0; guard < 4 && !broke; guard++) {
      const other = (await members(first)).find((member) => member.school !== school);
      if (!other) break;
      await first.getByRole('button', { name: `Swap ${other.name}…` }).click();
      const option = (await replacementLabels(page)).find(([, label]) => label?.includes(`, ${school}: `));
      expect(option).toBeTruthy();
      await dialog(page)
        .getByLabel('Replacement')
        .selectOption(option?.[0] ?? '');
      const preview = (await dialog(page).locator('.preview').textContent()) ?? '';
      if (preview.includes('would break')) broke = preview;
      await dialog(page).getByRole('button', { name: 'Make this change' }).click();
      await expect.poll(() => dialog(page).count()).toBe(0);
    }
    expect(broke).toContain(`${school} would have 4 members`);
    expect(broke).toContain('at most 3 may come from one school');
    expect(await violations(page).count()).toBe(1);
    expect(await violations(page).first().textContent()).toContain(`${school} would have 4 members`);
    expect(await confirmButton(page).isDisabled()).toBe(true);
    expect(await page.locator('p.said').textContent()).toContain('This breaks a rule');

    await page.getByRole('button', { name: 'Undo last change' }).click();
    await expect.poll(() => violations(page).count()).toBe(0);
    expect(await confirmButton(page).isEnabled()).toBe(true);

    await confirmButton(page).click();
    await expect.poll(() => page.getByText(/^Confirmed \d+ groups?\./).count()).toBe(1);
    const confirmed = page.getByTestId('confirmed').locator(':scope > li');
    expect(await confirmed.count()).toBe(await groups(page).count());
    const names = (await members(first)).map((member) => member.name);
    const listed = await confirmed.first().locator('ul li').allTextContents();
    expect(listed.map((text) => text.split(' (')[0]?.trim()).sort()).toEqual([...names].sort());

    const href = await page.getByRole('link', { name: 'Download CSV for scheduling' }).getAttribute('href');
    const res = await context.request.get(new URL(href ?? '', baseURL).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/csv');
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('competencyId,focus,role,staffId,name,school,email');
    expect(lines.filter((line) => line.includes(',member,')).length).toBe(
      await page.locator('article[data-group] tbody tr').count(),
    );

    // After a reload the confirmed groups are still listed.
    await page.reload();
    await expect.poll(() => page.getByTestId('confirmed').locator(':scope > li').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    expect(problems).toEqual({ csp: [], errors: [] });
    await context.close();
  });

  it('fits a 360 px phone and meets WCAG 2.1 AA there, with the swap dialog open too', async () => {
    const context = await asDirector(PHONE);
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(`${baseURL}${PAGE}`);
    await expect.poll(() => page.getByRole('checkbox').count()).toBeGreaterThan(3);
    await expectNoSidewaysScroll(page);
    await propose(page);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    await groups(page)
      .first()
      .getByRole('button', { name: /^Swap .+…$/ })
      .first()
      .click();
    await expect.poll(() => dialog(page).count()).toBe(1);
    await expectNoSidewaysScroll(page);
    await expectAccessible(page);
    expect(problems).toEqual({ csp: [], errors: [] });
    await context.close();
  });

  it('works by keyboard alone: propose, swap through the dialog, confirm', async () => {
    const context = await asDirector(LAPTOP);
    const page = await context.newPage();
    await page.goto(`${baseURL}${PAGE}`);
    await expect.poll(() => page.getByRole('checkbox').count()).toBeGreaterThan(3);
    const active = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLInputElement | null;
        return { text: element?.textContent?.trim() ?? '', type: element?.type ?? '', tag: element?.tagName ?? '' };
      });
    const tabTo = async (matches: (element: { text: string; type: string; tag: string }) => boolean) => {
      for (let i = 0; i < 120; i++) {
        await page.keyboard.press('Tab');
        if (matches(await active())) return;
      }
      throw new Error('nothing focusable matched');
    };
    // Tick the first focus with the space bar: one group, for that focus.
    await tabTo((element) => element.type === 'checkbox');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox').first().isChecked()).toBe(true);
    await tabTo((element) => element.text === 'Propose groups');
    await page.keyboard.press('Enter');
    await expect.poll(() => groups(page).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('results-heading');

    const before = (await members(groups(page).first())).map((member) => member.name);
    await tabTo((element) => element.text === 'Swap…');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog(page).count()).toBe(1);
    await page.keyboard.press('Tab');
    expect((await active()).tag).toBe('SELECT');
    // The arrow keys walk the replacements; stop at one that keeps every rule.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('ArrowDown');
      if ((await dialog(page).locator('.preview').textContent())?.includes('keeps every rule')) break;
    }
    await tabTo((element) => element.text === 'Make this change');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog(page).count()).toBe(0);
    const after = (await members(groups(page).first())).map((member) => member.name);
    expect(after).not.toEqual(before);
    // Focus lands on the newcomer's own Swap button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-swap'))).toMatch(/\|/);

    await tabTo((element) => element.text === 'Confirm groups');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText(/^Confirmed 1 group\./).count()).toBe(1);
    await context.close();
  });
});

it("shows the server's reasons when it refuses the groups", async () => {
  const context = await asDirector(LAPTOP);
  const page = await context.newPage();
  await page.goto(`${baseURL}${PAGE}`);
  await expect.poll(() => page.getByRole('checkbox').count()).toBeGreaterThan(3);
  await propose(page);
  // The roster could change between the proposal and the confirmation; the server then says why it refuses.
  const refusal =
    'Maple Elementary would have 4 members in the Formative assessment group; at most 3 may come from one school';
  await page.route('**/api/campaigns/*/pilot-groups', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 422,
          json: {
            error: { code: 'PILOT_CONSTRAINTS', message: `${refusal}. Nothing was saved.`, violations: [refusal] },
          },
        })
      : route.continue(),
  );
  await confirmButton(page).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Nothing was saved.' });
  await expect.poll(() => alert.count()).toBe(1);
  expect(await alert.locator('li').allTextContents()).toEqual([refusal]);
  await context.close();
});

it('explains kindly that an anonymous campaign has no pilot groups', async () => {
  const context = await asDirector(LAPTOP);
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.goto(`${baseURL}/pilot-groups/?c=${SPRING}`);
  await expect.poll(() => page.getByText('was anonymous, so no answer is linked to a person').count()).toBe(1);
  expect(await page.getByRole('button', { name: 'Propose groups' }).count()).toBe(0);
  await expectAccessible(page);
  expect(problems).toEqual({ csp: [], errors: [] });
  await context.close();
});

it('sends the director to sign in again, back to the same view, when the session has ended', async () => {
  const context = await asDirector(LAPTOP);
  const page = await context.newPage();
  await expectSignInAgain(page, PAGE);
  await context.close();
});
