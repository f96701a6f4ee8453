import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import { clientAddress, limitOrRefuse } from '../auth/limits';
import type { AppEnv } from '../auth/session';
import { hashToken, looksLikeToken } from '../auth/tokens';
import { campaignNotFound, getCampaign, requireCampaign } from '../db/campaigns';
import { type Invitation, invitationFor } from '../db/invitations';
import { type StoredResponse, type StoreOutcome, storeResponse } from '../db/responses';
import { listStaffForNomination } from '../db/roster';
import { type AnswerError, type Answers, rosterAnswers, surveyForMode, validateAnswers } from '../domain/answers';
import { type CampaignMode, withStatus } from '../domain/campaign';
import { fingerprint } from '../domain/fingerprint';
import { shapeOf, surveys } from '../domain/surveys';
import { ApiError } from '../errors';
import { jsonBody, valid } from '../http';
import { documented } from '../openapi';
import { nominationStaff, respondentSurvey, submittedResponse } from '../schemas/responses';

/** A whole needs-assessment answer is a few KB; 64 KB leaves room and stops abuse. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

const submission = z.strictObject({ answers: z.record(z.string(), z.unknown()) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The first answer stored under a key is the answer; a different body under it is refused. */
function replay(stored: StoredResponse, bodyHash: string): z.input<typeof submittedResponse> {
  if (stored.bodyHash !== bodyHash) {
    throw new ApiError(
      409,
      'IDEMPOTENCY_KEY_REUSED',
      'A different set of answers was already submitted with this Idempotency-Key.',
    );
  }
  return { id: stored.id };
}

/**
 * A key that another personal link, or another campaign, already used. The same answer
 * whatever the body: a caller holding someone else's key learns neither that response's id
 * nor whether a guess of its answers was right.
 */
function keyTakenElsewhere(): ApiError {
  return new ApiError(
    409,
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used for another submission; send each new submission with a new key (a UUID).',
  );
}

/** Roster checks, answered by the store attempt itself. */
function rosterErrors(answers: Answers, outcome: StoreOutcome): AnswerError[] {
  const errors: AnswerError[] = [];
  if (answers.school !== undefined && !outcome.schoolKnown) {
    errors.push({
      path: 'school',
      code: 'UNKNOWN_ID',
      message: `"${answers.school}" is not a school of this district`,
    });
  }
  const unknown = (answers.peerNominations ?? []).filter((id) => !outcome.knownNominees.includes(id));
  if (unknown.length > 0) {
    errors.push({
      path: 'peerNominations',
      code: 'UNKNOWN_ID',
      message: `${unknown.map((id) => `"${id}"`).join(', ')} not on the staff roster`,
    });
  }
  return errors;
}

function invalidAnswers(errors: AnswerError[]): ApiError {
  const fields = Object.fromEntries(errors.map((error) => [error.path, error.message]));
  const first = errors[0];
  return new ApiError(422, first?.code ?? 'INVALID_ANSWERS', `${first?.message ?? 'Invalid answers'}.`, fields);
}

/**
 * A campaign's survey and mode never change once it exists, so an isolate keeps them and
 * a submission usually costs a single round trip to the database.
 */
const campaignSurveys = new Map<string, { surveyId: string; mode: CampaignMode }>();

async function surveyOfCampaign(db: D1Database, id: string) {
  let known = campaignSurveys.get(id);
  if (!known) {
    const campaign = await getCampaign(db, id);
    if (!campaign) throw campaignNotFound(id);
    known = { surveyId: campaign.surveyId, mode: campaign.mode };
    if (campaignSurveys.size >= 1000) campaignSurveys.clear();
    campaignSurveys.set(id, known);
  }
  return known;
}

const INVITATION_USED_MESSAGE =
  'You have already answered this survey with your personal link. Thank you! Answers cannot be changed once sent.';

