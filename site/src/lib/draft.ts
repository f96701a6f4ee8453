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

  /**
   * `owner` separates the drafts of personal links used on one device, so that one person's
   * answers are never resumed, or sent, under another person's link.
   */
  constructor(campaignId: string, owner?: string) {
    this.#storageKey = owner ? `homegrown:survey:${campaignId}:${owner}` : `homegrown:survey:${campaignId}`;
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

/**
 * The personal link's token (identified campaigns): from `#invite=…` when the address has
 * one, else the one kept earlier in this visit.
 *
 * It lives in sessionStorage, per tab and per campaign: a reload or a restored tab still
 * works, and it is gone when the tab closes. It is never written to localStorage with the
 * draft, since a shared device would then hand the next person the previous person's
 * identity. The page removes it from the address bar once read: an address is what people
 * copy into messages, bookmark and sync between devices, and anyone holding the link could
 * answer as its owner. Opening the email again is the way back in, and the page says so.
 */
export function takePersonalLink(campaignId: string): string | null {
  const storageKey = `homegrown:invite:${campaignId}`;
  const fromAddress = new URLSearchParams(location.hash.slice(1)).get('invite');
  try {
    if (!fromAddress) return sessionStorage.getItem(storageKey);
    sessionStorage.setItem(storageKey, fromAddress);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  } catch {
    // Storage blocked: the link stays in the address so that a reload still works.
  }
  return fromAddress;
}

/** Names a personal link's draft without storing the link: a one-way digest of it. */
export async function draftOwner(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`homegrown-draft:${token}`));
  return [...new Uint8Array(digest).slice(0, 12)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
