import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import { type AppEnv, currentAccount } from '../auth/session';
import { hasEvidence, publishedAggregates, readNeedStrategies, readSegments, replaceEvidence } from '../db/aggregates';
import { actorOf, recordAudit } from '../db/audit';
import { requireCampaign } from '../db/campaigns';
import { listSchools, staffCountsBySchool } from '../db/roster';
import {
  DEFAULT_FOCUS_COUNT,
  DEFAULT_WEIGHTS,
  effectiveWeights,
  FOCUS_COLUMNS,
  focusList,
  focusRows,
  parseEvidence,
  parseWeights,
  responseRates,
  SEGMENT_COLUMNS,
  SEGMENT_DIMENSIONS,
  type SegmentDimension,
  segmentRows,
  segmentTable,
  strategyPreferences,
  topFocuses,
  type Weights,
  type WeightsResult,
} from '../domain/focuses';
import { competencies, idsOf } from '../domain/framework';
import { ApiError } from '../errors';
import { csv, jsonBody, valid } from '../http';
import { documented } from '../openapi';
import * as schema from '../schemas/focuses';

const competencyIds = idsOf(competencies);

const focusQuery = z.object({
  weights: z.string().optional(),
  by: z.enum(SEGMENT_DIMENSIONS).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
const focusBody = z.strictObject({
  weights: z.record(z.string(), z.unknown()).optional(),
  by: z.enum(SEGMENT_DIMENSIONS).optional(),
});

const evidenceBody = z
  .strictObject({
    scaleMin: z.number().finite(),
    scaleMax: z.number().finite(),
    csv: z.string().min(1, 'is empty'),
  })
  .refine((body) => body.scaleMax > body.scaleMin, { path: ['scaleMax'], message: 'must be above scaleMin' });

/** The weights of a ranking, or a 422 that names every problem. */
function accepted(result: WeightsResult): Weights {
  if (!result.ok) throw new ApiError(422, 'INVALID_WEIGHTS', result.message, { weights: result.message });
  return result.weights;
}

const weightsFrom = (input: string | Record<string, unknown> | undefined): Weights =>
  input === undefined ? DEFAULT_WEIGHTS : accepted(parseWeights(input));

/** The focus list, or with `by` one dimension's segment table, from the published figures. */
async function focusTables(db: D1Database, campaignId: string, weights: Weights, by: SegmentDimension | undefined) {
  const campaign = await requireCampaign(db, campaignId);
  // A request refused for its weights publishes nothing: checked before the step.
  accepted(effectiveWeights(weights, await hasEvidence(db, campaign.id)));
  const aggregates = await publishedAggregates(db, campaign);
  if (!by) return { list: focusList(campaign, aggregates, weights) };
  const { cells, schools } = await readSegments(db, campaign.id, by);
  return { table: segmentTable(campaign, aggregates, by, cells, schools) };
}

const focusAnswer = {
  schema: z.union([schema.focusList, schema.segmentTable]),
  description:
    'Without `by`, the focus list; with `by`, that dimension’s segment table (every segment the dimension ' +
    'knows). A focus or cell the disclosure plan hides (fewer than k respondents, none, or one whose ' +
    'complement would tell it) carries `suppressed: true` and no figures. A hotspot is a segment of at ' +
    'least `hotspotMinN` respondents whose MWDS is above the rest of the district’s by a one-sided Welch t ' +
    'test, Benjamini–Hochberg adjusted across the table’s tested cells at q = 0.05.',
};

/**
 * The director's evidence: prioritized focuses, segments with hotspots, response rates,
 * and how staff with high need want to learn. Only group figures, for directors and admins.
 */
export const focuses = new Hono<AppEnv>()
  .get(
    '/:id/focuses',
    allow('director', 'admin'),
    documented({
      summary: 'The ranked focuses, or one dimension’s segment table',
      description:
        '`weights` as `mwds:0.6,breadth:0.2,interest:0.2` (the defaults otherwise). With `format=csv`, the same ' +
        `table as a CSV download whose header row is ${FOCUS_COLUMNS.join(',')} (with \`by\`: ` +
        `${SEGMENT_COLUMNS.join(',')}); hidden cells leave their figures empty.`,
      tags: ['focuses'],
      responses: { 200: { ...focusAnswer, also: [{ media: 'csv', columns: FOCUS_COLUMNS }] } },
    }),
    valid('query', focusQuery),
    async (c) => {
      const { weights, by, format } = c.req.valid('query');
      const { table, list } = await focusTables(c.env.DB, c.req.param('id'), weightsFrom(weights), by);
      if (format === 'csv') {
        const actor = currentAccount(c);
        await recordAudit(c.env.DB, {
          ...actorOf(actor),
          action: 'focuses.export',
          target: c.req.param('id'),
          detail: { by: by ?? null },
        });
        return table
          ? csv(`focuses-by-${table.by}.csv`, [...SEGMENT_COLUMNS], segmentRows(table))
          : csv('focuses.csv', [...FOCUS_COLUMNS], focusRows(list));
      }
      return table
        ? c.json(table satisfies z.input<typeof schema.segmentTable>)
        : c.json(list satisfies z.input<typeof schema.focusList>);
    },
  )
  .post(
    '/:id/focuses',
    allow('director', 'admin'),
    documented({
      summary: 'The ranked focuses, or one dimension’s segment table, with the weights in the body',
      tags: ['focuses'],
      responses: { 200: focusAnswer },
    }),
    jsonBody(8 * 1024),
    valid('json', focusBody),
    async (c) => {
      const { weights, by } = c.req.valid('json');
      const { table, list } = await focusTables(c.env.DB, c.req.param('id'), weightsFrom(weights), by);
      return table
        ? c.json(table satisfies z.input<typeof schema.segmentTable>)
        : c.json(list satisfies z.input<typeof schema.focusList>);
    },
  )
  .get(
    '/:id/response-rates',
    allow('director', 'admin'),
    documented({
      summary: 'Respondents against the roster, per school',
      tags: ['focuses'],
      responses: { 200: { schema: schema.responseRates } },
    }),
    async (c) => {
      const db = c.env.DB;
      const campaign = await requireCampaign(db, c.req.param('id'));
      const [aggregates, schools, staff] = await Promise.all([
        publishedAggregates(db, campaign),
        listSchools(db, { since: campaign.createdAt }),
        staffCountsBySchool(db, campaign.createdAt),
      ]);
      return c.json(responseRates(aggregates, schools, staff) satisfies z.input<typeof schema.responseRates>);
    },
  )
  .get(
    '/:id/strategy-preferences',
    allow('director', 'admin'),
    documented({
      summary: 'How staff with a gap of 2 or more on each focus want to learn',
      description: `\`focuses\` as a comma-separated list of competency ids; the top ${DEFAULT_FOCUS_COUNT} otherwise.`,
      tags: ['focuses'],
      responses: { 200: { schema: schema.strategyPreferences } },
    }),
    valid('query', z.object({ focuses: z.string().optional() })),
    async (c) => {
      const db = c.env.DB;
      const campaign = await requireCampaign(db, c.req.param('id'));
      const aggregates = await publishedAggregates(db, campaign);
      const requested = c.req.valid('query').focuses?.split(',').filter(Boolean);
      const unknown = requested?.filter((id) => !competencyIds.has(id)) ?? [];
      if (unknown.length > 0) {
        throw new ApiError(422, 'UNKNOWN_ID', `${unknown.join(', ')} not in the competency framework.`, {
          focuses: `unknown: ${unknown.join(', ')}`,
        });
      }
      const chosen = requested ?? topFocuses(campaign, aggregates, DEFAULT_FOCUS_COUNT);
      const rows = await readNeedStrategies(db, campaign.id);
      return c.json(
        strategyPreferences(campaign, aggregates, rows, chosen) satisfies z.input<typeof schema.strategyPreferences>,
      );
    },
  )
  .post(
    '/:id/evidence',
    allow('director', 'admin'),
    documented({
      summary: 'Import observation or walkthrough scores, replacing the last import',
      tags: ['focuses'],
      responses: { 200: { schema: schema.evidenceImported } },
    }),
    jsonBody(1024 * 1024),
    valid('json', evidenceBody),
    async (c) => {
      const db = c.env.DB;
      const campaign = await requireCampaign(db, c.req.param('id'));
      const { scaleMin, scaleMax, csv: text } = c.req.valid('json');
      const schools = idsOf(await listSchools(db));
      const parsed = parseEvidence(text, { min: scaleMin, max: scaleMax }, schools);
      if (!parsed.ok) throw new ApiError(422, 'INVALID_CSV', parsed.message, parsed.fields);
      const { rows } = parsed;
      await replaceEvidence(db, campaign.id, rows, { min: scaleMin, max: scaleMax });
      const actor = currentAccount(c);
      await recordAudit(db, {
        ...actorOf(actor),
        action: 'evidence.import',
        target: campaign.id,
        detail: { rows: rows.length },
      });
      return c.json({
        rows: rows.length,
        competencies: new Set(rows.map((row) => row.competencyId)).size,
      } satisfies z.input<typeof schema.evidenceImported>);
    },
  );
