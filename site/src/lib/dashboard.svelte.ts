import { api } from './api';
import {
  type CampaignSummary,
  COMPONENTS,
  type Component,
  DEFAULT_WEIGHTS,
  DIMENSIONS,
  type Dimension,
  type FocusList,
  type Framework,
  isRanked,
  type RankedFocus,
  type ResponseRates,
  type SegmentTable,
  type StrategyPreferences,
  weightProblem,
  weightsQuery,
} from './dashboard';

export type DashboardPhase = 'loading' | 'choose' | 'missing' | 'unavailable' | 'ready' | 'signed-out';
type WeightInputs = Record<Component, string>;

const RERANK_DELAY_MS = 350;

const defaultInputs = (): WeightInputs =>
  Object.fromEntries(COMPONENTS.map((component) => [component, String(DEFAULT_WEIGHTS[component])])) as WeightInputs;

/** What went wrong, in the API's words when it gave any. */
async function errorMessage(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `The server answered ${res.status}.`;
}

/** Where to sign in again and come back to this very view. */
export function signInUrl(): string {
  return `/sign-in/?next=${encodeURIComponent(location.pathname + location.search)}`;
}

/**
 * Everything the dashboard island shows for one campaign, and the requests behind it.
 * Weight changes re-rank after a short pause; a response that arrives after a newer
 * request was sent is dropped, so the ranking always matches the inputs.
 */
export class Dashboard {
  #phase = $state<DashboardPhase>('loading');
  #campaigns = $state<CampaignSummary[] | null>(null);
  #campaign = $state<CampaignSummary | null>(null);
  #framework = $state<Framework | null>(null);
  #focuses = $state<FocusList | null>(null);
  #focusError = $state('');
  #weights = $state<WeightInputs>(defaultInputs());
  #weightsError = $state('');
  #ranking = $state(false);
  #segments = $state<Partial<Record<Dimension, SegmentTable>>>({});
  #segmentError = $state('');
  #dimension = $state<Dimension>('school');
  #rates = $state<ResponseRates | null>(null);
  #ratesError = $state('');
  #strategies = $state<StrategyPreferences | null>(null);
  #strategiesError = $state('');

  #ranked = $derived((this.#focuses?.items ?? []).filter(isRanked));
  #top = $derived(this.#ranked.slice(0, 3));

  #timer: ReturnType<typeof setTimeout> | undefined;
  #rankRequest = 0;
  #strategyRequest = 0;
  #strategiesFor = '';

