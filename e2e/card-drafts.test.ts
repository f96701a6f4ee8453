/**
 * No board editor loses work: a new card, a card edit, a comment and a Hexagon rating's
 * note survive a reload (kept on the device until saved), each editor open again with its
 * text and saying so; once saved, each is on the board once and nothing comes back. Leaving
 * with unsaved text asks first, and cancelling forgets.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  cardAction,
  expectAccessible,
  expectNoSidewaysScroll,
  launch,
  PHONE,
  scrollThrough,
  watchProblems,
} from './browser';
import { DEMO, signedInState } from './session';

const baseURL = inject('baseURL');
const LAPTOP = { viewport: { width: 1280, height: 900 } };
const WRITE = { Origin: baseURL, 'Content-Type': 'application/json' };
const PROGRAM = 'Check and Connect';
/** E2E_SHOTS=<folder>: screenshots of the restored editors, to look at how the notices read. */
const shots = process.env.E2E_SHOTS;
let browser: Browser;
let facilitator: BrowserContextOptions['storageState'];

beforeAll(async () => {
  browser = await launch();
  facilitator = await signedInState(browser, DEMO.facilitator, '/');
});
afterAll(async () => {
  await browser?.close();
});

interface Card {
  id: string;
  text: string;
  version: number;
}

/** A new Hexagon board (a column of program cards, and a rating for each) with one program on it. */
async function hexagonBoard(context: BrowserContext, title: string): Promise<{ boardId: string; program: Card }> {
  const created = await context.request.post(`${baseURL}/api/boards`, {
    headers: WRITE,
    data: JSON.stringify({ campaignId: 'demo-fall-2026', title, template: 'hexagon' }),
  });
  expect(created.status()).toBe(201);
  const { id: boardId } = (await created.json()) as { id: string };
  const added = await context.request.post(`${baseURL}/api/boards/${boardId}/cards`, {
    headers: WRITE,
    data: JSON.stringify({ column: 'programs', text: PROGRAM }),
  });
  expect(added.status()).toBe(201);
  const { cards } = (await added.json()) as { cards: Card[] };
  const program = cards.find((card) => card.text === PROGRAM);
  if (!program) throw new Error('the program card was not added');
  return { boardId, program };
}

