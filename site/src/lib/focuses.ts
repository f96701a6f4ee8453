/**
 * The focus stage (the director's dashboard page): the shapes the focus API answers with,
 * and the pure helpers that turn them into words and numbers. No state and no fetching here.
 */

import type { InferResponseType } from 'hono/client';
import type { api } from './api';
import { byText } from './format';

type CampaignRoute = (typeof api.campaigns)[':id'];

/** The focus route's JSON answers (with `format=csv` it answers the same table as text). */
export type FocusAnswer = Exclude<InferResponseType<CampaignRoute['focuses']['$get'], 200>, string>;
/** The ranked list (without `by`). */
export type FocusList = Exclude<FocusAnswer, { by: unknown }>;
/** One dimension's segment table (with `by`). */
export type SegmentTable = Extract<FocusAnswer, { by: unknown }>;
export type ResponseRates = InferResponseType<CampaignRoute['response-rates']['$get'], 200>;
export type StrategyPreferences = InferResponseType<CampaignRoute['strategy-preferences']['$get'], 200>;
export type Framework = InferResponseType<typeof api.framework.$get, 200>;

export type Weights = FocusList['weights'];
export type PriorityComponent = keyof Weights;
export type SegmentDimension = SegmentTable['by'];

/**
 * The worker's own rules for ranking and breaking down focuses (worker/src/domain/focuses.ts):
 * `PRIORITY_COMPONENTS`, `DEFAULT_WEIGHTS`, `SEGMENT_DIMENSIONS`, `MWDS_MAX` and `DEFAULT_FOCUS_COUNT`. The
 * page reads them at build time and hands them to the island: that module also holds the
 * statistics, whose library compiles code at run time, which the pages' CSP refuses.
 */
export interface FocusRules {
  components: readonly PriorityComponent[];
  defaultWeights: Weights;
  dimensions: readonly SegmentDimension[];
  /** The largest MWDS there can be (importance 5 times a gap of 4). */
  mwdsMax: number;
  /** How many of the top focuses are "the top focuses". */
  topCount: number;
}

export const COMPONENT_LABELS: Record<PriorityComponent, { label: string; hint: string }> = {
  mwds: { label: 'Need (MWDS)', hint: 'How large the gap between importance and skill is.' },
  breadth: { label: 'Breadth', hint: 'Share of staff with a gap of 2 or more.' },
  interest: { label: 'Interest', hint: 'Share of staff who asked to learn it.' },
  evidenceGap: { label: 'Evidence gap', hint: 'How far observation scores sit below the top.' },
};

/** The weight inputs run from 0 to this; the API scales weights by their total, so it takes them as they are. */
export const WEIGHT_INPUT_MAX = 100;

/** Weights (fractions of 1, as the API gives its defaults) on the inputs' scale. */
export function inputWeights(weights: Weights): Weights {
  return {
    mwds: Math.round(weights.mwds * WEIGHT_INPUT_MAX),
    breadth: Math.round(weights.breadth * WEIGHT_INPUT_MAX),
    interest: Math.round(weights.interest * WEIGHT_INPUT_MAX),
    evidenceGap: Math.round(weights.evidenceGap * WEIGHT_INPUT_MAX),
  };
}

export const DIMENSION_LABELS: Record<SegmentDimension, string> = {
  school: 'School',
  role: 'Role',
  careerStage: 'Career stage',
  subject: 'Subject',
  gradeBand: 'Grade band',
};

export type FocusItem = FocusList['items'][number];
export type RankedFocus = Exclude<FocusItem, { suppressed: true }>;
export type HiddenFocus = Extract<FocusItem, { suppressed: true }>;
export type Cell = SegmentTable['items'][number];
export type SegmentCell = Exclude<Cell, { suppressed: true }>;
export type HiddenCell = Extract<Cell, { suppressed: true }>;
export type StrategyItem = StrategyPreferences['items'][number];
export type StrategyCell = Exclude<StrategyItem, { suppressed: true }>['strategies'][number];
/** A way of learning chosen by at least k staff with high need. */
export type StrategyShare = Exclude<StrategyCell, { suppressed: true }>;
export type RateRow = ResponseRates['items'][number];
/** A school whose count of responses is shown. */
export type ShownRate = Exclude<RateRow, { suppressed: true }>;

export const isRanked = (item: FocusItem): item is RankedFocus => !('suppressed' in item);
export const isShown = (cell: Cell): cell is SegmentCell => !('suppressed' in cell);
export const isShownRate = (row: RateRow): row is ShownRate => !('suppressed' in row);
export const isShownStrategy = (cell: StrategyCell): cell is StrategyShare => !('suppressed' in cell);

/** `mwds:50,breadth:20,…`, as the API reads weights. */
export function weightsQuery(
  weights: Record<PriorityComponent, string>,
  components: readonly PriorityComponent[],
): string {
  return components.map((component) => `${component}:${weights[component].trim()}`).join(',');
}

