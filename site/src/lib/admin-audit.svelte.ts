import { type AuditItem, REPORT_SIGNED_OUT } from './admin';
import { api, call, type Problem } from './api';

export const AUDIT_PAGE_SIZE = 25;

/** The audit log, newest first, one page at a time. */
export class AuditLog {
  #items = $state<AuditItem[] | null>(null);
  #nextCursor = $state<string | null>(null);
  #problem = $state<Problem | null>(null);
  #loading = $state(false);
  #request = 0;

  get items() {
    return this.#items;
  }
  get hasOlder(): boolean {
    return this.#nextCursor !== null;
  }
  get problem() {
    return this.#problem;
  }
  get loading() {
    return this.#loading;
  }

  /** The newest page again, replacing what is shown. */
  async load(): Promise<void> {
    const request = ++this.#request;
    this.#loading = true;
    const outcome = await call(() => api.audit.$get({ query: { limit: String(AUDIT_PAGE_SIZE) } }), REPORT_SIGNED_OUT);
    if (request !== this.#request) return;
    this.#loading = false;
    if (!outcome.ok) {
      this.#problem = outcome.problem;
      return;
    }
    this.#items = outcome.data.items;
    this.#nextCursor = outcome.data.nextCursor ?? null;
    this.#problem = null;
  }

  async loadOlder(): Promise<void> {
    const cursor = this.#nextCursor;
    if (!cursor || this.#loading) return;
    const request = ++this.#request;
    this.#loading = true;
    const outcome = await call(
      () => api.audit.$get({ query: { limit: String(AUDIT_PAGE_SIZE), cursor } }),
      REPORT_SIGNED_OUT,
    );
    if (request !== this.#request) return;
    this.#loading = false;
    if (!outcome.ok) {
      this.#problem = outcome.problem;
      return;
    }
    const known = new Set((this.#items ?? []).map((item) => item.id));
    const older = outcome.data.items.filter((item) => !known.has(item.id));
    this.#items = [...(this.#items ?? []), ...older];
    this.#nextCursor = outcome.data.nextCursor ?? null;
    this.#problem = null;
  }
}
