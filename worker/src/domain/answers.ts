/**
 * The answer contract, and its validation against the survey the respondent saw.
 *
 * Reading order: `surveyShape` derives every question's rules from the SurveyJS JSON
 * (so there is no second, hand-kept copy of the questions); `surveyDataToAnswers` /
 * `answersToSurveyData` are the one place where SurveyJS's data shape and the public
 * answer contract meet; `validateAnswers` checks a submission against the shape.
 * Checks that need the roster (school ids, staff ids) are left to the caller.
 */
import type { CodesOf } from '../errors';

/** A rating question is named `<competencyId>__importance` or `<competencyId>__proficiency`. */
export const RATING_SCALES = ['importance', 'proficiency'] as const;
export type RatingScale = (typeof RATING_SCALES)[number];
const RATING_NAME = /^([a-z0-9]+(?:-[a-z0-9]+)*)__(importance|proficiency)$/;

/**
 * Questions shown only in identified campaigns (what only someone who knows who answered can
 * act on) carry exactly this `visibleIf`, or sit in a page or panel that does.
 */
export const IDENTIFIED_ONLY = "{mode} = 'identified'";

export interface Rating {
  importance: number;
  proficiency: number;
}

/** The public answer contract (also the CSV import/export column names). */
export interface Answers {
  school?: string;
  role?: string;
  careerStage?: string;
  subject?: string;
  gradeBand?: string;
  ratings?: Record<string, Rating>;
  interests?: string[];
  strategies?: string[];
  leadershipInterest?: string[];
  selfNominate?: boolean;
  peerNominations?: string[];
  pilotWilling?: boolean;
  contactConsent?: boolean;
  comment?: string;
}

type QuestionKind = 'single' | 'multi' | 'rating' | 'boolean' | 'text';

export interface QuestionShape {
  name: string;
  kind: QuestionKind;
  required: boolean;
  /** Allowed values; null where choices come from the roster at run time. */
  choices: string[] | null;
  rateMin: number;
  rateMax: number;
  maxSelected: number | null;
  maxLength: number | null;
  identifiedOnly: boolean;
}

export interface SurveyShape {
  questions: Map<string, QuestionShape>;
  /** Competencies the survey asks to rate, in survey order. */
  ratedCompetencies: string[];
}

const KIND_BY_TYPE: Record<string, QuestionKind> = {
  dropdown: 'single',
  radiogroup: 'single',
  checkbox: 'multi',
  tagbox: 'multi',
  ranking: 'multi',
  rating: 'rating',
  boolean: 'boolean',
  comment: 'text',
  text: 'text',
};

interface SurveyElement {
  type?: string;
  name?: string;
  elements?: SurveyElement[];
  choices?: Array<string | number | { value: string | number }>;
  choicesByUrl?: unknown;
  isRequired?: boolean;
  rateMin?: number;
  rateMax?: number;
  maxSelectedChoices?: number;
  maxLength?: number;
  visibleIf?: string;
}

export interface SurveyJson {
  pages?: Array<{ name?: string; visibleIf?: string; elements?: SurveyElement[] }>;
  [key: string]: unknown;
}

export function surveyShape(survey: SurveyJson): SurveyShape {
  const questions = new Map<string, QuestionShape>();
  const ratedCompetencies: string[] = [];
  const visit = (element: SurveyElement, inIdentifiedOnly: boolean) => {
    const identifiedOnly = inIdentifiedOnly || element.visibleIf === IDENTIFIED_ONLY;
    for (const child of element.elements ?? []) visit(child, identifiedOnly);
    const kind = element.type ? KIND_BY_TYPE[element.type] : undefined;
    if (!kind || !element.name) return;
    const choices = element.choicesByUrl
      ? null
      : (element.choices ?? []).map((choice) => String(typeof choice === 'object' ? choice.value : choice));
    questions.set(element.name, {
      name: element.name,
      kind,
      required: element.isRequired === true,
      choices,
      rateMin: element.rateMin ?? 1,
      rateMax: element.rateMax ?? 5,
      maxSelected: element.maxSelectedChoices ?? null,
      maxLength: element.maxLength ?? null,
      identifiedOnly,
    });
    const rating = RATING_NAME.exec(element.name);
    if (rating?.[1] && rating[2] === 'importance') ratedCompetencies.push(rating[1]);
  };
  for (const page of survey.pages ?? []) {
    for (const element of page.elements ?? []) visit(element, page.visibleIf === IDENTIFIED_ONLY);
  }
  return { questions, ratedCompetencies };
}

