/**
 * The surveys a campaign can send, by id: the same JSON files in surveys/ that the site
 * renders, so what the worker validates against is exactly what the respondent saw.
 */
import needsAssessment from '../../../surveys/needs-assessment.json';
import { type SurveyJson, type SurveyShape, surveyShape } from './answers';

export const surveys: Record<string, SurveyJson> = {
  'needs-assessment': needsAssessment as SurveyJson,
};

const shapes = new Map<string, SurveyShape>();

export function shapeOf(surveyId: string): SurveyShape | undefined {
  const survey = surveys[surveyId];
  if (!survey) return undefined;
  let shape = shapes.get(surveyId);
  if (!shape) {
    shape = surveyShape(survey);
    shapes.set(surveyId, shape);
  }
  return shape;
}
