import { type Invitations, REPORT_SIGNED_OUT } from './admin';
import { api, call, type Problem } from './api';
import type { Campaign, CampaignDetail } from './campaigns';

/** A campaign in the list: with its survey link once it was read on its own (a new one's). */
export type ListedCampaign = Campaign & Partial<Pick<CampaignDetail, 'surveyUrl'>>;
export type CampaignControl = 'close' | 'links';

/** The only survey this installation ships; the API refuses any other id. */
export const SURVEY_ID = 'needs-assessment';

export interface NewCampaign {
  title: string;
  mode: Campaign['mode'];
  minGroupSize: number;
  closesAt: string | null;
}

/** What the last issue of personal links gave, per campaign. */
export interface LinksIssued {
  rows: number;
  created: number;
  answered: number;
  withoutEmail: number;
  fileName: string;
}

/** Campaigns: the list, creating and closing them, and issuing personal links. */
export class Campaigns {
  #items = $state<ListedCampaign[] | null>(null);
  #nextCursor = $state<string | null>(null);
  #loadProblem = $state<Problem | null>(null);
  #loadingMore = $state(false);
  #creating = $state(false);
  #createProblem = $state<Problem | null>(null);
  #problems = $state<Record<string, Partial<Record<CampaignControl, Problem>>>>({});
  #busy = $state<Record<string, CampaignControl | undefined>>({});
  #links = $state<Record<string, LinksIssued>>({});
  #onChange: () => void;

  constructor(onChange: () => void = () => {}) {
    this.#onChange = onChange;
  }

  get items() {
    return this.#items;
  }
  get hasMore(): boolean {
    return this.#nextCursor !== null;
  }
  get loadProblem() {
    return this.#loadProblem;
  }
  get loadingMore() {
    return this.#loadingMore;
  }
  get creating() {
    return this.#creating;
  }
  get createProblem() {
    return this.#createProblem;
  }
  problem(id: string, control: CampaignControl): Problem | null {
    return this.#problems[id]?.[control] ?? null;
  }
  busy(id: string): CampaignControl | undefined {
    return this.#busy[id];
  }
  links(id: string): LinksIssued | null {
    return this.#links[id] ?? null;
  }

  async load(): Promise<void> {
    const outcome = await call(() => api.campaigns.$get({ query: {} }), REPORT_SIGNED_OUT);
    if (!outcome.ok) {
      this.#loadProblem = outcome.problem;
      return;
    }
    this.#items = outcome.data.items;
    this.#nextCursor = outcome.data.nextCursor ?? null;
    this.#loadProblem = null;
  }

  async loadMore(): Promise<void> {
    const cursor = this.#nextCursor;
    if (!cursor) return;
    this.#loadingMore = true;
    const outcome = await call(() => api.campaigns.$get({ query: { cursor } }), REPORT_SIGNED_OUT);
    this.#loadingMore = false;
    if (!outcome.ok) {
      this.#loadProblem = outcome.problem;
      return;
    }
    const known = new Set((this.#items ?? []).map((item) => item.id));
    const more = outcome.data.items.filter((item) => !known.has(item.id));
    this.#items = [...(this.#items ?? []), ...more];
    this.#nextCursor = outcome.data.nextCursor ?? null;
  }

  /** Creates a campaign; its id when it was created. */
  async create(input: NewCampaign): Promise<string | null> {
    this.#creating = true;
    this.#createProblem = null;
    const outcome = await call(
      () =>
        api.campaigns.$post({
          json: {
            surveyId: SURVEY_ID,
            title: input.title.trim(),
            mode: input.mode,
            minGroupSize: input.minGroupSize,
            ...(input.closesAt ? { closesAt: input.closesAt } : {}),
          },
        }),
      REPORT_SIGNED_OUT,
    );
    if (!outcome.ok) {
      this.#creating = false;
      this.#createProblem = outcome.problem;
      return null;
    }
    const { id, surveyUrl } = outcome.data;
    await this.#refresh(id, surveyUrl);
    this.#creating = false;
    this.#onChange();
    return id;
  }

  async close(id: string): Promise<boolean> {
    this.#start(id, 'close');
    const outcome = await call(() => api.campaigns[':id'].close.$post({ param: { id }, json: {} }), REPORT_SIGNED_OUT);
    this.#busy[id] = undefined;
    if (!outcome.ok) {
      this.#problems[id] = { ...this.#problems[id], close: outcome.problem };
      return false;
    }
    const closed = outcome.data;
    this.#items = (this.#items ?? []).map((item) => (item.id === id ? { ...item, ...closed } : item));
    this.#onChange();
    return true;
  }

  /** Issues fresh personal links; the list for the mail merge when it worked. */
  async issueLinks(id: string, fileName: string): Promise<Invitations | null> {
    this.#start(id, 'links');
    const outcome = await call(
      () => api.campaigns[':id'].invitations.$post({ param: { id }, json: {} }),
      REPORT_SIGNED_OUT,
    );
    this.#busy[id] = undefined;
    if (!outcome.ok) {
      this.#problems[id] = { ...this.#problems[id], links: outcome.problem };
      return null;
    }
    const invitations = outcome.data;
    this.#links[id] = {
      rows: invitations.items.length,
      created: invitations.created,
      answered: invitations.answered,
      withoutEmail: invitations.items.filter((item) => item.status === 'new-link' && !item.email).length,
      fileName,
    };
    this.#onChange();
    return invitations;
  }

  #start(id: string, control: CampaignControl): void {
    this.#busy[id] = control;
    this.#problems[id] = { ...this.#problems[id], [control]: undefined };
  }

  /** One campaign fetched again (a new one goes first: the list is newest first). */
  async #refresh(id: string, surveyUrl?: string): Promise<void> {
    const outcome = await call(() => api.campaigns[':id'].$get({ param: { id } }), REPORT_SIGNED_OUT);
    if (!outcome.ok) {
      await this.load();
      return;
    }
    const campaign = { ...outcome.data, ...(surveyUrl ? { surveyUrl } : {}) };
    const items = this.#items ?? [];
    this.#items = items.some((item) => item.id === id)
      ? items.map((item) => (item.id === id ? campaign : item))
      : [campaign, ...items];
  }
}