/** SurveyJS data (flat, one key per question) → the answer contract. */
export function surveyDataToAnswers(data: Record<string, unknown>): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  const ratings: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(data)) {
    const rating = RATING_NAME.exec(name);
    if (rating?.[1] && rating[2]) {
      ratings[rating[1]] ??= {};
      (ratings[rating[1]] as Record<string, unknown>)[rating[2]] = value;
    } else {
      answers[name] = value;
    }
  }
  if (Object.keys(ratings).length > 0) answers.ratings = ratings;
  return answers;
}

/** The answer contract → SurveyJS data, to restore answers into the rendered survey. */
export function answersToSurveyData(answers: Answers): Record<string, unknown> {
  const { ratings, ...rest } = answers;
  const data: Record<string, unknown> = { ...rest };
  for (const [competencyId, rating] of Object.entries(ratings ?? {})) {
    for (const scale of RATING_SCALES) data[`${competencyId}__${scale}`] = rating[scale];
  }
  return data;
}

export type AnswerErrorCode = CodesOf<
  | 'NOT_AN_OBJECT'
  | 'UNKNOWN_QUESTION'
  | 'WRONG_TYPE'
  | 'OUT_OF_RANGE'
  | 'UNKNOWN_ID'
  | 'DUPLICATE_CHOICE'
  | 'TOO_MANY_CHOICES'
  | 'TOO_LONG'
  | 'SELF_NOMINATION'
  | 'REQUIRED'
  | 'INCOMPLETE_RATING'
  | 'NOT_IN_THIS_CAMPAIGN'
>;

export interface AnswerError {
  /** Dotted path in the answer contract, e.g. `ratings.formative-assessment.importance`. */
  path: string;
  code: AnswerErrorCode;
  message: string;
}

export type Validation = { ok: true; answers: Answers } | { ok: false; errors: AnswerError[] };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a submission against the survey's questions. Every problem is reported at
 * once, so the page can show them all; nothing here touches storage.
 */
