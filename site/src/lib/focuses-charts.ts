/**
 * The focus stage's charts, drawn by Observable Plot. Each takes the API's figures and the
 * width available and returns Plot's SVG (or a figure holding a legend and the SVG).
 * Long names sit above their row rather than beside it, so a 360 px phone keeps room for
 * the marks themselves.
 */
import * as Plot from '@observablehq/plot';
import {
  type Cell,
  fixed1,
  isShown,
  isShownRate,
  percent,
  type RankedFocus,
  type ResponseRates,
  type SegmentCell,
  type ShownRate,
  type StrategyShare,
  textOn,
} from './focuses';

const INK = '#1b1f24';
const MUTED = '#4a5560';
const ACCENT = '#0f6b53';
const ACCENT_DARK = '#0a5240';
const HIDDEN_FILL = '#e4e8e6';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** Height of one labelled row: the name above, the mark below. */
const ROW = 46;

const base = (width: number) => ({
  width,
  style: { fontFamily: FONT, fontSize: '12px', color: INK, background: 'transparent', overflow: 'visible' },
});

/** Characters that fit a line of text at 12 px, as Plot's lineWidth (in ems) expects. */
const ems = (pixels: number) => Math.max(10, pixels / 12);

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

export function focusChart(
  focuses: RankedFocus[],
  width: number,
  description: { label: string; text: string },
): SVGSVGElement | HTMLElement {
  const rankOf = new Map(focuses.map((focus) => [focus.competencyId, focus.rank]));
  const label = (focus: RankedFocus) => {
    const tied = focus.tiedWith.map((id) => rankOf.get(id)).filter((rank): rank is number => rank !== undefined);
    const note = tied.length > 0 ? ` · tied with ${rankRanges(tied)}` : '';
    return `${focus.rank}. ${focus.name}${note}`;
  };
  const high = Math.max(1, ...focuses.map((focus) => focus.ci95?.[1] ?? focus.mwds));
  const low = Math.min(0, ...focuses.map((focus) => focus.ci95?.[0] ?? focus.mwds));
  const tiedFocuses = focuses.filter((focus) => focus.tiedWith.length > 0);
  return Plot.plot({
    ...base(width),
    ariaLabel: description.label,
    ariaDescription: description.text,
    height: focuses.length * ROW + 50,
    marginTop: 20,
    marginLeft: 12,
    marginRight: 16,
    marginBottom: 40,
    x: { domain: [low, high], nice: true, grid: true, label: 'MWDS (need), with 95% interval →', labelAnchor: 'left' },
    // A point scale (no bars here): half a step of padding puts each row in the middle of its slot.
    y: { domain: focuses.map((focus) => focus.competencyId), axis: null, padding: 0.5 },
    marks: [
      Plot.ruleX([0], { stroke: MUTED }),
      // Tied focuses get a wider, paler band behind their interval as well as the words "tied with".
      Plot.ruleY(tiedFocuses, {
        y: 'competencyId',
        x1: (focus: RankedFocus) => focus.ci95?.[0] ?? focus.mwds,
        x2: (focus: RankedFocus) => focus.ci95?.[1] ?? focus.mwds,
        stroke: '#b9d8cd',
        strokeWidth: 12,
        dy: 9,
      }),
      Plot.ruleY(focuses, {
        y: 'competencyId',
        x1: (focus: RankedFocus) => focus.ci95?.[0] ?? focus.mwds,
        x2: (focus: RankedFocus) => focus.ci95?.[1] ?? focus.mwds,
        stroke: ACCENT,
        strokeWidth: 3,
        dy: 9,
      }),
      Plot.dot(focuses, { y: 'competencyId', x: 'mwds', r: 5, fill: ACCENT_DARK, stroke: 'white', dy: 9 }),
      Plot.text(focuses, {
        y: 'competencyId',
        text: label,
        frameAnchor: 'left',
        textAnchor: 'start',
        dy: -10,
        fill: INK,
        stroke: 'white',
        strokeWidth: 4,
        fontSize: 12,
        lineWidth: ems(width - 30),
        textOverflow: 'ellipsis-end',
      }),
    ],
  });
}

