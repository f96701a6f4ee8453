/**
 * The focus stage: needs assessment and priority ranking of learning focuses, and the
 * tables a director reads them in (the ranked list, segments with hotspots, response
 * rates, ways of learning), all from published sums, with the hidden cells the
 * snapshot's disclosure plan (domain/disclosure.ts) names.
 *
 * For a competency, over the n respondents who rated both importance I and current
 * proficiency P (1–5), with D = I − P:
 * - need is Borich's (1980) mean weighted discrepancy score, MWDS = Ī × D̄: a gap in
 *   something everyone thinks matters outranks the same gap in a niche;
 * - its standard error is the delta method's for a product of two means taken on the
 *   same people, SE² = (D̄² s_I² + Ī² s_D² + 2 Ī D̄ s_ID) / n (sample variances and
 *   covariance, n − 1 denominators), and its 95% interval MWDS ± t(0.975, n − 1) × SE;
 *   below two respondents there is neither;
 * - two focuses next to each other by MWDS are statistically tied when the 95% interval
 *   of their difference contains 0 (SE² of the difference the sum of theirs, Welch–
 *   Satterthwaite degrees of freedom; taking them as independent is conservative, since
 *   one person's gaps correlate positively across focuses);
 * - priority is a weighted mean of components on fixed 0–1 scales (need = MWDS ÷ 20, the
 *   largest MWDS on 1–5 scales; breadth; interest; evidence gap), so no focus's priority
 *   moves because another was added or hidden; a focus without observation scores has no
 *   evidence gap, and its other weights are rescaled to sum to 1;
 * - a hotspot is a segment whose MWDS is credibly above the rest of the district's (all
 *   respondents not in it): a one-sided Welch t test of the difference that must also hold
 *   against the district's own spread (see versusRest), with Benjamini–Hochberg at
 *   q = 0.05 across the tested cells of the table shown; only segments of at least 2k
 *   respondents are tested.
 * Everything is computed from per-competency sums (n, Σ I, Σ P, Σ D, Σ I², Σ D², Σ I·D and
 * the count with D ≥ 2), so a read costs the same for 100 or 100,000 responses.
 */
import cdf from '@stdlib/stats-base-dists-t-cdf';
import quantile from '@stdlib/stats-base-dists-t-quantile';
import Papa from 'papaparse';
import type { Campaign } from './campaign';
import type { DisclosurePlan } from './disclosure';
import { competencies, domains, idLists, type Named, strategies } from './framework';
import { isSmall } from './suppression';

/** What the database hands over for one campaign and competency: sums, never rows. */
export interface RatingSums {
  n: number;
  sumImportance: number;
  sumProficiency: number;
  /** Σ D with D = importance − proficiency. */
  sumDiscrepancy: number;
  sumImportanceSquared: number;
  sumDiscrepancySquared: number;
  /** Σ I·D, for the covariance of importance and discrepancy. */
  sumImportanceDiscrepancy: number;
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
  /** Standard error of the MWDS (delta method); null below two respondents. */
  se: number | null;
  /** 95% interval of the MWDS; null below two respondents, where there is no spread to speak of. */
  ci95: [number, number] | null;
  /** Share of respondents with a gap of 2 or more. */
  breadth: number;
}

/** Σ (x − x̄)(y − ȳ) from Σx, Σy and Σxy; (Σx)(Σy)/n rounds once, and the sums are integers. */
const coMoment = (sumXY: number, sumX: number, sumY: number, n: number) => sumXY - (sumX * sumY) / n;

