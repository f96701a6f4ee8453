/**
 * What the survey page keeps on the respondent's device, per campaign: the answers so far
 * and the page they were on; then, once they finish, the answers being sent and the
 * idempotency key made for that submission (so a reload resends the same submission,
 * never a second one); and finally the server's receipt.
 */
export interface DraftState {
  data?: Record<string, unknown>;
  pageNo?: number;
  pending?: { answers: Record<string, unknown>; key: string };
  submitted?: { responseId: string; at: string };
}

export class Draft {
  readonly #storageKey: string;
  #state: DraftState;

  constructor(campaignId: string) {
    this.#storageKey = `homegrown:survey:${campaignId}`;
    this.#state = this.#read();
  }

  get state(): Readonly<DraftState> {
    return this.#state;
  }

  saveProgress(data: Record<string, unknown>, pageNo: number): void {
    this.#write({ data, pageNo });
  }

  /** Called once when the respondent finishes: the key is made here and kept until the server confirms. */
  startSubmission(answers: Record<string, unknown>): { answers: Record<string, unknown>; key: string } {
    const pending = this.#state.pending ?? { answers, key: crypto.randomUUID() };
    this.#write({ ...this.#state, pending });
    return pending;
  }

  confirm(responseId: string): void {
    this.#write({ submitted: { responseId, at: new Date().toISOString() } });
  }

  /** Back to editing after the server refused the answers; the key is dropped with them. */
  reopen(): void {
    const { data, pageNo } = this.#state;
    this.#write({ data, pageNo });
  }

  clear(): void {
    this.#write({});
  }

  #read(): DraftState {
    try {
      return JSON.parse(localStorage.getItem(this.#storageKey) ?? '{}') as DraftState;
    } catch {
      return {};
    }
  }

  #write(state: DraftState): void {
    this.#state = state;
    try {
      localStorage.setItem(this.#storageKey, JSON.stringify(state));
    } catch {
      // Storage full or blocked (private browsing): the survey still works, without resume.
    }
  }
}
