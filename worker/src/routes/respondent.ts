import { Hono } from 'hono';
import { z } from 'zod';
import { getCampaign } from '../db/campaigns';
import { type StoredResponse, type StoreOutcome, storeResponse } from '../db/responses';
import { listStaffForNomination } from '../db/roster';
import { type AnswerError, type Answers, surveyForMode, validateAnswers } from '../domain/answers';
import type { CampaignMode } from '../domain/campaign';
import { fingerprint } from '../domain/fingerprint';
import { shapeOf, surveys } from '../domain/surveys';
import { ApiError } from '../errors';
import { jsonBody, valid } from '../http';
import { campaignNotFound, requireCampaign, withStatus } from './campaigns';

/** A whole needs-assessment answer is a few KB; 64 KB leaves room and stops abuse. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

const submission = z.strictObject({ answers: z.record(z.string(), z.unknown()) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The first answer stored under a key is the answer; a different body under it is refused. */
function replay(stored: StoredResponse, bodyHash: string) {
  if (stored.bodyHash !== bodyHash) {
    throw new ApiError(
      409,
      'IDEMPOTENCY_KEY_REUSED',
      'A different set of answers was already submitted with this Idempotency-Key.',
    );
  }
  return { id: stored.id };
}

/** Roster checks, answered by the store attempt itself. */
function rosterErrors(answers: Answers, outcome: StoreOutcome): AnswerError[] {
  const errors: AnswerError[] = [];
  if (answers.school && !outcome.schoolKnown) {
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

/**
 * What a respondent's page calls: the survey to render, colleagues to name, and the
 * submission, validated against the survey's own JSON and stored exactly once.
 */
export const respondent = new Hono<{ Bindings: Env }>()
  // What a respondent's page needs: the survey to render and what to tell them about it.
  .get('/:id/survey', async (c) => {
    const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
    const { id, title, mode, minGroupSize, status } = withStatus(campaign);
    const survey = surveys[campaign.surveyId];
    return c.json({ id, title, mode, minGroupSize, status, survey: survey ? surveyForMode(survey, mode) : null });
  })
  // Colleagues a respondent can name as the people they go to for advice.
  .get('/:id/staff', async (c) => {
    const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
    if (campaign.mode !== 'identified') {
      throw new ApiError(409, 'ANONYMOUS_CAMPAIGN', 'Anonymous campaigns do not ask for colleagues.');
    }
    return c.json({ items: await listStaffForNomination(c.env.DB) });
  })
  .post(
    '/:id/responses',
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
      const { surveyId, mode } = await surveyOfCampaign(db, id);
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
          answers: validation.answers,
          submittedAt: new Date().toISOString(),
        },
        new Date().toISOString(),
      );
      if (outcome.stored) return c.json({ id: responseId }, 201);
      // Not stored: an earlier submission under this key (perhaps a racing twin) comes
      // first, even once the campaign has closed; then the campaign; then the roster.
      if (!outcome.campaignFound) throw campaignNotFound(id);
      if (outcome.existing) return c.json(replay(outcome.existing, bodyHash), 200);
      if (!outcome.campaignOpen) {
        throw new ApiError(409, 'CAMPAIGN_CLOSED', 'This survey is closed and takes no more answers.');
      }
      const errors = rosterErrors(validation.answers, outcome);
      if (errors.length > 0) throw invalidAnswers(errors);
      throw new Error('a valid response was not stored, for no reason the database gave');
    },
  );
