/**
 * Did the PL help: the figures a session's feedback is read by (pure). Over the answers of a
 * session, or of every session of a strategy, a focus, a facilitator type or a school:
 * - a rating's mean with its t interval, x̄ ± t(0.975, n − 1) s/√n (sample s; none below two);
 * - the share who feel less prepared than before the session (a change below 0 on −2…+2),
 *   with its Wilson 95% interval, which stays inside 0–1 and keeps its width at 0% and 100%;
 * - the net promoter score, % promoters (9–10) − % detractors (0–6) on the 0–10 question, with
 *   its 95% interval ± 1.96 × 100 × √((p₊ + p₋ − (p₊ − p₋)²)/n), cut to the −100…100 it can take;
 * - internal against external facilitation: the difference in mean change of preparedness,
 *   with a Welch interval (SE² = s_a²/n_a + s_b²/n_b, Welch–Satterthwaite degrees of freedom);
 * - a group is flagged when at least k answered and 20% or more feel less prepared.
 * Fewer than k answers show only that there are fewer than k (the k rule).
 */
import pdFeedback from '../../../surveys/pd-feedback.json';
import { type AnswerError, type SurveyJson, surveyShape } from './answers';
import { type NeedDifference, tQuantile975, welchInterval } from './focuses';

/** The normal 0.975 quantile the contract's Wilson and NPS intervals use. */
export const Z95 = 1.96;
/** A group is flagged at this share feeling less prepared, or more. */
export const FLAG_SHARE = 0.2;

export type Interval = [number, number];

export interface MeanFigure {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); null for one answer. */
  sd: number | null;
  /** null below two answers: one answer has no spread to go on. */
  ci95: Interval | null;
}

/** A mean with its t interval; null for no values. */
export function meanFigure(values: readonly number[]): MeanFigure | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n === 1) return { n, mean, sd: null, ci95: null };
  const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1));
  const half = tQuantile975(n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, ci95: [mean - half, mean + half] };
}