export function needStats(sums: RatingSums): NeedStats {
  const { n } = sums;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`needStats needs at least one respondent, got n = ${n}`);
  const meanImportance = sums.sumImportance / n;
  const meanDiscrepancy = sums.sumDiscrepancy / n;
  const mwds = meanImportance * meanDiscrepancy;
  let se: number | null = null;
  let ci95: [number, number] | null = null;
  if (n >= 2) {
    const varianceI = coMoment(sums.sumImportanceSquared, sums.sumImportance, sums.sumImportance, n) / (n - 1);
    const varianceD = coMoment(sums.sumDiscrepancySquared, sums.sumDiscrepancy, sums.sumDiscrepancy, n) / (n - 1);
    const covariance = coMoment(sums.sumImportanceDiscrepancy, sums.sumImportance, sums.sumDiscrepancy, n) / (n - 1);
    const variance =
      (meanDiscrepancy ** 2 * varianceI +
        meanImportance ** 2 * varianceD +
        2 * meanImportance * meanDiscrepancy * covariance) /
      n;
    // With no spread at all the sum is 0 up to rounding; sqrt of a tiny negative would be NaN.
    se = Math.sqrt(Math.max(0, variance));
    const half = tQuantile975(n - 1) * se;
    ci95 = [mwds - half, mwds + half];
  }
  return {
    n,
    meanImportance,
    meanProficiency: sums.sumProficiency / n,
    meanDiscrepancy,
    mwds,
    se,
    ci95,
    breadth: sums.highNeed / n,
  };
}

/** The sums of the respondents in `total` but not in `part` (the rest of the district). */
export function sumsWithout(total: RatingSums, part: RatingSums): RatingSums {
  return {
    n: total.n - part.n,
    sumImportance: total.sumImportance - part.sumImportance,
    sumProficiency: total.sumProficiency - part.sumProficiency,
    sumDiscrepancy: total.sumDiscrepancy - part.sumDiscrepancy,
    sumImportanceSquared: total.sumImportanceSquared - part.sumImportanceSquared,
    sumDiscrepancySquared: total.sumDiscrepancySquared - part.sumDiscrepancySquared,
    sumImportanceDiscrepancy: total.sumImportanceDiscrepancy - part.sumImportanceDiscrepancy,
    highNeed: total.highNeed - part.highNeed,
  };
}

/** Student's t 0.975 quantile: the two-sided 95% critical value. */
export function tQuantile975(df: number): number {
  // The library answers NaN for a bad df, which would slip silently into every interval.
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  return quantile(0.975, df);
}

/** The difference of two MWDS (a − b), treated as independent, and its 95% interval. */
export interface NeedDifference {
  difference: number;
  se: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  ci95: [number, number];
}

/**
 * Two independent estimates' difference (a − b) with SE² = SE_a² + SE_b², Welch–Satterthwaite
 * degrees of freedom and its 95% t interval; `n` is how many answers each estimate stands on.
 */
export function welchInterval(
  a: { estimate: number; se: number; n: number },
  b: { estimate: number; se: number; n: number },
): NeedDifference {
  const va = a.se ** 2;
  const vb = b.se ** 2;
  const difference = a.estimate - b.estimate;
  const se = Math.sqrt(va + vb);
  // Both without spread: the Welch ratio is 0/0, and the interval has no width whatever the df.
  const df = va + vb === 0 ? a.n + b.n - 2 : (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const half = tQuantile975(df) * se;
  return { difference, se, df, ci95: [difference - half, difference + half] };
}

/** a − b by welchInterval; null when either has no SE (n < 2). */
export function needDifference(a: NeedStats, b: NeedStats): NeedDifference | null {
  if (a.se === null || b.se === null) return null;
  return welchInterval({ estimate: a.mwds, se: a.se, n: a.n }, { estimate: b.mwds, se: b.se, n: b.n });
}

/** One-sided p-value of "a's need is above b's": P(T_df ≥ difference / SE) under no difference. */
export function pAbove(difference: Pick<NeedDifference, 'difference' | 'se' | 'df'>): number {
  if (difference.se === 0) return difference.difference > 0 ? 0 : 1;
  // cdf(−t) rather than 1 − cdf(t): no cancellation for large t.
  return cdf(-difference.difference / difference.se, difference.df);
}

/** The false discovery rate the hotspot verdicts allow, across one table's tested cells. */
export const HOTSPOT_FDR = 0.05;

/**
 * Benjamini–Hochberg adjusted p-values (in the order given): p_(i) × m / i, made
 * monotone from the largest down and capped at 1. A p-value's test is rejected at
 * false discovery rate q exactly when its adjusted value is ≤ q.
 */
export function bhAdjusted(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p || a.index - b.index);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const entry = order[rank - 1] as { p: number; index: number };
    running = Math.min(running, (entry.p * m) / rank);
    adjusted[entry.index] = running;
  }
  return adjusted;
}