export function validateAnswers(input: unknown, shape: SurveyShape, mode: 'anonymous' | 'identified'): Validation {
  const errors: AnswerError[] = [];
  const fail = (path: string, code: AnswerErrorCode, message: string) => {
    errors.push({ path, code, message });
  };
  if (!isObject(input)) {
    fail('answers', 'NOT_AN_OBJECT', 'answers must be an object keyed by question name');
    return { ok: false, errors };
  }
  const answers: Record<string, unknown> = {};

  for (const [name, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    if (name === 'ratings') {
      const ratings = validateRatings(value, shape, fail);
      if (ratings) answers.ratings = ratings;
      continue;
    }
    const question = shape.questions.get(name);
    if (!question || question.kind === 'rating') {
      fail(name, 'UNKNOWN_QUESTION', `"${name}" is not a question of this survey`);
      continue;
    }
    if (question.identifiedOnly && mode !== 'identified') {
      fail(name, 'NOT_IN_THIS_CAMPAIGN', `"${name}" is asked only in identified campaigns`);
      continue;
    }
    const checked = checkValue(question, value, name, fail);
    if (checked !== undefined) answers[name] = checked;
  }

  for (const question of shape.questions.values()) {
    if (question.required && !(question.name in answers) && !errors.some((e) => e.path === question.name)) {
      fail(question.name, 'REQUIRED', `"${question.name}" must be answered`);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, answers: answers as Answers };
}

type Fail = (path: string, code: AnswerErrorCode, message: string) => void;

const isBlank = (value: string) => value.trim() === '';

function validateRatings(value: unknown, shape: SurveyShape, fail: Fail): Record<string, Rating> | undefined {
  if (!isObject(value)) {
    fail('ratings', 'WRONG_TYPE', 'ratings must be an object keyed by competency id');
    return undefined;
  }
  const ratings: Record<string, Rating> = {};
  for (const [competencyId, rating] of Object.entries(value)) {
    const path = `ratings.${competencyId}`;
    if (!shape.ratedCompetencies.includes(competencyId)) {
      fail(path, 'UNKNOWN_ID', `"${competencyId}" is not a competency this survey asks about`);
      continue;
    }
    if (!isObject(rating)) {
      fail(path, 'WRONG_TYPE', 'a rating must be { "importance": n, "proficiency": n }');
      continue;
    }
    const extra = Object.keys(rating).filter((key) => !(RATING_SCALES as readonly string[]).includes(key));
    for (const key of extra) fail(`${path}.${key}`, 'UNKNOWN_QUESTION', `"${key}" is not a rating scale`);
    const checked: Partial<Rating> = {};
    for (const scale of RATING_SCALES) {
      const question = shape.questions.get(`${competencyId}__${scale}`);
      const raw = rating[scale];
      if (!question) continue;
      if (raw === undefined || raw === null) continue;
      const score = checkValue(question, raw, `${path}.${scale}`, fail);
      if (typeof score === 'number') checked[scale] = score;
    }
    const given = RATING_SCALES.filter((scale) => rating[scale] !== undefined && rating[scale] !== null);
    if (given.length === 1) {
      fail(path, 'INCOMPLETE_RATING', 'rate both importance and proficiency, or neither');
    } else if (checked.importance !== undefined && checked.proficiency !== undefined) {
      ratings[competencyId] = checked as Rating;
    }
  }
  return Object.keys(ratings).length > 0 ? ratings : undefined;
}

function checkValue(question: QuestionShape, value: unknown, path: string, fail: Fail): unknown {
  switch (question.kind) {
    case 'rating':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        fail(path, 'WRONG_TYPE', `${path} must be a whole number`);
        return undefined;
      }
      if (value < question.rateMin || value > question.rateMax) {
        fail(path, 'OUT_OF_RANGE', `${path} must be from ${question.rateMin} to ${question.rateMax}`);
        return undefined;
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') {
        fail(path, 'WRONG_TYPE', `${path} must be true or false`);
        return undefined;
      }
      return value;
    case 'text':
      if (typeof value !== 'string') {
        fail(path, 'WRONG_TYPE', `${path} must be text`);
        return undefined;
      }
      if (question.maxLength !== null && value.length > question.maxLength) {
        fail(path, 'TOO_LONG', `${path} must be at most ${question.maxLength} characters`);
        return undefined;
      }
      return value.trim() === '' ? undefined : value;
    case 'single':
      if (typeof value !== 'string') {
        fail(path, 'WRONG_TYPE', `${path} must be an id`);
        return undefined;
      }
      // A blank id names nothing. Said here, not left to the roster check (school ids come
      // from the roster), which would find no school and no reason to give.
      if (isBlank(value)) {
        if (question.required) fail(path, 'REQUIRED', `"${path}" must be answered`);
        else fail(path, 'UNKNOWN_ID', `${path} is blank; leave it out if it is not answered`);
        return undefined;
      }
      if (question.choices && !question.choices.includes(value)) {
        fail(path, 'UNKNOWN_ID', `"${value}" is not a choice of ${path}`);
        return undefined;
      }
      return value;
    case 'multi': {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
        fail(path, 'WRONG_TYPE', `${path} must be a list of ids`);
        return undefined;
      }
      const items = value as string[];
      const unknown = items.filter((item) => isBlank(item) || (question.choices && !question.choices.includes(item)));
      if (unknown.length > 0) {
        fail(path, 'UNKNOWN_ID', `${unknown.map((id) => `"${id}"`).join(', ')} not a choice of ${path}`);
        return undefined;
      }
      if (new Set(items).size !== items.length) {
        fail(path, 'DUPLICATE_CHOICE', `${path} lists an id more than once`);
        return undefined;
      }
      if (question.maxSelected !== null && items.length > question.maxSelected) {
        fail(path, 'TOO_MANY_CHOICES', `${path} takes at most ${question.maxSelected}`);
        return undefined;
      }
      return items.length > 0 ? items : undefined;
    }
  }
}

/** The answers about the respondent that a staff roster also holds. */
export const ROSTER_ANSWERS = ['school', 'role', 'careerStage', 'subject', 'gradeBand'] as const;
export type RosterAnswers = Partial<Pick<Answers, (typeof ROSTER_ANSWERS)[number]>>;

/**
 * What the roster says about someone, as answers the survey can take: a value it does not
 * offer (a role the framework dropped) is left for them to choose, not filled in wrong.
 */
export function rosterAnswers(known: Record<(typeof ROSTER_ANSWERS)[number], string | null>, shape: SurveyShape) {
  const answers: RosterAnswers = {};
  for (const name of ROSTER_ANSWERS) {
    const value = known[name];
    const question = shape.questions.get(name);
    if (!value || !question || (question.choices && !question.choices.includes(value))) continue;
    answers[name] = value;
  }
  return answers;
}

/**
 * The survey as a respondent of a campaign in this mode sees it: identified-only questions,
 * panels and pages go in anonymous ones, so no one is asked what no one could follow up.
 */
export function surveyForMode(survey: SurveyJson, mode: 'anonymous' | 'identified'): SurveyJson {
  if (mode === 'identified') return survey;
  const keep = (element: SurveyElement): SurveyElement[] => {
    if (element.visibleIf === IDENTIFIED_ONLY) return [];
    return [element.elements ? { ...element, elements: element.elements.flatMap(keep) } : element];
  };
  return {
    ...survey,
    pages: survey.pages
      ?.filter((page) => page.visibleIf !== IDENTIFIED_ONLY)
      .map((page) => ({ ...page, elements: page.elements?.flatMap(keep) })),
  };
}