/** A problem the API would not catch, or catches with a less helpful message; null when fine. */
export function weightProblem(
  weights: Record<PriorityComponent, string>,
  components: readonly PriorityComponent[],
): string | null {
  for (const component of components) {
    const raw = weights[component].trim();
    const label = COMPONENT_LABELS[component].label;
    if (raw === '') return `Enter a weight for ${label}, from 0 to ${WEIGHT_INPUT_MAX}.`;
    const value = Number(raw);
    if (Number.isFinite(value) && value > WEIGHT_INPUT_MAX) {
      return `The weight for ${label} must be ${WEIGHT_INPUT_MAX} or less.`;
    }
  }
  return null;
}

/** One decimal, without the "-0.0" that rounding a tiny negative gives. */
export const fixed1 = (x: number): string => {
  const text = x.toFixed(1);
  return text === '-0.0' ? '0.0' : text;
};
export const percent = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 100)}%`);

export function interval(ci: [number, number] | null): string {
  return ci ? `${fixed1(ci[0])}–${fixed1(ci[1])}` : 'no interval (one respondent)';
}

export function hiddenText(k: number): string {
  return `hidden: fewer than ${k} respondents`;
}

/** "#2, #5–#8": ranks, with runs written as ranges. */
export function rankRanges(ranks: number[]): string {
  const sorted = [...ranks].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const rank of sorted) {
    const last = runs.at(-1);
    if (last && rank === last[1] + 1) last[1] = rank;
    else runs.push([rank, rank]);
  }
  return runs
    .map(([from, to]) => (from === to ? `#${from}` : to === from + 1 ? `#${from}, #${to}` : `#${from}–#${to}`))
    .join(', ');
}

/** What "tied" means on the dashboard, in a director's words. */
export const TIED_MEANING =
  'Two focuses next to each other by need are tied when the difference between them could be zero: ' +
  'the survey cannot tell which of the two has more need, so their order is not certain.';

/** What a hotspot means, in a director's words. */
export const HOTSPOT_MEANING =
  "this group's need is credibly above the rest of the district, after allowing for the many comparisons in the table";

/** Why "after allowing for the many comparisons" matters. */
export const HOTSPOT_WHY =
  'With this many cells a few would look high by chance alone; a hotspot is one that still stands out once that is ' +
  'taken into account.';

/** "3.1 points higher than in the rest of the district (95% interval 1.2 to 5.0)": a cell against the rest. */
export function versusRestText(cell: SegmentCell): string | null {
  if (!cell.vsRest) return null;
  const { difference, ci95 } = cell.vsRest;
  const size = fixed1(Math.abs(difference));
  const direction = difference >= 0 ? 'higher' : 'lower';
  return `${size} points ${direction} than in the rest of the district (95% interval ${fixed1(ci95[0])} to ${fixed1(ci95[1])})`;
}

/**
 * The hotspots of every table, the largest difference from the rest of the district first: where the need
 * stands out most, for the summary at the top of the dashboard.
 */
export function hotspotsByDifference(
  tables: Partial<Record<SegmentDimension, SegmentTable>>,
  dimensions: readonly SegmentDimension[],
): Array<{ by: SegmentDimension; cell: SegmentCell }> {
  const difference = ({ cell }: { cell: SegmentCell }) => cell.vsRest?.difference ?? Number.NEGATIVE_INFINITY;
  return hotspotsOf(tables, dimensions).sort((a, b) => difference(b) - difference(a));
}

/** Framework order for a dimension's segments, "Not stated" last. */
export function segmentOrder(framework: Framework | null, by: SegmentDimension): string[] {
  if (!framework) return [];
  const lists: Record<SegmentDimension, Framework['schools']> = {
    school: framework.schools,
    role: framework.jobRoles,
    careerStage: framework.careerStages,
    subject: framework.subjects,
    gradeBand: framework.gradeBands,
  };
  return lists[by].map((item) => item.id);
}

export function sortSegments<T extends { segment: string | null; label: string }>(segments: T[], order: string[]): T[] {
  const position = (segment: string | null) => {
    if (segment === null) return Number.MAX_SAFE_INTEGER;
    const at = order.indexOf(segment);
    return at === -1 ? order.length : at;
  };
  return [...segments].sort((a, b) => position(a.segment) - position(b.segment) || byText(a.label, b.label));
}

/** How a sentence names a group: "at Harbor View Middle School", "among Early career (0–3 years) staff". */
export function groupPhrase(by: SegmentDimension, label: string): string {
  switch (by) {
    case 'school':
      return `at ${label}`;
    case 'careerStage':
      return `among ${label} staff`;
    case 'role':
      return `among staff whose role is ${label}`;
    case 'subject':
      return `among staff whose subject is ${label}`;
    case 'gradeBand':
      return `among staff whose grade band is ${label}`;
  }
}

/**
 * The plain-language line for a hotspot: "Need for Formative assessment at Maple Elementary
 * is 3.1 points higher than in the rest of the district (95% interval 1.2 to 5.0)."
 */
export function hotspotLine(by: SegmentDimension, cell: SegmentCell, focusName: string): string {
  const against = versusRestText(cell) ?? 'higher than in the rest of the district';
  return `Need for ${focusName} ${groupPhrase(by, cell.label)} is ${against}.`;
}

