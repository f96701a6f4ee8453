/**
 * The figures a session's feedback is read by, against values worked by hand from the
 * formulas (t quantiles from the table: t(0.975, 4) = 2.7764451051977987).
 */
import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import pdFeedback from '../../../surveys/pd-feedback.json';
import {
  type FeedbackAnswer,
  feedbackAnswerFrom,
  feedbackShape,
  feedbackSummary,
  isFlagged,
  meanFigure,
  netPromoter,
  welchDifference,
  wilsonInterval,
} from '../../src/domain/feedback';
import { mulberry32 } from '../../src/domain/random';

describe('a mean with its t interval', () => {
  it('gives x̄ ± t(0.975, n − 1) s/√n', () => {
    // 4, 5, 3, 4, 5: x̄ = 4.2; squared deviations 0.04 + 0.64 + 1.44 + 0.04 + 0.64 = 2.8; s² = 0.7;
    // 4.2 ± 2.7764451 × √(0.7/5) = 4.2 ± 1.0388506.
    const figure = meanFigure([4, 5, 3, 4, 5]);
    expect(figure?.n).toBe(5);
    expect(figure?.mean).toBeCloseTo(4.2, 12);
    expect(figure?.sd).toBeCloseTo(Math.sqrt(0.7), 12);
    expect(figure?.ci95?.[0]).toBeCloseTo(3.1611493663164305, 10);
    expect(figure?.ci95?.[1]).toBeCloseTo(5.23885063368357, 10);
  });

  it('has no interval for one answer and nothing for none', () => {
    expect(meanFigure([3])).toEqual({ n: 1, mean: 3, sd: null, ci95: null });
    expect(meanFigure([])).toBeNull();
  });
});

describe('the Wilson interval of a share', () => {
  it('gives 10.78%–60.32% for 3 of 10', () => {
    // p = 0.3, z² = 3.8416: centre (0.3 + 0.19208)/1.38416, half 1.96 √(0.021 + 0.009604)/1.38416.
    const [low, high] = wilsonInterval(3, 10);
    expect(low).toBeCloseTo(0.10778928748621183, 12);
    expect(high).toBeCloseTo(0.6032267800204347, 12);
  });

  it('keeps its width at 0 of 10 and stays inside 0–1', () => {
    const [low, high] = wilsonInterval(0, 10);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(0.2775401687666166, 12);
    const [, top] = wilsonInterval(10, 10);
    expect(top).toBe(1);
  });

  it('refuses what is not a proportion', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
  });
});

describe('the net promoter score', () => {
  it('is % promoters − % detractors, with ± 1.96 × 100 × √((p₊ + p₋ − (p₊ − p₋)²)/n)', () => {
    // Promoters 10, 9, 9, 10, 9 (5 of 10); detractors 6, 3, 0 (3); passives 8, 7.
    const nps = netPromoter([10, 9, 9, 8, 7, 6, 3, 10, 9, 0]);
    expect(nps).toMatchObject({ n: 10, promoters: 5, detractors: 3 });
    expect(nps?.score).toBeCloseTo(20, 12);
    // 196 × √(0.076) = 54.0335 either side.
    expect(nps?.ci95[0]).toBeCloseTo(-34.03347110819367, 10);
    expect(nps?.ci95[1]).toBeCloseTo(74.03347110819368, 10);
  });

  it('cuts the interval to the −100…100 a score can take', () => {
    // 3 promoters of 4: 75, ± 196 √((0.75 − 0.5625)/4) = 42.43; up to 117.43, cut to 100.
    const nps = netPromoter([10, 10, 9, 8]);
    expect(nps?.score).toBeCloseTo(75, 12);
    expect(nps?.ci95[0]).toBeCloseTo(75 - 196 * Math.sqrt(0.1875 / 4), 10);
    expect(nps?.ci95[1]).toBe(100);
  });
});

describe('internal against external: the Welch difference', () => {
  it('gives the t interval with 2(n − 1) degrees of freedom for equal sizes and spreads', () => {
    // 0, 1, 2 against −1, 0, 1: difference 1, each s² = 1, SE² = 1/3 + 1/3, df = 4.
    const welch = welchDifference([0, 1, 2], [-1, 0, 1]);
    expect(welch?.difference).toBeCloseTo(1, 12);
    expect(welch?.se).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(welch?.df).toBeCloseTo(4, 12);
    expect(welch?.ci95[0]).toBeCloseTo(-1.2669579355275231, 10);
    expect(welch?.ci95[1]).toBeCloseTo(3.266957935527523, 10);
  });

  it('gives Welch–Satterthwaite degrees of freedom for unequal ones', () => {
    // 1, 2, 3, 4 (s² = 5/3, n 4) against 0, 0, 1 (s² = 1/3, n 3): SE² = 5/12 + 1/9;
    // df = (5/12 + 1/9)² / ((5/12)²/3 + (1/9)²/2) = 4.3494.
    const welch = welchDifference([1, 2, 3, 4], [0, 0, 1]);
    expect(welch?.difference).toBeCloseTo(2.5 - 1 / 3, 12);
    expect(welch?.se).toBeCloseTo(0.7264831572567789, 12);
    expect(welch?.df).toBeCloseTo(4.349397590361446, 10);
  });

  it('needs two answers on each side', () => {
    expect(welchDifference([1], [0, 1])).toBeNull();
    expect(welchDifference([1, 2], [])).toBeNull();
  });
});

