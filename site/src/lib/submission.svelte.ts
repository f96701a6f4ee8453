import { api, call, type Problem, retryable } from './api';

export type SubmissionPhase = 'idle' | 'sending' | 'waiting' | 'saved' | 'rejected';

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
const TIMEOUT = 408;
const TOO_MANY_REQUESTS = 429;

/**
 * Whether sending the same submission again can help: no answer, a server error, or a
 * timeout or rate limit from the worker or from anything between us and it.
 */
function worthRetrying(problem: Problem): boolean {
  return retryable(problem) || problem.status === TIMEOUT || problem.status === TOO_MANY_REQUESTS;
}

/**
 * Sends one submission until the server confirms it. Network failures, 5xx, 408 and 429
 * are retried with exponential backoff (the idempotency key makes every retry safe), and
 * never sooner than a 429's Retry-After asks; any other 4xx means the answers themselves
 * were refused, and retrying cannot help.
 */
export class Submission {
  #phase = $state<SubmissionPhase>('idle');
  #problem = $state<Problem | null>(null);
  #message = $state('');
  #retryInSeconds = $state(0);
  #rateLimited = $state(false);
  #wake: (() => void) | null = null;

  get phase() {
    return this.#phase;
  }
  /** Why the answers were refused (`INVITATION_USED`, `INVALID_ANSWERS`, …), while they are. */
  get problem() {
    return this.#problem;
  }
  /** Why the answers are not saved yet, while waiting to send them again. */
  get message() {
    return this.#message;
  }
  get retryInSeconds() {
    return this.#retryInSeconds;
  }

  /** While the server has asked us to wait (429), the wait is not cut short. */
  get rateLimited() {
    return this.#rateLimited;
  }

  /** Skip the rest of the wait and try again now. */
  retryNow(): void {
    if (!this.#rateLimited) this.#wake?.();
  }

  /** `invitation`: the personal link's token, for identified campaigns. */
  async send(
    campaignId: string,
    answers: Record<string, unknown>,
    key: string,
    invitation?: string | null,
  ): Promise<string | null> {
    let delay = FIRST_DELAY_MS;
    const headers: Record<string, string> = { 'Idempotency-Key': key };
    if (invitation) headers.Authorization = `Bearer ${invitation}`;
    this.#problem = null;
    for (;;) {
      this.#phase = 'sending';
      this.#rateLimited = false;
      let wait = delay;
      const outcome = await call(
        () => api.campaigns[':id'].responses.$post({ param: { id: campaignId }, json: { answers } }, { headers }),
        { signedOut: 'report' },
      );
      if (outcome.ok) {
        this.#phase = 'saved';
        return outcome.data.id;
      }
      const { problem } = outcome;
      if (!worthRetrying(problem)) {
        this.#problem = problem;
        this.#phase = 'rejected';
        return null;
      }
      if (problem.status === TOO_MANY_REQUESTS) {
        this.#rateLimited = true;
        wait = Math.max(delay, problem.retryAfterMs ?? 0);
        this.#message = 'Many people are sending answers right now.';
      } else if (problem.status === 0) {
        this.#message = navigator.onLine ? 'We could not reach the server.' : 'This device is offline.';
      } else {
        this.#message = 'The server could not save your answers just now.';
      }
      await this.#wait(wait);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }

  #wait(ms: number): Promise<void> {
    this.#phase = 'waiting';
    return new Promise((resolve) => {
      const until = Date.now() + ms;
      const tick = setInterval(() => {
        this.#retryInSeconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      }, 250);
      this.#retryInSeconds = Math.ceil(ms / 1000);
      const done = () => {
        clearInterval(tick);
        clearTimeout(timer);
        window.removeEventListener('online', done);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (!this.#rateLimited) window.addEventListener('online', done);
      this.#wake = done;
    });
  }
}
