/**
 * Needs assessment and priority ranking of learning focuses.
 *
 * Need is Borich's (1980) mean weighted discrepancy score: the mean gap between how
 * important staff rate a competency and how proficient they feel, weighted by its mean
 * importance, so a gap in something everyone thinks matters outranks the same gap in a
 * niche. Its 95% interval is a Student t interval on the mean discrepancy, scaled by the
 * same weight. The ranking blends need with breadth, interest and an evidence gap, each
 * min–max scaled across the focuses being compared, as a weighted mean.
 */
import quantile from '@stdlib/stats-base-dists-t-quantile';

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

export type PriorityComponent = 'mwds' | 'breadth' | 'interest' | 'evidenceGap';
export type Weights = Record<PriorityComponent, number>;

/** Fixed order: sums are taken in it, so equal inputs always round to equal priorities. */
const COMPONENTS: readonly PriorityComponent[] = ['mwds', 'breadth', 'interest', 'evidenceGap'];

export const DEFAULT_WEIGHTS: Weights = { mwds: 0.5, breadth: 0.2, interest: 0.2, evidenceGap: 0.1 };

const COMPONENT_LABELS: Record<PriorityComponent, string> = {
  mwds: 'need (Borich MWDS)',
  breadth: 'breadth (share with a gap of 2 or more)',
  interest: 'interest',
  evidenceGap: 'evidence gap',
};

const isComponent = (name: string): name is PriorityComponent => (COMPONENTS as readonly string[]).includes(name);
const EXPECTED = 'expected mwds, breadth, interest or evidenceGap';
// Plain decimals only: Number() would also take '', '0x10' and 'Infinity' from a query string.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Weights from a query string (`mwds:0.6,breadth:0.2,interest:0.2`) or an object.
 * Components left out weigh 0; weights need not sum to 1, since ranking normalizes them.
 * Every problem is named, so a caller can fix the whole string in one go.
 */
export function parseWeights(
  input: string | Record<string, unknown>,
): { ok: true; weights: Weights } | { ok: false; message: string } {
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
  if (COMPONENTS.every((component) => weights[component] === 0)) {
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
  for (const component of COMPONENTS) {
    const weight = weights[component];
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new RangeError(`the weight of "${component}" must be a finite number ≥ 0, got ${weight}`);
    }
  }
  if (COMPONENTS.every((component) => weights[component] === 0)) throw new RangeError('every weight is 0');
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
  const used = COMPONENTS.filter(
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
  const total = COMPONENTS.reduce((sum, component) => sum + weights[component], 0);
  const terms = COMPONENTS.filter((component) => weights[component] > 0).map((component) => {
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