async function openBoard(context: BrowserContext, boardId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseURL}/board/?b=${encodeURIComponent(boardId)}`);
  await lookThrough(page);
  await page.getByRole('heading', { name: 'Candidate programs' }).waitFor();
  return page;
}

/** Reloads the board and scrolls through it: a part below the first screen is drawn as it is scrolled to. */
async function reload(page: Page): Promise<void> {
  await page.reload();
  await lookThrough(page);
}

async function lookThrough(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.locator('.columns').waitFor();
  await scrollThrough(page);
}

const column = (page: Page) => page.locator('section[data-column="programs"]');
/** The program card the board began with (its id stays as its text changes). */
let programId = '';
const programCard = (page: Page) => column(page).locator(`li[data-card-id="${programId}"]`);
const newCardTags = (page: Page) => column(page).locator('.add-card details.tag-picker');
const newCardText = (page: Page) => column(page).getByLabel('New card for Candidate programs');
const editText = (page: Page) => programCard(page).getByLabel('Card text');
const commentText = (page: Page) => programCard(page).getByLabel(/^Add a comment/);
const need = (page: Page) => page.getByRole('article', { name: PROGRAM }).locator('[data-indicator="need"]');
const needNote = (page: Page) => need(page).getByRole('textbox', { name: /^My note/ });
const needStatus = (page: Page) => need(page).getByRole('status');
/** The notices that say an editor's text came back from the device. */
const keptNotes = (page: Page) => page.locator('.kept-note').allTextContents();
const keptKeys = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('homegrown:board:')));
/** The card texts the column shows, as read (not editors). */
const cardTexts = (page: Page) => column(page).locator('.card-text').allTextContents();
const TIME = '[A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d{2} [AP]M';

async function openComments(page: Page): Promise<void> {
  const comments = programCard(page).locator('details.comments');
  if ((await comments.getAttribute('open')) === null) await comments.locator('summary').click();
}

describe.each([
  ['a laptop', LAPTOP],
  ['a phone', PHONE],
])('the board editors on %s', (_, device) => {
  it('bring back a new card, a card edit, a comment and a rating note after a reload, and save each once', async () => {
    const context = await browser.newContext({ ...device, storageState: facilitator });
    const { boardId, program } = await hexagonBoard(context, `Kept cards (${device.viewport.width} px)`);
    programId = program.id;
    const page = await openBoard(context, boardId);
    const problems = await watchProblems(page);

    await column(page).getByRole('button', { name: 'Add a card to Candidate programs' }).click();
    await newCardText(page).fill('Restorative circles in advisory');
    await newCardTags(page).locator('summary').click();
    await newCardTags(page).getByRole('checkbox').first().check();
    await (await cardAction(programCard(page), /^Edit/)).click();
    await editText(page).fill('Check and Connect, with a weekly mentor check-in');
    await openComments(page);
    await commentText(page).fill('Who would mentor in grade 6?');
    await needNote(page).fill('Attendance is our biggest need.');
    await expect.poll(() => needStatus(page).textContent()).toBe('Choose a rating first: a note is saved with it.');

    // A reload asks first, and then loses none of it: each editor is open again with its text, and says so.
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.accept();
    });
    await reload(page);
    expect(asked).toEqual(['beforeunload']);
    await expect.poll(() => newCardText(page).inputValue()).toBe('Restorative circles in advisory');
    expect(await newCardTags(page).locator('summary').textContent()).toBe('Tags: 1 of 5 chosen');
    expect(await editText(page).inputValue()).toBe('Check and Connect, with a weekly mentor check-in');
    expect(await commentText(page).inputValue()).toBe('Who would mentor in grade 6?');
    expect(await needNote(page).inputValue()).toBe('Attendance is our biggest need.');
    const notes = await keptNotes(page);
    expect(notes).toHaveLength(3);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^Your unsaved card from ${TIME} is back\\. Add the card to keep it\\.$`)),
        expect.stringMatching(new RegExp(`^Your unsaved edit from ${TIME} is back\\. Save the card to keep it\\.$`)),
        expect.stringMatching(
          new RegExp(`^Your unsaved comment from ${TIME} is back\\. Add the comment to keep it\\.$`),
        ),
      ]),
    );
    expect(await needStatus(page).textContent()).toMatch(
      new RegExp(`^Your unsaved note from ${TIME} is back\\. Choose a rating, then save, to keep it\\.$`),
    );
    // The notice is read with the field it is about.
    expect(await commentText(page).getAttribute('aria-describedby')).toMatch(/-kept /);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, `restored-${device.viewport.width}.png`), fullPage: true });
    }

    // Each saved: the device forgets it, and the next visit shows it saved, once, with no notice.
    await need(page).getByRole('radio', { name: '4', exact: true }).check();
    await expect.poll(() => needStatus(page).textContent()).toBe('Saved.');
    await column(page).getByRole('button', { name: 'Add card', exact: true }).click();
    await expect.poll(() => cardTexts(page)).toContain('Restorative circles in advisory');
    await programCard(page).getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => cardTexts(page)).toContain('Check and Connect, with a weekly mentor check-in');
    await programCard(page).getByRole('button', { name: 'Add comment', exact: true }).click();
    await expect
      .poll(() => programCard(page).locator('.comment-text').allTextContents())
      .toEqual(['Who would mentor in grade 6?']);
    expect(await keptNotes(page)).toEqual([]);
    expect(await keptKeys(page)).toEqual([]);

    await reload(page);
    await expect.poll(() => cardTexts(page)).toHaveLength(2);
    expect((await cardTexts(page)).sort()).toEqual([
      'Check and Connect, with a weekly mentor check-in',
      'Restorative circles in advisory',
    ]);
    expect(asked).toEqual(['beforeunload']);
    expect(await newCardText(page).count()).toBe(0);
    expect(await programCard(page).getByLabel('Card text').count()).toBe(0);
    await openComments(page);
    expect(await programCard(page).locator('.comment-text').allTextContents()).toEqual([
      'Who would mentor in grade 6?',
    ]);
    expect(await commentText(page).inputValue()).toBe('');
    const saved = page.getByRole('article', { name: 'Check and Connect, with a weekly mentor check-in' });
    await expect
      .poll(() => saved.locator('[data-indicator="need"] textarea').inputValue())
      .toBe('Attendance is our biggest need.');
    expect(await keptNotes(page)).toEqual([]);
    expect(problems).toEqual({ csp: [], errors: [] });
    await context.close();
  });
});

