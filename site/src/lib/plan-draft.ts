/**
 * What the plan editor keeps on the person's device, and how it names what a save refused.
 *
 * A plan copy with edits is kept on the device on every change, as every board editor
 * keeps its text (lib/kept.ts), so a reload, a closed tab or a refused save loses nothing:
 * the next visit takes the copy back, with the version it started from, and the usual
 * "someone saved a newer version" rules of lib/plan-diff.ts apply to it.
 */
import { PROGRESSION_WHO } from './board-plan';
import { forget, type Kept, keep, takeBack } from './kept';
import type { PlanDraft } from './plan-diff';

const name = (competencyId: string) => `plan:${competencyId}`;

/** A copy kept on the device: the draft and when it was last changed. */
export interface KeptPlan {
  draft: PlanDraft;
  at: string;
}

/**
 * Before lib/kept.ts a plan copy was kept under a key of its own: one kept then is taken back
 * once, and from then on kept under the board's keys like every other editor's text.
 */
function takeBackEarlier(accountId: string, boardId: string, competencyId: string): Kept<PlanDraft> | null {
  const key = `homegrown:plan:${accountId}:${boardId}:${competencyId}`;
  try {
    const kept = JSON.parse(localStorage.getItem(key) ?? 'null') as { draft?: PlanDraft; at?: string } | null;
    localStorage.removeItem(key);
    return kept?.draft && typeof kept.at === 'string' ? { value: kept.draft, at: kept.at } : null;
  } catch {
    return null;
  }
}

export function keptPlan(accountId: string, boardId: string, competencyId: string): KeptPlan | null {
  const kept =
    takeBack<PlanDraft>(accountId, boardId, name(competencyId)) ?? takeBackEarlier(accountId, boardId, competencyId);
  const draft = kept?.value;
  return kept && draft?.fields && draft.base ? { draft: { ...draft, dirty: true }, at: kept.at } : null;
}

/** Keeps a copy holding edits, and forgets one that holds none (saved, or its edits discarded). */
export function keepPlan(accountId: string, boardId: string, competencyId: string, draft: PlanDraft): void {
  if (draft.dirty) keep(accountId, boardId, name(competencyId), draft);
  else forget(accountId, boardId, name(competencyId));
}

/** One field a save refused: the id of its input, its name in words, and why. */
export interface FieldProblem {
  inputId: string;
  label: string;
  message: string;
}

const whoLabel = new Map<string, string>(PROGRESSION_WHO.map((who) => [who.key, who.label]));
const ordinal = (part: string | undefined) => Number(part) + 1;

/**
 * Names each field of a 422 (the worker's `fields`, keyed by path such as `timeline.0.when`)
 * as the plan editor shows it, with the id of the input to highlight and focus. The ids are
 * PlanForm's: `p-<focus>-<level>-<who>`, `when-<focus>-<row>`, `what-…`, `measure-<focus>-<row>`.
 * A path the editor has no input for (a whole list) points at the list's first input.
 */
export function planProblems(focusId: string, fields: Record<string, string> | undefined): FieldProblem[] {
  return Object.entries(fields ?? {}).map(([path, message]) => {
    const [list, index, part] = path.split('.');
    if (list === 'timeline' && index !== undefined && (part === 'when' || part === 'what')) {
      const label = `Timeline row ${ordinal(index)}, ${part === 'when' ? 'When' : 'What'}`;
      return { inputId: `${part}-${focusId}-${index}`, label, message };
    }
    if (list === 'successMeasures' && index !== undefined) {
      return { inputId: `measure-${focusId}-${index}`, label: `Success measure ${ordinal(index)}`, message };
    }
    if (list === 'progression' && index !== undefined && part && whoLabel.has(part)) {
      const label = `Level ${ordinal(index)}, ${whoLabel.get(part)}`;
      return { inputId: `p-${focusId}-${index}-${part}`, label, message };
    }
    const section: Record<string, [string, string]> = {
      progression: ['Learning progression', `p-${focusId}-0-educators`],
      strategies: ['Strategies', `strategies-${focusId}`],
      timeline: ['Timeline', `when-${focusId}-0`],
      successMeasures: ['Success measures', `measure-${focusId}-0`],
      feedback: ['Feedback survey', `feedback-${focusId}`],
    };
    const [label, inputId] = section[list ?? ''] ?? [path, `plan-${focusId}`];
    return { inputId, label, message };
  });
}
