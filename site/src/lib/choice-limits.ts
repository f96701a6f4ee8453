/**
 * A multiple choice with a limit says it, and says how many are picked: SurveyJS itself
 * only stops taking ticks at the limit, so a sixth tap did nothing and said nothing.
 */
import type { SurveyModel } from 'survey-core';

const NUMBERS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const inWords = (n: number) => NUMBERS[n] ?? String(n);

/** "Pick up to five. 2 of 5 picked." / "… 5 of 5 picked: untick one to pick another." */
export function limitText(max: number, picked: number): string {
  const state =
    picked >= max ? `${picked} of ${max} picked: untick one to pick another.` : `${picked} of ${max} picked.`;
  return `Pick up to ${inWords(max)}. ${state}`;
}

/** Keeps each limited checkbox question's description saying its limit and its count. */
export function showChoiceLimits(survey: SurveyModel): void {
  const limited = survey
    .getAllQuestions()
    .filter((question) => question.getType() === 'checkbox' && Number(question.maxSelectedChoices) > 0);
  const update = (name?: string) => {
    for (const question of limited) {
      if (name !== undefined && question.name !== name) continue;
      const picked = Array.isArray(question.value) ? question.value.length : 0;
      question.description = limitText(Number(question.maxSelectedChoices), picked);
    }
  };
  update();
  survey.onValueChanged.add((_, options) => update(options.name));
}
