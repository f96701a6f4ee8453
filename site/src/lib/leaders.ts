/**
 * Leaders from inside: the pipeline grid the chart and its table both read, so the two
 * always show the same numbers, from the leaders API's answer.
 */

import type { InferResponseType } from 'hono/client';
import type { api } from './api';
import { byText } from './format';

/** GET /api/campaigns/:id/leaders: aspiring leaders, influencers by school, and the pipeline's counts. */
export type LeadersView = InferResponseType<(typeof api.campaigns)[':id']['leaders']['$get']>;
/** A career stage or a leadership role, as the pipeline names them. */
export type Named = LeadersView['pipeline']['careerStages'][number];

export const ALL_SCHOOLS = '*';
/** The select's value for staff with no school; school ids never start with a colon. */
export const NO_SCHOOL = ':none';
export const NO_SCHOOL_NAME = 'District office (no school)';
const NOT_STATED: Named = { id: ':unstated', name: 'Career stage not stated' };

export interface PipelineCell {
  stage: string;
  stageName: string;
  role: string;
  roleName: string;
  /** null: not published (fewer than k people besides the named aspiring leaders, or nobody). */
  n: number | null;
}

export interface PipelineGrid {
  stages: Named[];
  roles: Named[];
  cells: PipelineCell[];
  /** The sum of the shown cells only: hidden cells are never guessed at, so this is a floor. */
  shownTotal: number;
  hiddenCells: number;
}

const schoolKey = (schoolId: string | null): string => schoolId ?? NO_SCHOOL;

/**
 * The heatmap's height in pixels (leaders-charts.ts draws it so): known before Plot is
 * loaded, so the space the chart will take is kept for it and nothing below moves.
 */
export const pipelineChartHeight = (grid: PipelineGrid): number => grid.stages.length * 44 + 130;

/** Every school on the roster, shown or not, by name (staff with no school last). */
export function pipelineSchools(view: LeadersView): Named[] {
  return view.pipeline.schools
    .map((school) => ({
      id: schoolKey(school.schoolId),
      name: school.schoolId === null ? NO_SCHOOL_NAME : (school.school ?? school.schoolId),
    }))
    .sort((a, b) => Number(a.id === NO_SCHOOL) - Number(b.id === NO_SCHOOL) || byText(a.name, b.name));
}

/**
 * Counts by career stage × leadership role for one school or the district, every pair
 * present: a pair the worker did not publish is null, the same for "nobody" and "a few".
 */
export function pipelineGrid(pipeline: LeadersView['pipeline'], school: string): PipelineGrid {
  const rows =
    school === ALL_SCHOOLS ? pipeline.district : pipeline.rows.filter((row) => schoolKey(row.schoolId) === school);
  const counts = new Map<string, number>();
  let unstated = false;
  for (const row of rows) {
    const stage = row.careerStage ?? NOT_STATED.id;
    if (row.careerStage === null) unstated = true;
    counts.set(`${stage}|${row.leadershipRole}`, row.n);
  }
  const stages = [...pipeline.careerStages, ...(unstated ? [NOT_STATED] : [])];
  const roles = pipeline.leadershipRoles;
  const cells: PipelineCell[] = [];
  let shownTotal = 0;
  let hiddenCells = 0;
  for (const stage of stages) {
    for (const role of roles) {
      const n = counts.get(`${stage.id}|${role.id}`) ?? null;
      cells.push({ stage: stage.id, stageName: stage.name, role: role.id, roleName: role.name, n });
      if (n === null) hiddenCells += 1;
      else shownTotal += n;
    }
  }
  return { stages, roles, cells, shownTotal, hiddenCells };
}

/** One sentence for the chart's text alternative. */
export function pipelineSummary(grid: PipelineGrid, where: string, k: number): string {
  const shown = grid.cells.filter((cell) => cell.n !== null);
  if (shown.length === 0) {
    return `No group of staff ${where} is large enough to show: every cell has fewer than ${k} people.`;
  }
  const top = shown.reduce((best, cell) => ((cell.n ?? 0) > (best.n ?? 0) ? cell : best));
  return (
    `${shown.length} of ${grid.cells.length} groups of staff ${where} are large enough to show, ` +
    `with ${grid.shownTotal} leadership interests. ` +
    `The largest: ${top.n} ${top.stageName} staff interested in ${top.roleName}. ` +
    `The others have fewer than ${k} people. The table that follows has every cell.`
  );
}
