import type { InferResponseType } from 'hono/client';
import { api, apiHref, call, type Problem } from '../../lib/api';
import { loadCampaign, type PagePhase } from '../../lib/campaign-page';
import type { Campaign, CampaignDetail } from '../../lib/campaigns';

type CommentsRoute = (typeof api.campaigns)[':id']['comments'];
export type CommentPage = Exclude<InferResponseType<CommentsRoute['$get'], 200>, string>;
export type CommentItem = CommentPage['items'][number];

/** What the list is narrowed to: '' is "all" for each. */
export interface CommentFilters {
  q: string;
  segment: string;
  focus: string;
}

const NO_FILTERS: CommentFilters = { q: '', segment: '', focus: '' };

/**
 * The comments page of one campaign: the filters, the pages loaded so far and the tags
 * being changed. A list that arrives after newer filters were sent is dropped, so the list
 * always matches the filters shown.
 */
export class Comments {
  #phase = $state<PagePhase>('loading');
  #campaigns = $state<Campaign[] | null>(null);
  #campaign = $state<CampaignDetail | null>(null);
  #page = $state<CommentPage | null>(null);
  #items = $state<CommentItem[]>([]);
  #problem = $state<Problem | null>(null);
  #loading = $state(false);
  /** The filters of the list shown (and of the CSV link). */
  #applied = $state<CommentFilters>({ ...NO_FILTERS });
  #request = 0;

  get phase() {
    return this.#phase;
  }
  get campaigns() {
    return this.#campaigns;
  }
  get campaign() {
    return this.#campaign;
  }
  get page() {
    return this.#page;
  }
  get items() {
    return this.#items;
  }
  get problem() {
    return this.#problem;
  }
  get loading() {
    return this.#loading;
  }
  get applied(): Readonly<CommentFilters> {
    return this.#applied;
  }

  #id(): string {
    return encodeURIComponent(this.#campaign?.id ?? '');
  }

  #query(filters: CommentFilters) {
    return {
      ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
      ...(filters.segment ? { by: 'school' as const, segment: filters.segment } : {}),
      ...(filters.focus ? { focus: filters.focus } : {}),
    };
  }

  /** The CSV of every comment the current filters match. */
  get csvUrl(): string {
    const query = { ...this.#query(this.#applied), format: 'csv' as const };
    return apiHref(api.campaigns[':id'].comments.$path({ param: { id: this.#id() }, query }));
  }

  /** The campaign named by the address, or without one the campaigns to choose from. */
  async start(id: string | null): Promise<void> {
    const { phase, campaign, campaigns } = await loadCampaign(id);
    this.#campaigns = campaigns;
    this.#campaign = campaign;
    // Comments are read in groups, from anonymous campaigns as from named ones.
    this.#phase = phase === 'anonymous' ? 'ready' : phase;
    if (this.#phase === 'ready') await this.show(NO_FILTERS);
  }

  /** The first page for these filters. */
  show(filters: CommentFilters): Promise<void> {
    return this.#load({ ...filters }, undefined, (page) => page.items);
  }

  /** The next page of the list shown. */
  async more(): Promise<void> {
    const cursor = this.#page?.nextCursor;
    if (cursor) await this.#load(this.#applied, cursor, (page) => [...this.#items, ...page.items]);
  }

  /** Reads a page; only the latest request's answer is kept, and a refusal keeps what is shown. */
  async #load(filters: CommentFilters, cursor: string | undefined, items: (page: CommentPage) => CommentItem[]) {
    const request = ++this.#request;
    this.#loading = true;
    const outcome = await this.#fetch(filters, cursor);
    if (request !== this.#request) return;
    this.#loading = false;
    if (!outcome.ok) {
      this.#problem = outcome.problem;
      return;
    }
    this.#problem = null;
    this.#applied = filters;
    this.#items = items(outcome.data);
    this.#page = outcome.data;
  }

  #fetch(filters: CommentFilters, cursor?: string) {
    const query = { ...this.#query(filters), ...(cursor ? { cursor } : {}) };
    return call<CommentPage>(() => api.campaigns[':id'].comments.$get({ param: { id: this.#id() }, query }));
  }

  /** Adds or removes one tag; answers the refusal, if any, for the page to show by the comment. */
  async tag(comment: CommentItem, competencyId: string, on: boolean): Promise<Problem | null> {
    const param = { id: this.#id(), commentId: comment.id, competencyId };
    const route = api.campaigns[':id'].comments[':commentId'].tags[':competencyId'];
    const outcome = on ? await call(() => route.$put({ param, json: {} })) : await call(() => route.$delete({ param }));
    if (!outcome.ok) return outcome.problem;
    const { tags } = outcome.data;
    this.#items = this.#items.map((item) => (item.id === comment.id ? { ...item, tags } : item));
    return null;
  }
}
