/**
 * The focus stage: needs assessment and priority ranking of learning focuses, and the
 * tables a director reads them in (the ranked list, segments with hotspots, response
 * rates, ways of learning), all from published sums and with small cells hidden.
 *
 * Need is Borich's (1980) mean weighted discrepancy score: the mean gap between how
 * important staff rate a competency and how proficient they feel, weighted by its mean
 * importance, so a gap in something everyone thinks matters outranks the same gap in a
 * niche. Its 95% interval is a Student t interval on the mean discrepancy, scaled by the
 * same weight. The ranking blends need with breadth, interest and an evidence gap, each
 * min–max scaled across the focuses being compared, as a weighted mean.
 */
import quantile from '@stdlib/stats-base-dists-t-quantile';
import Papa from 'papaparse';
import type { Campaign } from './campaign';
import { competencies, idLists, type Named, strategies } from './framework';
import { isSmall, suppressCells } from './suppression';

/** What the database hands over for one campaign and competency: sums, never rows. */
export interface RatingSums {
  n: number;
  sumImportance: number;
  sumProficiency: number;
  /** Σ D with D = importance − proficiency. */
  sumDiscrepancy: number;
  sumDiscrepancySquared: number;
  /** Respondents with D ≥ 2. */
  highNeed: number;
}

export interface NeedStats {
  n: number;
  meanImportance: number;
  meanProficiency: number;
  meanDiscrepancy: number;
  /** Borich mean weighted discrepancy score, meanImportance × meanDiscrepancy. */
  mwds: number;
  /** 95% interval of the MWDS; null below two respondents, where there is no spread to speak of. */
  ci95: [number, number] | null;
  /** Share of respondents with a gap of 2 or more. */
  breadth: number;
}

export function needStats(sums: RatingSums): NeedStats {
  const { n } = sums;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`needStats needs at least one respondent, got n = ${n}`);
  const meanImportance = sums.sumImportance / n;
  const meanDiscrepancy = sums.sumDiscrepancy / n;
  const mwds = meanImportance * meanDiscrepancy;
  let ci95: [number, number] | null = null;
  if (n >= 2) {
    // (ΣD)²/n equals n·D̄² but rounds once instead of twice, and the sums are integers.
    const squaredDeviations = sums.sumDiscrepancySquared - (sums.sumDiscrepancy * sums.sumDiscrepancy) / n;
    // With all D equal the difference is 0 up to rounding; sqrt of a tiny negative would be NaN.
    const sd = Math.sqrt(Math.max(0, squaredDeviations) / (n - 1));
    // Ī is treated as a fixed weight: the interval carries the uncertainty of D̄ only.
    const half = (tQuantile975(n - 1) * meanImportance * sd) / Math.sqrt(n);
    ci95 = [mwds - half, mwds + half];
  }
  return {
    n,
    meanImportance,
    meanProficiency: sums.sumProficiency / n,
    meanDiscrepancy,
    mwds,
    ci95,
    breadth: sums.highNeed / n,
  };
}

/** Student's t 0.975 quantile: the two-sided 95% critical value. */
export function tQuantile975(df: number): number {
  // The library answers NaN for a bad df, which would slip silently into every interval.
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  return quantile(0.975, df);
}

/** How far a mean evidence score sits from the top of its scale: 0 at the top, 1 at the bottom. */
export function evidenceGap(meanScore: number, scaleMin: number, scaleMax: number): number {
  if (!(scaleMax > scaleMin)) throw new RangeError(`the scale must run upwards, got ${scaleMin}–${scaleMax}`);
  if (!Number.isFinite(meanScore)) throw new RangeError(`the mean score must be a number, got ${meanScore}`);
  return Math.min(1, Math.max(0, (scaleMax - meanScore) / (scaleMax - scaleMin)));
}

/**
 * What a focus's priority blends, in a fixed order: sums are taken in it, so equal inputs
 * always round to equal priorities.
 */
export const PRIORITY_COMPONENTS = ['mwds', 'breadth', 'interest', 'evidenceGap'] as const;
export type PriorityComponent = (typeof PRIORITY_COMPONENTS)[number];
export type Weights = Record<PriorityComponent, number>;

