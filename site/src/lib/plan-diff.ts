/**
 * A PL plan as one person edits it on the board, and how their copy meets the versions
 * others save. The promises: a poll never overwrites a copy holding edits (it only takes
 * new plans and newer versions of untouched copies); what was typed while a save was on
 * its way stays; "Load theirs" loads the newest version known; and when someone saved
 * first, the person sees, section by section, where their version and the other differ.
 * Pure, so these promises are tested without a browser (site/test/plan-diff.test.ts).
 */
import { type FeedbackMeasure, PROGRESSION_LEVELS } from '../../../worker/src/domain/boards';
import { feedbackLabel, PROGRESSION_WHO, strategyName } from './board-plan';
import type { PlanView } from './board-view';

/** The parts of a plan a person edits (what PUT /plans/:competencyId takes besides the version). */
export type PlanFields = Pick<PlanView, 'progression' | 'strategies' | 'timeline' | 'successMeasures' | 'feedback'>;

/** A person's own copy of a plan: the version they started from, and what they have made of it. */
export interface PlanDraft {
  base: PlanView;
  fields: PlanFields;
  /** Whether they changed anything since `base`: only then is the copy theirs to keep. */
  dirty: boolean;
}

/** A section of the plan that differs between two versions, both sides in words. */
export interface Difference {
  section: string;
  details: string[];
}

/** A plan's editable parts, copied (so editing the copy leaves the plan alone), with every progression level present. */
export const fieldsOf = (plan: PlanFields): PlanFields => ({
  progression: Array.from({ length: PROGRESSION_LEVELS }, (_, level) => ({
    educators: plan.progression[level]?.educators ?? '',
    staff: plan.progression[level]?.staff ?? '',
    students: plan.progression[level]?.students ?? '',
  })),
  strategies: [...plan.strategies],
  timeline: plan.timeline.map((row) => ({ ...row })),
  successMeasures: [...plan.successMeasures],
  feedback: [...plan.feedback],
});

/** What a new plan starts with. */
export const emptyFields = (): PlanFields => ({
  progression: Array.from({ length: PROGRESSION_LEVELS }, () => ({ educators: '', staff: '', students: '' })),
  strategies: [],
  timeline: [],
  successMeasures: [],
  feedback: [],
});

export const freshDraft = (plan: PlanView): PlanDraft => ({ base: plan, fields: fieldsOf(plan), dirty: false });

/** Whether two copies say the same (a copy made from either reads the same). */
export const sameFields = (a: PlanFields, b: PlanFields): boolean =>
  JSON.stringify(fieldsOf(a)) === JSON.stringify(fieldsOf(b));

/** The plans a poll brought that a copy should take: plans with no copy yet, and newer versions of untouched copies. */
export function plansToTake(drafts: Readonly<Record<string, PlanDraft>>, plans: readonly PlanView[]): PlanView[] {
  return plans.filter((plan) => {
    const draft = drafts[plan.competencyId];
    return !draft || (!draft.dirty && draft.base.version !== plan.version);
  });
}

/** Someone saved a version newer than the one this person is editing from, and they have edits the save would go over. */
export const newerSaved = (draft: PlanDraft, plan: PlanView): boolean =>
  draft.dirty && plan.version > draft.base.version;

/**
 * The copy once `sent` was saved as `saved`: afresh from the saved version, unless the
 * person typed meanwhile; then what they typed stays, on top of the saved version (their
 * next save goes with its version, since the change it holds is theirs).
 */
export function afterSave(now: PlanDraft, sent: PlanFields, saved: PlanView): PlanDraft {
  return sameFields(now.fields, sent) ? freshDraft(saved) : { ...now, base: saved };
}

/** What "Load theirs" loads: the version that refused the save, unless the board already shows a newer one. */
export function latestOf(shown: PlanView | undefined, conflict: PlanView | undefined): PlanView | undefined {
  return conflict && (!shown || conflict.version > shown.version) ? conflict : shown;
}

/** The longest quotation of one progression cell a difference shows. */
const QUOTE_MAX = 160;

const quote = (text: string) =>
  text.trim() ? `“${text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text}”` : '(empty)';
const listText = (items: string[]) => (items.length ? items.join('; ') : '(none)');

/** A list section that differs, both versions in words; `same` compares what the list means. */
const listChange = (section: string, same: boolean, theirs: string[], mine: string[]): Difference[] =>
  same ? [] : [{ section, details: [`Theirs: ${listText(theirs)}`, `Yours: ${listText(mine)}`] }];
/** Strategies and feedback measures are ticked, so their order means nothing. */
const sameSet = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
/** Timeline rows and success measures are in the order the team put them. */
const sameList = (a: unknown[], b: unknown[]) => JSON.stringify(a) === JSON.stringify(b);

/** Where their version and mine differ: each progression cell that differs, then each list that does. */
export function differences(theirs: PlanFields, mine: PlanFields): Difference[] {
  const out: Difference[] = [];
  const levels: string[] = [];
  for (let level = 0; level < PROGRESSION_LEVELS; level++) {
    for (const who of PROGRESSION_WHO) {
      const a = theirs.progression[level]?.[who.key] ?? '';
      const b = mine.progression[level]?.[who.key] ?? '';
      if (a !== b) levels.push(`Level ${level + 1}, ${who.key}: theirs ${quote(a)}, yours ${quote(b)}`);
    }
  }
  if (levels.length) out.push({ section: 'Learning progression', details: levels });
  const names = (ids: string[]) => ids.map(strategyName);
  const rows = (timeline: PlanFields['timeline']) => timeline.map((row) => `${row.when}: ${row.what}`);
  const labels = (items: FeedbackMeasure[]) => items.map(feedbackLabel);
  out.push(
    ...listChange(
      'Strategies',
      sameSet(theirs.strategies, mine.strategies),
      names(theirs.strategies),
      names(mine.strategies),
    ),
    ...listChange('Timeline', sameList(theirs.timeline, mine.timeline), rows(theirs.timeline), rows(mine.timeline)),
    ...listChange(
      'Success measures',
      sameList(theirs.successMeasures, mine.successMeasures),
      theirs.successMeasures,
      mine.successMeasures,
    ),
    ...listChange(
      'Feedback survey',
      sameSet(theirs.feedback, mine.feedback),
      labels(theirs.feedback),
      labels(mine.feedback),
    ),
  );
  return out;
}
