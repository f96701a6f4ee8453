import { type Account, REPORT_SIGNED_OUT, type Role } from './admin';
import { api, call, type Problem } from './api';
import { byText } from './format';

export type AccountControl = 'roles' | 'disabled';

/**
 * The district's accounts and the changes an admin makes to them. Each refusal is kept
 * with the control that caused it, so the page can show it right there.
 */
export class Accounts {
  #items = $state<Account[] | null>(null);
  #loadProblem = $state<Problem | null>(null);
  #me = $state<string | null>(null);
  #creating = $state(false);
  #createProblem = $state<Problem | null>(null);
  #problems = $state<Record<string, Partial<Record<AccountControl, Problem>>>>({});
  #busy = $state<Record<string, boolean>>({});
  #onChange: () => void;

  constructor(onChange: () => void = () => {}) {
    this.#onChange = onChange;
  }

  get items() {
    return this.#items;
  }
  get loadProblem() {
    return this.#loadProblem;
  }
  /** The id of the signed-in account, to mark it in the list. */
  get me() {
    return this.#me;
  }
  get creating() {
    return this.#creating;
  }
  get createProblem() {
    return this.#createProblem;
  }
  problem(id: string, control: AccountControl): Problem | null {
    return this.#problems[id]?.[control] ?? null;
  }
  busy(id: string): boolean {
    return this.#busy[id] ?? false;
  }
  clearProblem(id: string, control: AccountControl): void {
    if (this.#problems[id]?.[control]) this.#problems[id] = { ...this.#problems[id], [control]: undefined };
  }

  async load(): Promise<void> {
    const [list, me] = await Promise.all([
      call(() => api.accounts.$get(), REPORT_SIGNED_OUT),
      call(() => api.auth.me.$get(), REPORT_SIGNED_OUT),
    ]);
    if (me.ok) this.#me = me.data.id;
    if (list.ok) {
      this.#items = list.data.items;
      this.#loadProblem = null;
    } else {
      this.#loadProblem = list.problem;
    }
  }

  /** Adds an account; true when it was created. */
  async create(input: { email: string; name: string; roles: Role[] }): Promise<boolean> {
    this.#creating = true;
    this.#createProblem = null;
    const name = input.name.trim();
    const outcome = await call(
      () => api.accounts.$post({ json: { email: input.email.trim(), roles: input.roles, ...(name ? { name } : {}) } }),
      REPORT_SIGNED_OUT,
    );
    this.#creating = false;
    if (!outcome.ok) {
      this.#createProblem = outcome.problem;
      return false;
    }
    const account = outcome.data;
    this.#items = [...(this.#items ?? []).filter((item) => item.id !== account.id), account].sort((a, b) =>
      byText(a.email, b.email),
    );
    this.#onChange();
    return true;
  }

  setRoles(id: string, roles: Role[]): Promise<boolean> {
    return this.#patch(id, 'roles', { roles });
  }

  setDisabled(id: string, disabled: boolean): Promise<boolean> {
    return this.#patch(id, 'disabled', { disabled });
  }

  async #patch(id: string, control: AccountControl, json: { roles?: Role[]; disabled?: boolean }): Promise<boolean> {
    this.#busy[id] = true;
    this.#problems[id] = { ...this.#problems[id], [control]: undefined };
    const outcome = await call(() => api.accounts[':id'].$patch({ param: { id }, json }), REPORT_SIGNED_OUT);
    this.#busy[id] = false;
    if (!outcome.ok) {
      this.#problems[id] = { ...this.#problems[id], [control]: outcome.problem };
      return false;
    }
    const account = outcome.data;
    this.#items = (this.#items ?? []).map((item) => (item.id === id ? account : item));
    this.#onChange();
    return true;
  }
}
