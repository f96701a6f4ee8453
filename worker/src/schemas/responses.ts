/** What a respondent's routes answer, as the OpenAPI document states it. */
import { z } from 'zod';

/**
 * A SurveyJS survey as its JSON file in surveys/ has it, less the identified-only questions
 * in an anonymous campaign. Its pages' elements (questions and panels) are SurveyJS's own format.
 */
const surveyJson = z.looseObject({
  pages: z.array(z.looseObject({ name: z.string().optional(), elements: z.array(z.unknown()).optional() })).optional(),
});

export const respondentSurvey = z.object({
  id: z.string(),
  title: z.string(),
  mode: z.enum(['anonymous', 'identified']),
  minGroupSize: z.number().int(),
  status: z.enum(['open', 'closed']),
  /** Null when the campaign names a survey this installation no longer has. */
  survey: surveyJson.nullable(),
  /** With a personal link: whose it is and whether it was used; null without one. */
  invitation: z
    .object({
      status: z.enum(['unused', 'used']),
      name: z.string(),
      /**
       * For an unused link only: what the roster says about its holder, as answers to fill in
       * (each one the survey offers; the holder can change them). Null for a used link.
       */
      fromRoster: z
        .object({
          school: z.string().optional(),
          role: z.string().optional(),
          careerStage: z.string().optional(),
          subject: z.string().optional(),
          gradeBand: z.string().optional(),
        })
        .nullable(),
    })
    .nullable(),
});

export const nominationStaff = z.object({ items: z.array(z.object({ staffId: z.string(), label: z.string() })) });

export const submittedResponse = z.object({ id: z.string() });
