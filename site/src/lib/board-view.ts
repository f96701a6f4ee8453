/**
 * Pure helpers of the boards pages: the words for templates, roles and phases, how a
 * column lays out its cards and clusters, and the shared timer's arithmetic.
 */

import type { InferResponseType } from 'hono/client';
import {
  type BoardRole,
  CARD_TEXT_MAX,
  RATING_SCORE_MAX,
  RATING_SCORE_MIN,
  TAGS_MAX,
  TEMPLATE_SPECS,
  type Template,
} from '../../../worker/src/domain/boards';
import { api, apiHref } from './api';
import { byText, dayTimeText } from './format';

export { type BoardRole, CARD_TEXT_MAX, TAGS_MAX, type Template };

/** A board as GET /api/boards/:id answers it; every write on the board answers with it too. */
export type BoardState = InferResponseType<(typeof api.boards)[':id']['$get'], 200>;
export type CardView = BoardState['cards'][number];
export type ClusterView = BoardState['clusters'][number];
export type MemberView = BoardState['members'][number];
export type HexagonRow = BoardState['hexagon'][number];
export type PlanView = BoardState['plans'][number];
export type Column = BoardState['columns'][number];

/** What each template is for, in one line, for the person choosing one. */
export const TEMPLATE_INFO: Record<Template, { name: string; explanation: string }> = {
  protocol: {
    name: TEMPLATE_SPECS.protocol.name,
    explanation:
      'Five columns, from what is working to next steps; the team finds root causes, gathers ideas and votes with dots.',
  },
  hexagon: {
    name: TEMPLATE_SPECS.hexagon.name,
    explanation: `Weigh candidate programs on six indicators; each member rates ${RATING_SCORE_MIN} to ${RATING_SCORE_MAX} and the team talks where ratings differ.`,
  },
  plan: {
    name: TEMPLATE_SPECS.plan.name,
    explanation:
      'Write the learning plan for a prioritized focus: what growth looks like, strategies, timeline and measures.',
  },
};

export const templateName = (template: Template): string => TEMPLATE_INFO[template]?.name ?? template;

/** What each role may do, said of someone (`hint`: "Member: adds …") and to them (`yours`: "you add …"). */
export const ROLE_TEXT: Record<BoardRole, { label: string; hint: string; yours: string }> = {
  facilitator: {
    label: 'Facilitator',
    hint: 'runs the board: settings, timer, phases, moderation and members',
    yours: 'run the board: settings, timer, phases, moderation and members',
  },
  member: {
    label: 'Member',
    hint: 'adds and edits cards, comments, votes and groups cards',
    yours: 'add and edit cards, comment, vote and group cards',
  },
  viewer: { label: 'Viewer', hint: 'reads the board without changing it', yours: 'read the board without changing it' },
};

export const roleLabel = (role: BoardRole): string => ROLE_TEXT[role]?.label ?? role;

/** "As a member, you add and edit cards, …": the role said to the person who holds it. */
export const yourRole = (role: BoardRole): string =>
  `As a ${roleLabel(role).toLowerCase()}, you ${ROLE_TEXT[role]?.yours ?? 'take part in the board'}.`;

/** "Phase 2 of 5: Find root causes". */
export function phaseText(phases: readonly string[], phase: number): string {
  const name = phases[phase];
  return name === undefined ? `Phase ${phase + 1}` : `Phase ${phase + 1} of ${phases.length}: ${name}`;
}

/** A card as a button's accessible name quotes it: its first words, on one line. */
export function cardLabel(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** Who wrote it, as the reader may know: "You", the author's name, or "Anonymous". */
export function authorText(item: { author: string | null; mine: boolean }): string {
  if (item.mine) return 'You';
  return item.author ?? 'Anonymous';
}

/** The cards of a column that are on the board (not deleted), in their order. */
export function cardsIn(cards: readonly CardView[], column: string): CardView[] {
  return cards
    .filter((card) => card.column === column && card.deletedAt === null)
    .sort((a, b) => a.position - b.position || byText(a.id, b.id));
}

/**
 * A column's cards with the most dots first (ties keep their place), for reading after the
 * reveal. Before it every total is null, so nothing is reordered and no hidden count shows
 * through the order.
 */
export function byVotes(cards: readonly CardView[]): CardView[] {
  if (cards.some((card) => card.votes === null)) return [...cards];
  return cards
    .map((card, index) => ({ card, index }))
    .sort((a, b) => (b.card.votes ?? 0) - (a.card.votes ?? 0) || a.index - b.index)
    .map(({ card }) => card);
}

export type ColumnItem =
  | { kind: 'card'; card: CardView }
  | { kind: 'cluster'; cluster: ClusterView; cards: CardView[] };

/**
 * A column as it reads: loose cards in their order, and each cluster's cards together
 * under its name, where the cluster's first card stands. A card whose cluster is gone
 * (ungrouped) shows loose.
 */
export function columnItems(cards: readonly CardView[], clusters: readonly ClusterView[]): ColumnItem[] {
  const byId = new Map(clusters.map((cluster) => [cluster.id, cluster]));
  const items: ColumnItem[] = [];
  const placed = new Map<string, CardView[]>();
  for (const card of cards) {
    const cluster = card.clusterId ? byId.get(card.clusterId) : undefined;
    if (!cluster) {
      items.push({ kind: 'card', card });
      continue;
    }
    const group = placed.get(cluster.id);
    if (group) {
      group.push(card);
    } else {
      const fresh = [card];
      placed.set(cluster.id, fresh);
      items.push({ kind: 'cluster', cluster, cards: fresh });
    }
  }
  return items;
}

/** Seconds left on the shared timer, by the server's clock (`skew` = browser − server, in ms). */
export function secondsLeft(endsAt: string | null, now: number, skew: number): number | null {
  if (endsAt === null) return null;
  const ends = Date.parse(endsAt);
  if (Number.isNaN(ends)) return null;
  return Math.max(0, Math.ceil((ends - (now - skew)) / 1000));
}

/** 65 → "1:05"; 3725 → "1:02:05". */
export function clockText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** The same in words, for a screen reader that asks: "4 minutes 5 seconds". */
export function clockWords(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const part = (n: number, unit: string) => (n === 0 ? '' : `${n} ${unit}${n === 1 ? '' : 's'}`);
  return [part(h, 'hour'), part(m, 'minute'), part(s, 'second')].filter(Boolean).join(' ') || '0 seconds';
}

/** Where a board's export downloads from. */
export function exportUrl(boardId: string, format: 'markdown' | 'csv', part: 'board' | 'plan'): string {
  return apiHref(api.boards[':id'].export.$path({ param: { id: boardId }, query: { format, part } }));
}

export const boardUrl = (boardId: string): string => `/board/?b=${encodeURIComponent(boardId)}`;

/** When something on a board happened, as the pages say it: "Oct 2, 2026, 3:04 PM". */
export const timeText = (at: string | Date): string => dayTimeText(new Date(at));

/** A dots field (per person, per card) as the API takes it: blank means no limit (null). */
export const dotsValue = (text: string): number | null => (text.trim() === '' ? null : Number(text));

/** Whether two tag lists hold the same competencies, whatever their order. */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/** May this reader change cards (add, edit, vote, comment, cluster) right now? */
export function canWriteNow(state: Pick<BoardState, 'locked' | 'you'>): boolean {
  if (state.you.role === 'viewer') return false;
  return state.you.role === 'facilitator' || !state.locked;
}