/** How far a mean evidence score sits from the top of its scale: 0 at the top, 1 at the bottom. */
export function evidenceGap(meanScore: number, scaleMin: number, scaleMax: number): number {
  if (!(scaleMax > scaleMin)) throw new RangeError(`the scale must run upwards, got ${scaleMin}–${scaleMax}`);
  if (!Number.isFinite(meanScore)) throw new RangeError(`the mean score must be a number, got ${meanScore}`);
  return Math.min(1, Math.max(0, (scaleMax - meanScore) / (scaleMax - scaleMin)));
}

/** The largest MWDS on 1–5 scales (Ī = 5, D̄ = 4): need's fixed scale is MWDS ÷ this. */
export const MWDS_MAX = 20;

/** Need on its fixed 0–1 scale: a negative MWDS (skill above importance) is no need. */
export const needScaled = (mwds: number): number => Math.min(1, Math.max(0, mwds / MWDS_MAX));

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
  mwds: `need (Borich MWDS ÷ ${MWDS_MAX})`,
  breadth: 'breadth (share with a gap of 2 or more)',
  interest: 'interest (share who asked to learn it)',
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
  /** 0–1 (see evidenceGap); null where the district has no evidence score for it: not 0, no figure. */
  evidenceGap: number | null;
}

export interface RankedFocus extends FocusInput {
  /** Weighted mean of the components on their fixed 0–1 scales, rounded to 12 decimals. */
  priority: number;
  rank: number;
  /**
   * The focuses next to this one by MWDS (the one above, the one below) that it is
   * statistically tied with: the data cannot tell the two apart. At most two ids.
   */
  tiedWith: string[];
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A focus's priority: its components on fixed scales, weighted. Without an evidence gap
 * that weight drops out for this focus alone and the others are rescaled to sum to 1; if
 * nothing weighted is left, there is nothing to rank it on and its priority is 0.
 */
export function priorityOf(focus: FocusInput, weights: Weights): number {
  const value: Record<PriorityComponent, number | null> = {
    mwds: needScaled(focus.need.mwds),
    breadth: focus.need.breadth,
    interest: focus.interest,
    evidenceGap: focus.evidenceGap,
  };
  let weighted = 0;
  let total = 0;
  for (const component of PRIORITY_COMPONENTS) {
    const x = value[component];
    if (x === null) continue;
    weighted += weights[component] * x;
    total += weights[component];
  }
  // Rounding lets mathematically equal priorities reached by different float paths tie, so the id decides.
  return total === 0 ? 0 : Math.round((weighted / total) * 1e12) / 1e12;
}

/** Whether the data cannot order two focuses: the 95% interval of their difference holds 0 (or there is none). */
export function statisticallyTied(a: NeedStats, b: NeedStats): boolean {
  const difference = needDifference(a, b);
  return difference === null || (difference.ci95[0] <= 0 && difference.ci95[1] >= 0);
}

/** Each focus's statistical ties with its neighbours in the ranking by MWDS (highest first, then id). */
export function tiesByNeed(focuses: readonly FocusInput[]): Map<string, string[]> {
  const byNeed = [...focuses].sort((a, b) => b.need.mwds - a.need.mwds || byId(a.competencyId, b.competencyId));
  const ties = new Map(focuses.map((focus) => [focus.competencyId, [] as string[]]));
  for (let i = 1; i < byNeed.length; i++) {
    const above = byNeed[i - 1] as FocusInput;
    const below = byNeed[i] as FocusInput;
    if (!statisticallyTied(above.need, below.need)) continue;
    ties.get(above.competencyId)?.push(below.competencyId);
    ties.get(below.competencyId)?.push(above.competencyId);
  }
  for (const ids of ties.values()) ids.sort(byId);
  return ties;
}

/** Ranks focuses by priority, highest first, ties falling to the competency id: the same in any order. */
export function rankFocuses(focuses: FocusInput[], weights: Weights = DEFAULT_WEIGHTS): RankedFocus[] {
  assertWeights(weights);
  const ids = new Set(focuses.map((focus) => focus.competencyId));
  if (ids.size !== focuses.length) throw new Error('rankFocuses: competency ids must be unique');
  const ties = tiesByNeed(focuses);
  return focuses
    .map((focus) => ({ focus, priority: priorityOf(focus, weights) }))
    .sort((a, b) => b.priority - a.priority || byId(a.focus.competencyId, b.focus.competencyId))
    .map(({ focus, priority }, index) => ({
      ...focus,
      priority,
      rank: index + 1,
      tiedWith: ties.get(focus.competencyId) ?? [],
    }));
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
  const scaled = terms.length === 1 ? 'on a fixed 0–1 scale' : 'each on a fixed 0–1 scale';
  const evidence =
    weights.evidenceGap > 0
      ? ' A focus with no observation data leaves the evidence gap out and rescales the other weights to sum to 1.'
      : '';
  return `Priority = ${terms.join(' + ')}, ${scaled}.${evidence}`;
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
export interface CampaignSums {
  /** District sums per competency. */
  ratings: SegmentSums[];
  /** Respondents who ticked interest, per competency. */
  interests: Map<string, number>;
  respondentsBySchool: Array<{ school: string | null; n: number }>;
  evidence: Map<string, { meanScore: number; scaleMin: number; scaleMax: number }>;
}

/** The published sums with the snapshot's disclosure plan: which cells of every table are hidden. */
export interface CampaignAggregates extends CampaignSums {
  plan: DisclosurePlan;
}

/** Staff with a gap of 2 or more on a competency who chose a strategy, and how many put it first. */
export interface NeedStrategyRow {
  competencyId: string;
  strategyId: string;
  n: number;
  firstChoice: number;
}

const competencyById = new Map(competencies.map((c) => [c.id, c]));

/** A campaign as the k rule reads it. */
type WithK = Pick<Campaign, 'minGroupSize'>;

/** The plan's key for a segment: '' for respondents who did not say. */
const planSegment = (segment: string | null): string => segment ?? '';

/**
 * The ranked focus list: figures only for competencies the disclosure plan shows, the
 * others named and marked suppressed. `weights` must be ones `effectiveWeights` accepts.
 */
export function focusList(campaign: WithK, aggregates: CampaignAggregates, weights: Weights) {
  const k = campaign.minGroupSize;
  const effective = effectiveWeights(weights, aggregates.evidence.size > 0);
  if (!effective.ok) throw new RangeError(effective.message);
  const respondents = aggregates.respondentsBySchool.reduce((sum, row) => sum + row.n, 0);
  const shown = aggregates.ratings.filter(
    (sums) => competencyById.has(sums.competencyId) && !aggregates.plan.competencyHidden(sums.competencyId),
  );
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

/** The first `n` focuses by the default weights, leaving out those the plan hides. */
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

/** A segment is tested for a hotspot only from this many times k respondents: smaller ones are too noisy. */
export const HOTSPOT_MIN_GROUPS_OF_K = 2;

/** A segment's need against the rest of the district's, and the verdict on it. */
export interface VersusRest {
  /** MWDS of the segment minus that of everyone else; null when the rest is too few to compare with. */
  vsRest: { difference: number; ci95: [number, number] } | null;
  /** Whether the cell was among the table's hotspot tests (at least 2k respondents). */
  tested: boolean;
  /** Benjamini–Hochberg adjusted one-sided p-value across the table's tested cells; null when untested. */
  pAdjusted: number | null;
  /** Need credibly higher than the rest of the district, after allowing for the table's many comparisons. */
  hotspot: boolean;
}

/**
 * One-sided p-value of "the segment's need is above the rest's" with the spread the
 * district as a whole shows, as under no difference (every respondent then comes from
 * the same population, so the segment has the district's spread, not its own): SE² =
 * σ²(1/m + 1/(N − m)), σ² = N × SE² of the district's MWDS (the delta method's variance
 * per respondent), t with N − 2 degrees of freedom. This is the variance a permutation
 * test of the segment's labels has, and where few people crowd the top of a scale it
 * does not shrink by chance as a small segment's own spread does.
 */
export function pAboveAsDistrict(difference: number, segmentN: number, district: NeedStats): number {
  const restN = district.n - segmentN;
  if (district.se === null || segmentN < 1 || restN < 1 || district.n < 3) return 1;
  const se = Math.sqrt(district.se ** 2 * district.n * (1 / segmentN + 1 / restN));
  return pAbove({ difference, se, df: district.n - 2 });
}

/**
 * The hotspot verdicts of one table's shown cells (segment against the rest of the
 * district, per competency), for cells of at least 2k respondents: the one-sided Welch t
 * test of the difference, and the same difference against the district's spread
 * (pAboveAsDistrict); a cell's p-value is the larger of the two, so a hotspot must pass
 * both. Benjamini–Hochberg at q = HOTSPOT_FDR then runs over all tested cells together.
 *
 * Why both: Welch alone, where importance crowds 4–5, rejects about three times too
 * often in the far tail BH reaches (segments of 10–40 whose own spread came out small
 * by chance), and 73 of 500 simulated noise-only tables of 192 cells showed a hotspot
 * (worker/test/domain/focus-simulations.test.ts); the district's spread alone would call
 * a segment whose answers only scatter wider a hotspot. The larger of two p-values is a
 * valid p-value when either is (an intersection–union test); with both, 11 of the same
 * 500 tables (2.2%) showed a hotspot, and a school of 40 two points less prepared in one
 * focus was found in 188 of 200.
 * A rest of fewer than k respondents is not compared with (its figure would be theirs).
 */
export function versusRest(
  cells: ReadonlyArray<{ segment: SegmentSums; district: RatingSums }>,
  k: number,
): VersusRest[] {
  const compared = cells.map(({ segment, district }) => {
    const rest = sumsWithout(district, segment);
    if (rest.n < k) return null;
    return needDifference(needStats(segment), needStats(rest));
  });
  const districtStats = new Map<RatingSums, NeedStats>();
  const testedAt: number[] = [];
  const pValues: number[] = [];
  compared.forEach((difference, index) => {
    const { segment, district } = cells[index] as { segment: SegmentSums; district: RatingSums };
    if (difference === null || segment.n < HOTSPOT_MIN_GROUPS_OF_K * k) return;
    let stats = districtStats.get(district);
    if (!stats) {
      stats = needStats(district);
      districtStats.set(district, stats);
    }
    testedAt.push(index);
    pValues.push(Math.max(pAbove(difference), pAboveAsDistrict(difference.difference, segment.n, stats)));
  });
  const adjusted = new Map(bhAdjusted(pValues).map((p, i) => [testedAt[i] as number, p]));
  return compared.map((difference, index) => {
    const pAdjusted = adjusted.get(index) ?? null;
    return {
      vsRest: difference && { difference: difference.difference, ci95: difference.ci95 },
      tested: pAdjusted !== null,
      pAdjusted,
      hotspot: pAdjusted !== null && pAdjusted <= HOTSPOT_FDR,
    };
  });
}

/**
 * One dimension's segments for every competency: every segment the dimension knows
 * (the district's schools or the framework's list, and "not stated"), each shown or
 * hidden as the disclosure plan says, an empty cell hidden the same way as a small one.
 * `cells` are the dimension's published sums; `schools` name the school segments.
 */
export function segmentTable(
  campaign: WithK,
  aggregates: CampaignAggregates,
  by: SegmentDimension,
  cells: readonly SegmentSums[],
  schools: readonly Named[],
) {
  const k = campaign.minGroupSize;
  const { plan } = aggregates;
  const district = new Map(aggregates.ratings.map((sums) => [sums.competencyId, sums]));
  const labels = segmentLabels(by, schools);
  const known: Array<string | null> = [...new Set([...labels.keys(), ...cells.flatMap((c) => c.segment ?? [])])];
  known.push(null);
  const sumsOf = new Map(cells.map((cell) => [JSON.stringify([cell.competencyId, cell.segment]), cell]));
  const shown: Array<{ segment: SegmentSums; district: RatingSums }> = [];
  const layout: Array<{ segment: string | null; label: string; competencyId: string; at: number | null }> = [];
  for (const competency of competencies) {
    const total = district.get(competency.id);
    for (const segment of known) {
      const label = segment === null ? 'Not stated' : (labels.get(segment) ?? segment);
      const sums = sumsOf.get(JSON.stringify([competency.id, segment]));
      // The rest of the district is the total minus the cell, so a hidden total hides every cell of its row.
      const visible =
        sums &&
        total &&
        !plan.competencyHidden(competency.id) &&
        !plan.ratersHidden(competency.id, by, planSegment(segment));
      layout.push({ segment, label, competencyId: competency.id, at: visible ? shown.length : null });
      if (visible) shown.push({ segment: sums, district: total });
    }
  }
  const verdicts = versusRest(shown, k);
  const items = layout.map(({ segment, label, competencyId, at }) => {
    const cell = at === null ? undefined : shown[at];
    const verdict = at === null ? undefined : verdicts[at];
    if (!cell || !verdict) return { segment, label, competencyId, suppressed: true as const };
    const need = needStats(cell.segment);
    return {
      segment,
      label,
      competencyId,
      n: need.n,
      mwds: need.mwds,
      se: need.se,
      ci95: need.ci95,
      breadth: need.breadth,
      ...verdict,
    };
  });
  return { by, minGroupSize: k, hotspotMinN: HOTSPOT_MIN_GROUPS_OF_K * k, items };
}

/**
 * Respondents ÷ roster staff per school (counts of people who answered, not of their
 * answers). A school whose count the plan hides shows its roster size only: the count
 * and the rate are withheld alike.
 */
export function responseRates(
  aggregates: Pick<CampaignAggregates, 'plan' | 'respondentsBySchool'>,
  schools: readonly Named[],
  staff: ReadonlyMap<string, number>,
) {
  const { plan, respondentsBySchool } = aggregates;
  const responses = new Map(respondentsBySchool.map((row) => [row.school, row.n]));
  const items = schools.map((school) => {
    const onRoster = staff.get(school.id) ?? 0;
    if (plan.respondentsHidden('school', school.id)) {
      return { school: school.id, name: school.name, staff: onRoster, suppressed: true as const };
    }
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
  // Those who did not name a school are a cell of the same table: sent here, so that no
  // reader works it out as the total minus the schools, and hidden by the same plan.
  const notStated = plan.respondentsHidden('school', planSegment(null)) ? null : (responses.get(null) ?? 0);
  return {
    minGroupSize: plan.k,
    items,
    notStated,
    respondents,
    staff: staffTotal,
    rate: staffTotal > 0 ? respondents / staffTotal : null,
  };
}

/**
 * How staff with a gap of 2 or more on each chosen focus want to learn: every strategy of
 * the framework, the shown ones most chosen first.
 *
 * A share here is a count of people (share × the published high-need count), so it obeys
 * the k rule like any count: a focus the plan hides, or with fewer than k high-need staff,
 * is hidden whole; a strategy chosen by fewer than k of them (none included, so "nobody"
 * and "a few" look the same) is hidden, and so is a first-choice share under k. Nothing
 * can bring a hidden one back by subtraction: strategies are a multiple choice, so their
 * counts sum to no published figure, and the first choices sum to the number of high-need
 * staff who chose any strategy, which is never published. No other table publishes a
 * count of strategies, so no combination across tables pins one down either.
 */
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
    if (aggregates.plan.competencyHidden(competencyId) || isSmall(highNeed, k)) {
      return { competencyId, name, suppressed: true as const };
    }
    const counts = new Map(rows.filter((row) => row.competencyId === competencyId).map((row) => [row.strategyId, row]));
    const cells = strategies.map((strategy) => {
      const row = counts.get(strategy.id);
      const n = row?.n ?? 0;
      const firstChoice = row?.firstChoice ?? 0;
      const base = { strategyId: strategy.id, name: strategy.name, delivery: strategy.delivery };
      if (isSmall(n, k)) return { n, cell: { ...base, suppressed: true as const } };
      const firstChoiceShare = isSmall(firstChoice, k) ? null : firstChoice / highNeed;
      return { n, cell: { ...base, share: n / highNeed, firstChoiceShare } };
    });
    // Shown shares most chosen first, then the hidden in the framework's order: their order says nothing of their counts.
    const order = (entry: (typeof cells)[number]) => ('suppressed' in entry.cell ? 0 : entry.n);
    cells.sort((a, b) => order(b) - order(a));
    return { competencyId, name, highNeed, strategies: cells.map((entry) => entry.cell) };
  });
  return { minGroupSize: k, items };
}

/**
 * The evidence beside a design team's board: the ranked focuses and the schools where a
 * focus's need is a hotspot, by the same rules and plan as the director's tables, so
 * nothing hidden there leaves the worker here either. `bySchool` is the school segment
 * table of the same aggregates.
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
  'domainName',
  'n',
  'meanImportance',
  'meanProficiency',
  'meanDiscrepancy',
  'mwds',
  'se',
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
  'competencyName',
  'n',
  'mwds',
  'se',
  'ci95Low',
  'ci95High',
  'breadth',
  'differenceVsRest',
  'differenceCi95Low',
  'differenceCi95High',
  'tested',
  'pAdjusted',
  'hotspot',
  'suppressed',
] as const;

/**
 * A figure as a spreadsheet should show it: means, scores and intervals to 2 decimals,
 * shares and standard errors to 3, p-values to 4 significant digits. The JSON keeps them whole.
 */
const rounded = (value: number | null | undefined, decimals: number): number | null =>
  value === null || value === undefined ? null : Number(value.toFixed(decimals));
const pValue = (value: number | null | undefined): number | null =>
  value === null || value === undefined ? null : Number(value.toPrecision(4));

const domainName = new Map(domains.map((domain) => [domain.id, domain.name]));

export function focusRows(list: FocusList): CsvRow[] {
  return list.items.map((item) => {
    const names = {
      competencyId: item.competencyId,
      name: item.name,
      domain: item.domain,
      domainName: domainName.get(item.domain) ?? '',
    };
    if ('suppressed' in item) return { rank: null, ...names, suppressed: true };
    return {
      rank: item.rank,
      ...names,
      n: item.n,
      meanImportance: rounded(item.meanImportance, 2),
      meanProficiency: rounded(item.meanProficiency, 2),
      meanDiscrepancy: rounded(item.meanDiscrepancy, 2),
      mwds: rounded(item.mwds, 2),
      se: rounded(item.se, 3),
      ci95Low: rounded(item.ci95?.[0], 2),
      ci95High: rounded(item.ci95?.[1], 2),
      breadth: rounded(item.breadth, 3),
      interest: rounded(item.interest, 3),
      evidenceGap: rounded(item.evidenceGap, 3),
      priority: rounded(item.priority, 3),
      tiedWith: item.tiedWith.join(';'),
      suppressed: false,
    };
  });
}

export function segmentRows(table: SegmentTable): CsvRow[] {
  return table.items.map((item) => {
    const key = {
      by: table.by,
      segment: item.segment,
      label: item.label,
      competencyId: item.competencyId,
      competencyName: competencyById.get(item.competencyId)?.name ?? '',
    };
    if ('suppressed' in item) return { ...key, suppressed: true };
    return {
      ...key,
      n: item.n,
      mwds: rounded(item.mwds, 2),
      se: rounded(item.se, 3),
      ci95Low: rounded(item.ci95?.[0], 2),
      ci95High: rounded(item.ci95?.[1], 2),
      breadth: rounded(item.breadth, 3),
      differenceVsRest: rounded(item.vsRest?.difference, 2),
      differenceCi95Low: rounded(item.vsRest?.ci95[0], 2),
      differenceCi95High: rounded(item.vsRest?.ci95[1], 2),
      tested: item.tested,
      pAdjusted: pValue(item.pAdjusted),
      hotspot: item.hotspot,
      suppressed: false,
    };
  });
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
