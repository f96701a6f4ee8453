/**
 * The Hexagon Tool and the professional learning plan, as a design team uses them: ratings
 * given with the keyboard, the team's figures worked out by hand, a plan saved by two people
 * at once without one silently undoing the other, and the plan on paper.
 */
import type { APIResponse, Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE, watchProblems } from './browser';
import { DEMO, nextPrintedLink, printedLink, signedInState } from './session';

const baseURL = inject('baseURL');
const FALL = 'demo-fall-2026';
const LAPTOP = { viewport: { width: 1280, height: 900 } };
const WRITE = { Origin: baseURL, 'Content-Type': 'application/json' };
const PROGRAMS = ['Instructional coaching cycles', 'Lesson study with a partner school'];
let browser: Browser;
let facilitator: BrowserContextOptions['storageState'];

beforeAll(async () => {
  browser = await launch();
  facilitator = await signedInState(browser, DEMO.facilitator, '/');
});
afterAll(async () => {
  await browser?.close();
});

const asFacilitator = (options: BrowserContextOptions = LAPTOP): Promise<BrowserContext> =>
  browser.newContext({ ...options, storageState: facilitator });

async function send(context: BrowserContext, method: string, path: string, body?: unknown): Promise<APIResponse> {
  return context.request.fetch(`${baseURL}${path}`, {
    method,
    headers: WRITE,
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
}

async function createBoard(context: BrowserContext, title: string, template: 'hexagon' | 'plan'): Promise<string> {
  const res = await send(context, 'POST', '/api/boards', { campaignId: FALL, title, template });
  expect(res.status()).toBe(201);
  const board = (await res.json()) as { id: string; template: string; you: { role: string } };
  expect(board.template).toBe(template);
  expect(board.you.role).toBe('facilitator');
  return board.id;
}

const boardPage = (id: string) => `${baseURL}/board/?b=${encodeURIComponent(id)}`;

/** One indicator's box inside one program's ratings. */
const indicatorBox = (page: Page, program: string, indicator: string): Locator =>
  page.getByRole('article', { name: program }).locator(`[data-indicator="${indicator}"]`);

/** The team figures an indicator box shows, as its text. */
async function figures(box: Locator): Promise<Record<string, string>> {
  return box
    .locator('[data-figure]')
    .evaluateAll((items) =>
      Object.fromEntries(items.map((item) => [item.getAttribute('data-figure') ?? '', item.textContent?.trim() ?? ''])),
    );
}

/** Rates with the keyboard alone: focus the group's first score, then arrow along to `score`. */
async function rateByKeyboard(page: Page, box: Locator, score: number): Promise<void> {
  await box.getByRole('radio', { name: '1', exact: true }).focus();
  if (score === 1) await page.keyboard.press('Space');
  for (let step = 1; step < score; step++) await page.keyboard.press('ArrowRight');
  await expect.poll(() => box.getByRole('radio', { name: String(score), exact: true }).isChecked()).toBe(true);
  await expect.poll(() => box.getByRole('status').textContent()).toBe('Saved.');
}

describe('the Hexagon Tool', () => {
  it("shows the team's mean and spread worked out from two people's keyboard ratings, and flags the disagreement", async () => {
    const owner = await asFacilitator();
    const boardId = await createBoard(owner, 'Which coaching model should we pilot?', 'hexagon');
    for (const text of PROGRAMS) {
      expect((await send(owner, 'POST', `/api/boards/${boardId}/cards`, { column: 'programs', text })).status()).toBe(
        201,
      );
    }
    const before = printedLink('robin.rater@school.example');
    const invited = await send(owner, 'POST', `/api/boards/${boardId}/invitations`, {
      email: 'robin.rater@school.example',
      name: 'Robin Rater',
      role: 'member',
    });
    expect(invited.status()).toBe(201);
    // The join link is only in the invitation email (the local outbox), never in the answer.
    const link = await nextPrintedLink('robin.rater@school.example', before);
    const token = new URL(link).hash.replace(/^#(token=)?/, '');

    // The colleague joins through the link's token in a browser of their own.
    const colleague = await browser.newContext(LAPTOP);
    const joined = await send(colleague, 'POST', '/api/boards/join', { token });
    expect(joined.status()).toBe(200);
    expect(((await joined.json()) as { boardId: string }).boardId).toBe(boardId);

    const page = await owner.newPage();
    const problems = await watchProblems(page);
    await page.goto(boardPage(boardId));
    await expect.poll(() => page.getByRole('article', { name: PROGRAMS[0] }).count()).toBe(1);
    const need = indicatorBox(page, PROGRAMS[0] ?? '', 'need');
    const fit = indicatorBox(page, PROGRAMS[0] ?? '', 'fit');
    expect(await need.getByRole('heading', { level: 4 }).textContent()).toBe('Need');
    expect(await need.textContent()).toContain('How clearly does this address a need');
    await rateByKeyboard(page, need, 1);
    await rateByKeyboard(page, fit, 4);
    await need.getByRole('textbox', { name: /My note/ }).focus();
    await page.keyboard.type('Our coaches are already stretched thin.');
    await page.keyboard.press('Tab');
    await expect.poll(() => need.getByRole('status').textContent()).toBe('Saved.');
    // One rating: a mean but no spread yet.
    expect(await figures(need)).toEqual({ n: '1', mean: '1.00', sd: 'needs 2 ratings', range: '1–1' });

    const other = await colleague.newPage();
    await other.goto(boardPage(boardId));
    await expect.poll(() => other.getByRole('article', { name: PROGRAMS[0] }).count()).toBe(1);
    const theirNeed = indicatorBox(other, PROGRAMS[0] ?? '', 'need');
    await rateByKeyboard(other, theirNeed, 5);
    await rateByKeyboard(other, indicatorBox(other, PROGRAMS[0] ?? '', 'fit'), 5);
    await theirNeed.getByRole('textbox', { name: /My note/ }).fill('Teachers keep asking for exactly this.');
    await theirNeed.getByRole('button', { name: /^Save my rating of Need/ }).click();
    await expect.poll(() => theirNeed.getByRole('status').textContent()).toBe('Saved.');
    // The colleague sees the facilitator's note by name; their own stays in their note box.
    expect(await theirNeed.locator('.notes').textContent()).toContain('Our coaches are already stretched thin.');

    // Need: 1 and 5 → mean 3, SD √((2² + 2²) / 1) = √8 = 2.83, range 4 ≥ 3: discuss.
    await expect.poll(() => figures(need)).toEqual({ n: '2', mean: '3.00', sd: '2.83', range: '1–5' });
    expect(await need.getByText('Wide disagreement — discuss').isVisible()).toBe(true);
    await expect
      .poll(() => need.locator('.notes li').allTextContents())
      .toEqual(['Robin Rater: Teachers keep asking for exactly this.']);
    // Fit: 4 and 5 → mean 4.5, SD √((0.5² + 0.5²) / 1) = √0.5 = 0.71, no flag.
    await expect.poll(() => figures(fit)).toEqual({ n: '2', mean: '4.50', sd: '0.71', range: '4–5' });
    expect(await fit.getByText('Wide disagreement — discuss').count()).toBe(0);
    expect(await indicatorBox(page, PROGRAMS[1] ?? '', 'need').textContent()).toContain('No ratings yet.');

    const summary = page.getByRole('table', { name: /Team mean rating of each program/ });
    const cell = (indicator: string) =>
      summary.getByRole('row', { name: new RegExp(`^${PROGRAMS[0]}`) }).locator(`td[data-indicator="${indicator}"]`);
    expect((await cell('need').textContent())?.replace(/\s+/g, ' ').trim()).toBe('3.00 Discuss');
    expect((await cell('fit').textContent())?.trim()).toBe('4.50');

    // Clearing a rating takes it out of the team's figures.
    await fit.getByRole('button', { name: /^Clear my rating of Fit/ }).click();
    await expect.poll(() => figures(fit)).toEqual({ n: '1', mean: '5.00', sd: 'needs 2 ratings', range: '5–5' });

    await expectAccessible(page);
    expect(problems).toEqual({ csp: [], errors: [] });

    // A viewer reads the same figures and notes but has nothing to rate with.
    const beforeViewer = printedLink('vera.viewer@school.example');
    const asViewer = await send(owner, 'POST', `/api/boards/${boardId}/invitations`, {
      email: 'vera.viewer@school.example',
      name: 'Vera Viewer',
      role: 'viewer',
    });
    expect(asViewer.status()).toBe(201);
    const viewer = await browser.newContext(LAPTOP);
    const viewerLink = await nextPrintedLink('vera.viewer@school.example', beforeViewer);
    const viewerToken = new URL(viewerLink).hash.replace(/^#(token=)?/, '');
    expect((await send(viewer, 'POST', '/api/boards/join', { token: viewerToken })).status()).toBe(200);
    const reader = await viewer.newPage();
    await reader.goto(boardPage(boardId));
    const readerNeed = indicatorBox(reader, PROGRAMS[0] ?? '', 'need');
    await expect.poll(() => figures(readerNeed)).toEqual({ n: '2', mean: '3.00', sd: '2.83', range: '1–5' });
    expect(await reader.getByText('your role is viewer').count()).toBe(1);
    expect(await reader.getByRole('radio').count()).toBe(0);
    expect(await readerNeed.locator('.notes li').count()).toBe(2);
    await viewer.close();

    const phone = await asFacilitator(PHONE);
    const small = await phone.newPage();
    await small.goto(boardPage(boardId));
    await expect.poll(() => small.getByRole('article', { name: PROGRAMS[0] }).count()).toBe(1);
    await expectNoSidewaysScroll(small);
    await expectAccessible(small);
    await Promise.all([owner.close(), colleague.close(), phone.close()]);
  });
});

describe('the professional learning plan', () => {
  it('saves a plan, shows a conflict instead of overwriting, and prints it', async () => {
    const a = await asFacilitator();
    const boardId = await createBoard(a, 'Plan for our first focus', 'plan');
    const evidenceRes = await send(a, 'GET', `/api/boards/${boardId}/evidence`);
    expect(evidenceRes.status()).toBe(200);
    const evidence = (await evidenceRes.json()) as {
      focuses: Array<{ competencyId: string; name: string; rank?: number; suppressed?: true }>;
    };
    const first = evidence.focuses
      .filter((focus) => !focus.suppressed)
      .sort((x, y) => (x.rank ?? 0) - (y.rank ?? 0))[0];
    if (!first) throw new Error('the demo campaign has no prioritized focus');

    const pageA = await a.newPage();
    const problems = await watchProblems(pageA);
    await pageA.goto(boardPage(boardId));
    const start = pageA.getByLabel('Start a plan for…');
    await expect.poll(() => start.locator('option').count()).toBeGreaterThan(0);
    expect(await start.inputValue()).toBe(first.competencyId);
    await pageA.getByRole('button', { name: 'Start the plan' }).click();
    const planA = pageA.locator(`section[data-plan="${first.competencyId}"]`);
    await expect.poll(() => planA.getByRole('heading', { level: 3 }).textContent()).toBe(`Plan: ${first.name}`);
    // The focus now has a plan, so it is no longer offered.
    expect(await pageA.locator(`#start-focus option[value="${first.competencyId}"]`).count()).toBe(0);
    expect(await planA.getByTestId('pilot-group').textContent()).toMatch(
      /^(No pilot group confirmed yet for this focus|\d+ members? across \d+ schools?)/,
    );

    // A second person opens the same plan and starts typing before the first one saves.
    const b = await asFacilitator();
    const pageB = await b.newPage();
    await pageB.goto(boardPage(boardId));
    const planB = pageB.locator(`section[data-plan="${first.competencyId}"]`);
    await planB.getByLabel('What students will show at level 2').fill('Students explain their reasoning aloud.');

    await planA
      .getByLabel('What educators will show at level 1')
      .fill('Educators try one new questioning move a week.');
    await planA.getByRole('checkbox', { name: /^Coaching/ }).check();
    await planA.getByRole('button', { name: 'Add a timeline row' }).click();
    // Adding a row puts the cursor in its first box.
    await pageA.keyboard.type('October');
    await planA.getByLabel('What (row 1)').fill('First coaching cycle');
    await planA.getByRole('button', { name: 'Add a success measure' }).click();
    await planA.getByLabel('Success measure 1').fill('Most pilot teachers use the move weekly by December.');
    await planA.getByRole('checkbox', { name: 'Relevance to their work' }).check();
    await expectAccessible(pageA);
    await planA.getByRole('button', { name: /^Save plan/ }).click();
    await expect.poll(() => planA.getByTestId('plan-status').textContent()).toMatch(/Saved at/);

    // B's copy is older now: the page says so and keeps B's typing.
    await expect.poll(() => planB.getByText('Someone saved a newer version').count()).toBe(1);
    expect(await planB.getByLabel('What students will show at level 2').inputValue()).toBe(
      'Students explain their reasoning aloud.',
    );
    await planB.getByRole('button', { name: /^Save plan/ }).click();
    const conflictB = planB.getByTestId('conflict');
    await expect.poll(() => conflictB.count()).toBe(1);
    const shown = (await conflictB.textContent()) ?? '';
    expect(shown).toContain('Someone else saved this plan first');
    expect(shown).toContain('Nothing has been overwritten');
    for (const section of ['Learning progression', 'Strategies', 'Timeline', 'Success measures', 'Feedback survey'])
      expect(shown).toContain(section);
    expect(shown).toContain('Educators try one new questioning move a week.');
    // Nothing of B's was sent: A's page still shows A's plan.
    expect(await planA.getByLabel('What students will show at level 2').inputValue()).toBe('');

    // B takes A's version, and carries on from it.
    await conflictB.getByRole('button', { name: 'Load theirs (discard my edits)' }).click();
    expect(await planB.getByLabel('What educators will show at level 1').inputValue()).toBe(
      'Educators try one new questioning move a week.',
    );
    expect(await planB.getByLabel('What students will show at level 2').inputValue()).toBe('');
    expect(await planB.getByRole('checkbox', { name: /^Coaching/ }).isChecked()).toBe(true);

    // Again, and this time B keeps their own: A was shown in the conflict what B's save replaces.
    await planB.getByLabel('What students will show at level 2').fill('Students explain their reasoning aloud.');
    await planA.getByLabel('What staff will show at level 1').fill('Coaches visit every pilot classroom.');
    await planA.getByRole('button', { name: /^Save plan/ }).click();
    await expect.poll(() => planA.getByTestId('plan-status').textContent()).toMatch(/Saved at/);
    await expect.poll(() => planB.getByText('Someone saved a newer version').count()).toBe(1);
    await planB.getByRole('button', { name: /^Save plan/ }).click();
    await expect.poll(() => conflictB.count()).toBe(1);
    expect(await conflictB.textContent()).toContain('Coaches visit every pilot classroom.');
    await conflictB.getByRole('button', { name: 'Save mine over theirs' }).click();
    await expect.poll(() => planB.getByTestId('plan-status').textContent()).toMatch(/Saved at/);
    expect(await conflictB.count()).toBe(0);
    await expect
      .poll(() => planA.getByLabel('What students will show at level 2').inputValue())
      .toBe('Students explain their reasoning aloud.');
    expect(await planA.getByLabel('What staff will show at level 1').inputValue()).toBe('');
    expect(await planA.getByLabel('What educators will show at level 1').inputValue()).toBe(
      'Educators try one new questioning move a week.',
    );
    expect(problems).toEqual({ csp: [], errors: [] });

    // The print page.
    const print = await a.newPage();
    const printProblems = await watchProblems(print);
    await print.goto(`${baseURL}/board/plan/?b=${encodeURIComponent(boardId)}`);
    await expect.poll(() => print.getByRole('heading', { level: 1 }).textContent()).toBe('Plan for our first focus');
    const article = print.getByRole('article', { name: `Plan: ${first.name}` });
    const table = article.getByRole('table', { name: /at each level of/ });
    const row = (level: number) =>
      table
        .getByRole('row', { name: new RegExp(`^Level ${level}`) })
        .locator('td')
        .allTextContents();
    expect(await row(1)).toEqual(['Educators try one new questioning move a week.', '—', '—']);
    expect(await row(2)).toEqual(['—', '—', 'Students explain their reasoning aloud.']);
    const text = (await article.textContent()) ?? '';
    expect(text).toContain('Regular one-to-one work with an instructional coach');
    expect(text).toContain('First coaching cycle');
    expect(text).toContain('Most pilot teachers use the move weekly by December.');
    expect(text).toContain('Relevance to their work');
    expect(await print.getByRole('link', { name: 'Back to the board' }).getAttribute('href')).toBe(
      `/board/?b=${encodeURIComponent(boardId)}`,
    );
    const printButton = print.getByRole('button', { name: 'Print' });
    expect(await printButton.isVisible()).toBe(true);
    await expectAccessible(print);
    // On paper: no buttons, no site navigation, black text.
    await print.emulateMedia({ media: 'print' });
    expect(await printButton.isVisible()).toBe(false);
    expect(await print.locator('.site-header').isVisible()).toBe(false);
    expect(await print.getByRole('heading', { level: 2 }).evaluate((heading) => getComputedStyle(heading).color)).toBe(
      'rgb(0, 0, 0)',
    );
    expect(printProblems).toEqual({ csp: [], errors: [] });

    // Both pages on a phone.
    const phone = await asFacilitator(PHONE);
    const small = await phone.newPage();
    await small.goto(boardPage(boardId));
    await expect
      .poll(() => small.locator(`section[data-plan="${first.competencyId}"] h3`).textContent())
      .toBe(`Plan: ${first.name}`);
    await expectNoSidewaysScroll(small);
    await expectAccessible(small);
    await small.goto(`${baseURL}/board/plan/?b=${encodeURIComponent(boardId)}`);
    // A phone shows the progression as a list of levels instead of four narrow columns.
    const levelTwo = small.getByRole('heading', { name: 'Level 2', exact: true });
    await expect.poll(() => levelTwo.isVisible()).toBe(true);
    expect(await small.getByRole('table', { name: /at each level of/ }).isVisible()).toBe(false);
    expect(await small.getByText('Students explain their reasoning aloud.').filter({ visible: true }).count()).toBe(1);
    await expectNoSidewaysScroll(small);
    await expectAccessible(small);
    await Promise.all([a.close(), b.close(), phone.close()]);
  });
});
