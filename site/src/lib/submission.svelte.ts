import { api } from './api';

export type SubmissionPhase = 'idle' | 'sending' | 'waiting' | 'saved' | 'rejected';

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/**
 * Sends one submission until the server confirms it. Network failures, 5xx, 408 and 429
 * are retried with exponential backoff (the idempotency key makes every retry safe);
 * any other 4xx means the answers themselves were refused, and retrying cannot help.
 */
export class Submission {
  #phase = $state<SubmissionPhase>('idle');
  #message = $state('');
  #fields = $state<Record<string, string>>({});
  #retryInSeconds = $state(0);
  #wake: (() => void) | null = null;

  get phase() {
    return this.#phase;
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

  /** Skip the rest of the wait and try again now. */
  retryNow(): void {
    this.#wake?.();
  }

  async send(campaignId: string, answers: Record<string, unknown>, key: string): Promise<string | null> {
    let delay = FIRST_DELAY_MS;
    for (;;) {
      this.#phase = 'sending';
      try {
        const res = await api.campaigns[':id'].responses.$post(
          { param: { id: campaignId }, json: { answers } },
          { headers: { 'Idempotency-Key': key } },
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
            error?: { message?: string; fields?: Record<string, string> };
          } | null;
          this.#message = body?.error?.message ?? `The server refused the answers (${status}).`;
          this.#fields = body?.error?.fields ?? {};
          this.#phase = 'rejected';
          return null;
        }
        this.#message = 'The server could not save your answers just now.';
      } catch {
        this.#message = navigator.onLine ? 'We could not reach the server.' : 'This device is offline.';
      }
      await this.#wait(delay);
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
      window.addEventListener('online', done);
      this.#wake = done;
    });
  }
}