describe('the flag: at least k answered and 20% or more feel less prepared', () => {
  it('turns on at 20% and not at 19.9%', () => {
    expect(isFlagged(200, 1000, 5)).toBe(true);
    expect(isFlagged(199, 1000, 5)).toBe(false);
    expect(isFlagged(1, 5, 5)).toBe(true);
  });

  it('needs k answers: not at k − 1 however many feel less prepared', () => {
    expect(isFlagged(4, 4, 5)).toBe(false);
    expect(isFlagged(5, 5, 5)).toBe(true);
  });
});

describe("a group's summary", () => {
  const answer = (preparedness: number, rest: Partial<FeedbackAnswer> = {}): FeedbackAnswer => ({
    preparedness,
    ...rest,
  });

  it('shows only its count below k', () => {
    expect(feedbackSummary([answer(-2), answer(-1), answer(0), answer(1)], 5)).toEqual({ n: 4, suppressed: true });
  });

  it('counts less prepared as a change below 0, and hides an item fewer than k rated', () => {
    const answers = [
      answer(-2, { recommend: 3, facilitator: 2 }),
      answer(-1, { recommend: 6 }),
      answer(0, { recommend: 8 }),
      answer(1, { recommend: 9 }),
      answer(2, { recommend: 10 }),
    ];
    const summary = feedbackSummary(answers, 5);
    if ('suppressed' in summary) throw new Error('suppressed');
    expect(summary.lessPrepared).toMatchObject({ n: 5, count: 2, share: 0.4 });
    expect(summary.flagged).toBe(true);
    expect(summary.preparedness.mean).toBeCloseTo(0, 12);
    // Promoters 9, 10; detractors 3, 6: 40 − 40 = 0.
    expect(summary.recommend?.score).toBeCloseTo(0, 12);
    // One facilitator rating of five answers: not shown.
    expect(summary.facilitator).toBeNull();
    expect(summary.relevance).toBeNull();
  });
});

describe('the feedback survey (surveys/pd-feedback.json) and its check', () => {
  const survey = new Model(pdFeedback);
  /** Every value survey-core offers for a question of the survey, as the page would send it. */
  const offered = (name: string): unknown[] => {
    const question = survey.getQuestionByName(name) as unknown as {
      visibleRateValues?: Array<{ value: unknown }>;
      visibleChoices?: Array<{ value: unknown }>;
    };
    return (question.visibleRateValues ?? question.visibleChoices ?? []).map((item) => item.value);
  };

  it('asks the items of the contract, on their scales', () => {
    expect(survey.getAllQuestions().map((question) => question.name)).toEqual([
      'relevance',
      'quality',
      'facilitator',
      'preparedness',
      'useNextWeek',
      'recommend',
      'comment',
    ]);
    for (const name of ['relevance', 'quality', 'facilitator', 'useNextWeek'])
      expect(offered(name)).toEqual([1, 2, 3, 4, 5]);
    expect(offered('recommend')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(offered('preparedness')).toEqual([-2, -1, 0, 1, 2]);
    expect(feedbackShape.questions.get('comment')?.maxLength).toBe(1000);
  });

  it('accepts every answer survey-core offers, and only the change is required by both', () => {
    const random = mulberry32(21);
    const pick = (values: unknown[]) => values[Math.floor(random() * values.length)];
    for (let i = 0; i < 300; i++) {
      const data: Record<string, unknown> = { preparedness: pick(offered('preparedness')) };
      for (const name of ['relevance', 'quality', 'facilitator', 'useNextWeek', 'recommend']) {
        if (random() < 0.8) data[name] = pick(offered(name));
      }
      if (random() < 0.5) data.comment = 'The modelling was useful.';
      const checked = feedbackAnswerFrom(data);
      expect(checked.ok, JSON.stringify(data)).toBe(true);
      survey.data = data;
      expect(survey.validate(false, false), JSON.stringify(data)).toBe(true);
    }
    survey.data = { relevance: 4 };
    expect(survey.validate(false, false)).toBe(false);
    expect(feedbackAnswerFrom({ relevance: 4 })).toEqual({
      ok: false,
      errors: [{ path: 'preparedness', code: 'REQUIRED', message: 'Say how prepared you feel compared to before.' }],
    });
  });

  it('turns the answers into what the summary reads, the comment apart and trimmed', () => {
    expect(feedbackAnswerFrom({ preparedness: -1, recommend: 0, comment: '  Too fast.  ' })).toEqual({
      ok: true,
      answer: { preparedness: -1, recommend: 0 },
      comment: 'Too fast.',
    });
    expect(feedbackAnswerFrom({ preparedness: 2, comment: '   ' })).toMatchObject({ ok: true, comment: null });
  });

  it('refuses, all at once, what the survey cannot have sent', () => {
    const checked = feedbackAnswerFrom({
      relevance: 6,
      quality: 3.5,
      recommend: '10',
      preparedness: 3,
      comment: 'x'.repeat(1001),
      attendee: 'ada@district.example',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.map((error) => `${error.path} ${error.code}`)).toEqual([
      'attendee UNKNOWN_QUESTION',
      'relevance OUT_OF_RANGE',
      'quality WRONG_TYPE',
      'recommend WRONG_TYPE',
      'preparedness OUT_OF_RANGE',
      'comment TOO_LONG',
    ]);
    expect(feedbackAnswerFrom([1, 2])).toMatchObject({ ok: false, errors: [{ code: 'NOT_AN_OBJECT' }] });
  });
});
