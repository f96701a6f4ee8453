import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROSTER_COLUMNS, type RosterRow } from '../worker/src/domain/roster-csv';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE, watchProblems } from './browser';
import { DEMO, signedInState } from './session';

const baseURL = inject('baseURL');
// Addresses and titles made here are unique, so a rerun against the same data cannot collide.
const RUN = Date.now().toString(36);
const DIRECTOR = `dana.director.${RUN}@district.example`;
const KEYBOARD = `kim.keyboard.${RUN}@district.example`;
const CAMPAIGN = `Personal links check ${RUN}`;
const NEW_SCHOOL = `Maple Grove Academy ${RUN}`;
const HEADER = ROSTER_COLUMNS.join(',');

let browser: Browser;
let signedIn: BrowserContextOptions['storageState'];

beforeAll(async () => {
  browser = await launch();
  signedIn = await signedInState(browser, DEMO.admin, '/admin/');
});
afterEach(async () => {
  // A failed test leaves its page open; the next one starts clean.
  for (const context of browser?.contexts() ?? []) await context.close();
});
afterAll(async () => {
  await browser?.close();
});

async function openAdmin(options: BrowserContextOptions = { viewport: { width: 1280, height: 900 } }) {
  const context = await browser.newContext({ ...options, storageState: signedIn });
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.goto(`${baseURL}/admin/`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('District administration');
  await loaded(page);
  return { context, page, problems };
}

/** Waits until the accounts, the campaigns and the audit log have arrived. */
async function loaded(page: Page) {
  await expect.poll(() => page.locator('ul.accounts > li').count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator('ul.campaigns > li').count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator('#audit-table tbody tr').count()).toBeGreaterThan(0);
}

const accountCard = (page: Page, email: string) => page.locator(`li.account[data-email="${email}"]`);
const campaignCard = (page: Page, title: string) =>
  page.locator('li.campaign', { has: page.getByRole('heading', { name: title, exact: true }) });

/** The stored roster, with school names (the API may give the school's id instead). */
async function roster(page: Page): Promise<RosterRow[]> {
  const [res, framework] = await Promise.all([
    page.request.get(`${baseURL}/api/roster`),
    page.request.get(`${baseURL}/api/framework`),
  ]);
  expect(res.status()).toBe(200);
  const { schools } = (await framework.json()) as { schools: Array<{ id: string; name: string }> };
  const names = new Map(schools.map((school) => [school.id, school.name]));
  const { items } = (await res.json()) as {
    items: Array<Omit<RosterRow, 'school'> & { school?: string | null; schoolId?: string | null }>;
  };
  return items.map(({ schoolId, school, ...member }) => ({
    ...member,
    school: school ?? (schoolId ? (names.get(schoolId) ?? null) : null),
  }));
}

async function chooseRosterFile(page: Page, name: string, csv: string) {
  await page.getByLabel('Roster CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  // A text box's value has its line breaks as \n whatever the file used.
  await expect.poll(() => page.getByLabel('Or paste the roster here').inputValue()).toBe(csv.replace(/\r\n/g, '\n'));
}

const csvCell = (value: string | null | boolean | string[]) => {
  const text = Array.isArray(value) ? value.join(';') : value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const csvLine = (member: RosterRow) =>
  [
    member.staffId,
    member.name,
    member.email,
    member.school,
    member.role,
    member.careerStage,
    member.subject,
    member.gradeBand,
    member.isCoach ? 'yes' : 'no',
    member.coachFocuses,
  ]
    .map(csvCell)
    .join(',');

describe('the district admin page', () => {
  it('adds a director, changes its roles, disables and re-enables it, and never loses the last admin', async () => {
    const { context, page, problems } = await openAdmin();
    await page.getByLabel('Email address').fill(DIRECTOR);
    await page.getByLabel('Name (optional)').fill('Dana Director');
    const form = page.getByRole('form', { name: 'Add an account' });
    await form.getByRole('checkbox', { name: /^Director/ }).check();
    await form.getByRole('button', { name: 'Add account' }).click();
    const card = accountCard(page, DIRECTOR);
    await expect.poll(() => card.getByTestId('roles').textContent()).toBe('Director');
    expect(await card.getByRole('heading').textContent()).toContain('Dana Director');
    expect(await form.getByRole('status').textContent()).toContain(`Added ${DIRECTOR} as Director`);
    await expectAccessible(page);

    // The same address again is refused next to the email field.
    await page.getByLabel('Email address').fill(DIRECTOR.toUpperCase());
    await form.getByRole('checkbox', { name: /^Facilitator/ }).check();
    await form.getByRole('button', { name: 'Add account' }).click();
    await expect.poll(() => form.locator('#account-email-error').textContent()).toContain('already an account');
    expect(await page.getByLabel('Email address').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await form.getByRole('checkbox', { name: /^Facilitator/ }).uncheck();
    await page.getByLabel('Email address').fill('');

    await card.getByRole('button', { name: `Change roles for ${DIRECTOR}` }).click();
    const roles = card.getByRole('group', { name: `Roles for ${DIRECTOR}` });
    await roles.getByRole('checkbox', { name: /^Facilitator/ }).check();
    await card.getByRole('button', { name: `Save roles for ${DIRECTOR}` }).click();
    await expect.poll(() => card.getByTestId('roles').textContent()).toBe('Director, Facilitator');

    // The demo district has one admin: taking admin from yourself is refused, with the reason beside the form.
    const me = accountCard(page, DEMO.admin);
    expect(await me.locator('.tag').first().textContent()).toBe('you');
    await me.getByRole('button', { name: `Change roles for ${DEMO.admin}` }).click();
    const myRoles = me.getByRole('group', { name: `Roles for ${DEMO.admin}` });
    await myRoles.getByRole('checkbox', { name: /^Admin/ }).uncheck();
    await myRoles.getByRole('checkbox', { name: /^Director/ }).check();
    await me.getByRole('button', { name: `Save roles for ${DEMO.admin}` }).click();
    const refusal = me.getByRole('alert').filter({ hasText: 'only active admin' });
    await expect.poll(() => refusal.count()).toBe(1);
    expect(await refusal.textContent()).toContain('Give another active account the admin role first');
    await expectAccessible(page);
    await me.getByRole('button', { name: 'Cancel' }).click();
    expect(await me.getByTestId('roles').textContent()).toBe('Admin');

    // Disabling asks first and says what it does; for the last admin it is refused too.
    await me.getByRole('button', { name: `Disable ${DEMO.admin}` }).click();
    const dialog = page.getByRole('dialog', { name: `Disable ${DEMO.admin}?` });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('out everywhere at once');
    expect(await dialog.textContent()).toContain('your own account');
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Disable account' }).click();
    await expect.poll(() => me.getByRole('alert').filter({ hasText: 'only active admin' }).count()).toBe(1);
    expect(await me.getByTestId('roles').textContent()).toBe('Admin');

    // Another account is disabled and re-enabled after confirming.
    await card.getByRole('button', { name: `Disable ${DIRECTOR}` }).click();
    await page
      .getByRole('dialog', { name: `Disable ${DIRECTOR}?` })
      .getByRole('button', { name: 'Disable account' })
      .click();
    await expect.poll(() => card.textContent()).toContain('Disabled: cannot sign in');
    await card.getByRole('button', { name: `Re-enable ${DIRECTOR}` }).click();
    await page
      .getByRole('dialog', { name: `Re-enable ${DIRECTOR}?` })
      .getByRole('button', { name: 'Re-enable account' })
      .click();
    await expect.poll(() => card.textContent()).toContain('Active');
    // Refusals are logged by the browser as failed requests; the policy itself is never broken.
    expect(problems.csp).toEqual([]);
    await context.close();
  });

  it('refuses an invalid roster with its problems by row and column, storing nothing', async () => {
    const { context, page } = await openAdmin();
    const ids = [`E2E-${RUN}-BAD1`, `E2E-${RUN}-BAD2`, `E2E-${RUN}-BAD3`];
    const csv = [
      HEADER,
      `${ids[0]},Ok Person,ok.${RUN}@district.example,Alder Creek Elementary,classroom-teacher,,,,no,`,
      `${ids[1]},Ada Astronaut,,Alder Creek Elementary,astronaut,,,,no,`,
      `${ids[2]},,,Birchwood Elementary,classroom-teacher,,,,maybe,`,
    ].join('\n');
    await chooseRosterFile(page, 'roster-with-mistakes.csv', csv);
    await page.getByRole('button', { name: 'Check the roster' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Nothing was stored' });
    await expect.poll(() => alert.count()).toBe(1);
    const problems = await page
      .locator('#roster-errors tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')),
      );
    expect(problems.map(([row, column]) => `${row}:${column}`)).toEqual(['3:role', '4:isCoach', '4:name']);
    expect(problems[0]?.[2]).toContain('"astronaut" is not one of the job roles');
    expect(await page.getByRole('region', { name: 'Problems in the roster, by row and column' }).count()).toBe(1);
    expect(await page.getByTestId('roster-preview').count()).toBe(0);
    await expectAccessible(page);

    const stored = new Set((await roster(page)).map((member) => member.staffId));
    for (const id of ids) expect(stored.has(id)).toBe(false);
    await context.close();
  });

  it('previews a valid roster, imports it on confirmation and shows the counts', async () => {
    const { context, page } = await openAdmin();
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /^Download a template/ }).click(),
    ]);
    expect(template.suggestedFilename()).toBe('homegrown-roster-template.csv');
    expect((await readFile(await template.path(), 'utf8')).split('\r\n')[0]).toBe(HEADER);
    const before = await roster(page);
    const first = before.find((member) => member.staffId === 'S0001');
    if (!first) throw new Error('the demo roster has no S0001');
    const renamed = { ...first, name: `${first.name.split(' ')[0]} R. ${first.name.split(' ').slice(1).join(' ')}` };
    const newcomers: RosterRow[] = [1, 2].map((n) => ({
      staffId: `E2E-${RUN}-${n}`,
      name: `Newcomer ${n}`,
      email: `newcomer.${n}.${RUN}@district.example`,
      school: NEW_SCHOOL,
      role: 'classroom-teacher',
      careerStage: 'early-career',
      subject: 'math',
      gradeBand: 'middle',
      isCoach: n === 2,
      coachFocuses: n === 2 ? ['formative-assessment'] : [],
    }));
    const csv = [HEADER, csvLine(renamed), ...newcomers.map(csvLine)].join('\r\n');
    await chooseRosterFile(page, 'roster.csv', csv);
    expect(await page.locator('#roster-text-hint').textContent()).toContain('Read roster.csv: 3 staff rows');
    await page.getByRole('button', { name: 'Check the roster' }).click();

    const preview = page.getByTestId('roster-preview');
    await expect.poll(() => preview.count()).toBe(1);
    const summary = await preview.textContent();
    expect(summary).toContain(`1 new school (${NEW_SCHOOL}) will be created`);
    expect(summary).toContain('Staff: 2 new, 1 updated, 0 unchanged.');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Ready to import');
    // Everyone else on the roster is named as not in the file, and retiring them is offered, not done.
    const missing = before.length - 1;
    const people = `${missing.toLocaleString('en-US')} people`;
    expect((await preview.getByTestId('roster-missing').textContent())?.replace(/\s+/g, ' ')).toContain(
      `${people} on the roster are not in the file:`,
    );
    // So are the district's schools but the one S0001 works at (the new school is new).
    const offered = await page.request.get(`${baseURL}/api/framework`);
    const schools = `${((await offered.json()) as { schools: unknown[] }).schools.length - 1} schools`;
    expect(summary?.replace(/\s+/g, ' ')).toContain(`; ${schools} of the district are not named in it:`);
    const retire = preview.getByRole('checkbox', { name: `Retire the ${people} and ${schools} not in the file` });
    expect(await retire.isChecked()).toBe(false);
    await retire.check();
    expect(
      await preview.getByRole('button', { name: `Import 3 staff and retire ${people} and ${schools}` }).count(),
    ).toBe(1);
    await retire.uncheck();
    await expectAccessible(page);
    // Nothing is stored by the check alone.
    expect((await roster(page)).length).toBe(before.length);

    await preview.getByRole('button', { name: 'Import 3 staff' }).click();
    const result = page.getByTestId('roster-result');
    await expect.poll(() => result.count()).toBe(1);
    expect(await result.textContent()).toContain('Schools: 1 created');
    expect(await result.textContent()).toContain('Staff: 2 created, 1 updated, 0 unchanged.');

    const after = await roster(page);
    expect(after.length).toBe(before.length + 2);
    expect(after.find((member) => member.staffId === 'S0001')?.name).toBe(renamed.name);
    expect(after.find((member) => member.staffId === newcomers[1]?.staffId)).toMatchObject({
      school: NEW_SCHOOL,
      isCoach: true,
      coachFocuses: ['formative-assessment'],
    });
    await context.close();
  });

  it('creates an identified campaign and downloads its personal links for the mail merge', async () => {
    const { context, page, problems } = await openAdmin();
    await page.getByLabel('Title').fill(CAMPAIGN);
    await page.getByRole('radio', { name: /^Identified/ }).check();
    expect(await page.getByLabel('Minimum group size').inputValue()).toBe('5');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    const card = campaignCard(page, CAMPAIGN);
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.textContent()).toContain('Identified (personal links)');
    expect(await card.getByTestId('responses').textContent()).toBe('0');
    // Newest first.
    expect(await page.locator('ul.campaigns > li h4').first().textContent()).toBe(CAMPAIGN);

    await card.getByRole('button', { name: `Personal links for ${CAMPAIGN}` }).click();
    const dialog = page.getByRole('dialog', { name: `Issue personal links for “${CAMPAIGN}”?` });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('Links issued before that have not been used stop working');
    await expectAccessible(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Issue links and download' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^personal-links-personal-links-check-.+\.csv$/);
    const text = await readFile(await download.path(), 'utf8');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual(['staffId', 'name', 'email', 'school', 'status', 'link']);
    const staff = await roster(page);
    expect(parsed.data.length).toBe(staff.length);
    expect(new Set(parsed.data.map((row) => row.staffId))).toEqual(new Set(staff.map((member) => member.staffId)));
    for (const row of parsed.data.slice(0, 20)) {
      expect(row.status).toBe('new link, not sent yet');
      expect(row.link).toMatch(/\/survey\/\?c=[^#]+#invite=.+/);
    }
    const issued = card.getByTestId('links-issued');
    await expect.poll(() => issued.count()).toBe(1);
    expect(await issued.textContent()).toContain(`${staff.length.toLocaleString('en-US')} staff members`);

    // An anonymous campaign shows its one public link instead, ready to copy.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
    const spring = campaignCard(page, 'Spring 2027 professional learning needs survey');
    const link = spring.getByLabel('Public survey link');
    expect(await link.inputValue()).toBe(`${baseURL}/survey/?c=demo-spring-2027`);
    expect(await spring.getByRole('button', { name: /^Personal links/ }).count()).toBe(0);
    await spring.getByRole('button', { name: /^Copy/ }).click();
    await expect.poll(() => spring.getByRole('status').first().textContent()).toContain('Link copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}/survey/?c=demo-spring-2027`);
    expect(problems).toEqual({ csp: [], errors: [] });
    await context.close();
  });

  it('closes a campaign only after confirming', async () => {
    const { context, page } = await openAdmin();
    const title = `Closing check ${RUN}`;
    await page.getByLabel('Title').fill(title);
    await page.getByRole('button', { name: 'Create campaign' }).click();
    const card = campaignCard(page, title);
    await expect.poll(() => card.count()).toBe(1);
    await card.getByRole('button', { name: `Close campaign “${title}”` }).click();
    const dialog = page.getByRole('dialog', { name: `Close “${title}”?` });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await card.textContent()).toContain('Open');
    await card.getByRole('button', { name: `Close campaign “${title}”` }).click();
    await dialog.getByRole('button', { name: 'Close campaign' }).click();
    await expect.poll(() => card.locator('dd').nth(1).textContent()).toMatch(/^\s*Closed/);
    expect(await card.getByRole('button', { name: `Close campaign “${title}”` }).count()).toBe(0);
    await context.close();
  });

  it('adds an account with the keyboard alone', async () => {
    const { context, page } = await openAdmin();
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return { id: element?.id ?? '', text: element?.textContent?.trim() ?? '', tag: element?.tagName ?? '' };
      });
    const tabTo = async (wanted: (element: { id: string; text: string; tag: string }) => boolean) => {
      for (let presses = 0; presses < 80; presses++) {
        await page.keyboard.press('Tab');
        if (wanted(await focused())) return;
      }
      throw new Error('Tab never reached the control');
    };
    await tabTo((element) => element.id === 'account-email');
    await page.keyboard.type(KEYBOARD);
    await page.keyboard.press('Tab');
    expect((await focused()).id).toBe('account-name');
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Tab'); // Admin
    await page.keyboard.press('Tab'); // Director
    await page.keyboard.press('Tab'); // Facilitator
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect((await focused()).text).toBe('Add account');
    // The focused control shows where it is.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).not.toBe(
      'none',
    );
    await page.keyboard.press('Enter');
    const card = accountCard(page, KEYBOARD);
    await expect.poll(() => card.getByTestId('roles').textContent()).toBe('Facilitator');

    // A confirmation opens and closes from the keyboard, and focus comes back to its button.
    await tabTo((element) => element.text === `Disable ${KEYBOARD}`);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Disable ${KEYBOARD}?` });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect((await focused()).text).toBe('Cancel');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await focused()).text).toBe(`Disable ${KEYBOARD}`);
    expect(await card.textContent()).toContain('Active');
    await context.close();
  });

  it('lists what was done in the audit log, newest first, a page at a time', async () => {
    const { context, page } = await openAdmin();
    // Each read of the roster is recorded, which is enough to need a second page.
    for (let i = 0; i < 26; i++) await roster(page);
    await page.reload();
    await loaded(page);
    const rows = page.locator('#audit-table tbody tr');
    expect(await rows.count()).toBe(25);
    await page.getByRole('button', { name: 'Show older entries' }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(25);
    let older = 0;
    while ((await page.getByRole('button', { name: 'Show older entries' }).count()) > 0 && older++ < 20) {
      const shown = await rows.count();
      await page.getByRole('button', { name: 'Show older entries' }).click();
      await expect.poll(() => rows.count()).toBeGreaterThan(shown);
    }
    const times = await page
      .locator('#audit-table tbody time')
      .evaluateAll((cells) => cells.map((cell) => Date.parse(cell.getAttribute('datetime') ?? '')));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const entry = async (action: string, text?: string) => {
      const row = page.locator(`#audit-table tbody tr[data-action="${action}"]`, text ? { hasText: text } : {});
      expect(await row.count()).toBeGreaterThan(0);
      return (await row.first().locator('td').allTextContents()).map((cell) => cell.trim());
    };
    const signInRow = await entry('sign_in', DEMO.admin);
    expect(signInRow[2]).toBe('Signed in');
    const created = await entry('account.create', DIRECTOR);
    expect(created.slice(1, 4)).toEqual([DEMO.admin, 'Created an account', DIRECTOR]);
    expect(created[4]).toBe('roles: Director');
    const roles = await entry('account.roles', DIRECTOR);
    expect(roles[4]).toContain('to: Director, Facilitator');
    await entry('account.disable', DIRECTOR);
    await entry('account.enable', DIRECTOR);
    const imported = await entry('roster.import');
    expect(imported[2]).toBe('Imported the roster');
    expect(imported[4]).toContain('staff: created 2, updated 1, unchanged 0');
    const exported = await entry('invitations.export');
    expect(exported[2]).toBe('Exported personal links');
    expect(exported[4]).toMatch(/links: \d+/);
    await expectAccessible(page);
    await context.close();
  });

  it('fits a 360 px phone without sideways scrolling and meets WCAG 2.1 AA there', async () => {
    const { context, page } = await openAdmin(PHONE);
    await expectNoSidewaysScroll(page);
    await page.getByText('What each column holds').click();
    await chooseRosterFile(
      page,
      'phone.csv',
      `${HEADER}\nE2E-${RUN}-PHONE,A very long name that goes on and on for the phone layout,,Alder Creek Elementary,pilot,,,,,\n`,
    );
    await page.getByRole('button', { name: 'Check the roster' }).click();
    await expect.poll(() => page.locator('#roster-errors tbody tr').count()).toBe(1);
    await expectNoSidewaysScroll(page);
    await expectAccessible(page);
    await context.close();
  });
});