/** The Wilson score interval of `successes` out of `n` (n ≥ 1). */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval {
  if (!(n >= 1) || successes < 0 || successes > n) throw new RangeError(`${successes} of ${n} is not a proportion`);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At 0 or n the bound is 0 or 1 exactly; rounding would leave −1e−17.
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface ShareFigure {
  n: number;
  count: number;
  share: number;
  ci95: Interval;
}

/** How many of `n` answers, as a share with its Wilson interval; null for no answers. */
export function shareFigure(count: number, n: number): ShareFigure | null {
  return n === 0 ? null : { n, count, share: count / n, ci95: wilsonInterval(count, n) };
}

export interface NetPromoter {
  n: number;
  promoters: number;
  detractors: number;
  /** −100…100. */
  score: number;
  ci95: Interval;
}

/** The net promoter score of 0–10 answers; null for none. */
export function netPromoter(scores: readonly number[]): NetPromoter | null {
  const n = scores.length;
  if (n === 0) return null;
  const promoters = scores.filter((score) => score >= 9).length;
  const detractors = scores.filter((score) => score <= 6).length;
  const plus = promoters / n;
  const minus = detractors / n;
  const score = 100 * (plus - minus);
  const half = Z95 * 100 * Math.sqrt((plus + minus - (plus - minus) ** 2) / n);
  return { n, promoters, detractors, score, ci95: [Math.max(-100, score - half), Math.min(100, score + half)] };
}

/** mean(a) − mean(b) with its Welch interval; null unless both have two values or more. */
export function welchDifference(a: readonly number[], b: readonly number[]): NeedDifference | null {
  const x = meanFigure(a);
  const y = meanFigure(b);
  if (x?.sd == null || y?.sd == null) return null;
  return welchInterval(
    { estimate: x.mean, se: x.sd / Math.sqrt(x.n), n: x.n },
    { estimate: y.mean, se: y.sd / Math.sqrt(y.n), n: y.n },
  );
}

/** At least k answered and 20% or more of them feel less prepared. */
export function isFlagged(lessPrepared: number, n: number, k: number): boolean {
  return n >= k && lessPrepared >= FLAG_SHARE * n;
}

/** One answer to the feedback after a session, as stored (every item optional but the change). */
export interface FeedbackAnswer {
  relevance?: number;
  quality?: number;
  facilitator?: number;
  /** −2 much less … +2 much more prepared than before the session. */
  preparedness: number;
  /** "I can use what I learned next week", 1–5. */
  useNextWeek?: number;
  /** 0–10. */
  recommend?: number;
}

export type FeedbackSummary =
  | { n: number; suppressed: true }
  | {
      n: number;
      relevance: MeanFigure | null;
      quality: MeanFigure | null;
      facilitator: MeanFigure | null;
      useNextWeek: MeanFigure | null;
      preparedness: MeanFigure;
      lessPrepared: ShareFigure;
      recommend: NetPromoter | null;
      flagged: boolean;
    };

const valuesOf = (answers: readonly FeedbackAnswer[], item: 'relevance' | 'quality' | 'facilitator' | 'useNextWeek') =>
  answers.flatMap((answer) => (answer[item] === undefined ? [] : [answer[item]]));

/**
 * A group's figures, or with fewer than k answers only that count. Each figure counts the
 * answers that gave its item, so it too must have k of them to be shown: a group with k
 * answers of which fewer than k rated the facilitator shows no facilitator figure.
 */
export function feedbackSummary(answers: readonly FeedbackAnswer[], k: number): FeedbackSummary {
  const n = answers.length;
  if (n < Math.max(k, 1)) return { n, suppressed: true };
  const shown = (figure: MeanFigure | null) => (figure && figure.n >= k ? figure : null);
  const changes = answers.map((answer) => answer.preparedness);
  const less = changes.filter((change) => change < 0).length;
  const recommend = answers.flatMap((answer) => (answer.recommend === undefined ? [] : [answer.recommend]));
  return {
    n,
    relevance: shown(meanFigure(valuesOf(answers, 'relevance'))),
    quality: shown(meanFigure(valuesOf(answers, 'quality'))),
    facilitator: shown(meanFigure(valuesOf(answers, 'facilitator'))),
    useNextWeek: shown(meanFigure(valuesOf(answers, 'useNextWeek'))),
    // n ≥ k ≥ 1: there is a change for every answer.
    preparedness: meanFigure(changes) as MeanFigure,
    lessPrepared: shareFigure(less, n) as ShareFigure,
    recommend: recommend.length >= k ? netPromoter(recommend) : null,
    flagged: isFlagged(less, n, k),
  };
}

/** The feedback survey's questions (surveys/pd-feedback.json, the page shows the same file). */
export const feedbackShape = surveyShape(pdFeedback as SurveyJson);

export type FeedbackValidation =
  | { ok: true; answer: FeedbackAnswer; comment: string | null }
  | { ok: false; errors: AnswerError[] };

const RATED = ['relevance', 'quality', 'facilitator', 'useNextWeek', 'recommend'] as const;

/**
 * A feedback submission (SurveyJS data, one key per question) checked against the survey's own
 * questions: each rating a whole number on its scale, the change of preparedness one of its
 * choices and always given, the comment text within its length; any other key is refused.
 * Every problem is reported at once.
 */
export function feedbackAnswerFrom(data: unknown, shape = feedbackShape): FeedbackValidation {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: [{ path: '', code: 'NOT_AN_OBJECT', message: 'The answers must be a JSON object.' }] };
  }
  const given = data as Record<string, unknown>;
  const errors: AnswerError[] = [];
  for (const key of Object.keys(given)) {
    if (!shape.questions.has(key))
      errors.push({ path: key, code: 'UNKNOWN_QUESTION', message: `There is no question "${key}".` });
  }
  const answer: Partial<FeedbackAnswer> = {};
  for (const name of RATED) {
    const question = shape.questions.get(name);
    const value = given[name];
    if (!question || value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      errors.push({ path: name, code: 'WRONG_TYPE', message: `"${name}" must be a whole number.` });
    } else if (value < question.rateMin || value > question.rateMax) {
      errors.push({
        path: name,
        code: 'OUT_OF_RANGE',
        message: `"${name}" must be from ${question.rateMin} to ${question.rateMax}.`,
      });
    } else answer[name] = value;
  }
  const change = given.preparedness;
  const allowed = shape.questions.get('preparedness')?.choices ?? [];
  if (change === undefined) {
    errors.push({ path: 'preparedness', code: 'REQUIRED', message: 'Say how prepared you feel compared to before.' });
  } else if (typeof change !== 'number' || !allowed.includes(String(change))) {
    errors.push({
      path: 'preparedness',
      code: 'OUT_OF_RANGE',
      message: `"preparedness" must be one of ${allowed.join(', ')}.`,
    });
  } else answer.preparedness = change;
  let comment: string | null = null;
  const text = given.comment;
  const maxLength = shape.questions.get('comment')?.maxLength ?? null;
  if (text !== undefined) {
    if (typeof text !== 'string')
      errors.push({ path: 'comment', code: 'WRONG_TYPE', message: 'The comment must be text.' });
    else if (maxLength !== null && text.length > maxLength) {
      errors.push({
        path: 'comment',
        code: 'TOO_LONG',
        message: `The comment can be at most ${maxLength} characters.`,
      });
    } else comment = text.trim() || null;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, answer: answer as FeedbackAnswer, comment };
}
