/**
 * Checks a survey definition against the competency framework: every id a survey names
 * must exist in content/, and every competency must be asked about. A district that
 * edits one without the other learns it from the tests, not from its staff.
 */
import { RATING_SCALES, type SurveyJson, surveyShape } from './answers';
import { type IdListName, idLists, type Named } from './framework';

/** Which framework list each choice question draws its ids from. */
export const CHOICE_LISTS: Record<string, IdListName> = {
  role: 'jobRoles',
  careerStage: 'careerStages',
  subject: 'subjects',
  gradeBand: 'gradeBands',
  interests: 'competencies',
  strategies: 'strategies',
  leadershipInterest: 'leadershipRoles',
};

export function surveyProblems(survey: SurveyJson, lists: Record<IdListName, Named[]> = idLists): string[] {
  const problems: string[] = [];
  const shape = surveyShape(survey);
  const competencyIds = new Set(lists.competencies.map((c) => c.id));

  for (const id of shape.ratedCompetencies) {
    if (!competencyIds.has(id)) problems.push(`rates unknown competency "${id}"`);
  }
  for (const id of competencyIds) {
    for (const scale of RATING_SCALES) {
      if (!shape.questions.has(`${id}__${scale}`)) problems.push(`has no ${scale} question for "${id}"`);
    }
  }
  for (const [question, listName] of Object.entries(CHOICE_LISTS)) {
    const choices = shape.questions.get(question)?.choices;
    if (!choices) {
      problems.push(`has no "${question}" question with choices`);
      continue;
    }
    const known = new Set(lists[listName].map((item) => item.id));
    for (const id of choices) {
      if (!known.has(id)) problems.push(`"${question}" offers "${id}", which is not in ${listName}`);
    }
    for (const id of known) {
      if (!choices.includes(id)) problems.push(`"${question}" does not offer "${id}" from ${listName}`);
    }
  }
  return problems;
}
