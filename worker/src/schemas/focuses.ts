/**
 * What the focus routes answer, as the OpenAPI document states it. A figure about fewer than
 * k respondents never leaves the worker: such a cell is sent as its names and
 * `suppressed: true` and nothing else, so each cell is one of two strict shapes.
 */
import { z } from 'zod';
import { type PriorityComponent, SEGMENT_DIMENSIONS } from '../domain/focuses';

const interval = z.tuple([z.number(), z.number()]);
/** A 95% interval; null below two respondents. */
const ci95 = interval.nullable();
/** A standard error; null below two respondents. */
const se = z.number().min(0).nullable();
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
  se,
  ci95,
  breadth: share,
  interest: share,
  /** null: no observation data for this focus (not a gap of 0); its weight drops out of its priority. */
  evidenceGap: share.nullable(),
  priority: share,
  rank: z.number().int().min(1),
  /** The neighbours by MWDS (above, below) the data cannot tell this focus apart from. */
  tiedWith: z.array(z.string()).max(2),
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
  se,
  ci95,
  breadth: share,
  /** The segment's MWDS minus that of the rest of the district, with its 95% interval; null when the rest is under k. */
  vsRest: z.strictObject({ difference: z.number(), ci95: interval }).nullable(),
  /** Whether the cell was tested for a hotspot (at least `hotspotMinN` respondents). */
  tested: z.boolean(),
  /** Benjamini–Hochberg adjusted one-sided p-value across the table's tested cells; null when untested. */
  pAdjusted: share.nullable(),
  /** Need credibly higher than the rest of the district, after allowing for the table's many comparisons. */
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
    /** The fewest respondents a segment needs to be tested for a hotspot (2k). */
    hotspotMinN: z.number().int(),
    items: z.array(z.union([shownSegment, hiddenSegment])),
  })
  .meta({ id: 'SegmentTable' });

export const responseRates = z.object({
  minGroupSize: z.number().int(),
  items: z.array(
    z.union([
      z.strictObject({
        school: z.string(),
        name: z.string(),
        responses: z.number().int(),
        staff: z.number().int(),
        /** null where the roster has nobody at the school. */
        rate: z.number().nullable(),
      }),
      /** A school whose count is withheld (fewer than k, or its complement): its roster size only. */
      z.strictObject({ school: z.string(), name: z.string(), staff: z.number().int(), suppressed: z.literal(true) }),
    ]),
  ),
  /** Respondents who named no school; null where the disclosure plan hides that count. */
  notStated: z.number().int().nullable(),
  respondents: z.number().int(),
  staff: z.number().int(),
  rate: z.number().nullable(),
});

const delivery = z.enum(['internal', 'external']);

const shownStrategies = z.strictObject({
  competencyId: z.string(),
  name: z.string(),
  highNeed: z.number().int(),
  strategies: z.array(
    z.union([
      z.strictObject({
        strategyId: z.string(),
        name: z.string(),
        delivery,
        share,
        /** null: fewer than k (perhaps none) put it first. */
        firstChoiceShare: share.nullable(),
      }),
      /** Chosen by fewer than k people (perhaps none): a share of a count is that count. */
      z.strictObject({ strategyId: z.string(), name: z.string(), delivery, suppressed: z.literal(true) }),
    ]),
  ),
});

const hiddenStrategies = z.strictObject({ competencyId: z.string(), name: z.string(), suppressed: z.literal(true) });

export const strategyPreferences = z.object({
  minGroupSize: z.number().int(),
  items: z.array(z.union([shownStrategies, hiddenStrategies])),
});

export const evidenceImported = z.object({ rows: z.number().int(), competencies: z.number().int() });