describe('leaving the board editors', () => {
  it('asks before leaving with unsaved text, forgets what is cancelled, and says when a card changed meanwhile', async () => {
    const context = await browser.newContext({ ...LAPTOP, storageState: facilitator });
    const { boardId, program } = await hexagonBoard(context, 'Kept cards: leaving');
    programId = program.id;
    const page = await openBoard(context, boardId);
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.dismiss();
    });
    /** Tries to close the page: it asks (the question is dismissed) and stays open. */
    const leave = async () => {
      const before = asked.length;
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => asked.length).toBe(before + 1);
      expect(page.isClosed()).toBe(false);
    };

    // Each editor alone asks, and stops asking once its text is cancelled, emptied or saved.
    await column(page).getByRole('button', { name: 'Add a card to Candidate programs' }).click();
    await newCardText(page).fill('Peer tutoring');
    await leave();
    expect(asked).toEqual(['beforeunload']);
    await column(page).getByRole('button', { name: 'Cancel', exact: true }).click();
    expect(await keptKeys(page)).toEqual([]);
    // Cancelled means discarded: the form opens empty again.
    await column(page).getByRole('button', { name: 'Add a card to Candidate programs' }).click();
    expect(await newCardText(page).inputValue()).toBe('');
    await column(page).getByRole('button', { name: 'Cancel', exact: true }).click();

    await openComments(page);
    await commentText(page).fill('A thought');
    await leave();
    await commentText(page).fill('');

    await needNote(page).fill('A note');
    await leave();
    await need(page).getByRole('radio', { name: '2', exact: true }).check();
    await expect.poll(() => needStatus(page).textContent()).toBe('Saved.');

    await (await cardAction(programCard(page), /^Edit/)).click();
    await editText(page).fill('Check and Connect for grade 9');
    await leave();
    expect(await keptKeys(page)).toHaveLength(1);

    // Meanwhile someone saves the card with other words: the edit still comes back, and says so.
    const changed = await context.request.patch(`${baseURL}/api/boards/${boardId}/cards/${program.id}`, {
      headers: WRITE,
      data: JSON.stringify({ version: program.version, text: 'Check and Connect (district model)' }),
    });
    expect(changed.status()).toBe(200);
    page.removeAllListeners('dialog');
    page.on('dialog', (dialog) => void dialog.accept());
    await reload(page);
    await expect.poll(() => editText(page).inputValue()).toBe('Check and Connect for grade 9');
    expect(await keptNotes(page)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Your unsaved edit from ${TIME} is back\\. The card was changed since then: when you save, you will see both versions and choose\\.$`,
        ),
      ),
    ]);
    await programCard(page).getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = page.getByTestId('conflict');
    await expect
      .poll(() => conflict.getByTestId('theirs').textContent())
      .toContain('Check and Connect (district model)');
    await conflict.getByRole('button', { name: 'Use mine' }).click();
    await expect.poll(() => cardTexts(page)).toEqual(['Check and Connect for grade 9']);
    expect(await keptKeys(page)).toEqual([]);

    // Nothing unsaved: leaving asks nothing.
    page.removeAllListeners('dialog');
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.dismiss();
    });
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => page.isClosed()).toBe(true);
    expect(asked).toHaveLength(4);
    await context.close();
  });
});

/** A new problem-solving board with these idea cards, made through the API; answers its id and cards. */
async function protocolBoard(
  context: BrowserContext,
  title: string,
  ideas: string[],
): Promise<{ boardId: string; cards: Card[] }> {
  const post = async (path: string, body: unknown) => {
    const res = await context.request.post(`${baseURL}${path}`, { headers: WRITE, data: JSON.stringify(body) });
    expect(res.status()).toBe(201);
    return res.json();
  };
  const { id: boardId } = (await post('/api/boards', {
    campaignId: 'demo-fall-2026',
    title,
    template: 'protocol',
  })) as {
    id: string;
  };
  let cards: Card[] = [];
  for (const text of ideas)
    ({ cards } = (await post(`/api/boards/${boardId}/cards`, { column: 'ideas', text })) as { cards: Card[] });
  return { boardId, cards };
}

describe('renaming a cluster', () => {
  it('brings a new name typed but not saved back after a reload, and forgets it once cancelled', async () => {
    const context = await browser.newContext({ ...LAPTOP, storageState: facilitator });
    const { boardId, cards } = await protocolBoard(context, 'Kept cluster names', ['Coaching cycles', 'Lesson study']);
    const post = async (path: string, body: unknown) => {
      const res = await context.request.post(`${baseURL}${path}`, { headers: WRITE, data: JSON.stringify(body) });
      expect(res.status()).toBe(201);
    };
    await post(`/api/boards/${boardId}/clusters`, { name: 'Coaching', cardIds: cards.map((card) => card.id) });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${baseURL}/board/?b=${encodeURIComponent(boardId)}`);
    await page.getByRole('button', { name: 'Rename the cluster Coaching' }).click();
    const name = page.getByRole('textbox', { name: 'Cluster name', exact: true });
    await name.fill('Coaching and lesson study');

    await reload(page);
    await expect.poll(() => name.inputValue()).toBe('Coaching and lesson study');
    expect(await keptNotes(page)).toEqual([
      expect.stringMatching(
        new RegExp(`^Your unsaved cluster name from ${TIME} is back\\. Save the name to keep it\\.$`),
      ),
    ]);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    expect(await keptKeys(page)).toEqual([]);
    await reload(page);
    await page.getByRole('button', { name: 'Rename the cluster Coaching' }).waitFor();
    expect(await name.count()).toBe(0);
    await context.close();
  });
});

