import { DEFAULT_MIN_GROUP_SIZE } from '../../../worker/src/domain/campaign';
import { api, apiHref, call, type Problem } from './api';
import { loadCampaign } from './campaign-page';
import type { Campaign } from './campaigns';
import {
  type FocusAnswer,
  type FocusList,
  type FocusRules,
  type Framework,
  inputWeights,
  isRanked,
  type PriorityComponent,
  type RankedFocus,
  type ResponseRates,
  type SegmentDimension,
  type SegmentTable,
  type StrategyPreferences,
  weightProblem,
  weightsQuery,
} from './focuses';

export type FocusesPhase = 'loading' | 'choose' | 'missing' | 'unavailable' | 'ready' | 'signed-out';
type WeightInputs = Record<PriorityComponent, string>;

const RERANK_DELAY_MS = 350;

/**
 * Everything the focus stage (the dashboard page) shows for one campaign, and the requests
 * behind it. Weight changes re-rank after a short pause; a response that arrives after a
 * newer request was sent is dropped, so the ranking always matches the inputs.
 */
export class Focuses {
  readonly #rules: FocusRules;
  /** The default weights on the inputs' scale. */
  readonly #defaults: Record<PriorityComponent, number>;
  #phase = $state<FocusesPhase>('loading');
  #loaded = $state(false);
  // Each answer from the API is replaced whole, never changed in place: raw state, so reading
  // the segment tables' thousands of cells goes through no proxy.
  #campaigns = $state.raw<Campaign[] | null>(null);
  #campaign = $state.raw<Campaign | null>(null);
  /** The campaign id the address names, asked for before the campaign itself has answered. */
  #wanted: string | null = null;
  #framework = $state.raw<Framework | null>(null);
  #list = $state.raw<FocusList | null>(null);
  #listProblem = $state.raw<Problem | null>(null);
  #weights: WeightInputs;
  #weightsError = $state('');
  #ranking = $state(false);
  #segments = $state.raw<Partial<Record<SegmentDimension, SegmentTable>>>({});
  #segmentsProblem = $state.raw<Problem | null>(null);
  #dimension = $state<SegmentDimension>('school');
  #rates = $state.raw<ResponseRates | null>(null);
  #ratesProblem = $state.raw<Problem | null>(null);
  #strategies = $state.raw<StrategyPreferences | null>(null);
  #strategiesProblem = $state.raw<Problem | null>(null);

  #ranked = $derived((this.#list?.items ?? []).filter(isRanked));
  #top: RankedFocus[];

  #timer: ReturnType<typeof setTimeout> | undefined;
  #rankRequest = 0;
  #strategyRequest = 0;
  #strategiesFor = '';

  constructor(rules: FocusRules) {
    this.#rules = rules;
    this.#defaults = inputWeights(rules.defaultWeights);
    this.#weights = $state(this.#defaultInputs());
    this.#top = $derived(this.#ranked.slice(0, rules.topCount));
  }

