/**
 * The co-design board in two browsers at once: the demo facilitator (context A) creates a
 * board and invites a new colleague, who joins through the link mailed to them (read from
 * the local outbox the app prints; the facilitator never sees it) in context B. What one
 * writes, the other sees within two seconds, measured from the write's answer. A colleague
 * who already has an account signs in first, then the same link accepts.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page, Response } from 'playwright-core';
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
const TITLE = 'Grade 6 math design team';
const MEMBER = 'new.colleague@district.example';
/** What the issue promises: another member's change shows within two seconds. */
const LIVE_MS = 2000;

let browser: Browser;
let facilitatorState: BrowserContextOptions['storageState'];
let memberState: BrowserContextOptions['storageState'];
let a: Page;
let b: Page;
let contextA: BrowserContext;
let contextB: BrowserContext;
let watchA: PageProblems;
let watchB: PageProblems;
let boardPath = '';

beforeAll(async () => {
  browser = await launch();
  facilitatorState = await signedInState(browser, DEMO.facilitator, '/boards/');
});
afterAll(async () => {
  await browser?.close();
});

/** A card on the page, by its text. */
const card = (page: Page | Locator, text: string): Locator => page.locator('li.board-card').filter({ hasText: text });
const column = (page: Page, id: string): Locator => page.locator(`section[data-column="${id}"]`);

/** Waits for the answer to a write under the board, e.g. ('POST', /\/cards$/). */
const answer = (page: Page, method: string, path: RegExp): Promise<Response> =>
  page.waitForResponse((res) => res.request().method() === method && path.test(new URL(res.url()).pathname));

/** Time left of the two seconds since a write's answer arrived; the poll in the other browser must finish in it. */
const within = (since: number) => ({ timeout: Math.max(1, LIVE_MS - (Date.now() - since)), interval: 50 });

/** CSP violations and console errors other than the refusals the test provokes (logged by the browser as 4xx). */
const unexpected = (problems: PageProblems) => ({
  csp: problems.csp,
  errors: problems.errors.filter((text) => !/status of 4(09|22)/.test(text)),
});

