import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, expectNoSidewaysScroll, launch, PHONE, watchProblems } from './browser';
import { DEMO, signIn } from './session';

const baseURL = inject('baseURL');
const CAMPAIGN = 'demo-spring-2027';
const surveyUrl = `${baseURL}/survey/?c=${CAMPAIGN}`;
let browser: Browser;
/** Signed in as the demo admin: campaign figures and administration need an account. */
let admin: BrowserContext;

beforeAll(async () => {
  browser = await launch();
  admin = await browser.newContext();
  await signIn(await admin.newPage(), DEMO.admin, '/');
});
afterAll(async () => {
  await browser?.close();
});

async function responseCount(): Promise<number> {
  const res = await admin.request.get(`${baseURL}/api/campaigns/${CAMPAIGN}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { responseCount: number }).responseCount;
}

/** A POST as the signed-in admin, the way the browser's own pages send it. */
async function adminPost(path: string, data: unknown): Promise<{ status: number; body: unknown }> {
  const res = await admin.request.post(`${baseURL}${path}`, {
    headers: { Origin: baseURL, 'Content-Type': 'application/json' },
    data: JSON.stringify(data),
  });
  return { status: res.status(), body: await res.json() };
}

/** Rows stored in the local D1, read the way an operator would. */
function query<Row>(sql: string): Row[] {
  const out = execFileSync(
    'wrangler',
    ['d1', 'execute', 'DB', '--local', '--persist-to', inject('stateDir'), '--json', '--command', sql],
    { encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  const [result] = JSON.parse(out) as Array<{ results: Row[] }>;
  return result?.results ?? [];
}

function storedAnswers(campaignId = CAMPAIGN): Array<Record<string, unknown>> {
  return query<{ answers: string }>(
    `SELECT answers FROM responses WHERE campaign_id = '${campaignId}' ORDER BY submitted_at`,
  ).map((row) => JSON.parse(row.answers));
}

const question = (page: Page, name: string) => page.locator(`[data-name="${name}"]`);

/** The text the survey shows for a choice of a question, read from its definition. */
function choiceText(name: string, value: string): string {
  const survey = JSON.parse(readFileSync(new URL('../surveys/needs-assessment.json', import.meta.url), 'utf8')) as {
    pages: Array<{ elements: Array<{ name: string; choices?: Array<{ value: string; text: string }> }> }>;
  };
  const element = survey.pages.flatMap((page) => page.elements).find((one) => one.name === name);
  const text = element?.choices?.find((choice) => choice.value === value)?.text;
  if (!text) throw new Error(`no choice ${value} of ${name}`);
  return text;
}
const pageTitle = (page: Page) => page.locator('.sd-page__title');

async function choose(page: Page, name: string, option: string) {
  await question(page, name).locator('.sd-dropdown').click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect.poll(() => question(page, name).locator('.sd-dropdown__value').textContent()).toContain(option);
}

async function rate(page: Page, name: string, value: number) {
  await question(page, name)
    .locator('label.sd-rating__item', { hasText: new RegExp(`^${value}$`) })
    .click();
}

async function checked(page: Page, name: string): Promise<string | null> {
  return question(page, name)
    .locator('input:checked')
    .getAttribute('value', { timeout: 2_000 })
    .catch(() => null);
}

async function next(page: Page) {
  await page.getByRole('button', { name: 'Next' }).click();
}

/** On to the last page, then the review step, then send. */
async function finish(page: Page) {
  await toReview(page);
  await page.getByRole('button', { name: 'Send my answers' }).click();
}

async function toReview(page: Page) {
  for (let guard = 0; guard < 12; guard++) {
    const review = page.getByRole('button', { name: 'Review my answers' });
    if (await review.isVisible()) {
      await review.click();
      await expect
        .poll(() => page.getByRole('heading', { name: 'Check your answers before you send them' }).count())
        .toBe(1);
      return;
    }
    await next(page);
  }
  throw new Error('never reached the last page');
}

/** The heading (its text) that has the keyboard focus, if a heading has it. */
const focusedHeading = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return active && /^H[1-6]$/.test(active.tagName) ? active.textContent?.trim() : null;
  });

describe('the needs survey on a phone', () => {
  it('is answered in part, resumed after a reload on the same page, and stored exactly once', async () => {
    const before = await responseCount();
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(surveyUrl);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Spring 2027 professional learning needs survey');
    // Before any question: what is kept, and who sees what.
    await expect.poll(() => page.getByText('groups of at least 5 people').count()).toBe(1);
    expect(await page.getByText('This survey is anonymous.').count()).toBe(1);
    // A short note first; what is kept, and where, is one tap away.
    const details = page.getByText('No name, email address, staff ID or IP address is stored');
    expect(await details.count()).toBe(1);
    expect(await details.isVisible()).toBe(false);
    expect(await page.getByText('kept only on this device').count()).toBe(1);
    const noticeTop = await page.locator('.privacy').evaluate((el) => el.getBoundingClientRect().top);
    const firstQuestionTop = await question(page, 'school').evaluate((el) => el.getBoundingClientRect().top);
    expect(noticeTop).toBeLessThan(firstQuestionTop);
    // The first question starts within the first screen of a 360 × 740 phone.
    expect(firstQuestionTop).toBeLessThan(740);
    expect(await page.getByText('Page 1 of 8', { exact: true }).isVisible()).toBe(true);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    await page.getByText('What is kept, and where').click();
    expect(await details.isVisible()).toBe(true);
    expect(await page.getByText('kept only on this device').isVisible()).toBe(true);
    await expectAccessible(page);

    await choose(page, 'school', 'Cedar Hollow Elementary');
    await choose(page, 'role', 'Classroom teacher');
    await question(page, 'careerStage').getByText('Early career (0–3 years)').click();
    await next(page);

    await expect.poll(() => pageTitle(page).textContent()).toBe('Instruction and planning');
    // Focus moves to the new page's heading, and its place in the survey is said in words.
    await expect.poll(() => focusedHeading(page)).toBe('Instruction and planning');
    expect(await page.getByText('Page 2 of 8', { exact: true }).isVisible()).toBe(true);
    // The 1–5 scale sits on one row on a 360 px phone: no wrapping, no sideways scroll.
    const tops = await question(page, 'differentiated-instruction__importance')
      .locator('label.sd-rating__item')
      .evaluateAll((labels) => labels.map((label) => Math.round(label.getBoundingClientRect().top)));
    expect(tops).toHaveLength(5);
    expect(new Set(tops).size).toBe(1);
    await rate(page, 'differentiated-instruction__importance', 5);
    await rate(page, 'differentiated-instruction__proficiency', 2);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    await next(page);

    await expect.poll(() => pageTitle(page).textContent()).toBe('Assessment and data use');
    await rate(page, 'formative-assessment__importance', 4);
    await rate(page, 'formative-assessment__proficiency', 1);

    await page.reload();
    await expect.poll(() => page.getByText('Welcome back').count()).toBe(1);
    await expect.poll(() => pageTitle(page).textContent()).toBe('Assessment and data use');
    expect(await checked(page, 'formative-assessment__importance')).toBe('4');
    expect(await checked(page, 'formative-assessment__proficiency')).toBe('1');

    // Start over asks first, and can be undone.
    await page.getByRole('button', { name: 'Start over' }).click();
    expect(await page.getByText('Clear every answer and start from the first page?').count()).toBe(1);
    await page.getByRole('button', { name: 'Keep them' }).click();
    expect(await checked(page, 'formative-assessment__importance')).toBe('4');
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByRole('button', { name: 'Yes, clear my answers' }).click();
    await expect.poll(() => page.getByText('Your answers were cleared').count()).toBe(1);
    expect(await question(page, 'school').locator('.sd-dropdown__value').textContent()).not.toContain('Cedar Hollow');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Undo: bring my answers back' }).click();
    await expect.poll(() => pageTitle(page).textContent()).toBe('Assessment and data use');
    expect(await checked(page, 'formative-assessment__importance')).toBe('4');
    expect(await checked(page, 'formative-assessment__proficiency')).toBe('1');

    await finish(page);
    await expect.poll(() => page.getByRole('heading', { name: 'Your answers are saved' }).count()).toBe(1);
    expect(await responseCount()).toBe(before + 1);
    await expectAccessible(page);

    const stored = storedAnswers().at(-1);
    expect(stored).toMatchObject({
      school: 'cedar-hollow-elementary',
      role: 'classroom-teacher',
      careerStage: 'early-career',
      ratings: {
        'differentiated-instruction': { importance: 5, proficiency: 2 },
        'formative-assessment': { importance: 4, proficiency: 1 },
      },
    });

    // Coming back later shows the receipt, and sends nothing again.
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'Your answers are saved' }).count()).toBe(1);
    expect(await responseCount()).toBe(before + 1);
    await context.close();
  });

  it('says how many interests can be picked, and that the limit is reached, instead of ignoring a sixth tap', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(surveyUrl);
    await choose(page, 'school', 'Cedar Hollow Elementary');
    await choose(page, 'role', 'Classroom teacher');
    await question(page, 'careerStage').getByText('Early career (0–3 years)').click();
    for (let guard = 0; guard < 12; guard++) {
      if ((await pageTitle(page).textContent()) === 'Your learning this year') break;
      await next(page);
    }
    const interests = question(page, 'interests');
    const said = () => interests.locator('.sd-description').first().textContent();
    expect(await said()).toBe('Pick up to five. 0 of 5 picked.');
    const five = [
      'Formative assessment',
      'AI literacy',
      'Family engagement',
      'Student engagement',
      'Grading and feedback',
    ];
    for (const name of five) await interests.getByText(name, { exact: true }).click();
    await expect.poll(said).toBe('Pick up to five. 5 of 5 picked: untick one to pick another.');
    // The rest are shown unavailable; a tap on one anyway ticks nothing.
    const sixth = interests.getByText('Instructional technology', { exact: true });
    await sixth.click({ force: true });
    expect(await interests.locator('input:checked').count()).toBe(5);
    expect(await interests.locator('input[value="instructional-technology"]').isDisabled()).toBe(true);
    await expectAccessible(page);

    // Ranking says how to rank with a keyboard, and that is how it works: Space picks, arrows move.
    const strategies = question(page, 'strategies');
    expect(await strategies.locator('.sd-description').first().textContent()).toContain('press Space to pick it');
    const item = (name: string) => strategies.locator('.sv-ranking-item', { hasText: name }).first();
    const ranked = () => strategies.locator('[data-ranking="to-container"] .sv-ranking-item__text').allTextContents();
    await item('Coaching').focus();
    await page.keyboard.press('Space');
    await expect.poll(ranked).toEqual(['Coaching']);
    await item('Workshop').focus();
    await page.keyboard.press('Space');
    await expect.poll(ranked).toEqual(['Coaching', 'Workshop']);
    await item('Workshop').focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(ranked).toEqual(['Workshop', 'Coaching']);
    await context.close();
  });

  it('keeps the answers through a failed send and a reload, then stores them once', async () => {
    const before = await responseCount();
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    let attempts = 0;
    // The first two sends never reach the server, as on a school bus's patchy network.
    await page.route('**/api/campaigns/*/responses', (route) =>
      ++attempts <= 2 ? route.abort('internetdisconnected') : route.continue(),
    );
    await page.goto(surveyUrl);
    await choose(page, 'school', 'Lakeside High School');
    await choose(page, 'role', 'Counselor or student support');
    // An anonymous survey asks nothing that only someone who knows who answered could act on.
    const titles: string[] = [];
    for (
      let guard = 0;
      guard < 12 && !(await page.getByRole('button', { name: 'Review my answers' }).isVisible());
      guard++
    ) {
      titles.push((await pageTitle(page).textContent()) ?? '');
      await next(page);
    }
    titles.push((await pageTitle(page).textContent()) ?? '');
    expect(titles).toHaveLength(8);
    expect(titles.at(-1)).toBe('Your learning this year');
    expect(titles).not.toContain('Leading and piloting');
    for (const name of ['leadershipInterest', 'selfNominate', 'peerNominations', 'pilotWilling']) {
      expect(await question(page, name).count()).toBe(0);
    }
    expect(await page.getByText('consider you for a leadership opportunity').count()).toBe(0);
    expect(await question(page, 'comment').count()).toBe(1);
    await finish(page);

    await expect.poll(() => page.getByRole('heading', { name: 'Not saved yet' }).count()).toBe(1);
    expect(await page.getByText('Your answers are safe on this device').count()).toBe(1);
    expect(await responseCount()).toBe(before);

    // Closing the tab mid-retry and coming back resends the same submission.
    await page.reload();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Your answers are saved' }).count(), { timeout: 20_000 })
      .toBe(1);
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(await responseCount()).toBe(before + 1);
    expect(storedAnswers().at(-1)).toMatchObject({ school: 'lakeside-high', role: 'counselor-student-support' });
    await context.close();
  });

  it('waits as long as the server asks when it is busy (429), then stores the answers once', async () => {
    const before = await responseCount();
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const attempts: number[] = [];
    await page.route('**/api/campaigns/*/responses', (route) => {
      attempts.push(Date.now());
      return attempts.length === 1
        ? route.fulfill({
            status: 429,
            headers: { 'Retry-After': '3' },
            json: { error: { code: 'RATE_LIMITED', message: 'Too many requests; try again shortly.' } },
          })
        : route.continue();
    });
    await page.goto(surveyUrl);
    await choose(page, 'school', 'Dogwood Elementary');
    await choose(page, 'role', 'Classroom teacher');
    await finish(page);
    await expect.poll(() => page.getByRole('heading', { name: 'Not saved yet' }).count()).toBe(1);
    expect(await page.getByText('will be sent again in 3 s').count()).toBe(1);
    // The server set the wait: there is no button to cut it short.
    expect(await page.getByRole('button', { name: 'Try again now' }).count()).toBe(0);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Your answers are saved' }).count(), { timeout: 15_000 })
      .toBe(1);
    expect(attempts).toHaveLength(2);
    expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBeGreaterThanOrEqual(2_900);
    expect(await responseCount()).toBe(before + 1);
    await context.close();
  });

  it("anchors each scale's end labels to its end buttons, never over the middle one, on a phone and a desktop", async () => {
    for (const options of [PHONE, { viewport: { width: 1280, height: 900 } }]) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      await page.goto(surveyUrl);
      await choose(page, 'school', 'Cedar Hollow Elementary');
      await choose(page, 'role', 'Classroom teacher');
      await next(page);
      await expect.poll(() => pageTitle(page).textContent()).toBe('Instruction and planning');
      for (const name of ['standards-aligned-planning__importance', 'standards-aligned-planning__proficiency']) {
        const scale = question(page, name);
        const box = async (selector: string) => {
          const found = await scale.locator(selector).boundingBox();
          if (!found) throw new Error(`${name}: no ${selector}`);
          return { left: found.x, right: found.x + found.width, bottom: found.y + found.height, top: found.y };
        };
        const buttons = scale.locator('label.sd-rating__item');
        expect(await buttons.count()).toBe(5);
        const [first, second, middle, fourth, last] = await Promise.all(
          [0, 1, 2, 3, 4].map((n) => box(`label.sd-rating__item >> nth=${n}`)),
        );
        const low = await box('.sd-rating__min-text');
        const high = await box('.sd-rating__max-text');
        if (!first || !second || !middle || !fourth || !last) throw new Error('five buttons expected');
        // Flush with the end buttons' outer edges…
        expect(Math.abs(low.left - first.left)).toBeLessThanOrEqual(1);
        expect(Math.abs(high.right - last.right)).toBeLessThanOrEqual(1);
        // …no wider than the two end buttons, so neither sits over the middle one…
        expect(low.right).toBeLessThanOrEqual(second.right + 1);
        expect(high.left).toBeGreaterThanOrEqual(fourth.left - 1);
        expect(low.right).toBeLessThanOrEqual(middle.left);
        expect(high.left).toBeGreaterThanOrEqual(middle.right);
        // …and above the buttons, not beside or over them.
        expect(Math.max(low.bottom, high.bottom)).toBeLessThanOrEqual(first.top + 1);
      }
      await expectAccessible(page);
      await expectNoSidewaysScroll(page);
      await context.close();
    }
  });

  it('shows every answer by page before sending, with a way back to change each page', async () => {
    const before = await responseCount();
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(surveyUrl);
    await choose(page, 'school', 'Dogwood Elementary');
    await choose(page, 'role', 'Paraprofessional');
    await next(page);
    await rate(page, 'literacy-across-content__importance', 4);
    await rate(page, 'literacy-across-content__proficiency', 3);
    await toReview(page);
    // Focus is on the review's heading; each answered page is listed with its answers.
    await expect.poll(() => focusedHeading(page)).toBe('Check your answers before you send them');
    const review = page.locator('.survey-host');
    const listed = (await review.textContent()) ?? '';
    for (const text of ['About you', 'Dogwood Elementary', 'Paraprofessional', 'Instruction and planning']) {
      expect(listed).toContain(text);
    }
    expect(await checked(page, 'literacy-across-content__importance')).toBe('4');
    expect(await responseCount()).toBe(before);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);

    // Change goes back to that page, focus on its heading; the review comes back after it.
    const changeButtons = page.getByRole('button', { name: /^Change / });
    expect(await changeButtons.evaluateAll((buttons) => buttons.map((b) => (b as HTMLInputElement).value))).toEqual([
      'Change About you',
      'Change Instruction and planning',
    ]);
    await page.getByRole('button', { name: 'Change About you' }).click();
    await expect.poll(() => pageTitle(page).textContent()).toBe('About you');
    await expect.poll(() => focusedHeading(page)).toBe('About you');
    await choose(page, 'role', 'Classroom teacher');
    await toReview(page);
    expect(await page.locator('.survey-host').textContent()).toContain('Classroom teacher');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Your answers are saved' }).count()).toBe(1);
    expect(await responseCount()).toBe(before + 1);
    expect(storedAnswers().at(-1)).toMatchObject({
      school: 'dogwood-elementary',
      role: 'classroom-teacher',
      ratings: { 'literacy-across-content': { importance: 4, proficiency: 3 } },
    });
    await context.close();
  });

  it('can be answered with a keyboard alone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(surveyUrl);
    await expect.poll(() => question(page, 'school').count()).toBe(1);
    // Tab from the top of the page to the first question, and choose with the arrow keys.
    const focusedName = () =>
      page.evaluate(() => document.activeElement?.closest('[data-name]')?.getAttribute('data-name') ?? null);
    for (let i = 0; i < 20 && (await focusedName()) !== 'school'; i++) await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('school');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await question(page, 'school').locator('.sd-dropdown__value').textContent()).not.toBe('');
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('role');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    // On to the first rating page with the keyboard.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value === 'Next')) break;
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => pageTitle(page).textContent()).toBe('Instruction and planning');
    // Focus is on the new page's heading, so the next Tab is the page's first question, not the site's header.
    await expect.poll(() => focusedHeading(page)).toBe('Instruction and planning');
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('standards-aligned-planning__importance');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    expect(await checked(page, 'standards-aligned-planning__importance')).not.toBeNull();
    await context.close();
  });
});

interface Invitation {
  staffId: string;
  name: string;
  email: string;
  school: string;
  status: 'new-link' | 'answered';
  link: string | null;
}

describe('an identified campaign, answered through a personal link', () => {
  let campaignId = '';
  let invitations: Invitation[] = [];

  beforeAll(async () => {
    const created = await adminPost('/api/campaigns', {
      surveyId: 'needs-assessment',
      title: 'Coaching pilot interest survey',
      mode: 'identified',
      minGroupSize: 4,
    });
    expect(created.status).toBe(201);
    campaignId = (created.body as { id: string }).id;
    const issued = await adminPost(`/api/campaigns/${campaignId}/invitations`, {});
    expect(issued.status).toBe(200);
    invitations = (issued.body as { items: Invitation[] }).items;
    expect(invitations.length).toBeGreaterThan(2);
  });

  it('tells the person what is identified, takes their answers once, and then says they answered', async () => {
    const [me, colleague] = invitations;
    if (!me?.link || !colleague) throw new Error('no personal link was issued');
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(me.link);
    await expect.poll(() => page.getByText('This survey is not anonymous.').count()).toBe(1);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Coaching pilot interest survey');
    const notice = ((await page.locator('.privacy').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(notice).toContain(`a personal link for ${me.name}`);
    expect(notice).toContain('group results of at least 4 people');
    expect(notice).toContain('What you volunteer is shown with your name');
    // The link leaves the address bar once read; the tab keeps it, so a reload still works.
    expect(page.url()).not.toContain('invite');
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    await page.reload();
    await expect.poll(() => page.getByText('This survey is not anonymous.').count()).toBe(1);

    // What the roster knows about them is filled in, for them to correct.
    const [roster] = query<{ role: string; career_stage: string | null; grade_band: string | null }>(
      `SELECT role, career_stage, grade_band FROM staff WHERE staff_id = '${me.staffId}'`,
    );
    if (!roster?.career_stage || !roster.grade_band)
      throw new Error('the demo roster knows career stage and grade band');
    await expect.poll(() => page.getByText("Filled in from the district's staff list").count()).toBe(1);
    await expect.poll(() => question(page, 'school').locator('.sd-dropdown__value').textContent()).toContain(me.school);
    expect(await question(page, 'role').locator('.sd-dropdown__value').textContent()).toContain(
      choiceText('role', roster.role),
    );
    expect(await checked(page, 'careerStage')).toBe(roster.career_stage);
    expect(await checked(page, 'gradeBand')).toBe(roster.grade_band);
    await expectAccessible(page);
    const otherSchool = me.school === 'Cedar Hollow Elementary' ? 'Lakeside High School' : 'Cedar Hollow Elementary';
    await choose(page, 'school', otherSchool);
    await choose(page, 'role', 'Instructional coach');
    for (let guard = 0; guard < 12 && (await question(page, 'peerNominations').count()) === 0; guard++) {
      await next(page);
    }
    // Asked with a personal link only: someone can follow up on it.
    await question(page, 'leadershipInterest').getByText('Mentor', { exact: true }).click();
    await expect.poll(() => page.getByText('consider you for a leadership opportunity').count()).toBe(1);
    // The colleagues come from a route that needs the personal link.
    const label = `${colleague.name} (${colleague.school})`;
    await question(page, 'peerNominations').locator('.sd-tagbox').click();
    await page.keyboard.type(colleague.name);
    await page.getByRole('option', { name: label, exact: true }).first().click();
    await page.keyboard.press('Escape');
    await finish(page);
    await expect.poll(() => page.getByRole('heading', { name: 'Your answers are saved' }).count()).toBe(1);
    expect(storedAnswers(campaignId).at(-1)).toMatchObject({
      school: otherSchool === 'Cedar Hollow Elementary' ? 'cedar-hollow-elementary' : 'lakeside-high',
      role: 'instructional-coach',
      careerStage: roster.career_stage,
      gradeBand: roster.grade_band,
      leadershipInterest: ['mentor'],
      peerNominations: [colleague.staffId],
    });
    expect(query<{ staff_id: string }>(`SELECT staff_id FROM responses WHERE campaign_id = '${campaignId}'`)).toEqual([
      { staff_id: me.staffId },
    ]);
    expect(problems.csp).toEqual([]);

    // The same link again, on another device: it cannot answer a second time.
    const later = await browser.newContext(PHONE);
    const again = await later.newPage();
    await again.goto(me.link);
    await expect
      .poll(() => again.getByRole('heading', { name: 'You have already answered — thank you' }).count())
      .toBe(1);
    expect(await again.locator('.sd-root-modern').count()).toBe(0);
    await expectAccessible(again);
    await later.close();
    await context.close();
  });

  it('asks for the personal link when the campaign is opened without one, or with a broken one', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${baseURL}/survey/?c=${campaignId}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Please use your personal link' }).count()).toBe(1);
    expect(await page.getByText('use the personal link the district sent you').count()).toBe(1);
    expect(await page.locator('.sd-root-modern').count()).toBe(0);
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);

    await page.goto(`${baseURL}/survey/?c=${campaignId}#invite=not-a-real-link`);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'This personal link does not work' }).count()).toBe(1);
    await expectAccessible(page);
    await context.close();
  });
});
