/**
 * What the focus routes answer, as the OpenAPI document states it. A figure about fewer than
 * k respondents never leaves the worker: such a cell is sent as its names and
 * `suppressed: true` and nothing else, so each cell is one of two strict shapes.
 */
import { z } from 'zod';
import { type PriorityComponent, SEGMENT_DIMENSIONS } from '../domain/focuses';

/** A 95% interval; null below two respondents. */
const ci95 = z.tuple([z.number(), z.number()]).nullable();
const share = z.number().min(0).max(1);

const weight = z.number().min(0);

/** The weights as asked for (not rescaled), one per component of the priority. */
export const weights = z
  .strictObject({
    mwds: weight,
    breadth: weight,
    interest: weight,
    evidenceGap: weight,
  } satisfies Record<PriorityComponent, typeof weight>)
  .meta({ id: 'Weights' });

const rankedFocus = z.strictObject({
  competencyId: z.string(),
  name: z.string(),
  domain: z.string(),
  n: z.number().int(),
  meanImportance: z.number(),
  meanProficiency: z.number(),
  meanDiscrepancy: z.number(),
  mwds: z.number(),
  ci95,
  breadth: share,
  interest: share,
  evidenceGap: share.nullable(),
  priority: share,
  rank: z.number().int().min(1),
  tiedWith: z.array(z.string()),
});

const hiddenFocus = z.strictObject({
  competencyId: z.string(),
  name: z.string(),
  domain: z.string(),
  suppressed: z.literal(true),
});

export const focusList = z
  .object({
    items: z.array(z.union([rankedFocus, hiddenFocus])),
    weights,
    weightsDescription: z.string(),
    minGroupSize: z.number().int(),
    respondents: z.number().int(),
  })
  .meta({ id: 'FocusList' });

const shownSegment = z.strictObject({
  /** null: respondents who did not say. */
  segment: z.string().nullable(),
  label: z.string(),
  competencyId: z.string(),
  n: z.number().int(),
  mwds: z.number(),
  ci95,
  breadth: share,
  hotspot: z.boolean(),
});

const hiddenSegment = z.strictObject({
  segment: z.string().nullable(),
  label: z.string(),
  competencyId: z.string(),
  suppressed: z.literal(true),
});

export const segmentTable = z
  .object({
    by: z.enum(SEGMENT_DIMENSIONS),
    minGroupSize: z.number().int(),
    items: z.array(z.union([shownSegment, hiddenSegment])),
  })
  .meta({ id: 'SegmentTable' });

export const responseRates = z.object({
  items: z.array(
    z.object({
      school: z.string(),
      name: z.string(),
      responses: z.number().int(),
      staff: z.number().int(),
      /** null where the roster has nobody at the school. */
      rate: z.number().nullable(),
    }),
  ),
  respondents: z.number().int(),
  staff: z.number().int(),
  rate: z.number().nullable(),
});

const shownStrategies = z.strictObject({
  competencyId: z.string(),
  name: z.string(),
  highNeed: z.number().int(),
  strategies: z.array(
    z.object({
      strategyId: z.string(),
      name: z.string(),
      delivery: z.enum(['internal', 'external']).nullable(),
      share,
      firstChoiceShare: share,
    }),
  ),
});

const hiddenStrategies = z.strictObject({ competencyId: z.string(), name: z.string(), suppressed: z.literal(true) });

export const strategyPreferences = z.object({
  minGroupSize: z.number().int(),
  items: z.array(z.union([shownStrategies, hiddenStrategies])),
});

export const evidenceImported = z.object({ rows: z.number().int(), competencies: z.number().int() });
