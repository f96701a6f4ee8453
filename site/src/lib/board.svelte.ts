/**
 * One board as a browser holds it: the state the API last gave, kept current by polling
 * (`GET /api/boards/:id?since=<version>` answers 204 while nothing changed), and every
 * write sent through `write`, whose answer (the whole new state) replaces what is shown.
 *
 * Why polling and not a WebSocket: see worker/src/routes/boards.ts, where the choice is
 * defended; the poll runs every POLL_MS while the tab is visible, so another member's
 * change shows within POLL_MS plus one round trip.
 */
import type { InferResponseType } from 'hono/client';
import { api, call, type Problem, retryable } from './api';
import type { BoardState } from './board-view';

/** GET /api/boards/:id/evidence: the survey's findings the board works from, suppressed as on the dashboard. */
export type Evidence = InferResponseType<(typeof api.boards)[':id']['evidence']['$get']>;
/** One of the campaign's focuses as the evidence shows it: ranked, or hidden for too few respondents. */
export type EvidenceFocus = Evidence['focuses'][number];

export const POLL_MS = 1000;
const HIDDEN_POLL_MS = 10_000;

/** A write's outcome: a refusal keeps the API's words and, on a 409, the object as it is now. */
export type SendResult = { ok: true } | { ok: false; problem: Problem };

/** A request whose answer is the board's new state, sent through the typed client. */
export type BoardWrite = Parameters<typeof call<BoardState>>[0];

/** What the poll reads when the board has not changed since `since`: a 204, which has no body. */
const unchanged = (res: { headers: Headers }) => ({
  ok: true,
  status: 204,
  headers: res.headers,
  json: async () => null,
});

/**
 * The object as it is now, which a 409 VERSION_CONFLICT carries: the worker sends it as this
 * reader's board state shows it (a card, a cluster, a plan), so it reads as that part of the state.
 */
export function conflictCurrent<T>(problem: Problem): T | undefined {
  return problem.code === 'VERSION_CONFLICT' ? (problem.current as T | undefined) : undefined;
}

export class BoardSession {
  state = $state<BoardState | null>(null);
  /** Why the board could not be read (not a member, not found, offline…), or null. */
  problem = $state<Problem | null>(null);
  /** The browser's clock minus the server's, in ms, so the shared timer reads the same everywhere. */
  clockSkew = $state(0);
  /** The campaign's evidence, read once by `loadEvidence()`; null until then or when it could not be read. */
  evidence = $state<Evidence | null>(null);
  evidenceProblem = $state<Problem | null>(null);
  /**
   * The board's id as its routes take it. The client puts path parameters in as they are:
   * the ids the API gave (cards, clusters, members) go in so, but this one comes from the
   * address, so it is encoded here.
   */
  readonly param: { id: string };
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(readonly boardId: string) {
    this.param = { id: encodeURIComponent(boardId) };
  }

  /** Reads the board now and keeps it current until `stop()`. */
  start(): void {
    this.#stopped = false;
    void this.poll();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async poll(): Promise<void> {
    clearTimeout(this.#timer);
    const query = this.state ? { since: String(this.state.version) } : {};
    const outcome = await call(async () => {
      const res = await api.boards[':id'].$get({ param: this.param, query });
      return res.status === 204 ? unchanged(res) : res;
    });
    if (outcome.ok) {
      // A write may have answered with a newer state meanwhile; an older poll must not undo it.
      const next = outcome.data;
      if (next && (!this.state || next.version >= this.state.version)) this.accept(next);
      this.problem = null;
    } else if (outcome.problem.code === 'SIGNED_OUT') {
      // `call` is taking the page to sign in: nothing more to read.
      return;
    } else {
      this.problem = outcome.problem;
    }
    if (!this.#stopped) {
      const wait = typeof document !== 'undefined' && document.hidden ? HIDDEN_POLL_MS : POLL_MS;
      this.#timer = setTimeout(() => void this.poll(), wait);
    }
  }

  /**
   * A write on this board; its answer becomes the state:
   * `session.write(() => api.boards[':id'].cards.$post({ param: session.param, json }))`.
   */
  async write(send: BoardWrite): Promise<SendResult> {
    const outcome = await call(send);
    if (!outcome.ok) return outcome;
    this.accept(outcome.data);
    return { ok: true };
  }

  /** Reads the campaign's evidence once (it changes only when the survey does, not with the board). */
  async loadEvidence(): Promise<void> {
    const outcome = await call(() => api.boards[':id'].evidence.$get({ param: this.param }));
    if (outcome.ok) {
      this.evidence = outcome.data;
      this.evidenceProblem = null;
    } else {
      this.evidenceProblem = outcome.problem;
    }
  }

  private accept(next: BoardState): void {
    this.clockSkew = Date.now() - Date.parse(next.serverTime);
    this.state = next;
  }
}

/** PUT /api/boards/:id/presence: who has the board open now. */
export type Presence = InferResponseType<(typeof api.boards)[':id']['presence']['$put'], 200>;

/**
 * Who is on the board now, kept by saying "here" every few seconds (the interval the
 * worker gives) while this page is open, and "gone" when it closes. Kept apart from the
 * board's poll: the board's version counts changes to the board, not comings and goings.
 */
export class BoardPresence {
  here = $state<Presence['here']>([]);
  /** Whether `start()` has been called (once is enough: it keeps going until `stop()`). */
  started = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;
  readonly #leave = () => this.leave();
  /** Back from the browser's back-forward cache: the page is open again. */
  readonly #resume = (event: PageTransitionEvent) => {
    if (!event.persisted || !this.#stopped) return;
    this.#stopped = false;
    void this.beat();
  };

  constructor(readonly session: BoardSession) {}

  start(): void {
    this.started = true;
    this.#stopped = false;
    addEventListener('pagehide', this.#leave);
    addEventListener('pageshow', this.#resume);
    void this.beat();
  }

  /** Stops saying "here" and says "gone", so the others see this person leave at once. */
  stop(): void {
    removeEventListener('pagehide', this.#leave);
    removeEventListener('pageshow', this.#resume);
    this.leave();
  }

  private leave(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    // keepalive: the request outlives the page that is closing.
    void call(() =>
      api.boards[':id'].presence
        .$delete({ param: this.session.param }, { init: { keepalive: true } })
        .then((res) => (res.status === 204 ? unchanged(res) : res)),
    );
  }

  private async beat(): Promise<void> {
    const outcome = await call(() => api.boards[':id'].presence.$put({ param: this.session.param, json: {} }));
    if (this.#stopped) return;
    let wait = PRESENCE_RETRY_MS;
    if (outcome.ok) {
      this.here = outcome.data.here;
      wait = outcome.data.beatSeconds * 1000;
    } else if (!retryable(outcome.problem)) {
      // Signed out, no longer a member, the board gone: nothing to say any more.
      this.here = [];
      return;
    }
    this.#timer = setTimeout(() => void this.beat(), wait);
  }
}

/** How soon to say "here" again after a failed try. */
const PRESENCE_RETRY_MS = 5000;
