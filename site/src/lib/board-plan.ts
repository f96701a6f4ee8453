/**
 * The words of a PL plan, shared by the plan editor on the board and the print page, so
 * both name the levels, strategies, feedback measures and pilot group the same way.
 */
import strategiesJson from '../../../content/strategies.json';
import type { FeedbackMeasure } from '../../../worker/src/domain/boards';
import { type PlanView, timeText } from './board-view';

/** Whom each level of a learning progression describes: a reader's heading and the editor's label. */
export const PROGRESSION_WHO = [
  { key: 'educators', name: 'Educators', label: 'What educators will show' },
  { key: 'staff', name: 'Staff', label: 'What staff will show' },
  { key: 'students', name: 'Students', label: 'What students will show' },
] as const;
export type Who = (typeof PROGRESSION_WHO)[number]['key'];

/** What the PL feedback survey asks participants about, in a teacher's words. */
export const FEEDBACK_LABELS: Record<FeedbackMeasure, string> = {
  relevance: 'Relevance to their work',
  quality: 'Quality of the learning',
  preparedness: 'Change in how prepared they feel',
  recommend: 'Likelihood to recommend it to a colleague',
  comment: 'A comment in their own words',
};
export const feedbackLabel = (measure: FeedbackMeasure): string => FEEDBACK_LABELS[measure] ?? measure;

export interface Strategy {
  id: string;
  name: string;
  description: string;
  delivery: string;
}
export const STRATEGIES = strategiesJson as Strategy[];
const names = new Map(STRATEGIES.map((strategy) => [strategy.id, strategy.name]));
export const strategyName = (id: string): string => names.get(id) ?? id;
/** The strategies a plan chose, in the catalogue's order. */
export const chosenStrategies = (ids: readonly string[]): Strategy[] =>
  STRATEGIES.filter((strategy) => ids.includes(strategy.id));

/** The confirmed pilot group of a plan's focus, in a sentence. */
export function pilotText(pilot: PlanView['pilotGroup']): string {
  if (!pilot) return 'No pilot group confirmed yet for this focus — a director confirms one on the Pilot groups page.';
  const members = `${pilot.members} ${pilot.members === 1 ? 'member' : 'members'}`;
  const schools = `${pilot.schools} ${pilot.schools === 1 ? 'school' : 'schools'}`;
  return `${members} across ${schools}, ${pilot.coach ? `coach ${pilot.coach}` : 'no coach named yet'}.`;
}

/** "Version 3, last saved by Ana Ruiz on Oct 2, 2026, 3:04 PM."; on an anonymous board, without the name. */
export const savedText = (plan: Pick<PlanView, 'version' | 'updatedBy' | 'updatedAt'>): string =>
  `Version ${plan.version}, last saved${plan.updatedBy ? ` by ${plan.updatedBy}` : ''} on ${timeText(plan.updatedAt)}.`;