/** Every hotspot of the tables, in the order of the dimensions and then of the table. */
export function hotspotsOf(
  tables: Partial<Record<SegmentDimension, SegmentTable>>,
  dimensions: readonly SegmentDimension[],
): Array<{ by: SegmentDimension; cell: SegmentCell }> {
  return dimensions.flatMap((by) =>
    (tables[by]?.items ?? []).filter(isShown).flatMap((cell) => (cell.hotspot ? [{ by, cell }] : [])),
  );
}

/** The highest-need shown segment of one dimension for one focus, "Not stated" aside. */
function topSegment(table: SegmentTable | undefined, competencyId: string): SegmentCell | null {
  let best: SegmentCell | null = null;
  for (const cell of table?.items ?? []) {
    if (cell.competencyId !== competencyId || !isShown(cell) || cell.segment === null) continue;
    if (!best || cell.mwds > best.mwds) best = cell;
  }
  return best;
}

/**
 * One plain sentence about where a focus's need is highest: the school, and the group of
 * another dimension that stands out most. Only shown (non-suppressed) cells are used.
 */
export function whereNeedIsHighest(
  focus: RankedFocus,
  tables: Partial<Record<SegmentDimension, SegmentTable>>,
  k: number,
  dimensions: readonly SegmentDimension[],
): string {
  const school = topSegment(tables.school, focus.competencyId);
  // Of the other dimensions, the one whose top group is most clearly high: the highest lower bound.
  const lowerBound = (cell: SegmentCell) => cell.ci95?.[0] ?? Number.NEGATIVE_INFINITY;
  let other: { by: SegmentDimension; cell: SegmentCell } | null = null;
  for (const by of dimensions) {
    if (by === 'school') continue;
    const cell = topSegment(tables[by], focus.competencyId);
    if (cell && (!other || lowerBound(cell) > lowerBound(other.cell))) other = { by, cell };
  }
  const parts: string[] = [];
  if (school) parts.push(`${groupPhrase('school', school.label)} (MWDS ${fixed1(school.mwds)}${hot(school)})`);
  if (other)
    parts.push(`${groupPhrase(other.by, other.cell.label)} (MWDS ${fixed1(other.cell.mwds)}${hot(other.cell)})`);
  const subject = `Need for ${focus.name} (district MWDS ${fixed1(focus.mwds)})`;
  if (parts.length === 0) {
    return `${subject} cannot be broken down: every group is hidden because it has fewer than ${k} respondents.`;
  }
  const schoolsHidden = school ? '' : ` Every school's group is hidden (fewer than ${k} respondents).`;
  return `${subject} is highest ${parts.join(' and ')}.${schoolsHidden}`;
}

function hot(cell: SegmentCell): string {
  return cell.hotspot ? ', a hotspot' : '';
}

/** WCAG relative luminance of an `rgb(…)` or `#rrggbb` colour. */
export function luminance(colour: string): number {
  let channels: number[];
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (hex) channels = hex.slice(1).map((part) => Number.parseInt(part, 16));
  else channels = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const [r = 0, g = 0, b = 0] = channels.map((value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const INK = '#1b1f24';

/** The page's ink or white, whichever contrasts more with the fill. */
export function textOn(fill: string): string {
  const l = luminance(fill);
  return (l + 0.05) / (luminance(INK) + 0.05) >= 1.05 / (l + 0.05) ? INK : '#ffffff';
}

/** Height of one labelled row of a bar or interval chart: the name above, the mark below. */
export const CHART_ROW = 46;

/**
 * Each chart's height (px) for the rows it draws. The page keeps this much room for a chart
 * before the chart library has loaded, so nothing below it moves when the chart is drawn.
 */
export const chartHeight = {
  focuses: (rows: number) => rows * CHART_ROW + 50,
  rates: (rows: number) => rows * CHART_ROW + 60,
  strategies: (rows: number) => rows * CHART_ROW + 50,
  /** The heatmap's colour legend. */
  legend: 50,
};

/** The heatmap's grid: the focus names' column, each group's column and each focus's row (px). */
export interface HeatmapLayout {
  labelWidth: number;
  cellWidth: number;
  rowHeight: number;
  /** A phone: the groups' names wrap across their column; wider, they run upwards, as a chart's axis does. */
  narrow: boolean;
}

/**
 * The heatmap's grid for the width available. On a phone the focus names wrap onto up to
 * three lines in a narrow column, leaving room for a few groups beside them, and the grid
 * scrolls sideways; wider, the columns fill the width when they fit it, and scroll beyond that.
 */
export function heatmapLayout(width: number, columns: number): HeatmapLayout {
  const narrow = width < 600;
  const labelWidth = narrow ? 124 : 210;
  const fill = (width - labelWidth) / Math.max(1, columns);
  const cellWidth = Math.floor(narrow ? 72 : Math.max(44, Math.min(96, fill)));
  return { labelWidth, cellWidth, rowHeight: narrow ? 48 : 34, narrow };
}
