import { Hono } from 'hono';
import Papa from 'papaparse';
import { z } from 'zod';
import { allow } from '../auth/access';
import { type AppEnv, currentAccount } from '../auth/session';
import {
  type CampaignAggregates,
  hasEvidence,
  type NeedStrategyRow,
  publishPending,
  readCampaignAggregates,
  readNeedStrategies,
  readRespondentsBySchool,
  readSegmentSums,
  replaceEvidence,
  SEGMENT_DIMENSIONS,
  type SegmentDimension,
} from '../db/aggregates';
import { actorOf, recordAudit } from '../db/audit';
import { requireCampaign } from '../db/campaigns';
import { listSchools, staffCountsBySchool } from '../db/roster';
import type { Campaign } from '../domain/campaign';
import { competencies, idLists, type Named, strategies } from '../domain/framework';
import {
  DEFAULT_WEIGHTS,
  describeWeights,
  evidenceGap,
  isHotspot,
  needStats,
  parseWeights,
  type RankedFocus,
  rankFocuses,
  type Weights,
} from '../domain/priorities';
import { isSmall, suppressCells } from '../domain/suppression';
import { ApiError } from '../errors';
import { csv, jsonBody, valid } from '../http';

const competencyById = new Map(competencies.map((c) => [c.id, c]));
const strategyById = new Map(strategies.map((s) => [s.id, s]));