describe('forming a cluster and inviting someone', () => {
  it('bring back a cluster being formed, with its cards, and an invitation being written, after a reload; each sent once', async () => {
    const context = await browser.newContext({ ...LAPTOP, storageState: facilitator });
    const { boardId } = await protocolBoard(context, 'Kept clusters and invitations', [
      'Peer observation',
      'Video clubs',
      'Book study',
    ]);
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${baseURL}/board/?b=${encodeURIComponent(boardId)}`);
    await lookThrough(page);
    const select = (text: string) => page.getByRole('checkbox', { name: `Select “${text}” for a cluster` });
    await select('Peer observation').check();
    await select('Video clubs').check();
    const clusterName = page.getByRole('textbox', { name: 'Cluster name', exact: true });
    await clusterName.fill('Watching each other teach');

    // The invitation is written in the facilitator tools (open on a board nobody has been invited to).
    const tools = page.locator('.facilitator-panel');
    const toggle = async (details: Locator, open: boolean) => {
      if (((await details.getAttribute('open')) !== null) !== open) await details.locator(':scope > summary').click();
    };
    await toggle(tools, true);
    await toggle(tools.locator('details', { has: page.locator('#members-heading') }), true);
    await page.getByLabel('Email address').fill('new.colleague@district.example');
    await page.getByLabel('Name (optional)').fill('Rosa Colleague');
    await page.getByLabel('Role', { exact: true }).selectOption('facilitator');
    // Closed, and remembered so: a kept invitation opens the tools after the reload all the same.
    await toggle(tools, false);

    await reload(page);
    await expect.poll(() => clusterName.inputValue()).toBe('Watching each other teach');
    expect(await select('Peer observation').isChecked()).toBe(true);
    expect(await select('Video clubs').isChecked()).toBe(true);
    expect(await select('Book study').isChecked()).toBe(false);
    expect(await tools.getAttribute('open')).toBe('');
    expect(await page.getByLabel('Email address').inputValue()).toBe('new.colleague@district.example');
    expect(await page.getByLabel('Name (optional)').inputValue()).toBe('Rosa Colleague');
    expect(await page.getByLabel('Role', { exact: true }).inputValue()).toBe('facilitator');
    expect((await keptNotes(page)).sort()).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Your unsaved cluster “Watching each other teach” from ${TIME} is back, with 2 cards selected\\. Group them to keep it\\.$`,
        ),
      ),
      expect.stringMatching(new RegExp(`^Your unsaved invitation from ${TIME} is back\\. Invite them to send it\\.$`)),
    ]);
    await expectAccessible(page);
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'kept-cluster-invitation.png'), fullPage: true });
    }

    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await expect.poll(() => page.getByTestId('invite-result').count()).toBe(1);
    await page.getByRole('button', { name: 'Group into a cluster' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Rename the cluster Watching each other teach' }).count())
      .toBe(1);
    expect(await keptKeys(page)).toEqual([]);

    await reload(page);
    expect(await keptNotes(page)).toEqual([]);
    const board = (await (await context.request.get(`${baseURL}/api/boards/${boardId}`)).json()) as {
      clusters: Array<{ name: string }>;
      members: Array<{ email: string; role: string }>;
    };
    expect(board.clusters.map((cluster) => cluster.name)).toEqual(['Watching each other teach']);
    expect(board.members.filter((member) => member.email === 'new.colleague@district.example')).toEqual([
      expect.objectContaining({ role: 'facilitator' }),
    ]);
    await context.close();
  });
});