  /** What a focus's priority blends, in the worker's order. */
  get components() {
    return this.#rules.components;
  }
  /** What the segment tables break respondents down by. */
  get dimensions() {
    return this.#rules.dimensions;
  }
  /** The largest MWDS there can be, the top of need's scale. */
  get mwdsMax() {
    return this.#rules.mwdsMax;
  }
  get phase() {
    return this.#phase;
  }
  /**
   * Every first answer is in (the ranking, the breakdowns, the response rates, how staff want
   * to learn), or has failed: the page shows its figures all at once, so none pushes another down.
   */
  get loaded() {
    return this.#loaded;
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
  /** The ranked list as the API last answered it, with the weights it was ranked by. */
  get list() {
    return this.#list;
  }
  get listProblem() {
    return this.#listProblem;
  }
  /** Focuses with figures, in rank order. */
  get ranked(): RankedFocus[] {
    return this.#ranked;
  }
  /** The highest-priority focuses for the current weights: the top three, as pilot proposals take them. */
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
  get segmentsProblem() {
    return this.#segmentsProblem;
  }
  get dimension() {
    return this.#dimension;
  }
  set dimension(by: SegmentDimension) {
    this.#dimension = by;
  }
  get rates() {
    return this.#rates;
  }
  get ratesProblem() {
    return this.#ratesProblem;
  }
  get strategies() {
    return this.#strategies;
  }
  get strategiesProblem() {
    return this.#strategiesProblem;
  }
  get minGroupSize(): number {
    return this.#campaign?.minGroupSize ?? this.#list?.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  }
  get isDefaultWeights(): boolean {
    return this.components.every((component) => Number(this.#weights[component]) === this.#defaults[component]);
  }
  /** The CSV of the ranked list, with the weights it was ranked by. */
  get focusCsvUrl(): string {
    const weights = this.#list?.weights;
    const query = weights
      ? { weights: this.components.map((c) => `${c}:${weights[c]}`).join(','), format: 'csv' as const }
      : { format: 'csv' as const };
    return apiHref(api.campaigns[':id'].focuses.$path({ param: { id: this.#id() }, query }));
  }
  get segmentCsvUrl(): string {
    const query = { by: this.#dimension, format: 'csv' as const };
    return apiHref(api.campaigns[':id'].focuses.$path({ param: { id: this.#id() }, query }));
  }

  #defaultInputs(): WeightInputs {
    const { mwds, breadth, interest, evidenceGap } = this.#defaults;
    return {
      mwds: String(mwds),
      breadth: String(breadth),
      interest: String(interest),
      evidenceGap: String(evidenceGap),
    };
  }

  /** The campaign's id as a path segment (it came from the address). */
  #id(): string {
    return encodeURIComponent(this.#campaign?.id ?? this.#wanted ?? '');
  }

  /**
   * The session ended while the page was open (it lasts 12 hours): `call` is on its way to
   * sign in again, coming back to this very view.
   */
  #signedOut(problem: Problem): boolean {
    if (problem.code !== 'SIGNED_OUT') return false;
    this.#phase = 'signed-out';
    return true;
  }

  /** The campaign named by the address, or without one the campaigns to choose from. */
  async load(id: string | null): Promise<void> {
    this.#phase = id ? 'loading' : 'choose';
    this.#wanted = id;
    // The figures are asked for beside the campaign, not after it: one round trip less before
    // the summary shows. They are only shown once the campaign has answered that it exists.
    // The framework only names what the sections below show: the summary does not wait for it.
    if (id) void this.#loadFramework();
    const figures = id ? Promise.all([this.#rank(), this.loadSegments(), this.loadRates()]) : null;
    const { phase, campaign, campaigns } = await loadCampaign(id);
    this.#campaigns = campaigns;
    this.#campaign = campaign;
    // Every campaign has focuses, anonymous or not.
    this.#phase = phase === 'anonymous' ? 'ready' : phase;
    if (this.#phase !== 'ready') return;
    await figures;
    this.#loaded = true;
    // How staff want to learn the top three shows far below the summary: it follows the ranking
    // (which may have come back before the campaign did), and the summary does not wait for it.
    void this.#loadStrategies();
  }

  /** One weight as typed (0–100); the ranking follows after a short pause. */
  setWeight(component: PriorityComponent, raw: string): void {
    this.#weights[component] = raw;
    this.#scheduleRank();
  }

  resetWeights(): void {
    this.#weights = this.#defaultInputs();
    this.#scheduleRank(0);
  }

  /** The ranking once more, by the weights as they are (after it could not be loaded). */
  rank(): void {
    this.#scheduleRank(0);
  }

  #scheduleRank(delay = RERANK_DELAY_MS): void {
    clearTimeout(this.#timer);
    const problem = weightProblem(this.#weights, this.components);
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
    if (!this.#wanted) return;
    const request = ++this.#rankRequest;
    const weights = this.isDefaultWeights ? undefined : weightsQuery(this.#weights, this.components);
    this.#ranking = true;
    // Without `format=csv` the route answers JSON: the list, or with `by` a table.
    const outcome = await call<FocusAnswer>(() =>
      api.campaigns[':id'].focuses.$get({ param: { id: this.#id() }, query: weights ? { weights } : {} }),
    );
    if (request !== this.#rankRequest) return;
    this.#ranking = false;
    if (outcome.ok && !('by' in outcome.data)) {
      this.#list = outcome.data;
      this.#weightsError = '';
      this.#listProblem = null;
      void this.#loadStrategies();
    } else if (!outcome.ok && !this.#signedOut(outcome.problem)) {
      if (outcome.problem.code === 'INVALID_WEIGHTS') this.#weightsError = outcome.problem.message;
      else this.#listProblem = outcome.problem;
    }
  }

  async #loadFramework(): Promise<void> {
    // Names then fall back to ids; nothing else depends on the framework.
    const outcome = await call(() => api.framework.$get());
    if (outcome.ok) this.#framework = outcome.data;
  }

  /** Every dimension's segment table (again, after some could not be loaded). */
  async loadSegments(): Promise<void> {
    if (!this.#wanted) return;
    const id = this.#id();
    const outcomes = await Promise.all(
      this.dimensions.map((by) =>
        call<FocusAnswer>(() => api.campaigns[':id'].focuses.$get({ param: { id }, query: { by } })),
      ),
    );
    const tables: Partial<Record<SegmentDimension, SegmentTable>> = {};
    let problem: Problem | null = null;
    for (const outcome of outcomes) {
      if (outcome.ok && 'by' in outcome.data) tables[outcome.data.by] = outcome.data;
      else if (!outcome.ok && !this.#signedOut(outcome.problem)) problem ??= outcome.problem;
    }
    this.#segments = tables;
    this.#segmentsProblem = problem;
  }

  /** The response rates (again, after they could not be loaded). */
  async loadRates(): Promise<void> {
    if (!this.#wanted) return;
    const id = this.#id();
    const outcome = await call(() => api.campaigns[':id']['response-rates'].$get({ param: { id } }));
    if (outcome.ok) {
      this.#rates = outcome.data;
      this.#ratesProblem = null;
    } else if (!this.#signedOut(outcome.problem)) {
      this.#ratesProblem = outcome.problem;
    }
  }

  /** How staff want to learn the top three (again, after it could not be loaded). */
  reloadStrategies(): Promise<void> {
    this.#strategiesFor = '';
    return this.#loadStrategies();
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
    const outcome = await call(() =>
      api.campaigns[':id']['strategy-preferences'].$get({ param: { id: this.#id() }, query: { focuses: ids } }),
    );
    if (request !== this.#strategyRequest) return;
    if (outcome.ok) {
      this.#strategies = outcome.data;
      this.#strategiesProblem = null;
    } else if (!this.#signedOut(outcome.problem)) {
      this.#strategiesFor = '';
      this.#strategiesProblem = outcome.problem;
    }
  }
}
