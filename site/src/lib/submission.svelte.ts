import { api } from './api';

export type SubmissionPhase = 'idle' | 'sending' | 'waiting' | 'saved' | 'rejected';

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/** Retry-After as seconds or an HTTP date, in milliseconds; 0 when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

/**
 * Sends one submission until the server confirms it. Network failures, 5xx, 408 and 429
 * are retried with exponential backoff (the idempotency key makes every retry safe), and
 * never sooner than a 429's Retry-After asks; any other 4xx means the answers themselves
 * were refused, and retrying cannot help.
 */
export class Submission {
  #phase = $state<SubmissionPhase>('idle');
  #code = $state('');
  #message = $state('');
  #fields = $state<Record<string, string>>({});
  #retryInSeconds = $state(0);
  #rateLimited = $state(false);
  #wake: (() => void) | null = null;

  get phase() {
    return this.#phase;
  }
  /** The API's error code when the answers were refused (`INVITATION_USED`, `INVALID_INPUT`, …). */
  get code() {
    return this.#code;
  }
  get message() {
    return this.#message;
  }
  get fields() {
    return this.#fields;
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
    this.#code = '';
    for (;;) {
      this.#phase = 'sending';
      this.#rateLimited = false;
      let wait = delay;
      try {
        const res = await api.campaigns[':id'].responses.$post(
          { param: { id: campaignId }, json: { answers } },
          { headers },
        );
        if (res.ok) {
          const { id } = (await res.json()) as { id: string };
          this.#phase = 'saved';
          return id;
        }
        // Errors are thrown inside the worker, so the typed client only knows the success codes.
        const status: number = res.status;
        if (status < 500 && status !== 408 && status !== 429) {
          const body = (await res.json().catch(() => null)) as {
            error?: { code?: string; message?: string; fields?: Record<string, string> };
          } | null;
          this.#code = body?.error?.code ?? '';
          this.#message = body?.error?.message ?? `The server refused the answers (${status}).`;
          this.#fields = body?.error?.fields ?? {};
          this.#phase = 'rejected';
          return null;
        }
        if (status === 429) {
          this.#rateLimited = true;
          wait = Math.max(delay, retryAfterMs(res.headers.get('Retry-After')));
          this.#message = 'Many people are sending answers right now.';
        } else {
          this.#message = 'The server could not save your answers just now.';
        }
      } catch {
        this.#message = navigator.onLine ? 'We could not reach the server.' : 'This device is offline.';
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
