/**
 * What a board's editors keep on the person's device until it is saved: a new card, a card
 * edit, a comment, a rating's note, a cluster's new name, a cluster being formed, an invitation
 * being written, a PL plan (lib/plan-draft.ts).
 *
 * Each thing is written to localStorage on every change, as the survey keeps its answers
 * (lib/draft.ts), so a reload, a closed tab or a crash loses nothing: the editor takes it
 * back on the next visit and says so. A save, a cancel or a discard forgets it. The key
 * holds the account as well as the board, so a shared device never hands one person's
 * unsaved words to the next person who signs in there. Storage that is full or blocked
 * (private browsing) keeps nothing, and the editors work as before.
 */

/** A value kept on the device, and when it was last changed. */
export interface Kept<T> {
  value: T;
  at: string;
}

/** `name` says which thing on the board, e.g. `card:new:<columnId>`, `card:<cardId>`, `comment:<cardId>`. */
const storageKey = (accountId: string, boardId: string, name: string) =>
  `homegrown:board:${encodeURIComponent(accountId)}:${encodeURIComponent(boardId)}:${name}`;

/** Keeps `value`; its time changes only with it, so keeping the same value again says nothing new. */
export function keep(accountId: string, boardId: string, name: string, value: unknown): void {
  const before = takeBack(accountId, boardId, name);
  if (before && JSON.stringify(before.value) === JSON.stringify(value)) return;
  try {
    localStorage.setItem(storageKey(accountId, boardId, name), JSON.stringify({ value, at: new Date().toISOString() }));
  } catch {
    // Storage full or blocked: the editor still works, without keeping anything.
  }
}

/**
 * What was kept for this account and board under `name`, if anything. The value is as it
 * was stored: each editor checks its shape before it uses it.
 */
export function takeBack<T>(accountId: string, boardId: string, name: string): Kept<T> | null {
  try {
    const kept = JSON.parse(localStorage.getItem(storageKey(accountId, boardId, name)) ?? 'null') as Kept<T> | null;
    return kept && typeof kept === 'object' && kept.value != null && typeof kept.at === 'string' ? kept : null;
  } catch {
    return null;
  }
}

export function forget(accountId: string, boardId: string, name: string): void {
  try {
    localStorage.removeItem(storageKey(accountId, boardId, name));
  } catch {
    // Storage blocked: nothing was kept either.
  }
}

/**
 * Leaving the page (a reload, a closed tab, a link) asks first. Call it from an effect
 * while an editor holds unsaved text; the effect removes the question when it re-runs or
 * ends: `$effect(() => { if (unsaved) return askBeforeLeaving(); })`.
 */
export function askBeforeLeaving(): () => void {
  const warn = (event: BeforeUnloadEvent) => event.preventDefault();
  addEventListener('beforeunload', warn);
  return () => removeEventListener('beforeunload', warn);
}
