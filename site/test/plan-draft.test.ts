import { describe, expect, it } from 'vitest';
import { planProblems } from '../src/lib/plan-draft';

describe("the plan editor's names for what a save refused", () => {
  it('names each refused field as the editor labels it, and points at its input', () => {
    expect(
      planProblems('feedback-loops', {
        'timeline.0.what': 'must not be empty',
        'timeline.2.when': 'must be at most 60 characters',
        'successMeasures.1': 'must not be empty',
        'progression.4.students': 'must be at most 600 characters',
      }),
    ).toEqual([
      { inputId: 'what-feedback-loops-0', label: 'Timeline row 1, What', message: 'must not be empty' },
      { inputId: 'when-feedback-loops-2', label: 'Timeline row 3, When', message: 'must be at most 60 characters' },
      { inputId: 'measure-feedback-loops-1', label: 'Success measure 2', message: 'must not be empty' },
      {
        inputId: 'p-feedback-loops-4-students',
        label: 'Level 5, What students will show',
        message: 'must be at most 600 characters',
      },
    ]);
  });

  it('names a whole list by its section, and an unknown path as it came', () => {
    expect(
      planProblems('f', { strategies: 'at most 3 strategies', feedback: 'lists a measure twice', version: 'x' }),
    ).toEqual([
      { inputId: 'strategies-f', label: 'Strategies', message: 'at most 3 strategies' },
      { inputId: 'feedback-f', label: 'Feedback survey', message: 'lists a measure twice' },
      { inputId: 'plan-f', label: 'version', message: 'x' },
    ]);
    expect(planProblems('f', undefined)).toEqual([]);
  });
});