/** The personal link's token, sent as `Authorization: Bearer <token>`, as its stored hash. */
async function invitationHash(c: Context<AppEnv>): Promise<string | null> {
  const header = c.req.header('Authorization');
  if (!header) return null;
  const token = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header)?.[1];
  if (!token || !looksLikeToken(token)) throw invalidInvitation();
  return hashToken(token);
}

function invalidInvitation(): ApiError {
  return new ApiError(
    403,
    'INVITATION_INVALID',
    'This personal link is not valid for this survey. Use the newest link the district sent you.',
  );
}

function invitationRequired(): ApiError {
  return new ApiError(
    401,
    'INVITATION_REQUIRED',
    'This survey is answered through the personal link the district sent you by email.',
  );
}

/** The unused personal link of an identified campaign, or the reason it cannot be used. */
async function requireUnusedInvitation(c: Context<AppEnv>, campaignId: string): Promise<Invitation> {
  const hash = await invitationHash(c);
  if (!hash) throw invitationRequired();
  const invitation = await invitationFor(c.env.DB, campaignId, hash);
  if (!invitation) throw invalidInvitation();
  if (invitation.usedAt) throw new ApiError(409, 'INVITATION_USED', INVITATION_USED_MESSAGE);
  return invitation;
}

/**
 * What a respondent's page calls: the survey to render, colleagues to name, and the
 * submission, validated against the survey's own JSON and stored exactly once. Anonymous
 * campaigns have one public link and store no identity and no address; identified ones
 * are answered through single-use personal links.
 */
