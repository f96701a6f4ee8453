import { readdirSync, readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { SurveyJson } from '../../src/domain/answers';
import { surveyProblems } from '../../src/domain/survey-check';

const surveysDir = new URL('../../../surveys/', import.meta.url);
const files = readdirSync(surveysDir).filter((file) => file.endsWith('.json'));
const load = (file: string): SurveyJson => JSON.parse(readFileSync(new URL(file, surveysDir), 'utf8'));

describe.each(files)('surveys/%s', (file) => {
  it('is valid against the schema survey-core ships', () => {
    // survey-core does not export its schema file, so read it from the installed package.
    const schema = JSON.parse(
      readFileSync(new URL('../../../node_modules/survey-core/surveyjs_definition.json', import.meta.url), 'utf8'),
    );
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const ok = validate(load(file));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});

describe('surveys/needs-assessment.json', () => {
  it('names only framework ids and asks about every competency', () => {
    expect(surveyProblems(load('needs-assessment.json'))).toEqual([]);
  });
});

describe('the framework check catches a survey that drifted from content/', () => {
  const survey = load('needs-assessment.json');
  const pages = survey.pages ?? [];

  it('an unknown competency id', () => {
    const drifted = structuredClone(survey);
    drifted.pages?.[1]?.elements?.push({
      type: 'panel',
      name: 'basket-weaving',
      elements: [
        { type: 'rating', name: 'basket-weaving__importance' },
        { type: 'rating', name: 'basket-weaving__proficiency' },
      ],
    });
    expect(surveyProblems(drifted)).toEqual(['rates unknown competency "basket-weaving"']);
  });

  it('a competency with no question', () => {
    const drifted = structuredClone(survey);
    const page = drifted.pages?.find((p) => p.name === 'technology');
    if (!page?.elements) throw new Error('no technology page');
    page.elements = page.elements.filter((element) => element.name !== 'ai-literacy');
    expect(surveyProblems(drifted)).toEqual([
      'has no importance question for "ai-literacy"',
      'has no proficiency question for "ai-literacy"',
    ]);
  });

  it('a choice that is not a framework id, and a missing one', () => {
    const drifted = structuredClone(survey);
    const role = drifted.pages?.[0]?.elements?.find((element) => element.name === 'role');
    if (!role?.choices) throw new Error('no role question');
    role.choices = role.choices.map((choice) =>
      typeof choice === 'object' && choice.value === 'librarian-media' ? { value: 'astronaut' } : choice,
    );
    expect(surveyProblems(drifted)).toEqual([
      '"role" offers "astronaut", which is not in jobRoles',
      '"role" does not offer "librarian-media" from jobRoles',
    ]);
  });

  it('has a page per domain, after the page about the respondent', () => {
    expect(pages.map((page) => page.name)).toEqual([
      'about-you',
      'instruction-planning',
      'assessment-data',
      'learning-environment',
      'equity-support',
      'collaboration-leadership',
      'technology',
      'growth',
      'leadership',
    ]);
    // Leading and piloting needs someone who knows who answered; anything else is asked of everyone.
    expect(pages.at(-1)?.visibleIf).toBe("{mode} = 'identified'");
    expect(pages.find((page) => page.name === 'growth')?.elements?.at(-1)?.name).toBe('comment');
  });
});
