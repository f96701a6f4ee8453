/**
 * What staff wrote in the survey's free-text comment, as directors may read it: only the
 * comments of a group of at least k published respondents, and nothing beside a comment
 * that could tell its writer (no name, role, school, staff id, response id or time).
 *
 * The rules, and the attacks they answer:
 *
 * - Published responses only. Comments join the list in the same publication steps as the
 *   figures (publication.ts), so a comment that appears between two reads is one of at
 *   least k people who joined the group since, never "the one who answered yesterday".
 * - District-wide, every comment of the campaign once it has at least k published
 *   respondents.
 * - By segment, only by school (`COMMENT_DIMENSIONS`), and only for a school whose
 *   respondent count the disclosure plan shows. The district list minus the offered
 *   schools' lists is the comments of the schools not offered, so those must together be
 *   nobody or at least k people: a plan that leaves its hidden cells' range open (all the
 *   cross-table audit asks) may still hide two schools of one person each. `offeredSegments`
 *   checks that itself, from the published counts, and withholds the smallest offered
 *   school until it holds, whatever the plan's internals. Two
 *   dimensions would break that: a comment's id (and its text) is the same in every list,
 *   so the comments in both "school A" and "role R" are those of the people at A in role
 *   R, often one person. Offering a single dimension closes that intersection; school is
 *   the one a district acts on.
 * - Order and ids carry no time. A comment's id is an HMAC of its response's id under a
 *   per-campaign secret that never leaves the database, so it cannot be joined to the
 *   response, a submission time or the order of submission, and comments are listed in
 *   id order, which is as good as shuffled. The id is stable, so tags and paging hold.
 * - Search and focus filters narrow a group's list, never the group. A search may well
 *   match fewer than k comments (one, often): that is allowed, on purpose. It matches only
 *   the text the same reader can already read in full in the unfiltered list of that
 *   group, so it tells nothing the list does not; each match is still one of the group's
 *   k or more respondents, and no filter reads a name, role, school or time. Refusing
 *   small result sets would protect nobody (the reader can scroll) and would break the
 *   search. What would isolate a small group is a filter on who wrote it: there is none
 *   beyond the one dimension above. The same holds for paging (a cursor is a comment id)
 *   and for the CSV, which is every match of the same list.
 * - Tags are the director's reading of a comment, not a fact about its writer; only
 *   directors set them (admins run the system, they do not interpret what staff wrote).
 *
 * Left to the reader's judgment: what a comment says. A writer who names themselves, or
 * describes what only they could, is told apart by their own words.
 */
import type { SegmentDimension } from './focuses';

/** The one dimension comments may be filtered by (see above for why only one). */
export const COMMENT_DIMENSIONS = ['school'] as const satisfies readonly SegmentDimension[];
export type CommentDimension = (typeof COMMENT_DIMENSIONS)[number];

/** The `segment` of respondents who did not say which school they work at (no roster id starts with ':'). */
export const NOT_STATED_SEGMENT = ':unstated';

export const DEFAULT_COMMENT_PAGE = 25;
export const MAX_COMMENT_PAGE = 100;

/** Hex characters of a comment id: 128 bits of an HMAC-SHA256. */
const COMMENT_ID_LENGTH = 32;
export const COMMENT_ID = new RegExp(`^[0-9a-f]{${COMMENT_ID_LENGTH}}$`);

/** Bytes of a campaign's comment secret. */
const SECRET_BYTES = 32;

/**
 * The segments whose comments may be listed: those the plan shows, minus the smallest
 * shown ones while the segments not offered hold between 1 and k − 1 respondents together
 * (their comments would be the district list minus the offered ones). `counts` are the
 * published respondents per segment; a segment missing from it has none.
 */
export function offeredSegments(
  candidates: readonly string[],
  counts: ReadonlyMap<string, number>,
  shownByPlan: (segment: string) => boolean,
  k: number,
): string[] {
  const n = (segment: string) => counts.get(segment) ?? 0;
  const total = [...counts.values()].reduce((sum, one) => sum + one, 0);
  // Largest first, so the smallest is popped first; by key for a deterministic answer.
  const offered = candidates
    .filter((segment) => shownByPlan(segment) && n(segment) >= k)
    .sort((a, b) => n(b) - n(a) || (a < b ? -1 : a > b ? 1 : 0));
  const rest = () => total - offered.reduce((sum, segment) => sum + n(segment), 0);
  while (offered.length > 0 && rest() > 0 && rest() < k) offered.pop();
  return candidates.filter((segment) => offered.includes(segment));
}

export const COMMENT_COLUMNS = ['comment', 'tags'] as const;

/** A stored comment as the worker reads it; the response id never leaves the worker. */
export interface StoredComment {
  responseId: string;
  text: string;
}

export interface Comment {
  id: string;
  text: string;
  /** Competency ids, in framework order. */
  tags: string[];
}

const hex = (bytes: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('');

/** A new campaign comment secret, as stored. */
export function newCommentSecret(): string {
  return hex(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** A campaign's HMAC key (named by what importKey gives, which workerd and Node type alike). */
export type CommentKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** The HMAC key of a campaign's stored secret. */
export function commentKey(secret: string): Promise<CommentKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
}

/** A comment's id: unlinkable to its response without the campaign's secret. */
export async function commentId(key: CommentKey, responseId: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(responseId));
  return hex(mac).slice(0, COMMENT_ID_LENGTH);
}

/** The comments with their ids and tags, in id order (no time order survives). */
export async function identify(
  key: CommentKey,
  stored: readonly StoredComment[],
  tags: ReadonlyMap<string, readonly string[]>,
  framework: readonly { id: string }[],
): Promise<Comment[]> {
  const order = new Map(framework.map((item, index) => [item.id, index]));
  const byFramework = (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
  const comments = await Promise.all(
    stored.map(async ({ responseId, text }) => {
      const id = await commentId(key, responseId);
      return { id, text, tags: [...(tags.get(id) ?? [])].sort(byFramework) };
    }),
  );
  return comments.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface CommentFilter {
  /** Text to find, case-insensitively. */
  q?: string;
  /** Only comments tagged to this competency. */
  focus?: string;
}

/** The comments that match the search and the focus, in the order given. */
export function filterComments(comments: readonly Comment[], { q, focus }: CommentFilter): Comment[] {
  const needle = q?.trim().toLocaleLowerCase('en-US') ?? '';
  return comments.filter(
    (comment) =>
      (!needle || comment.text.toLocaleLowerCase('en-US').includes(needle)) && (!focus || comment.tags.includes(focus)),
  );
}

export interface CommentPage {
  items: Comment[];
  /** The last item's id, when more follow. */
  nextCursor?: string;
}

/** One page of id-ordered comments: those after `cursor` (an id), at most `limit`. */
export function pageOf(comments: readonly Comment[], limit: number, cursor?: string): CommentPage {
  const rest = cursor ? comments.filter((comment) => comment.id > cursor) : comments;
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return { items, ...(rest.length > limit && last ? { nextCursor: last.id } : {}) };
}

/** The CSV rows: the comment and its tags by name, nothing that joins to a response. */
export function commentRows(comments: readonly Comment[], framework: readonly { id: string; name: string }[]) {
  const names = new Map(framework.map((item) => [item.id, item.name]));
  return comments.map((comment) => ({
    comment: comment.text,
    tags: comment.tags.map((id) => names.get(id) ?? id).join('; '),
  }));
}