export const responses = new Hono<AppEnv>()
  // What a respondent's page needs: the survey to render, what to tell them about it, and
  // (with a personal link) whose link it is and whether it has been used.
  .get(
    '/:id/survey',
    allow('respondent'),
    documented({
      summary: "A campaign's survey, as a respondent sees it",
      description:
        'With a personal link (`Authorization: Bearer <token>`), also whose link it is, whether it was used and, while it is unused, what the roster says about its holder (school, role, career stage, subject, grade band) to fill in.',
      tags: ['responses'],
      responses: { 200: { schema: respondentSurvey } },
    }),
    async (c) => {
      const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
      const { id, title, mode, minGroupSize, status } = withStatus(campaign);
      const survey = Object.hasOwn(surveys, campaign.surveyId) ? surveys[campaign.surveyId] : undefined;
      let invitation: z.input<typeof respondentSurvey>['invitation'] = null;
      const hash = await invitationHash(c);
      if (hash) {
        await limitOrRefuse(c.env.SUBMISSIONS, `${clientAddress(c.req.raw, c.env)} ${id}`, 60);
        const found = mode === 'identified' ? await invitationFor(c.env.DB, id, hash) : null;
        if (!found) throw invalidInvitation();
        // The holder's own roster entry, to fill in About you: only while the link can still answer.
        const shape = shapeOf(campaign.surveyId);
        const fromRoster =
          found.usedAt || found.retired || !shape ? null : rosterAnswers({ ...found, school: found.schoolId }, shape);
        invitation = { status: found.usedAt ? 'used' : 'unused', name: found.name, fromRoster };
      }
      return c.json({
        id,
        title,
        mode,
        minGroupSize,
        status,
        survey: survey ? surveyForMode(survey, mode) : null,
        invitation,
      } satisfies z.input<typeof respondentSurvey>);
    },
  )
  // Colleagues a respondent can name as the people they go to for advice: for holders of
  // an unused personal link only, since it lists names; never themselves.
  .get(
    '/:id/staff',
    allow('respondent'),
    documented({
      summary: 'Colleagues a respondent can name',
      description:
        "For the holder of an unused personal link of an identified campaign (`Authorization: Bearer <token>`): the staff roster's names and schools, without the holder.",
      tags: ['responses'],
      responses: { 200: { schema: nominationStaff } },
    }),
    async (c) => {
      const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
      if (campaign.mode !== 'identified') {
        throw new ApiError(409, 'ANONYMOUS_CAMPAIGN', 'Anonymous campaigns do not ask for colleagues.');
      }
      const invitation = await requireUnusedInvitation(c, campaign.id);
      const staff = await listStaffForNomination(c.env.DB);
      return c.json({
        items: staff.filter((member) => member.staffId !== invitation.staffId),
      } satisfies z.input<typeof nominationStaff>);
    },
  )
  .post(
    '/:id/responses',
    allow('respondent'),
    documented({
      summary: 'Submit answers to a survey',
      description:
        'Send an `Idempotency-Key` header (a UUID): sending the same answers again under it stores nothing twice and answers 200 with the same id. Identified campaigns also need the personal link (`Authorization: Bearer <token>`), which works once.',
      tags: ['responses'],
      responses: {
        201: { schema: submittedResponse, description: 'Stored.' },
        200: { schema: submittedResponse, description: 'Already stored under this Idempotency-Key.' },
      },
    }),
    jsonBody(MAX_RESPONSE_BYTES),
    async (c, next) => {
      const key = c.req.header('Idempotency-Key');
      if (!key) {
        throw new ApiError(400, 'MISSING_IDEMPOTENCY_KEY', 'Send an Idempotency-Key header (a UUID).');
      }
      if (!UUID.test(key)) {
        throw new ApiError(400, 'INVALID_IDEMPOTENCY_KEY', 'The Idempotency-Key header must be a UUID.');
      }
      await next();
    },
    valid('json', submission),
    async (c) => {
      const db = c.env.DB;
      const key = (c.req.header('Idempotency-Key') ?? '').toLowerCase();
      const { answers: input } = c.req.valid('json');
      const id = c.req.param('id');
      await limitOrRefuse(c.env.SUBMISSIONS, `${clientAddress(c.req.raw, c.env)} ${id}`, 60);
      const { surveyId, mode } = await surveyOfCampaign(db, id);
      // Identified answers come through a personal link; anonymous ones carry no identity.
      const invitation = mode === 'identified' ? await invitationHash(c) : null;
      if (mode === 'identified' && !invitation) throw invitationRequired();
      const shape = shapeOf(surveyId);
      if (!shape) throw new Error(`campaign ${id} names unknown survey ${surveyId}`);
      const validation = validateAnswers(input, shape, mode);
      if (!validation.ok) throw invalidAnswers(validation.errors);

      const bodyHash = await fingerprint(input);
      const responseId = crypto.randomUUID();
      const outcome = await storeResponse(
        db,
        {
          id: responseId,
          campaignId: id,
          idempotencyKey: key,
          bodyHash,
          staffId: null,
          invitationHash: invitation,
          answers: validation.answers,
          submittedAt: new Date().toISOString(),
        },
        new Date().toISOString(),
      );
      if (outcome.stored) return c.json({ id: responseId } satisfies z.input<typeof submittedResponse>, 201);
      // Not stored: an earlier submission under this key from this sender (perhaps a racing
      // twin) comes first, even once the campaign has closed; then a key someone else used;
      // then the campaign; then the roster.
      if (!outcome.campaignFound) throw campaignNotFound(id);
      if (outcome.existing) return c.json(replay(outcome.existing, bodyHash), 200);
      if (outcome.keyTakenElsewhere) throw keyTakenElsewhere();
      if (!outcome.campaignOpen) {
        throw new ApiError(409, 'CAMPAIGN_CLOSED', 'This survey is closed and takes no more answers.');
      }
      if (outcome.invitation === 'unknown') throw invalidInvitation();
      if (outcome.invitation === 'used') throw new ApiError(409, 'INVITATION_USED', INVITATION_USED_MESSAGE);
      if (outcome.selfNominated) {
        throw invalidAnswers([
          {
            path: 'peerNominations',
            code: 'SELF_NOMINATION',
            message: 'Name colleagues you go to for advice, not yourself',
          },
        ]);
      }
      const errors = rosterErrors(validation.answers, outcome);
      if (errors.length > 0) throw invalidAnswers(errors);
      throw new Error('a valid response was not stored, for no reason the database gave');
    },
  );
