/**
 * What the board page keeps beside the board's state: open editors with their drafts,
 * the cards picked for a cluster, the open move panel, undo notices, and the writes that
 * need more than one request. It lives outside the components so a poll (or a card moving
 * to another column, which renders it anew) never loses what someone is typing. Card edits
 * and comments are kept on the device too (lib/kept.ts) until saved or cancelled, and the
 * next visit takes them back (`takeBackKept`), so a reload or a closed tab loses nothing.
 */
import type { InferRequestType } from 'hono/client';
import { tick } from 'svelte';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { api, type Problem } from './api';
import { type BoardSession, conflictCurrent, type SendResult } from './board.svelte';
import { type CardView, cardLabel, sameTags, timeText } from './board-view';
import { forget, keep, takeBack } from './kept';

/** What a card's PATCH may change besides its text and tags, which only its editor sends. */
type CardChange = Omit<InferRequestType<(typeof api.boards)[':id']['cards'][':cardId']['$patch']>['json'], 'version'>;

export interface Competency {
  id: string;
  name: string;
}

/** How often an edit is sent again over changes that touched neither its text nor its tags. */
const SAVE_ATTEMPTS = 3;

/** An open card editor: what the person typed, and the card as it was when they began. */
export interface CardDraft {
  text: string;
  tags: string[];
  baseVersion: number;
  baseText: string;
  baseTags: string[];
  /** Someone saved first: the card as it is now, shown beside the draft until the person chooses. */
  conflict: CardView | null;
}

/** What the device keeps of a card edit: the draft, with the card it began from. */
type KeptEdit = Omit<CardDraft, 'conflict'>;

const isTags = (tags: unknown): tags is string[] => Array.isArray(tags) && tags.every((tag) => typeof tag === 'string');
const isEdit = (edit: KeptEdit): boolean =>
  typeof edit.text === 'string' &&
  typeof edit.baseText === 'string' &&
  typeof edit.baseVersion === 'number' &&
  isTags(edit.tags) &&
  isTags(edit.baseTags);

/** A done thing that can be undone, shown where it was done. */
export interface Notice {
  text: string;
  undo?: () => Promise<SendResult>;
  /** Where focus goes once the undo worked (an element id). */
  afterUndo?: string;
  /** Changes with every notice, so the Undo button takes focus each time. */
  serial: number;
  problem?: Problem | null;
}

export class BoardUi {
  /** Cards picked (by their checkboxes) for a new cluster. */
  selected = new SvelteSet<string>();
  drafts = new SvelteMap<string, CardDraft>();
  /** The card whose move controls are open, if any. */
  moving = $state<string | null>(null);
  /** Cards whose comments are open, so a poll that re-renders a card keeps them open. */
  openComments = new SvelteSet<string>();
  commentDrafts = new SvelteMap<string, string>();
  notices = new SvelteMap<string, Notice>();
  /** What an editor took back from the device, by its kept name (`card:<id>`, `comment:<id>`): the words that say so. */
  restored = new SvelteMap<string, string>();
  #serial = 0;
  #tookBack = false;
  readonly tagNames: Map<string, string>;

  constructor(
    readonly session: BoardSession,
    readonly competencies: Competency[],
  ) {
    this.tagNames = new Map(competencies.map((item) => [item.id, item.name]));
  }

  tagName(id: string): string {
    return this.tagNames.get(id) ?? id;
  }

