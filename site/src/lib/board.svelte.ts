/**
 * One board as a browser holds it: the state the API last gave, kept current by polling
 * (`GET /api/boards/:id?since=<version>` answers 204 while nothing changed), and every
 * write sent through `send`, whose answer (the whole new state) replaces what is shown.
 *
 * Why polling and not a WebSocket: see worker/src/routes/boards.ts, where the choice is
 * defended; the poll runs every POLL_MS while the tab is visible, so another member's
 * change shows within POLL_MS plus one round trip.
 */
import type { BoardState } from '../../../worker/src/domain/boards';
import { NETWORK_PROBLEM, type Outcome, type Problem, problemFrom } from './problem';

export type { BoardState, Outcome, Problem };

/** One of the campaign's focuses as the evidence shows it: ranked, or hidden for too few respondents. */
export type EvidenceFocus =
  | { competencyId: string; name: string; rank: number; mwds: number; priority: number; suppressed?: undefined }
  | { competencyId: string; name: string; suppressed: true };

/** A school where a focus's need stands out (the dashboard's hotspot), or one hidden for too few respondents. */
export type EvidenceHotspot =
  | { competencyId: string; name: string; school: string; mwds: number; suppressed?: undefined }
  | { competencyId: string; name: string; school: string; suppressed: true };

/** GET /api/boards/:id/evidence: the survey's findings the board works from, suppressed as on the dashboard. */
export interface Evidence {
  campaignId: string;
  campaignTitle: string;
  minGroupSize: number;
  respondents: number;
  focuses: EvidenceFocus[];
  hotspots: EvidenceHotspot[];
}

export const POLL_MS = 1000;
const HIDDEN_POLL_MS = 10_000;

/** A write's outcome: a refusal keeps the API's words and, on a 409, the object as it is now. */
export type SendResult = { ok: true } | { ok: false; problem: Problem; current?: unknown };

export type WriteMethod = 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export class BoardSession {
  state = $state<BoardState | null>(null);
  /** Why the board could not be read (not a member, not found, offline…), or null. */
  problem = $state<Problem | null>(null);
  /** The browser's clock minus the server's, in ms, so the shared timer reads the same everywhere. */
  clockSkew = $state(0);
  /** The campaign's evidence, read once by `loadEvidence()`; null until then or when it could not be read. */
  evidence = $state<Evidence | null>(null);
  evidenceProblem = $state<Problem | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(readonly boardId: string) {}

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
    const since = this.state ? `?since=${this.state.version}` : '';
    try {
      const res = await fetch(`/api/boards/${encodeURIComponent(this.boardId)}${since}`, {
        headers: { Accept: 'application/json' },
      });
      if (res.status === 401) {
        location.assign(`/sign-in/?next=${encodeURIComponent(location.pathname + location.search)}`);
        return;
      }
      if (res.status === 200) {
        // A write may have answered with a newer state meanwhile; an older poll must not undo it.
        const next = (await res.json()) as BoardState;
        if (!this.state || next.version >= this.state.version) this.accept(next);
        this.problem = null;
      } else if (res.status !== 204) {
        this.problem = await problemFrom(res);
      } else {
        this.problem = null;
      }
    } catch {
      this.problem = NETWORK_PROBLEM;
    }
    if (!this.#stopped) {
      const wait = typeof document !== 'undefined' && document.hidden ? HIDDEN_POLL_MS : POLL_MS;
      this.#timer = setTimeout(() => void this.poll(), wait);
    }
  }

  /** A write under this board (`path` is relative to /api/boards/:id); its answer becomes the state. */
  async send(method: WriteMethod, path: string, body?: unknown): Promise<SendResult> {
    try {
      const res = await fetch(`/api/boards/${encodeURIComponent(this.boardId)}${path}`, {
        method,
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? (method === 'DELETE' ? undefined : '{}') : JSON.stringify(body),
      });
      if (res.status === 401) {
        location.assign(`/sign-in/?next=${encodeURIComponent(location.pathname + location.search)}`);
        return { ok: false, problem: await problemFrom(res) };
      }
      if (!res.ok) {
        const copy = res.clone();
        const problem = await problemFrom(res);
        const current = ((await copy.json().catch(() => null)) as { error?: { current?: unknown } } | null)?.error
          ?.current;
        return current === undefined ? { ok: false, problem } : { ok: false, problem, current };
      }
      this.accept((await res.json()) as BoardState);
      return { ok: true };
    } catch {
      return { ok: false, problem: NETWORK_PROBLEM };
    }
  }

  /** Reads the campaign's evidence once (it changes only when the survey does, not with the board). */
  async loadEvidence(): Promise<void> {
    const res = await this.call<Evidence>('GET', '/evidence');
    if (res.ok) {
      this.evidence = res.data;
      this.evidenceProblem = null;
    } else {
      this.evidenceProblem = res.problem;
    }
  }

  /**
   * A request under this board whose answer is not the board's state (the evidence, an
   * invitation): its body comes back as it is, and the state is left alone.
   */
  async call<T>(method: 'GET' | WriteMethod, path: string, body?: unknown): Promise<Outcome<T>> {
    try {
      const res = await fetch(`/api/boards/${encodeURIComponent(this.boardId)}${path}`, {
        method,
        headers:
          method === 'GET'
            ? { Accept: 'application/json' }
            : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: method === 'GET' || (method === 'DELETE' && body === undefined) ? undefined : JSON.stringify(body ?? {}),
      });
      if (res.status === 401) {
        location.assign(`/sign-in/?next=${encodeURIComponent(location.pathname + location.search)}`);
      }
      if (!res.ok) return { ok: false, problem: await problemFrom(res) };
      return { ok: true, data: (await res.json()) as T };
    } catch {
      return { ok: false, problem: NETWORK_PROBLEM };
    }
  }

  private accept(next: BoardState): void {
    this.clockSkew = Date.now() - Date.parse(next.serverTime);
    this.state = next;
  }
}
