/**
 * Leaders from inside: the pipeline grid the chart and its table both read, so the two
 * always show the same numbers, from the leaders API's answer.
 */
import type { InferResponseType } from 'hono/client';
import type { api } from './api';

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
  n: number;
}

export interface PipelineGrid {
  stages: Named[];
  roles: Named[];
  cells: PipelineCell[];
  stageTotals: Map<string, number>;
  roleTotals: Map<string, number>;
  total: number;
}

const schoolKey = (schoolId: string | null): string => schoolId ?? NO_SCHOOL;

/** The schools the pipeline has rows for, by name; a row without a name borrows one from the other lists. */
export function pipelineSchools(view: LeadersView): Named[] {
  const known = new Map<string, string>();
  for (const person of view.aspiringLeaders)
    if (person.schoolId && person.school) known.set(person.schoolId, person.school);
  for (const school of view.influencers)
    if (school.schoolId && school.school) known.set(school.schoolId, school.school);
  const seen = new Map<string, string>();
  for (const row of view.pipeline.rows) {
    const name = row.schoolId === null ? NO_SCHOOL_NAME : (row.school ?? known.get(row.schoolId) ?? row.schoolId);
    seen.set(schoolKey(row.schoolId), name);
  }
  return [...seen]
    .map(([id, name]) => ({ id, name }))
    .sort((a, b) => Number(a.id === NO_SCHOOL) - Number(b.id === NO_SCHOOL) || a.name.localeCompare(b.name));
}

/** Counts by career stage × leadership role for one school or all, every pair present (0 when none). */
export function pipelineGrid(pipeline: LeadersView['pipeline'], school: string): PipelineGrid {
  const rows = pipeline.rows.filter((row) => school === ALL_SCHOOLS || schoolKey(row.schoolId) === school);
  const counts = new Map<string, number>();
  let unstated = false;
  for (const row of rows) {
    const stage = row.careerStage ?? NOT_STATED.id;
    if (row.careerStage === null) unstated = true;
    const key = `${stage}|${row.leadershipRole}`;
    counts.set(key, (counts.get(key) ?? 0) + row.n);
  }
  const stages = [...pipeline.careerStages, ...(unstated ? [NOT_STATED] : [])];
  const roles = pipeline.leadershipRoles;
  const cells: PipelineCell[] = [];
  const stageTotals = new Map<string, number>();
  const roleTotals = new Map<string, number>();
  let total = 0;
  for (const stage of stages) {
    for (const role of roles) {
      const n = counts.get(`${stage.id}|${role.id}`) ?? 0;
      cells.push({ stage: stage.id, stageName: stage.name, role: role.id, roleName: role.name, n });
      stageTotals.set(stage.id, (stageTotals.get(stage.id) ?? 0) + n);
      roleTotals.set(role.id, (roleTotals.get(role.id) ?? 0) + n);
      total += n;
    }
  }
  return { stages, roles, cells, stageTotals, roleTotals, total };
}

/** One sentence for the chart's text alternative. */
export function pipelineSummary(grid: PipelineGrid, where: string): string {
  if (grid.total === 0) return `No one ${where} asked about a leadership role.`;
  const top = grid.cells.reduce((best, cell) => (cell.n > best.n ? cell : best));
  return (
    `${grid.total} leadership interests ${where}, by career stage and role. ` +
    `The largest group: ${top.n} ${top.stageName} staff interested in ${top.roleName}. ` +
    'The table that follows has every count.'
  );
}
