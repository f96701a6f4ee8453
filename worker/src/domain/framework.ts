/**
 * The district's competency framework and the id lists the answer contract uses.
 * The data lives in content/ (edited by the district, then rebuilt); this module only
 * gives it types and lookups, so the worker and the site read the very same files.
 */
import careerStagesJson from '../../../content/career-stages.json';
import competenciesJson from '../../../content/competencies.json';
import domainsJson from '../../../content/domains.json';
import gradeBandsJson from '../../../content/grade-bands.json';
import hexagonIndicatorsJson from '../../../content/hexagon-indicators.json';
import jobRolesJson from '../../../content/job-roles.json';
import leadershipRolesJson from '../../../content/leadership-roles.json';
import strategiesJson from '../../../content/strategies.json';
import subjectsJson from '../../../content/subjects.json';

export interface Named {
  id: string;
  name: string;
  description?: string;
}
export interface Domain extends Named {
  description: string;
}
export interface Competency extends Named {
  domain: string;
  description: string;
  /** Five levels, from beginning (1) to leading others (5). */
  progression: string[];
}
export interface Strategy extends Named {
  delivery: 'internal' | 'external';
}
export interface HexagonIndicator extends Named {
  area: 'program' | 'implementing-site';
  question: string;
}

export const domains: Domain[] = domainsJson;
export const competencies: Competency[] = competenciesJson;
export const strategies = strategiesJson as Strategy[];
export const jobRoles: Named[] = jobRolesJson;
export const careerStages: Named[] = careerStagesJson;
export const leadershipRoles: Named[] = leadershipRolesJson;
export const subjects: Named[] = subjectsJson;
export const gradeBands: Named[] = gradeBandsJson;
export const hexagonIndicators = hexagonIndicatorsJson as HexagonIndicator[];

/** The id lists a survey's choices may draw from, by the list's public name. */
export const idLists = {
  competencies,
  strategies,
  jobRoles,
  careerStages,
  leadershipRoles,
  subjects,
  gradeBands,
} as const satisfies Record<string, Named[]>;

export type IdListName = keyof typeof idLists;

export function idsOf(list: Named[]): Set<string> {
  return new Set(list.map((item) => item.id));
}
