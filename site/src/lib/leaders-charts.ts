/**
 * The leadership pipeline as a heatmap drawn by Observable Plot: career stages down, roles
 * across, each cell's count written in it, so the colour is never the only way to read it.
 */
import * as Plot from '@observablehq/plot';
import { textOn } from './focuses';
import { type PipelineCell, type PipelineGrid, pipelineChartHeight } from './leaders';

const INK = '#1b1f24';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export function pipelineHeatmap(
  grid: PipelineGrid,
  width: number,
  description: { label: string; text: string },
  k: number,
): SVGSVGElement | HTMLElement {
  const narrow = width < 600;
  const marginLeft = narrow ? 124 : 200;
  const cellWidth = Math.max(56, Math.min(110, (width - marginLeft - 16) / Math.max(1, grid.roles.length)));
  const max = Math.max(1, ...grid.cells.map((cell) => cell.n ?? 0));
  const shown = grid.cells.filter((cell) => cell.n !== null);
  const hidden = grid.cells.filter((cell) => cell.n === null);
  const colour = Plot.scale({ color: { type: 'linear', scheme: 'Blues', domain: [0, max] } });
  const stageName = new Map(grid.stages.map((stage) => [stage.id, stage.name]));
  const roleName = new Map(grid.roles.map((role) => [role.id, role.name]));
  return Plot.plot({
    width: Math.max(width, marginLeft + 16 + grid.roles.length * cellWidth),
    style: { fontFamily: FONT, fontSize: '12px', color: INK, background: 'transparent', overflow: 'visible' },
    ariaLabel: description.label,
    ariaDescription: description.text,
    height: pipelineChartHeight(grid),
    marginLeft,
    marginRight: 16,
    marginTop: 10,
    marginBottom: 120,
    x: { domain: grid.roles.map((role) => role.id), label: null, tickRotate: -35, tickSize: 0 },
    y: { domain: grid.stages.map((stage) => stage.id), label: null, axis: null },
    color: { type: 'linear', scheme: 'Blues', domain: [0, max] },
    marks: [
      Plot.axisX({
        tickFormat: (id: string) => roleName.get(id) ?? id,
        tickRotate: -35,
        tickSize: 0,
        label: null,
        lineWidth: 14,
        fill: INK,
      }),
      Plot.axisY({
        tickFormat: (id: string) => stageName.get(id) ?? id,
        tickSize: 0,
        label: null,
        // In ems of the 12 px labels, leaving room for the gap before the cells.
        lineWidth: (marginLeft - 18) / 12,
        fill: INK,
      }),
      Plot.cell(shown, { x: 'role', y: 'stage', fill: 'n', inset: 1 }),
      // A hidden cell (fewer than k, or nobody: the same) is grey and says so, never 0.
      Plot.cell(hidden, { x: 'role', y: 'stage', fill: '#eeeeee', inset: 1 }),
      Plot.text(shown, {
        x: 'role',
        y: 'stage',
        text: (cell: PipelineCell) => String(cell.n),
        fill: (cell: PipelineCell) => textOn(String(colour.apply(cell.n ?? 0))),
        fontSize: 12,
        fontWeight: 600,
      }),
      Plot.text(hidden, { x: 'role', y: 'stage', text: () => `< ${k}`, fill: INK, fontSize: 12 }),
    ],
  });
}