export function heatmap(
  cells: Cell[],
  focuses: Array<{ competencyId: string; name: string }>,
  segments: string[],
  width: number,
  description: { label: string; text: string },
): SVGSVGElement | HTMLElement {
  const nameOf = new Map(focuses.map((focus) => [focus.competencyId, focus.name]));
  const shown = cells.filter(isShown);
  const hidden = cells.filter((cell) => !isShown(cell));
  const values = shown.map((cell) => cell.mwds);
  const domain: [number, number] = values.length > 0 ? [Math.min(...values), Math.max(...values)] : [0, 1];
  if (domain[0] === domain[1]) domain[1] = domain[0] + 1;
  const colour = Plot.scale({ color: { type: 'linear', scheme: 'YlOrRd', domain } });
  const fillOf = (cell: SegmentCell) => String(colour.apply(cell.mwds));
  // On a phone the focus names wrap onto two lines, leaving room for a column or two beside them.
  const narrow = width < 600;
  const marginLeft = narrow ? 130 : 250;
  // Fill the width available when the columns fit it; scroll beyond that.
  const cellWidth = Math.max(narrow ? 52 : 46, Math.min(80, (width - marginLeft - 16) / Math.max(1, segments.length)));
  const chart = Plot.plot({
    ...base(Math.max(width, marginLeft + 16 + segments.length * cellWidth)),
    ariaLabel: description.label,
    ariaDescription: description.text,
    height: focuses.length * 32 + 130,
    marginLeft,
    marginRight: 16,
    marginTop: 10,
    marginBottom: 120,
    x: { domain: segments, label: null, tickRotate: -40, tickSize: 0 },
    y: { domain: focuses.map((focus) => focus.competencyId), label: null, axis: null },
    color: { type: 'linear', scheme: 'YlOrRd', domain, label: 'MWDS (need)' },
    marks: [
      Plot.axisY({
        tickFormat: (id: string) => nameOf.get(id) ?? id,
        tickSize: 0,
        label: null,
        fontSize: 11,
        lineWidth: (marginLeft - 12) / 11,
        fill: INK,
      }),
      Plot.cell(shown, { x: 'label', y: 'competencyId', fill: 'mwds', inset: 1 }),
      Plot.cell(hidden, { x: 'label', y: 'competencyId', fill: HIDDEN_FILL, inset: 1 }),
      // Hotspots: a heavy outline and a ▲ after the figure, not only a colour.
      Plot.cell(
        shown.filter((cell) => cell.hotspot),
        { x: 'label', y: 'competencyId', fill: 'none', stroke: INK, strokeWidth: 2.5, inset: 2.5 },
      ),
      ...[false, true].map((hot) =>
        Plot.text(
          shown.filter((cell) => cell.hotspot === hot),
          {
            x: 'label',
            y: 'competencyId',
            text: (cell: SegmentCell) => `${fixed1(cell.mwds)}${hot ? ' ▲' : ''}`,
            fill: (cell: SegmentCell) => textOn(fillOf(cell)),
            fontSize: 11,
            fontWeight: hot ? 700 : 400,
          },
        ),
      ),
      Plot.text(hidden, { x: 'label', y: 'competencyId', text: () => 'hidden', fill: MUTED, fontSize: 10 }),
    ],
  });
  const legend = chart.legend('color', { label: 'MWDS (need): light = lower, dark = higher', width: 320 });
  if (!legend) return chart;
  const wrapper = document.createElement('div');
  legend.setAttribute('aria-hidden', 'true');
  wrapper.append(legend, chart);
  return wrapper;
}