  get phase() {
    return this.#phase;
  }
  get campaigns() {
    return this.#campaigns;
  }
  get campaign() {
    return this.#campaign;
  }
  get framework() {
    return this.#framework;
  }
  get focuses() {
    return this.#focuses;
  }
  get focusError() {
    return this.#focusError;
  }
  /** Focuses with figures, in rank order. */
  get ranked(): RankedFocus[] {
    return this.#ranked;
  }
  /** The three highest-priority focuses for the current weights. */
  get top(): RankedFocus[] {
    return this.#top;
  }
  get weights(): Readonly<WeightInputs> {
    return this.#weights;
  }
  get weightsError() {
    return this.#weightsError;
  }
  get ranking() {
    return this.#ranking;
  }
  get segments() {
    return this.#segments;
  }
  get segmentError() {
    return this.#segmentError;
  }
  get dimension() {
    return this.#dimension;
  }
  set dimension(by: Dimension) {
    this.#dimension = by;
  }
  get rates() {
    return this.#rates;
  }
  get ratesError() {
    return this.#ratesError;
  }
  get strategies() {
    return this.#strategies;
  }
  get strategiesError() {
    return this.#strategiesError;
  }
  get minGroupSize(): number {
    return this.#campaign?.minGroupSize ?? this.#focuses?.minGroupSize ?? 5;
  }
  get isDefaultWeights(): boolean {
    return COMPONENTS.every((component) => Number(this.#weights[component]) === DEFAULT_WEIGHTS[component]);
  }
  /** The CSV of the ranked list, with the weights it was ranked by. */
  get focusCsvUrl(): string {
    const id = encodeURIComponent(this.#campaign?.id ?? '');
    const weights = this.#focuses?.weights;
    const query = weights
      ? `weights=${encodeURIComponent(COMPONENTS.map((c) => `${c}:${weights[c]}`).join(','))}&`
      : '';
    return `/api/campaigns/${id}/focuses?${query}format=csv`;
  }
  get segmentCsvUrl(): string {
    const id = encodeURIComponent(this.#campaign?.id ?? '');
    return `/api/campaigns/${id}/focuses?by=${this.#dimension}&format=csv`;
  }

  /**
   * The session ended while the page was open (it lasts 12 hours): go and sign in again,
   * once, however many requests notice it.
   */
  #signedOut(res: { status: number }): boolean {
    if (res.status !== 401) return false;
    if (this.#phase !== 'signed-out') {
      this.#phase = 'signed-out';
      location.assign(signInUrl());
    }
    return true;
  }

  /** Without a campaign id: the campaigns to choose from. */
  async choose(): Promise<void> {
    this.#phase = 'choose';
    try {
      const res = await api.campaigns.$get({ query: {} });
      if (this.#signedOut(res)) return;
      if (!res.ok) throw new Error(String(res.status));
      this.#campaigns = (await res.json()).items as CampaignSummary[];
    } catch {
      this.#campaigns = [];
    }
  }

  async load(id: string): Promise<void> {
    this.#phase = 'loading';
    try {
      const res = await api.campaigns[':id'].$get({ param: { id } });
      if (this.#signedOut(res)) return;
      const status: number = res.status;
      if (status === 404) {
        this.#phase = 'missing';
        return;
      }
      if (!res.ok) throw new Error(String(status));
      this.#campaign = (await res.json()) as CampaignSummary;
    } catch {
      this.#phase = 'unavailable';
      return;
    }
    this.#phase = 'ready';
    await Promise.all([this.#loadFramework(), this.#rank(), this.#loadSegments(), this.#loadRates()]);
  }

  /** One weight as typed (0–100); the ranking follows after a short pause. */
  setWeight(component: Component, raw: string): void {
    this.#weights[component] = raw;
    this.#scheduleRank();
  }

  resetWeights(): void {
    this.#weights = defaultInputs();
    this.#scheduleRank(0);
  }

  #scheduleRank(delay = RERANK_DELAY_MS): void {
    clearTimeout(this.#timer);
    const problem = weightProblem(this.#weights);
    if (problem) {
      // A newer input supersedes any ranking still on its way.
      this.#rankRequest++;
      this.#ranking = false;
      this.#weightsError = problem;
      return;
    }
    this.#ranking = true;
    this.#timer = setTimeout(() => void this.#rank(), delay);
  }

  async #rank(): Promise<void> {
    const campaign = this.#campaign;
    if (!campaign) return;
    const request = ++this.#rankRequest;
    const weights = this.isDefaultWeights ? undefined : weightsQuery(this.#weights);
    this.#ranking = true;
    try {
      const res = await api.campaigns[':id'].focuses.$get({
        param: { id: campaign.id },
        query: weights ? { weights } : {},
      });
      if (request !== this.#rankRequest || this.#signedOut(res)) return;
      const status: number = res.status;
      if (status === 422) {
        this.#weightsError = await errorMessage(res);
        return;
      }
      if (!res.ok) throw new Error(await errorMessage(res));
      this.#focuses = (await res.json()) as FocusList;
      this.#weightsError = '';
      this.#focusError = '';
    } catch (error) {
      if (request !== this.#rankRequest) return;
      this.#focusError = `The ranking could not be loaded (${error instanceof Error ? error.message : 'network error'}).`;
    } finally {
      if (request === this.#rankRequest) this.#ranking = false;
    }
    if (request === this.#rankRequest) await this.#loadStrategies();
  }

  async #loadFramework(): Promise<void> {
    try {
      const res = await api.framework.$get();
      if (res.ok) this.#framework = (await res.json()) as Framework;
    } catch {
      // Names then fall back to ids; nothing else depends on the framework.
    }
  }

  async #loadSegments(): Promise<void> {
    const campaign = this.#campaign;
    if (!campaign) return;
    const results = await Promise.all(
      DIMENSIONS.map(async (by) => {
        try {
          const res = await api.campaigns[':id'].focuses.$get({ param: { id: campaign.id }, query: { by } });
          if (this.#signedOut(res) || !res.ok) return null;
          return (await res.json()) as SegmentTable;
        } catch {
          return null;
        }
      }),
    );
    const tables: Partial<Record<Dimension, SegmentTable>> = {};
    for (const table of results) if (table) tables[table.by] = table;
    this.#segments = tables;
    this.#segmentError = results.some((table) => table === null)
      ? 'Some of the group breakdowns could not be loaded. Reload the page to try again.'
      : '';
  }

  async #loadRates(): Promise<void> {
    const campaign = this.#campaign;
    if (!campaign) return;
    try {
      const res = await api.campaigns[':id']['response-rates'].$get({ param: { id: campaign.id } });
      if (this.#signedOut(res)) return;
      if (!res.ok) throw new Error(String(res.status));
      this.#rates = (await res.json()) as ResponseRates;
      this.#ratesError = '';
    } catch {
      this.#ratesError = 'The response rates could not be loaded. Reload the page to try again.';
    }
  }

  /** Strategy preferences for the current top three, fetched again only when they change. */
  async #loadStrategies(): Promise<void> {
    const campaign = this.#campaign;
    const ids = this.#top.map((focus) => focus.competencyId).join(',');
    if (!campaign || ids === this.#strategiesFor) return;
    this.#strategiesFor = ids;
    const request = ++this.#strategyRequest;
    if (ids === '') {
      this.#strategies = { minGroupSize: campaign.minGroupSize, items: [] };
      return;
    }
    try {
      const res = await api.campaigns[':id']['strategy-preferences'].$get({
        param: { id: campaign.id },
        query: { focuses: ids },
      });
      if (request !== this.#strategyRequest || this.#signedOut(res)) return;
      if (!res.ok) throw new Error(String(res.status));
      this.#strategies = (await res.json()) as StrategyPreferences;
      this.#strategiesError = '';
    } catch {
      if (request !== this.#strategyRequest) return;
      this.#strategiesFor = '';
      this.#strategiesError = 'How staff want to learn could not be loaded. Reload the page to try again.';
    }
  }
}
