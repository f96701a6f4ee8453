/**
 * The focus stage's charts, drawn by Observable Plot. Each takes the API's figures and the
 * width available and returns Plot's SVG, as tall as `chartHeight` says (the page keeps that
 * room before this module, and Plot with it, is loaded: see LazyChart.svelte).
 * Long names sit above their row rather than beside it, so a 360 px phone keeps room for
 * the marks themselves.
 */

import * as Plot from '@observablehq/plot';
import {
  type Cell,
  chartHeight,
  fixed1,
  type HeatmapLayout,
  isShown,
  isShownRate,
  percent,
  type RankedFocus,
  type ResponseRates,
  rankRanges,
  type SegmentCell,
  type ShownRate,
  type StrategyShare,
  textOn,
} from './focuses';
import { byText } from './format';

const INK = '#1b1f24';
const MUTED = '#4a5560';
const ACCENT = '#0f6b53';
const ACCENT_DARK = '#0a5240';
const HIDDEN_FILL = '#e4e8e6';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const base = (width: number) => ({
  width,
  style: { fontFamily: FONT, fontSize: '12px', color: INK, background: 'transparent', overflow: 'visible' },
});

/** Characters that fit a line of text at 12 px, as Plot's lineWidth (in ems) expects. */
const ems = (pixels: number) => Math.max(10, pixels / 12);

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
    height: chartHeight.focuses(focuses.length),
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

/** The colour scale of the heatmap and its legend: light for the lowest shown need, dark for the highest. */
function needColour(cells: Cell[]) {
  const values = cells.filter(isShown).map((cell) => cell.mwds);
  const domain: [number, number] = values.length > 0 ? [Math.min(...values), Math.max(...values)] : [0, 1];
  if (domain[0] === domain[1]) domain[1] = domain[0] + 1;
  return { type: 'linear', scheme: 'YlOrRd', domain, label: 'MWDS (need): light = lower, dark = higher' } as const;
}

/**
 * The heatmap's cells alone, one column per group and one row per focus, exactly on the
 * page's grid (`layout`): the focus and group names are the page's own text beside and above
 * it, so they can stay in view while the grid scrolls.
 */
export function heatmap(
  cells: Cell[],
  focusIds: string[],
  segments: string[],
  layout: HeatmapLayout,
  description: { label: string; text: string },
): SVGSVGElement | HTMLElement {
  const shown = cells.filter(isShown);
  const hidden = cells.filter((cell) => !isShown(cell));
  const color = needColour(cells);
  const colour = Plot.scale({ color });
  const fillOf = (cell: SegmentCell) => String(colour.apply(cell.mwds));
  return Plot.plot({
    ...base(segments.length * layout.cellWidth),
    ariaLabel: description.label,
    ariaDescription: description.text,
    height: focusIds.length * layout.rowHeight,
    margin: 0,
    x: { domain: segments, axis: null, padding: 0 },
    y: { domain: focusIds, axis: null, padding: 0 },
    color,
    marks: [
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
}

/** The heatmap's colour legend, `chartHeight.legend` tall; decoration beside the chart's own description. */
export function heatmapLegend(cells: Cell[]): SVGSVGElement | HTMLElement {
  const legend = Plot.legend({ color: needColour(cells), width: 320, style: { fontFamily: FONT, color: INK } });
  legend.setAttribute('aria-hidden', 'true');
  return legend;
}

export function responseRateChart(
  rates: ResponseRates,
  width: number,
  description: { label: string; text: string },
): SVGSVGElement | HTMLElement {
  // Only schools whose count is shown: a hidden one has neither a count nor a rate to draw.
  const rows: ShownRate[] = rates.items
    .filter(isShownRate)
    .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || byText(a.name, b.name));
  return Plot.plot({
    ...base(width),
    ariaLabel: description.label,
    ariaDescription: description.text,
    height: chartHeight.rates(rows.length),
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
    height: chartHeight.strategies(strategies.length),
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