const focusQuery = z.object({
  weights: z.string().optional(),
  by: z.enum(SEGMENT_DIMENSIONS).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
const focusBody = z.strictObject({
  weights: z.record(z.string(), z.unknown()).optional(),
  by: z.enum(SEGMENT_DIMENSIONS).optional(),
});

function weightsFrom(input: string | Record<string, unknown> | undefined): Weights {
  if (input === undefined) return DEFAULT_WEIGHTS;
  const parsed = parseWeights(input);
  if (!parsed.ok) throw new ApiError(422, 'INVALID_WEIGHTS', parsed.message, { weights: parsed.message });
  return parsed.weights;
}

/** The ranked focus list: figures only for competencies rated by at least k respondents. */
/**
 * The weights as they rank: without imported evidence its weight drops out (the formula
 * says so). Weights that would then rank on nothing at all are refused.
 */
function effectiveWeights(weights: Weights, evidenced: boolean): Weights {
  const effective = evidenced ? weights : { ...weights, evidenceGap: 0 };
  if (Object.values(effective).every((weight) => weight === 0)) {
    const message = 'All the weight is on the evidence gap, but no observation or walkthrough scores were imported.';
    throw new ApiError(422, 'INVALID_WEIGHTS', message, { weights: message });
  }
  return effective;
}

function focusList(campaign: Campaign, aggregates: CampaignAggregates, weights: Weights) {
  const k = campaign.minGroupSize;
  const effective = effectiveWeights(weights, aggregates.evidence.size > 0);
  const respondents = aggregates.respondentsBySchool.reduce((sum, row) => sum + row.n, 0);
  const shown = aggregates.ratings.filter((sums) => !isSmall(sums.n, k) && competencyById.has(sums.competencyId));
  const ranked = rankFocuses(
    shown.map((sums) => {
      const evidence = aggregates.evidence.get(sums.competencyId);
      return {
        competencyId: sums.competencyId,
        need: needStats(sums),
        interest: respondents > 0 ? (aggregates.interests.get(sums.competencyId) ?? 0) / respondents : 0,
        evidenceGap: evidence ? evidenceGap(evidence.meanScore, evidence.scaleMin, evidence.scaleMax) : null,
      };
    }),
    weights,
  );
  const rankedIds = new Set(ranked.map((focus) => focus.competencyId));
  const items = [
    ...ranked.map((focus) => focusItem(focus)),
    ...competencies
      .filter((c) => !rankedIds.has(c.id))
      .map((c) => ({ competencyId: c.id, name: c.name, domain: c.domain, suppressed: true as const })),
  ];
  return {
    items,
    weights,
    weightsDescription: describeWeights(effective),
    minGroupSize: k,
    respondents,
  };
}

function focusItem({ competencyId, need, interest, evidenceGap, priority, rank, tiedWith }: RankedFocus) {
  const competency = competencyById.get(competencyId);
  return {
    competencyId,
    name: competency?.name ?? competencyId,
    domain: competency?.domain ?? '',
    ...need,
    interest,
    evidenceGap,
    priority,
    rank,
    tiedWith,
  };
}

async function segmentLabels(db: D1Database, by: SegmentDimension): Promise<Map<string, string>> {
  const lists: Record<SegmentDimension, () => Promise<Named[]> | Named[]> = {
    school: () => listSchools(db),
    role: () => idLists.jobRoles,
    careerStage: () => idLists.careerStages,
    subject: () => idLists.subjects,
    gradeBand: () => idLists.gradeBands,
  };
  return new Map((await lists[by]()).map((item) => [item.id, item.name]));
}

/** One dimension's segments for every competency, with small cells (and their complements) hidden. */
async function segmentTable(db: D1Database, campaign: Campaign, aggregates: CampaignAggregates, by: SegmentDimension) {
  const k = campaign.minGroupSize;
  const district = new Map(aggregates.ratings.map((sums) => [sums.competencyId, sums]));
  const labels = await segmentLabels(db, by);
  const cells = await readSegmentSums(db, campaign.id, by);
  const items = [];
  for (const competency of competencies) {
    const group = cells.filter((cell) => cell.competencyId === competency.id).sort((a, b) => b.n - a.n);
    const hidden = suppressCells(group, k);
    const total = district.get(competency.id);
    const districtMwds = total && !isSmall(total.n, k) ? needStats(total).mwds : null;
    for (const cell of group) {
      const segment = cell.segment;
      const label = segment === null ? 'Not stated' : (labels.get(segment) ?? segment);
      if (hidden.has(segment) || districtMwds === null) {
        items.push({ segment, label, competencyId: competency.id, suppressed: true as const });
        continue;
      }
      const need = needStats(cell);
      items.push({
        segment,
        label,
        competencyId: competency.id,
        n: need.n,
        mwds: need.mwds,
        ci95: need.ci95,
        breadth: need.breadth,
        hotspot: isHotspot(need, districtMwds),
      });
    }
  }
  return { by, minGroupSize: k, items };
}

type Row = Record<string, string | number | boolean | null | undefined>;

const FOCUS_COLUMNS = [
  'rank',
  'competencyId',
  'name',
  'domain',
  'n',
  'meanImportance',
  'meanProficiency',
  'meanDiscrepancy',
  'mwds',
  'ci95Low',
  'ci95High',
  'breadth',
  'interest',
  'evidenceGap',
  'priority',
  'tiedWith',
  'suppressed',
];
const SEGMENT_COLUMNS = [
  'by',
  'segment',
  'label',
  'competencyId',
  'n',
  'mwds',
  'ci95Low',
  'ci95High',
  'breadth',
  'hotspot',
  'suppressed',
];

/** A CSV with a fixed header, so a table whose cells are all hidden still has every column. */

function focusRows(list: ReturnType<typeof focusList>): Row[] {
  return list.items.map((item) =>
    'suppressed' in item
      ? { rank: null, competencyId: item.competencyId, name: item.name, domain: item.domain, suppressed: true }
      : {
          rank: item.rank,
          competencyId: item.competencyId,
          name: item.name,
          domain: item.domain,
          n: item.n,
          meanImportance: item.meanImportance,
          meanProficiency: item.meanProficiency,
          meanDiscrepancy: item.meanDiscrepancy,
          mwds: item.mwds,
          ci95Low: item.ci95?.[0] ?? null,
          ci95High: item.ci95?.[1] ?? null,
          breadth: item.breadth,
          interest: item.interest,
          evidenceGap: item.evidenceGap,
          priority: item.priority,
          tiedWith: item.tiedWith.join(';'),
          suppressed: false,
        },
  );
}

function segmentRows(table: Awaited<ReturnType<typeof segmentTable>>): Row[] {
  return table.items.map((item) => ({
    by: table.by,
    segment: item.segment,
    label: item.label,
    competencyId: item.competencyId,
    n: 'n' in item ? item.n : null,
    mwds: 'mwds' in item ? item.mwds : null,
    ci95Low: 'ci95' in item ? (item.ci95?.[0] ?? null) : null,
    ci95High: 'ci95' in item ? (item.ci95?.[1] ?? null) : null,
    breadth: 'breadth' in item ? item.breadth : null,
    hotspot: 'hotspot' in item ? item.hotspot : null,
    suppressed: 'suppressed' in item,
  }));
}

/**
 * The aggregates every table here reads: first the publication step the rule allows
 * (pending responses join the figures only in groups of at least k per cell), then the
 * published sums. Nothing here reads a response that is still pending.
 */
export async function publishedAggregates(db: D1Database, campaign: Campaign): Promise<CampaignAggregates> {
  await publishPending(db, campaign);
  return readCampaignAggregates(db, campaign.id);
}

/** The focus list, or with `by` one dimension's segment table, as data. */
async function focuses(db: D1Database, campaignId: string, options: { weights: Weights; by?: SegmentDimension }) {
  const campaign = await requireCampaign(db, campaignId);
  // A request refused for its weights publishes nothing: checked before the step.
  effectiveWeights(options.weights, await hasEvidence(db, campaign.id));
  const aggregates = await publishedAggregates(db, campaign);
  if (options.by) return { table: await segmentTable(db, campaign, aggregates, options.by) };
  return { list: focusList(campaign, aggregates, options.weights) };
}

/** Responses ÷ roster staff per school (counts of people who answered, not of their answers). */
async function responseRates(db: D1Database, campaign: Campaign) {
  await publishPending(db, campaign);
  const [respondentsBySchool, schools, staff] = await Promise.all([
    readRespondentsBySchool(db, campaign.id),
    listSchools(db),
    staffCountsBySchool(db),
  ]);
  const responses = new Map(respondentsBySchool.map((row) => [row.school, row.n]));
  const items = schools.map((school) => {
    const onRoster = staff.get(school.id) ?? 0;
    const answered = responses.get(school.id) ?? 0;
    return {
      school: school.id,
      name: school.name,
      responses: answered,
      staff: onRoster,
      rate: onRoster > 0 ? answered / onRoster : null,
    };
  });
  const respondents = respondentsBySchool.reduce((sum, row) => sum + row.n, 0);
  const staffTotal = [...staff.values()].reduce((sum, n) => sum + n, 0);
  return { items, respondents, staff: staffTotal, rate: staffTotal > 0 ? respondents / staffTotal : null };
}

/** How staff with a gap of 2 or more on each chosen focus want to learn; hidden below k such staff. */
function strategyPreferences(
  campaign: Campaign,
  aggregates: CampaignAggregates,
  rows: NeedStrategyRow[],
  chosen: string[],
) {
  const k = campaign.minGroupSize;
  const items = chosen.map((competencyId) => {
    const highNeed = aggregates.ratings.find((sums) => sums.competencyId === competencyId)?.highNeed ?? 0;
    const name = competencyById.get(competencyId)?.name ?? competencyId;
    if (isSmall(highNeed, k)) return { competencyId, name, suppressed: true as const };
    const chosenRows = rows.filter((row) => row.competencyId === competencyId).sort((a, b) => b.n - a.n);
    return {
      competencyId,
      name,
      highNeed,
      strategies: chosenRows.map((row) => ({
        strategyId: row.strategyId,
        name: strategyById.get(row.strategyId)?.name ?? row.strategyId,
        delivery: strategyById.get(row.strategyId)?.delivery ?? null,
        share: row.n / highNeed,
        firstChoiceShare: row.firstChoice / highNeed,
      })),
    };
  });
  return { minGroupSize: k, items };
}

/** The first `n` focuses by the default weights, leaving out those too few people rated. */
export function topFocuses(campaign: Campaign, aggregates: CampaignAggregates, n: number): string[] {
  return focusList(campaign, aggregates, DEFAULT_WEIGHTS)
    .items.filter((item) => !('suppressed' in item))
    .slice(0, n)
    .map((item) => item.competencyId);
}

/**
 * The evidence beside a design team's board: the ranked focuses and the schools where a
 * focus's need stands out (hotspots), by the same rules as the director's dashboard, so
 * nothing about fewer than k respondents leaves the worker here either.
 */
export async function boardEvidence(db: D1Database, campaign: Campaign) {
  const aggregates = await publishedAggregates(db, campaign);
  const list = focusList(campaign, aggregates, DEFAULT_WEIGHTS);
  const bySchool = await segmentTable(db, campaign, aggregates, 'school');
  return {
    campaignId: campaign.id,
    campaignTitle: campaign.title,
    minGroupSize: list.minGroupSize,
    respondents: list.respondents,
    focuses: list.items.map((item) =>
      'suppressed' in item
        ? { competencyId: item.competencyId, name: item.name, suppressed: true as const }
        : {
            competencyId: item.competencyId,
            name: item.name,
            rank: item.rank,
            mwds: item.mwds,
            priority: item.priority,
          },
    ),
    hotspots: bySchool.items.flatMap((cell) =>
      'hotspot' in cell && cell.hotspot
        ? [
            {
              competencyId: cell.competencyId,
              name: competencyById.get(cell.competencyId)?.name ?? cell.competencyId,
              school: cell.label,
              mwds: cell.mwds,
            },
          ]
        : [],
    ),
  };
}

export type BoardEvidence = Awaited<ReturnType<typeof boardEvidence>>;

/** The shapes the dashboard reads (JSON keeps them as they are), for the site's typed code. */
export type FocusList = ReturnType<typeof focusList>;
export type SegmentTable = Awaited<ReturnType<typeof segmentTable>>;
export type ResponseRates = Awaited<ReturnType<typeof responseRates>>;
export type StrategyPreferences = ReturnType<typeof strategyPreferences>;

const evidenceBody = z
  .strictObject({
    scaleMin: z.number().finite(),
    scaleMax: z.number().finite(),
    csv: z.string().min(1, 'is empty'),
  })
  .refine((body) => body.scaleMax > body.scaleMin, { path: ['scaleMax'], message: 'must be above scaleMin' });

const EVIDENCE_COLUMNS = ['competencyId', 'school', 'score'];

/**
 * The director's evidence: prioritized focuses, segments with hotspots, response rates,
 * and how staff with high need want to learn. Only group figures, for directors and admins.
 */
export const insights = new Hono<AppEnv>()
  .get('/:id/focuses', allow('director', 'admin'), valid('query', focusQuery), async (c) => {
    const { weights, by, format } = c.req.valid('query');
    const { table, list } = await focuses(c.env.DB, c.req.param('id'), { weights: weightsFrom(weights), by });
    if (format === 'csv') {
      const actor = currentAccount(c);
      await recordAudit(c.env.DB, {
        ...actorOf(actor),
        action: 'focuses.export',
        target: c.req.param('id'),
        detail: { by: by ?? null },
      });
      return table
        ? csv(`focuses-by-${table.by}.csv`, SEGMENT_COLUMNS, segmentRows(table))
        : csv('focuses.csv', FOCUS_COLUMNS, focusRows(list));
    }
    return table ? c.json(table) : c.json(list);
  })
  .post('/:id/focuses', allow('director', 'admin'), jsonBody(8 * 1024), valid('json', focusBody), async (c) => {
    const { weights, by } = c.req.valid('json');
    const { table, list } = await focuses(c.env.DB, c.req.param('id'), { weights: weightsFrom(weights), by });
    return table ? c.json(table) : c.json(list);
  })
  .get('/:id/response-rates', allow('director', 'admin'), async (c) => {
    const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
    return c.json(await responseRates(c.env.DB, campaign));
  })
  .get(
    '/:id/strategy-preferences',
    allow('director', 'admin'),
    valid('query', z.object({ focuses: z.string().optional() })),
    async (c) => {
      const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
      const aggregates = await publishedAggregates(c.env.DB, campaign);
      const requested = c.req.valid('query').focuses?.split(',').filter(Boolean);
      const unknown = requested?.filter((id) => !competencyById.has(id)) ?? [];
      if (unknown.length > 0) {
        throw new ApiError(422, 'UNKNOWN_ID', `${unknown.join(', ')} not in the competency framework.`, {
          focuses: `unknown: ${unknown.join(', ')}`,
        });
      }
      const chosen = requested ?? topFocuses(campaign, aggregates, 3);
      const rows = await readNeedStrategies(c.env.DB, campaign.id);
      return c.json(strategyPreferences(campaign, aggregates, rows, chosen));
    },
  )
  .post('/:id/evidence', allow('director', 'admin'), jsonBody(1024 * 1024), valid('json', evidenceBody), async (c) => {
    const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
    const { scaleMin, scaleMax, csv: text } = c.req.valid('json');
    const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true });
    const columns = parsed.meta.fields ?? [];
    const missing = EVIDENCE_COLUMNS.filter((column) => !columns.includes(column));
    if (missing.length > 0) {
      throw new ApiError(422, 'INVALID_CSV', `The CSV needs the columns ${EVIDENCE_COLUMNS.join(', ')}.`, {
        header: `missing: ${missing.join(', ')}`,
      });
    }
    const schools = new Set((await listSchools(c.env.DB)).map((school) => school.id));
    const fields: Record<string, string> = {};
    const rows = parsed.data.map((record, index) => {
      // Row 1 is the header, so the first data row is row 2, as a spreadsheet shows it.
      const at = `row ${index + 2}`;
      const competencyId = (record.competencyId ?? '').trim();
      const school = (record.school ?? '').trim();
      const score = Number((record.score ?? '').trim());
      if (!competencyById.has(competencyId)) fields[`${at}.competencyId`] = `"${competencyId}" is not a competency`;
      if (!schools.has(school)) fields[`${at}.school`] = `"${school}" is not a school of this district`;
      if ((record.score ?? '').trim() === '' || !Number.isFinite(score) || score < scaleMin || score > scaleMax) {
        fields[`${at}.score`] = `"${record.score ?? ''}" is not a score from ${scaleMin} to ${scaleMax}`;
      }
      return { competencyId, school, score };
    });
    for (const error of parsed.errors) fields[`row ${(error.row ?? 0) + 2}`] ??= error.message;
    if (rows.length === 0) fields.csv = 'has no data rows';
    const problems = Object.keys(fields);
    if (problems.length > 0) {
      throw new ApiError(
        422,
        'INVALID_CSV',
        `${problems.length} problem(s), first at ${problems[0]}; nothing was stored.`,
        fields,
      );
    }
    await replaceEvidence(c.env.DB, campaign.id, rows, { min: scaleMin, max: scaleMax });
    const actor = currentAccount(c);
    await recordAudit(c.env.DB, {
      ...actorOf(actor),
      action: 'evidence.import',
      target: campaign.id,
      detail: { rows: rows.length },
    });
    return c.json({ rows: rows.length, competencies: new Set(rows.map((row) => row.competencyId)).size });
  });
