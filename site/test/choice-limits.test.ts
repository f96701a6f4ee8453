import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import needs from '../../surveys/needs-assessment.json';
import { limitText, showChoiceLimits } from '../src/lib/choice-limits';

describe('a multiple choice with a limit', () => {
  it('says the limit and the count, and what to do at the limit', () => {
    expect(limitText(5, 0)).toBe('Pick up to five. 0 of 5 picked.');
    expect(limitText(5, 5)).toBe('Pick up to five. 5 of 5 picked: untick one to pick another.');
  });

  it('keeps the needs survey’s interests question saying so as ticks are made', () => {
    const survey = new Model(needs);
    showChoiceLimits(survey);
    const interests = survey.getQuestionByName('interests');
    expect(interests.description).toBe('Pick up to five. 0 of 5 picked.');
    survey.setValue('interests', ['ai-literacy', 'family-engagement']);
    expect(interests.description).toBe('Pick up to five. 2 of 5 picked.');
    survey.setValue('interests', [
      'ai-literacy',
      'family-engagement',
      'grading-feedback',
      'literacy-across-content',
      'student-engagement',
    ]);
    expect(interests.description).toBe('Pick up to five. 5 of 5 picked: untick one to pick another.');
  });
});
