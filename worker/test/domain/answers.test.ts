import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Answers,
  answersToSurveyData,
  rosterAnswers,
  type SurveyJson,
  surveyDataToAnswers,
  surveyForMode,
  surveyShape,
  validateAnswers,
} from '../../src/domain/answers';
import { canonicalJson } from '../../src/domain/fingerprint';

const survey: SurveyJson = JSON.parse(
  readFileSync(new URL('../../../surveys/needs-assessment.json', import.meta.url), 'utf8'),
);
const shape = surveyShape(survey);

describe('the answer contract and SurveyJS data', () => {
  it('maps rating questions to ratings keyed by competency', () => {
    expect(
      surveyDataToAnswers({
        school: 'maple',
        'formative-assessment__importance': 5,
        'formative-assessment__proficiency': 2,
        interests: ['formative-assessment'],
      }),
    ).toEqual({
      school: 'maple',
      interests: ['formative-assessment'],
      ratings: { 'formative-assessment': { importance: 5, proficiency: 2 } },
    });
  });

  it('round-trips any valid answers', () => {
    const rating = fc.record({
      importance: fc.integer({ min: 1, max: 5 }),
      proficiency: fc.integer({ min: 1, max: 5 }),
    });
    const competency = fc.constantFrom(...shape.ratedCompetencies);
    fc.assert(
      fc.property(fc.dictionary(competency, rating), fc.option(fc.string(), { nil: undefined }), (ratings, comment) => {
        const answers: Answers = { school: 's', ratings, ...(comment === undefined ? {} : { comment }) };
        const back = surveyDataToAnswers(answersToSurveyData(answers));
        if (Object.keys(ratings).length === 0) delete answers.ratings;
        expect(back).toEqual(answers);
      }),
    );
  });

  it('finds all sixteen competencies rated in the survey', () => {
    expect(shape.ratedCompetencies).toHaveLength(16);
  });
});

describe('validateAnswers', () => {
  it('accepts a minimal answer and drops empty ones', () => {
    expect(
      validateAnswers(
        { school: 'any-school', role: 'paraprofessional', comment: '  ', interests: [] },
        shape,
        'anonymous',
      ),
    ).toEqual({
      ok: true,
      answers: { school: 'any-school', role: 'paraprofessional' },
    });
  });

  it('reports every problem at once', () => {
    const result = validateAnswers(
      { role: 'astronaut', ratings: { 'formative-assessment': { importance: 9, proficiency: 1 } }, pilotWilling: true },
      shape,
      'anonymous',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => [error.path, error.code])).toEqual([
      ['role', 'UNKNOWN_ID'],
      ['ratings.formative-assessment.importance', 'OUT_OF_RANGE'],
      ['pilotWilling', 'NOT_IN_THIS_CAMPAIGN'],
      ['school', 'REQUIRED'],
    ]);
  });

  it('never accepts a rating outside 1–5', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 5 }), (importance, proficiency) => {
        const result = validateAnswers(
          { school: 's', role: 'classroom-teacher', ratings: { 'formative-assessment': { importance, proficiency } } },
          shape,
          'identified',
        );
        expect(result.ok).toBe(importance >= 1 && importance <= 5);
      }),
    );
  });
});

describe('what each mode asks', () => {
  const names = (json: SurveyJson) => [...surveyShape(json).questions.keys()];

  it('asks an anonymous respondent nothing only a named one could be followed up on', () => {
    const anonymous = surveyForMode(survey, 'anonymous');
    expect(anonymous.pages?.map((page) => page.name)).not.toContain('leadership');
    for (const question of [
      'leadershipInterest',
      'selfNominate',
      'peerNominations',
      'pilotWilling',
      'contactConsent',
    ]) {
      expect(names(anonymous)).not.toContain(question);
      expect(names(surveyForMode(survey, 'identified'))).toContain(question);
    }
    expect(names(anonymous)).toEqual(expect.arrayContaining(['school', 'role', 'interests', 'strategies', 'comment']));
  });

  it('marks the questions of an identified-only page or panel identified-only, and refuses them anonymously', () => {
    const json: SurveyJson = {
      pages: [
        { name: 'open', elements: [{ type: 'comment', name: 'note' }] },
        {
          name: 'named',
          visibleIf: "{mode} = 'identified'",
          elements: [
            { type: 'boolean', name: 'lead', visibleIf: '{note} notempty' },
            { type: 'panel', name: 'more', elements: [{ type: 'boolean', name: 'pilot' }] },
          ],
        },
        {
          name: 'mixed',
          elements: [
            { type: 'panel', name: 'p', visibleIf: "{mode} = 'identified'", elements: [{ type: 'text', name: 'who' }] },
          ],
        },
      ],
    };
    const shaped = surveyShape(json);
    const identifiedOnly = [...shaped.questions.values()].filter((q) => q.identifiedOnly).map((q) => q.name);
    expect(identifiedOnly).toEqual(['lead', 'pilot', 'who']);
    expect(names(surveyForMode(json, 'anonymous'))).toEqual(['note']);
    const result = validateAnswers({ note: 'hi', lead: true, who: 'me' }, shaped, 'anonymous');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => [error.path, error.code])).toEqual([
      ['lead', 'NOT_IN_THIS_CAMPAIGN'],
      ['who', 'NOT_IN_THIS_CAMPAIGN'],
    ]);
    expect(validateAnswers({ note: 'hi', lead: true, who: 'me' }, shaped, 'identified').ok).toBe(true);
  });
});

describe('rosterAnswers', () => {
  it("fills in what the roster knows as answers the survey offers, and nothing it doesn't", () => {
    expect(
      rosterAnswers(
        {
          school: 'any-school',
          role: 'instructional-coach',
          careerStage: 'veteran',
          subject: null,
          gradeBand: 'middle',
        },
        shape,
      ),
    ).toEqual({ school: 'any-school', role: 'instructional-coach', careerStage: 'veteran', gradeBand: 'middle' });
    expect(
      rosterAnswers(
        { school: null, role: 'bus-driver', careerStage: 'retired', subject: 'math', gradeBand: '' },
        shape,
      ),
    ).toEqual({ subject: 'math' });
  });
});

describe('canonicalJson', () => {
  it('ignores key order at every depth but not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});
