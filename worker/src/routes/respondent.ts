import { Hono } from 'hono';
import { z } from 'zod';
import { findResponseByKey, findSubmissionContext, insertResponse, type StoredResponse } from '../db/responses';
import { knownStaffIds, listStaffForNomination } from '../db/roster';
import { type AnswerError, surveyForMode, validateAnswers } from '../domain/answers';
import { isOpen } from '../domain/campaign';
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

async function rosterErrors(
  db: D1Database,
  answers: { school?: string; peerNominations?: string[] },
  schoolKnown: boolean,
): Promise<AnswerError[]> {
  const errors: AnswerError[] = [];
  if (answers.school && !schoolKnown) {
    errors.push({
      path: 'school',
      code: 'UNKNOWN_ID',
      message: `"${answers.school}" is not a school of this district`,
    });
  }
  const nominations = answers.peerNominations ?? [];
  const known = nominations.length > 0 ? await knownStaffIds(db, nominations) : new Set<string>();
  const unknown = nominations.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    errors.push({
      path: 'peerNominations',
      code: 'UNKNOWN_ID',
      message: `${unknown.map((id) => `"${id}"`).join(', ')} not on the staff roster`,
    });
  }
  return errors;
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
      const school = typeof input.school === 'string' ? input.school : null;
      const context = await findSubmissionContext(db, id, key, school);
      if (!context) throw campaignNotFound(id);
      const { campaign, earlier, schoolKnown } = context;
      const bodyHash = await fingerprint(input);
      if (earlier) return c.json(replay(earlier, bodyHash), 200);

      if (!isOpen(campaign, new Date())) {
        throw new ApiError(409, 'CAMPAIGN_CLOSED', 'This survey is closed and takes no more answers.');
      }
      const shape = shapeOf(campaign.surveyId);
      if (!shape) throw new Error(`campaign ${campaign.id} names unknown survey ${campaign.surveyId}`);
      const validation = validateAnswers(input, shape, campaign.mode);
      const errors = validation.ok ? await rosterErrors(db, validation.answers, schoolKnown) : validation.errors;
      if (!validation.ok || errors.length > 0) {
        const fields = Object.fromEntries(errors.map((error) => [error.path, error.message]));
        const first = errors[0];
        throw new ApiError(422, first?.code ?? 'INVALID_ANSWERS', `${first?.message ?? 'Invalid answers'}.`, fields);
      }

      const responseId = crypto.randomUUID();
      const stored = await insertResponse(db, {
        id: responseId,
        campaignId: campaign.id,
        idempotencyKey: key,
        bodyHash,
        staffId: null,
        answers: validation.answers,
        submittedAt: new Date().toISOString(),
      });
      if (stored) return c.json({ id: responseId }, 201);
      // A concurrent twin won the race between our lookup and our insert.
      const winner = await findResponseByKey(db, campaign.id, key);
      if (!winner) throw new Error('response vanished after an idempotency conflict');
      return c.json(replay(winner, bodyHash), 200);
    },
  );