export function responseRateChart(
  rates: ResponseRates,
  width: number,
  description: { label: string; text: string },
): SVGSVGElement | HTMLElement {
  // Only schools whose count is shown: a hidden one has neither a count nor a rate to draw.
  const rows: ShownRate[] = rates.items
    .filter(isShownRate)
    .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || a.name.localeCompare(b.name));
  return Plot.plot({
    ...base(width),
    ariaLabel: description.label,
    ariaDescription: description.text,
    height: rows.length * ROW + 60,
    marginTop: 30,
    marginLeft: 12,
    marginRight: 20,
    marginBottom: 40,
    x: { domain: [0, 1], tickFormat: '.0%', grid: true, label: 'Response rate →', labelAnchor: 'left' },
    y: { domain: rows.map((row) => row.school), axis: null, padding: 0 },
    marks: [
      Plot.barX(rows, { y: 'school', x: (row) => row.rate ?? 0, fill: ACCENT, insetTop: 22, insetBottom: 6 }),
      Plot.text(rows, {
        y: 'school',
        text: (row) => `${row.name}: ${percent(row.rate)} (${row.responses} of ${row.staff})`,
        frameAnchor: 'left',
        textAnchor: 'start',
        dy: -10,
        fill: INK,
        stroke: 'white',
        strokeWidth: 4,
        lineWidth: ems(width - 30),
        textOverflow: 'ellipsis-end',
      }),
      ...(rates.rate === null
        ? []
        : [
            Plot.ruleX([rates.rate], { stroke: INK, strokeDasharray: '5 3', strokeWidth: 1.5 }),
            Plot.text([rates.rate], {
              x: (rate: number) => rate,
              frameAnchor: 'top',
              dy: -20,
              text: (rate: number) => `District ${percent(rate)}`,
              // Near either end the label would stick out of the chart; it leans inwards instead.
              textAnchor: rates.rate < 0.1 ? 'start' : rates.rate > 0.9 ? 'end' : 'middle',
              fill: INK,
              fontWeight: 600,
            }),
          ]),
    ],
  });
}

/** The first-choice share, or that it is too few people to show. */
export function firstText(share: number | null, k: number): string {
  return share === null ? `fewer than ${k} put it first` : `${percent(share)} first`;
}

export function strategyChart(
  strategies: StrategyShare[],
  width: number,
  description: { label: string; text: string },
  k: number,
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    ...base(width),
    ariaLabel: description.label,
    ariaDescription: description.text,
    height: strategies.length * ROW + 50,
    marginTop: 20,
    marginLeft: 12,
    marginRight: 20,
    marginBottom: 40,
    x: { domain: [0, 1], tickFormat: '.0%', grid: true, label: 'Share of staff with high need →', labelAnchor: 'left' },
    y: { domain: strategies.map((strategy) => strategy.strategyId), axis: null, padding: 0 },
    marks: [
      // Outline: chose it at all; solid: put it first. Words in the label say the same.
      Plot.barX(strategies, {
        y: 'strategyId',
        x: 'share',
        fill: 'white',
        stroke: ACCENT_DARK,
        strokeWidth: 1.5,
        insetTop: 22,
        insetBottom: 6,
      }),
      Plot.barX(strategies, {
        y: 'strategyId',
        // Fewer than k put it first (null): no bar, and the label says so.
        x: (strategy: StrategyShare) => strategy.firstChoiceShare ?? 0,
        fill: ACCENT_DARK,
        insetTop: 22,
        insetBottom: 6,
      }),
      Plot.text(strategies, {
        y: 'strategyId',
        text: (strategy: StrategyShare) =>
          `${strategy.name}: ${percent(strategy.share)} chose it, ${firstText(strategy.firstChoiceShare, k)}`,
        frameAnchor: 'left',
        textAnchor: 'start',
        dy: -10,
        fill: INK,
        stroke: 'white',
        strokeWidth: 4,
        lineWidth: ems(width - 30),
        textOverflow: 'ellipsis-end',
      }),
    ],
  });
}