describe('a live co-design board', () => {
  it('is created and shared through the pages: the invited colleague joins by the emailed link', async () => {
    contextA = await browser.newContext({ ...LAPTOP, storageState: facilitatorState });
    a = await contextA.newPage();
    watchA = await watchProblems(a);
    await a.goto(`${baseURL}/boards/`);
    await a.getByLabel('Campaign').selectOption(FALL);
    await a.getByLabel('Title').fill(TITLE);
    expect(await a.getByRole('radio', { name: /Problem-solving protocol/ }).isChecked()).toBe(true);
    expect(await a.getByLabel('Dots per person').inputValue()).toBe('5');
    await a.getByLabel(/Most dots on one card/).fill('2');
    await a.getByRole('button', { name: 'Create board' }).click();
    await a.waitForURL((url) => url.pathname === '/board/' && url.searchParams.has('b'));
    boardPath = new URL(a.url()).pathname + new URL(a.url()).search;
    const created = await a.request.get(`${baseURL}/api/boards/${new URL(a.url()).searchParams.get('b')}`);
    expect(await created.json()).toMatchObject({ voteBudget: 5, votesPerCard: 2, anonymous: false });
    await expect.poll(() => a.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await a.getByTestId('phase').textContent()).toBe('Phase 1 of 5: Gather');
    expect(await a.getByText('Fall 2026 professional learning needs survey').count()).toBeGreaterThan(0);

    // The board is listed on /boards/ too, with the facilitator's role.
    const listed = await contextA.newPage();
    await listed.goto(`${baseURL}/boards/`);
    const entry = listed.getByTestId('board-list').locator('li', { hasText: TITLE });
    await expect.poll(() => entry.count()).toBe(1);
    expect(await entry.textContent()).toMatch(/Your role\s*Facilitator/);
    expect(await entry.textContent()).toContain('Problem-solving protocol');
    await listed.close();

    await a.getByLabel('Email address').fill(MEMBER);
    await a.getByLabel('Name (optional)').fill('Nia Colleague');
    await a.getByLabel('Role', { exact: true }).selectOption('member');
    const invited = answer(a, 'POST', /\/invitations$/);
    await a.getByRole('button', { name: 'Invite', exact: true }).click();
    // The answer says it was emailed and carries no link: only the colleague's mailbox has it.
    const invitation = await invited;
    expect(invitation.status()).toBe(201);
    const answered = await invitation.text();
    expect(JSON.parse(answered)).toMatchObject({ email: MEMBER, role: 'member', emailed: true });
    expect(answered).not.toMatch(/[A-Za-z0-9_-]{43}/);
    const result = a.getByTestId('invite-result');
    await expect.poll(() => result.count()).toBe(1);
    expect((await result.textContent())?.replace(/\s+/g, ' ')).toContain(`Invitation emailed to ${MEMBER}, as member`);
    expect(await result.locator('input').count()).toBe(0);
    expect(await a.locator('main').textContent()).not.toContain('#token=');

    const link = await nextPrintedLink(MEMBER, undefined);
    expect(link).toMatch(/\/join\/#token=[A-Za-z0-9_-]{43}$/);
    contextB = await browser.newContext(LAPTOP);
    b = await contextB.newPage();
    watchB = await watchProblems(b);
    await b.goto(link);
    await b.waitForURL((url) => url.pathname === '/board/');
    expect(new URL(b.url()).pathname + new URL(b.url()).search).toBe(boardPath);
    await expect.poll(() => b.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await b.locator('.board-head').textContent()).toMatch(/Your role\s*Member/);
    // Signed in as the new account: the header says who, and the facilitator tools are not there.
    expect(await b.locator('.account-email').textContent()).toContain(MEMBER);
    expect(await b.getByRole('heading', { name: 'Facilitator tools' }).count()).toBe(0);
    memberState = await contextB.storageState();
    // The facilitator's member list shows the colleague as joined (on a fresh read: joining does
    // not bump the board's version, so the live poll need not carry it).
    const fresh = await contextA.newPage();
    await fresh.goto(`${baseURL}${boardPath}`);
    // With the team invited, the facilitator tools start closed: the member list is inside them.
    await fresh.locator('.facilitator-panel > summary').click();
    await expect
      .poll(() => fresh.locator('.member-list li', { hasText: 'Nia Colleague' }).textContent())
      .toContain('Joined');
    await fresh.close();
  });

  it('shows a new card, then its edited text, in the other browser within two seconds each', async () => {
    const text = 'Exit tickets tell us who needs a reteach the next day';
    await a.getByRole('button', { name: 'Add a card to What is working' }).click();
    const box = a.getByLabel('New card for What is working');
    await box.fill(text);
    expect(await a.locator('#add-working-count').textContent()).toBe(`${text.length} of 1000 characters`);
    const added = answer(a, 'POST', /\/cards$/);
    await a.getByRole('button', { name: 'Add card' }).click();
    expect((await added).status()).toBe(201);
    const addedAt = Date.now();
    await expect.poll(() => card(b, text).count(), within(addedAt)).toBe(1);
    expect(await card(b, text).textContent()).toContain('Demo Facilitator');
    expect(await card(a, text).textContent()).toContain('You');

    const edited = 'Exit tickets show who needs a reteach the next morning';
    await (await cardAction(card(a, text), /^Edit “/)).click();
    await a.getByLabel('Card text').fill(edited);
    const saved = answer(a, 'PATCH', /\/cards\/[^/]+$/);
    await a.getByRole('button', { name: 'Save', exact: true }).click();
    expect((await saved).status()).toBe(200);
    const savedAt = Date.now();
    await expect.poll(() => card(b, edited).count(), within(savedAt)).toBe(1);
    expect(await card(b, text).count()).toBe(0);
  });

  it('lets two people edit the same card: the second sees both texts and keeps theirs knowingly', async () => {
    const start = 'Exit tickets show who needs a reteach the next morning';
    const fromA = 'Exit tickets, collected daily, show who needs a reteach';
    const fromB = 'Exit tickets show who needs a reteach; we also need time to do it';
    await (await cardAction(card(a, start), /^Edit “/)).click();
    await (await cardAction(card(b, start), /^Edit “/)).click();
    await b.getByLabel('Card text').fill(fromB);
    await a.getByLabel('Card text').fill(fromA);
    const saved = answer(a, 'PATCH', /\/cards\/[^/]+$/);
    await a.getByRole('button', { name: 'Save', exact: true }).click();
    expect((await saved).status()).toBe(200);

    // B's browser learns of A's save while B's editor is open; B's draft is untouched.
    await expect.poll(() => b.getByText('Someone changed this card since you began').count()).toBe(1);
    expect(await b.getByLabel('Card text').inputValue()).toBe(fromB);

    const refused = answer(b, 'PATCH', /\/cards\/[^/]+$/);
    await b.getByRole('button', { name: 'Save', exact: true }).click();
    expect((await refused).status()).toBe(409);
    const conflict = b.getByTestId('conflict');
    await expect.poll(() => conflict.count()).toBe(1);
    expect(await conflict.getByTestId('theirs').textContent()).toContain(fromA);
    expect(await conflict.getByTestId('mine').textContent()).toContain(fromB);
    // The conflict takes focus, so a screen reader reads it out, and meets WCAG like the rest.
    expect(await b.evaluate(() => document.activeElement?.closest('[data-testid="conflict"]') !== null)).toBe(true);
    await expectAccessible(b);
    const kept = answer(b, 'PATCH', /\/cards\/[^/]+$/);
    await conflict.getByRole('button', { name: 'Use mine' }).click();
    expect((await kept).status()).toBe(200);
    const keptAt = Date.now();
    await expect.poll(() => card(b, fromB).locator('.card-text').count()).toBe(1);
    await expect.poll(() => card(a, fromB).locator('.card-text').count(), within(keptAt)).toBe(1);
    expect(await card(a, fromA).count()).toBe(0);
    expect(await b.getByTestId('conflict').count()).toBe(0);
  });

  it('moves a card to the next column with the keyboard alone, for both browsers', async () => {
    const text = 'Exit tickets show who needs a reteach; we also need time to do it';
    const moved = card(a, text);
    // The Actions menu opens onto its first action; the arrow keys go on to Move.
    await moved.getByRole('button', { name: /^Actions for “/ }).focus();
    await a.keyboard.press('Enter');
    expect(await a.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Edit');
    await a.keyboard.press('ArrowDown');
    expect(await a.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Move');
    await a.keyboard.press('Enter');
    // Alone in its column, the card cannot go up or down: focus lands on the column choice.
    await expect.poll(() => a.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
    await a.keyboard.press('ArrowDown');
    await a.keyboard.press('Tab');
    expect(await a.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Move to column');
    const sent = answer(a, 'PATCH', /\/cards\/[^/]+$/);
    await a.keyboard.press('Enter');
    expect((await sent).status()).toBe(200);
    const movedAt = Date.now();
    await expect.poll(() => card(column(a, 'not-working'), text).count()).toBe(1);
    expect(await card(column(a, 'working'), text).count()).toBe(0);
    // Focus stays on the moved card, now in its new column.
    expect(
      await a.evaluate(() => document.activeElement?.closest('section[data-column]')?.getAttribute('data-column')),
    ).toBe('not-working');
    expect(await a.evaluate(() => document.activeElement?.closest('li.board-card')?.textContent)).toContain(text);
    await expect.poll(() => card(column(b, 'not-working'), text).count(), within(movedAt)).toBe(1);
    expect(await card(column(b, 'working'), text).count()).toBe(0);
  });

  it('spends the dots the facilitator allows, refuses the next one, and reveals the totals to both', async () => {
    const text = 'Exit tickets show who needs a reteach; we also need time to do it';
    await a.getByLabel('Dots per person').fill('2');
    await a.getByRole('button', { name: 'Save voting rules' }).click();
    await expect.poll(() => b.getByTestId('dots-left').textContent()).toBe('2 of 2');

    const dot = card(b, text).getByRole('button', { name: /^Add a dot to “Exit tickets/ });
    for (const left of ['1 of 2', '0 of 2']) {
      const placed = answer(b, 'POST', /\/votes$/);
      await dot.click();
      expect((await placed).status()).toBe(200);
      await expect.poll(() => b.getByTestId('dots-left').textContent()).toBe(left);
    }
    const refused = answer(b, 'POST', /\/votes$/);
    await dot.click();
    expect((await refused).status()).toBe(422);
    const alert = card(b, text).getByRole('alert').filter({ hasText: 'dots' });
    await expect.poll(() => alert.textContent()).toBe('You have placed all 2 of your dots; take one back to move it.');
    expect(await b.getByTestId('dots-left').textContent()).toBe('0 of 2');
    expect(await card(b, text).textContent()).toContain('Your dots: 2');
    // Totals stay hidden until the facilitator reveals them.
    expect(await card(b, text).getByTestId('total').count()).toBe(0);

    await a.getByRole('button', { name: 'Reveal the votes' }).click();
    await expect.poll(() => card(a, text).getByTestId('total').textContent()).toBe('2');
    await expect.poll(() => card(b, text).getByTestId('total').textContent()).toBe('2');
    expect(unexpected(watchA)).toEqual({ csp: [], errors: [] });
    expect(unexpected(watchB)).toEqual({ csp: [], errors: [] });
    await contextA.close();
    await contextB.close();
  });

  it('meets WCAG 2.1 AA on /boards/ and the board, on a laptop and a 360 px phone', async () => {
    for (const [device, options] of [
      ['laptop', LAPTOP],
      ['phone', PHONE],
    ] as const) {
      for (const state of [facilitatorState, memberState]) {
        const context = await browser.newContext({ ...options, storageState: state });
        const page = await context.newPage();
        const problems = await watchProblems(page);
        await page.goto(`${baseURL}/boards/`);
        await expect.poll(() => page.getByTestId('board-list').locator('li').count()).toBeGreaterThan(0);
        await expectAccessible(page);
        if (device === 'phone') await expectNoSidewaysScroll(page);

        await page.goto(`${baseURL}${boardPath}`);
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
        await expect.poll(() => page.locator('li.board-card').count()).toBeGreaterThan(0);
        await scrollThrough(page);
        // Open what a person would open: the add-card form, a card's comments and move controls.
        await page.getByRole('button', { name: 'Add a card to Ideas' }).click();
        await page.locator('li.board-card summary').first().click();
        await (await cardAction(page.locator('li.board-card').first(), /^Move “/)).click();
        await expectAccessible(page);
        if (device === 'phone') await expectNoSidewaysScroll(page);
        expect(problems).toEqual({ csp: [], errors: [] });
        await context.close();
      }
    }
  });

  it('asks a colleague who already has an account to sign in, then accepts; another account is refused', async () => {
    // The colleague of the first test has an account by now: invite them to a second board.
    const owner = await browser.newContext({ ...LAPTOP, storageState: facilitatorState });
    const created = await owner.request.post(`${baseURL}/api/boards`, {
      data: { campaignId: FALL, title: 'Second design team', template: 'protocol' },
    });
    expect(created.status()).toBe(201);
    const secondId = ((await created.json()) as { id: string }).id;
    const second = `/board/?b=${encodeURIComponent(secondId)}`;
    const ownerPage = await owner.newPage();
    await ownerPage.goto(`${baseURL}${second}`);
    await expect.poll(() => ownerPage.getByRole('heading', { level: 1 }).textContent()).toBe('Second design team');
    const before = printedLink(MEMBER);
    await ownerPage.getByLabel('Email address').fill(MEMBER);
    await ownerPage.getByLabel('Role', { exact: true }).selectOption('viewer');
    await ownerPage.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect
      .poll(() => ownerPage.getByTestId('invite-result').textContent())
      .toContain(`Invitation emailed to ${MEMBER}`);
    const link = await nextPrintedLink(MEMBER, before);
    expect(link).toMatch(/\/join\/#token=/);

    // Signed in as someone else (the facilitator): refused, and still the facilitator.
    const wrong = await owner.newPage();
    await wrong.goto(link);
    const refusal = wrong.getByTestId('join-outcome');
    await expect.poll(() => refusal.textContent()).toContain('This invitation is for someone else');
    expect((await refusal.textContent())?.replace(/\s+/g, ' ')).toContain(`It is for ${MEMBER}`);
    expect(new URL(wrong.url()).hash).toBe('');
    const me = await owner.request.get(`${baseURL}/api/auth/me`);
    expect(((await me.json()) as { email: string }).email).toBe(DEMO.facilitator);
    await expectAccessible(wrong);

    // Signed out, on a phone: the link signs nobody in, names the address, and offers to sign in.
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(link);
    const outcome = page.getByTestId('join-outcome');
    await expect.poll(() => outcome.textContent()).toContain('Sign in to accept this invitation');
    expect((await outcome.textContent())?.replace(/\s+/g, ' ')).toContain(`This invitation is for ${MEMBER}`);
    expect(new URL(page.url()).hash).toBe('');
    expect((await context.request.get(`${baseURL}/api/auth/me`)).status()).toBe(401);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    // Keyboard alone: focus is on the heading; the next Tab stop is the way on.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe('Sign in to accept this invitation');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(`Sign in as ${MEMBER}`);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/sign-in/');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/join/');
    const previous = printedLink(MEMBER);
    await page.getByLabel('Email address').fill(MEMBER);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByText('Check your email').waitFor();
    const signInLink = await nextPrintedLink(MEMBER, previous);
    expect(new URL(signInLink).pathname).toBe('/sign-in/complete/');
    // The join link's token went nowhere with the sign-in: not in its mail, not in its address.
    expect(signInLink).not.toContain(new URL(link).hash.slice('#token='.length));
    await page.goto(signInLink);
    // Signed in, back at the join page, which accepts and opens the board.
    await page.waitForURL((url) => url.pathname === '/board/');
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(second);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Second design team');
    expect(await page.locator('.board-head').textContent()).toMatch(/Your role\s*Viewer/);
    expect(await page.locator('.account-email').textContent()).toContain(MEMBER);
    expect(problems.csp).toEqual([]);

    // The facilitator sees that they joined.
    await ownerPage.reload();
    await ownerPage.locator('.facilitator-panel > summary').click();
    await expect
      .poll(() => ownerPage.locator('.member-list li', { hasText: MEMBER }).textContent())
      .toContain('Joined');
    await context.close();
    await owner.close();
  });

  it('explains a join link that cannot be used, kindly and accessibly', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${baseURL}/join/#token=not-a-real-token`);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('This join link is not one we know');
    expect((await alert.textContent())?.replace(/\s+/g, ' ')).toContain("ask the board's facilitator for a new one");
    // The single-use token does not stay in the address bar or the history.
    expect(new URL(page.url()).hash).toBe('');
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    await context.close();
  });
});