/** The weights a ranking uses when the director gives none. */
export const DEFAULT_WEIGHTS: Weights = { mwds: 0.5, breadth: 0.2, interest: 0.2, evidenceGap: 0.1 };

const COMPONENT_LABELS: Record<PriorityComponent, string> = {
  mwds: 'need (Borich MWDS)',
  breadth: 'breadth (share with a gap of 2 or more)',
  interest: 'interest',
  evidenceGap: 'evidence gap',
};

const isComponent = (name: string): name is PriorityComponent =>
  (PRIORITY_COMPONENTS as readonly string[]).includes(name);
const EXPECTED = 'expected mwds, breadth, interest or evidenceGap';
// Plain decimals only: Number() would also take '', '0x10' and 'Infinity' from a query string.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export type WeightsResult = { ok: true; weights: Weights } | { ok: false; message: string };

/**
 * Weights from a query string (`mwds:0.6,breadth:0.2,interest:0.2`) or an object.
 * Components left out weigh 0; weights need not sum to 1, since ranking normalizes them.
 * Every problem is named, so a caller can fix the whole string in one go.
 */
export function parseWeights(input: string | Record<string, unknown>): WeightsResult {
  const problems: string[] = [];
  const weights: Weights = { mwds: 0, breadth: 0, interest: 0, evidenceGap: 0 };
  const seen = new Set<string>();
  const take = (name: string, value: unknown, raw: string): void => {
    if (!isComponent(name)) {
      problems.push(`unknown component "${name}" (${EXPECTED})`);
      return;
    }
    if (seen.has(name)) {
      problems.push(`"${name}" is given more than once`);
      return;
    }
    seen.add(name);
    if (typeof value !== 'number' || Number.isNaN(value)) {
      problems.push(`the weight of "${name}" must be a number, got ${raw}`);
    } else if (!Number.isFinite(value)) {
      problems.push(`the weight of "${name}" must be finite, got ${raw}`);
    } else if (value < 0) {
      problems.push(`the weight of "${name}" must not be negative, got ${raw}`);
    } else {
      weights[name] = value === 0 ? 0 : value; // no -0 in the output
    }
  };

  if (typeof input === 'string') {
    if (input.trim() === '') return { ok: false, message: `no weights given (${EXPECTED})` };
    for (const pair of input.split(',')) {
      const parts = pair.split(':').map((part) => part.trim());
      const [name, value] = parts;
      if (parts.length !== 2 || name === undefined || value === undefined || name === '') {
        problems.push(`"${pair.trim()}" is not a component:weight pair`);
        continue;
      }
      take(name, DECIMAL.test(value) ? Number(value) : Number.NaN, JSON.stringify(value));
    }
  } else {
    const entries = Object.entries(input);
    if (entries.length === 0) return { ok: false, message: `no weights given (${EXPECTED})` };
    for (const [name, value] of entries) take(name, value, describeValue(value));
  }

  if (problems.length > 0) return { ok: false, message: problems.join('; ') };
  if (PRIORITY_COMPONENTS.every((component) => weights[component] === 0)) {
    return { ok: false, message: 'every weight is 0; at least one must be positive' };
  }
  return { ok: true, weights };
}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return value === null ? 'null' : typeof value;
}

/** Refuses what parseWeights would refuse: a negative or all-zero weighting has no sensible ranking. */
function assertWeights(weights: Weights): void {
  for (const component of PRIORITY_COMPONENTS) {
    const weight = weights[component];
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new RangeError(`the weight of "${component}" must be a finite number ≥ 0, got ${weight}`);
    }
  }
  if (PRIORITY_COMPONENTS.every((component) => weights[component] === 0)) throw new RangeError('every weight is 0');
}

export interface FocusInput {
  competencyId: string;
  need: NeedStats;
  /** Share of all the campaign's respondents who ticked interest in this competency, 0–1. */
  interest: number;
  /** 0–1 (see evidenceGap); null where the district has no evidence score for it. */
  evidenceGap: number | null;
}