  notify(where: string, text: string, undo?: () => Promise<SendResult>, afterUndo?: string): void {
    this.#serial += 1;
    this.notices.set(where, { text, undo, afterUndo, serial: this.#serial, problem: null });
  }

  /** An edit of the card as it is, or the one this device kept for it. */
  startEditing(card: CardView, kept?: KeptEdit): void {
    const draft = $state<CardDraft>({
      text: kept?.text ?? card.text,
      tags: [...(kept?.tags ?? card.tags)],
      baseVersion: kept?.baseVersion ?? card.version,
      baseText: kept?.baseText ?? card.text,
      baseTags: [...(kept?.baseTags ?? card.tags)],
      conflict: null,
    });
    this.drafts.set(card.id, draft);
  }

  /** Cancelled, saved or deleted: the edit is forgotten here and on the device. */
  stopEditing(cardId: string): void {
    this.drafts.delete(cardId);
    this.restored.delete(`card:${cardId}`);
    this.forget(`card:${cardId}`);
  }

  /** Whether an open edit changes the card (an editor opened and left alone holds nothing to lose). */
  edited(draft: CardDraft): boolean {
    return draft.text !== draft.baseText || !sameTags(draft.tags, draft.baseTags);
  }

  /** Called as an edit changes: kept on the device while it changes the card. */
  keepEdit(cardId: string, draft: CardDraft): void {
    const { conflict: _, ...edit } = $state.snapshot(draft);
    if (this.edited(draft)) this.keep(`card:${cardId}`, edit);
    else this.forget(`card:${cardId}`);
  }

  /** Called as a comment is typed: kept on the device until it is added, or emptied. */
  setComment(cardId: string, text: string): void {
    this.commentDrafts.set(cardId, text);
    if (text.trim()) this.keep(`comment:${cardId}`, text);
    else this.forget(`comment:${cardId}`);
  }

  commentAdded(cardId: string): void {
    this.commentDrafts.delete(cardId);
    this.restored.delete(`comment:${cardId}`);
    this.forget(`comment:${cardId}`);
  }

  /** Card edits or comments not yet saved: leaving the page asks first (Board.svelte). */
  get unsaved(): boolean {
    return (
      [...this.drafts.values()].some((draft) => this.edited(draft)) ||
      [...this.commentDrafts.values()].some((text) => text.trim() !== '')
    );
  }

  /**
   * Once the board is first read: the card edits and comments this device kept for it come
   * back, their editors open, each saying so. An edit whose card has since been saved with
   * the same words holds nothing more, and is forgotten. An edit whose card someone else
   * changed meanwhile still comes back, and says so: saving it shows both (`saveDraft`).
   */
  takeBackKept(): void {
    const cards = this.session.state?.cards;
    if (this.#tookBack || !cards) return;
    this.#tookBack = true;
    for (const card of cards) {
      if (card.deletedAt !== null) continue;
      const edit = this.takeBack<KeptEdit>(`card:${card.id}`);
      if (edit && isEdit(edit.value)) {
        const { value } = edit;
        if (value.text === card.text && sameTags(value.tags, card.tags)) this.forget(`card:${card.id}`);
        else {
          this.startEditing(card, value);
          const changed = card.text !== value.baseText || !sameTags(card.tags, value.baseTags);
          this.restored.set(
            `card:${card.id}`,
            `Your unsaved edit from ${timeText(edit.at)} is back. ${
              changed
                ? 'The card was changed since then: when you save, you will see both versions and choose.'
                : 'Save the card to keep it.'
            }`,
          );
        }
      }
      const comment = this.takeBack<string>(`comment:${card.id}`);
      if (comment && typeof comment.value === 'string' && comment.value.trim()) {
        this.commentDrafts.set(card.id, comment.value);
        this.openComments.add(card.id);
        this.restored.set(
          `comment:${card.id}`,
          `Your unsaved comment from ${timeText(comment.at)} is back. Add the comment to keep it.`,
        );
      }
    }
  }

  /** What this device keeps for the signed-in account on this board (lib/kept.ts). */
  keep(name: string, value: unknown): void {
    const state = this.session.state;
    if (state) keep(state.you.accountId, state.id, name, value);
  }

  takeBack<T>(name: string): { value: T; at: string } | null {
    const state = this.session.state;
    return state ? takeBack<T>(state.you.accountId, state.id, name) : null;
  }

  forget(name: string): void {
    const state = this.session.state;
    if (state) forget(state.you.accountId, state.id, name);
  }

  /**
   * Sends a card's new text and tags from its editor. When someone else saved first, the
   * draft keeps both versions for the person to choose — unless their change touched
   * neither text nor tags (a move, a moderation), which the edit cannot overwrite.
   */
  async saveDraft(cardId: string): Promise<SendResult | 'conflict'> {
    const draft = this.drafts.get(cardId);
    if (!draft) return { ok: true };
    let version = draft.baseVersion;
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      const json = { version, text: draft.text.trim(), tags: draft.tags };
      const result = await this.session.write(() =>
        api.boards[':id'].cards[':cardId'].$patch({ param: this.#card(cardId), json }),
      );
      if (result.ok) {
        this.stopEditing(cardId);
        return result;
      }
      const current = conflictCurrent<CardView>(result.problem);
      if (!current) return result;
      if (current.text === draft.baseText && sameTags(current.tags, draft.baseTags)) {
        version = current.version;
        continue;
      }
      draft.conflict = current;
      return 'conflict';
    }
    return {
      ok: false,
      problem: { status: 409, code: 'VERSION_CONFLICT', message: 'The card keeps changing; try again.' },
    };
  }

  /** "Use mine": the draft over the version the person was shown. */
  async useMine(cardId: string): Promise<SendResult | 'conflict'> {
    const draft = this.drafts.get(cardId);
    if (!draft?.conflict) return { ok: true };
    draft.baseVersion = draft.conflict.version;
    draft.baseText = draft.conflict.text;
    draft.baseTags = [...draft.conflict.tags];
    draft.conflict = null;
    return this.saveDraft(cardId);
  }

  /** "Edit mine again": back to the editor, now based on their version. */
  editAgain(cardId: string): void {
    const draft = this.drafts.get(cardId);
    if (!draft?.conflict) return;
    draft.baseVersion = draft.conflict.version;
    draft.baseText = draft.conflict.text;
    draft.baseTags = [...draft.conflict.tags];
    draft.conflict = null;
  }

  /**
   * A change to a card that is not its text (a move, a cluster, a moderation), sent with the
   * card's latest version. If the card changed meanwhile, the change is still what the
   * person asked for and overwrites nothing they did not see, so it is sent once more.
   */
  async patchCard(card: CardView, changes: CardChange): Promise<SendResult> {
    const send = (version: number) =>
      this.session.write(() =>
        api.boards[':id'].cards[':cardId'].$patch({ param: this.#card(card.id), json: { version, ...changes } }),
      );
    const first = await send(card.version);
    if (first.ok) return first;
    const current = conflictCurrent<CardView>(first.problem);
    return current ? send(current.version) : first;
  }

  async deleteCard(card: CardView): Promise<SendResult> {
    const result = await this.session.write(() =>
      api.boards[':id'].cards[':cardId'].$delete({ param: this.#card(card.id) }),
    );
    if (result.ok) {
      this.selected.delete(card.id);
      this.stopEditing(card.id);
      if (this.moving === card.id) this.moving = null;
      this.notify(
        `column-${card.column}`,
        `Card “${cardLabel(card.text, 40)}” deleted.`,
        () => this.restoreCard(card.id),
        `card-${card.id}`,
      );
      await focusSoon(`column-${card.column}-undo`);
    }
    return result;
  }

  restoreCard(cardId: string): Promise<SendResult> {
    return this.session.write(() =>
      api.boards[':id'].cards[':cardId'].restore.$post({ param: this.#card(cardId), json: {} }),
    );
  }

  /** The path parameters of one of this board's cards. */
  #card(cardId: string): { id: string; cardId: string } {
    return { ...this.session.param, cardId };
  }
}

/** Focuses an element by id once the page has caught up with the latest state. */
export async function focusSoon(id: string): Promise<void> {
  await tick();
  document.getElementById(id)?.focus();
}
