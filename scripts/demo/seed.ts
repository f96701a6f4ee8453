/**
 * Seeds the demo district into an empty database through the worker's own db functions
 * and answer validation, so demo rows are exactly what the API would have stored.
 */
import { accountByEmail, insertAccountStatements } from '../../worker/src/db/accounts';
import { addCard } from '../../worker/src/db/board-cards';
import { insertBoardStatements } from '../../worker/src/db/boards';
import { closeCampaign, insertCampaign } from '../../worker/src/db/campaigns';
import { storeResponse } from '../../worker/src/db/responses';
import { isEmpty, upsertSchools, upsertStaff } from '../../worker/src/db/roster';
import { validateAnswers } from '../../worker/src/domain/answers';
import { fingerprint } from '../../worker/src/domain/fingerprint';
import { shapeOf } from '../../worker/src/domain/surveys';
import { DEMO_ACCOUNTS, type DemoDistrict, FALL_CAMPAIGN_ID, generateDemoDistrict } from './district';

/**
 * Returns false, touching nothing, when the database already holds a district. The demo
 * district is generated only when it is to be stored (a second `npm start` skips that too).
 */
export async function seedDemoDistrict(db: D1Database, demo?: DemoDistrict): Promise<boolean> {
  if (!(await isEmpty(db))) return false;
  const district = demo ?? generateDemoDistrict();
  await upsertSchools(db, district.schools);
  await upsertStaff(db, district.staff);
  for (const account of DEMO_ACCOUNTS) {
    await db.batch(
      insertAccountStatements(db, { ...account, id: crypto.randomUUID(), createdAt: new Date().toISOString() }),
    );
  }
  for (const campaign of district.campaigns) await insertCampaign(db, campaign);
  for (const response of district.responses) {
    const campaign = district.campaigns.find((c) => c.id === response.campaignId);
    const shape = campaign && shapeOf(campaign.surveyId);
    if (!campaign || !shape) throw new Error(`demo response for unknown campaign ${response.campaignId}`);
    const validation = validateAnswers(response.answers, shape, campaign.mode);
    if (!validation.ok) {
      throw new Error(`demo answers are invalid: ${JSON.stringify(validation.errors.slice(0, 3))}`);
    }
    // Stored as of its own submission time, when the campaign was still open.
    const outcome = await storeResponse(
      db,
      { ...response, answers: validation.answers, bodyHash: await fingerprint(response.answers) },
      response.submittedAt,
    );
    if (!outcome.stored) throw new Error(`demo response ${response.id} was not stored: ${JSON.stringify(outcome)}`);
  }
  // Closed only now: a closed campaign takes no more answers.
  for (const campaign of district.campaigns) {
    if (campaign.closedAt) await closeCampaign(db, campaign.id, campaign.closedAt).run();
  }
  await seedDemoBoard(db);
  return true;
}

export const DEMO_BOARD_ID = 'demo-math-design-team';

/** What a design team's first session on the fall results might have gathered. */
const DEMO_CARDS: Array<[column: string, text: string, tags: string[]]> = [
  ['working', 'Grade 7 teachers already use exit tickets and regroup students the next day.', ['formative-assessment']],
  ['working', 'Wednesday common planning time is protected at both middle schools.', []],
  ['not-working', 'Feedback on written work comes back after the unit has moved on.', ['formative-assessment']],
  ['not-working', 'Few of us have tried AI tools with students, and we are unsure of the rules.', ['ai-literacy']],
  ['root-causes', 'No shared success criteria across classrooms, so feedback means different things.', []],
  ['ideas', 'A six-week PLC inquiry cycle on exit-ticket data, led by our own coaches.', ['formative-assessment']],
  ['ideas', 'Peer observation focused on questioning, with a short debrief after each visit.', []],
];

/** A board the demo facilitator has started on the fall results, so a new installation shows one at work. */
async function seedDemoBoard(db: D1Database): Promise<void> {
  const facilitator = await accountByEmail(db, 'facilitator@district.example');
  if (!facilitator) return;
  const at = new Date().toISOString();
  await db.batch(
    insertBoardStatements(db, {
      id: DEMO_BOARD_ID,
      campaignId: FALL_CAMPAIGN_ID,
      title: 'Middle school math design team',
      template: 'protocol',
      anonymous: false,
      voteBudget: 5,
      votesPerCard: null,
      createdBy: facilitator.id,
      at,
    }),
  );
  for (const [column, text, tags] of DEMO_CARDS) {
    await addCard(db, {
      id: crypto.randomUUID(),
      boardId: DEMO_BOARD_ID,
      column,
      text,
      tags,
      status: 'visible',
      authorId: facilitator.id,
      at,
    });
  }
}