export interface RankedFocus extends FocusInput {
  /** Weighted mean of the scaled components, 0–1, rounded to 12 decimals. */
  priority: number;
  rank: number;
  /** Other focuses whose MWDS interval overlaps this one's: the data cannot order them. */
  tiedWith: string[];
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ranks focuses by priority, highest first. The same focuses in any order rank the same:
 * the scaling uses only min and max, and ties fall to the competency id.
 */
export function rankFocuses(focuses: FocusInput[], weights: Weights = DEFAULT_WEIGHTS): RankedFocus[] {
  assertWeights(weights);
  const ids = new Set(focuses.map((focus) => focus.competencyId));
  if (ids.size !== focuses.length) throw new Error('rankFocuses: competency ids must be unique');

  const raw = (focus: FocusInput, component: PriorityComponent): number | null => {
    switch (component) {
      case 'mwds':
        return focus.need.mwds;
      case 'breadth':
        return focus.need.breadth;
      case 'interest':
        return focus.interest;
      case 'evidenceGap':
        return focus.evidenceGap;
    }
  };
  // Without any evidence score the component would be 0 for all and merely dilute the others.
  const used = PRIORITY_COMPONENTS.filter(
    (component) => component !== 'evidenceGap' || focuses.some((focus) => focus.evidenceGap !== null),
  );
  const scalers = new Map<PriorityComponent, (x: number | null) => number>();
  for (const component of used) {
    const values = focuses.map((focus) => raw(focus, component)).filter((x): x is number => x !== null);
    const min = Math.min(...values);
    const max = Math.max(...values);
    // A component on which every focus is equal tells them apart not at all, so it adds nothing to any of them.
    scalers.set(component, (x) => (x === null || max === min ? 0 : (x - min) / (max - min)));
  }
  const totalWeight = used.reduce((sum, component) => sum + weights[component], 0);

  const scored = focuses.map((focus) => {
    let weighted = 0;
    for (const component of used) {
      weighted += weights[component] * (scalers.get(component)?.(raw(focus, component)) ?? 0);
    }
    // Only evidenceGap was weighted and nobody has one: nothing to rank on, so ids decide.
    const priority = totalWeight === 0 ? 0 : weighted / totalWeight;
    // Rounding lets mathematically equal priorities reached by different float paths tie, so the id decides.
    return { focus, priority: Math.round(priority * 1e12) / 1e12 };
  });
  scored.sort((a, b) => b.priority - a.priority || byId(a.focus.competencyId, b.focus.competencyId));

  return scored.map(({ focus, priority }, index) => ({
    ...focus,
    priority,
    rank: index + 1,
    tiedWith: focuses
      .filter((other) => other.competencyId !== focus.competencyId && overlaps(focus.need.ci95, other.need.ci95))
      .map((other) => other.competencyId)
      .sort(byId),
  }));
}

function overlaps(a: [number, number] | null, b: [number, number] | null): boolean {
  return a !== null && b !== null && a[0] <= b[1] && b[0] <= a[1];
}

/** The formula in words, with the weights as shares of their total. */
export function describeWeights(weights: Weights): string {
  assertWeights(weights);
  const total = PRIORITY_COMPONENTS.reduce((sum, component) => sum + weights[component], 0);
  const terms = PRIORITY_COMPONENTS.filter((component) => weights[component] > 0).map((component) => {
    // One decimal at most, so thirds read 33.3% rather than a sum of 99%.
    const percent = Math.round((weights[component] / total) * 1000) / 10;
    return `${percent}% ${COMPONENT_LABELS[component]}`;
  });
  const scaled = terms.length === 1 ? 'scaled' : 'each scaled';
  return `Priority = ${terms.join(' + ')}, ${scaled} 0–1 across the focuses.`;
}

/** A segment whose whole interval lies above the district's MWDS: its need is higher, beyond chance. */
export function isHotspot(segment: NeedStats, districtMwds: number): boolean {
  return segment.ci95 !== null && segment.ci95[0] > districtMwds;
}

/**
 * The weights as they rank: without imported evidence its weight drops out (the formula
 * says so). Weights that would then rank on nothing at all are refused.
 */
export function effectiveWeights(weights: Weights, evidenced: boolean): WeightsResult {
  const effective = evidenced ? weights : { ...weights, evidenceGap: 0 };
  if (PRIORITY_COMPONENTS.every((component) => effective[component] === 0)) {
    return {
      ok: false,
      message: 'All the weight is on the evidence gap, but no observation or walkthrough scores were imported.',
    };
  }
  return { ok: true, weights: effective };
}

/** The dimensions a segment table can split respondents by. */
export const SEGMENT_DIMENSIONS = ['school', 'role', 'careerStage', 'subject', 'gradeBand'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/** How many of the top focuses a table or a pilot proposal takes when nobody chose them. */
export const DEFAULT_FOCUS_COUNT = 3;

/** One cell's sums: a competency in one segment (null: respondents who did not say). */
export type SegmentSums = RatingSums & { competencyId: string; segment: string | null };

/** The published sums every focus table reads (db/aggregates.ts). */
export interface CampaignAggregates {
  /** District sums per competency. */
  ratings: SegmentSums[];
  /** Respondents who ticked interest, per competency. */
  interests: Map<string, number>;
  respondentsBySchool: Array<{ school: string | null; n: number }>;
  evidence: Map<string, { meanScore: number; scaleMin: number; scaleMax: number }>;
}

/** Staff with a gap of 2 or more on a competency who chose a strategy, and how many put it first. */
export interface NeedStrategyRow {
  competencyId: string;
  strategyId: string;
  n: number;
  firstChoice: number;
}

const competencyById = new Map(competencies.map((c) => [c.id, c]));
const strategyById = new Map(strategies.map((s) => [s.id, s]));

/** A campaign as the k rule reads it. */
type WithK = Pick<Campaign, 'minGroupSize'>;

/**
 * The ranked focus list: figures only for competencies rated by at least k respondents,
 * the others named and marked suppressed. `weights` must be ones `effectiveWeights` accepts.
 */
export function focusList(campaign: WithK, aggregates: CampaignAggregates, weights: Weights) {
  const k = campaign.minGroupSize;
  const effective = effectiveWeights(weights, aggregates.evidence.size > 0);
  if (!effective.ok) throw new RangeError(effective.message);
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
    weightsDescription: describeWeights(effective.weights),
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

/** The first `n` focuses by the default weights, leaving out those too few people rated. */
export function topFocuses(campaign: WithK, aggregates: CampaignAggregates, n: number): string[] {
  return focusList(campaign, aggregates, DEFAULT_WEIGHTS)
    .items.filter((item) => !('suppressed' in item))
    .slice(0, n)
    .map((item) => item.competencyId);
}

/** The names of a dimension's segments: the district's schools, or the framework's list. */
function segmentLabels(by: SegmentDimension, schools: readonly Named[]): Map<string, string> {
  const lists: Record<SegmentDimension, readonly Named[]> = {
    school: schools,
    role: idLists.jobRoles,
    careerStage: idLists.careerStages,
    subject: idLists.subjects,
    gradeBand: idLists.gradeBands,
  };
  return new Map(lists[by].map((item) => [item.id, item.name]));
}

/**
 * One dimension's segments for every competency, with small cells (and their complements)
 * hidden. `cells` are the dimension's published sums; `schools` name the school segments.
 */
export function segmentTable(
  campaign: WithK,
  aggregates: CampaignAggregates,
  by: SegmentDimension,
  cells: readonly SegmentSums[],
  schools: readonly Named[],
) {
  const k = campaign.minGroupSize;
  const district = new Map(aggregates.ratings.map((sums) => [sums.competencyId, sums]));
  const labels = segmentLabels(by, schools);
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

/** Respondents ÷ roster staff per school (counts of people who answered, not of their answers). */
export function responseRates(
  respondentsBySchool: ReadonlyArray<{ school: string | null; n: number }>,
  schools: readonly Named[],
  staff: ReadonlyMap<string, number>,
) {
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
export function strategyPreferences(
  campaign: WithK,
  aggregates: CampaignAggregates,
  rows: readonly NeedStrategyRow[],
  chosen: readonly string[],
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

/**
 * The evidence beside a design team's board: the ranked focuses and the schools where a
 * focus's need stands out (hotspots), by the same rules as the director's tables, so
 * nothing about fewer than k respondents leaves the worker here either. `bySchool` is the
 * school segment table of the same aggregates.
 */
export function boardEvidenceFrom(
  campaign: Pick<Campaign, 'id' | 'title' | 'minGroupSize'>,
  aggregates: CampaignAggregates,
  bySchool: SegmentTable,
) {
  const list = focusList(campaign, aggregates, DEFAULT_WEIGHTS);
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

/** The shapes the focus tables answer with (JSON keeps them as they are), for typed callers. */
export type FocusList = ReturnType<typeof focusList>;
export type SegmentTable = ReturnType<typeof segmentTable>;
export type ResponseRates = ReturnType<typeof responseRates>;
export type StrategyPreferences = ReturnType<typeof strategyPreferences>;
export type BoardEvidence = ReturnType<typeof boardEvidenceFrom>;

type CsvRow = Record<string, string | number | boolean | null | undefined>;

/** The focus list's CSV header: fixed, so a list whose figures are all hidden still has every column. */
export const FOCUS_COLUMNS = [
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
] as const;

/** A segment table's CSV header, fixed likewise. */
export const SEGMENT_COLUMNS = [
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
] as const;

export function focusRows(list: FocusList): CsvRow[] {
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

export function segmentRows(table: SegmentTable): CsvRow[] {
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

/** The columns an evidence import (observation or walkthrough scores) must have. */
export const EVIDENCE_COLUMNS = ['competencyId', 'school', 'score'] as const;

export interface EvidenceRow {
  competencyId: string;
  school: string;
  score: number;
}

/**
 * An evidence CSV, checked whole: every competency in the framework, every school one of
 * the district's, every score on the scale. Problems are keyed `row N.column` with rows
 * numbered as a spreadsheet shows them, so one answer lists everything to fix.
 */
export function parseEvidence(
  text: string,
  scale: { min: number; max: number },
  schoolIds: ReadonlySet<string>,
): { ok: true; rows: EvidenceRow[] } | { ok: false; message: string; fields: Record<string, string> } {
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true });
  const columns = parsed.meta.fields ?? [];
  const missing = EVIDENCE_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    return {
      ok: false,
      message: `The CSV needs the columns ${EVIDENCE_COLUMNS.join(', ')}.`,
      fields: { header: `missing: ${missing.join(', ')}` },
    };
  }
  const fields: Record<string, string> = {};
  const rows = parsed.data.map((record, index) => {
    // Row 1 is the header, so the first data row is row 2, as a spreadsheet shows it.
    const at = `row ${index + 2}`;
    const competencyId = (record.competencyId ?? '').trim();
    const school = (record.school ?? '').trim();
    const score = Number((record.score ?? '').trim());
    if (!competencyById.has(competencyId)) fields[`${at}.competencyId`] = `"${competencyId}" is not a competency`;
    if (!schoolIds.has(school)) fields[`${at}.school`] = `"${school}" is not a school of this district`;
    if ((record.score ?? '').trim() === '' || !Number.isFinite(score) || score < scale.min || score > scale.max) {
      fields[`${at}.score`] = `"${record.score ?? ''}" is not a score from ${scale.min} to ${scale.max}`;
    }
    return { competencyId, school, score };
  });
  for (const error of parsed.errors) fields[`row ${(error.row ?? 0) + 2}`] ??= error.message;
  if (rows.length === 0) fields.csv = 'has no data rows';
  const problems = Object.keys(fields);
  if (problems.length > 0) {
    return {
      ok: false,
      message: `${problems.length} problem(s), first at ${problems[0]}; nothing was stored.`,
      fields,
    };
  }
  return { ok: true, rows };
}
