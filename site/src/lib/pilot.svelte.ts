import type { InferResponseType } from 'hono/client';
import { api, apiHref, call, type Problem } from './api';
import { loadCampaign, type PagePhase } from './campaign-page';
import type { Campaign, CampaignDetail } from './campaigns';
import {
  applyChange,
  applyCoachChange,
  type Candidate,
  type Change,
  type Coach,
  type CoachChange,
  type ConfirmedGroup,
  coachLoads,
  DEFAULT_OPTIONS,
  type Draft,
  draftFrom,
  type FocusChoice,
  type Lookup,
  namer,
  newViolations,
  type PilotOptions,
  type Proposal,
  violations,
} from './pilot';

/** The campaign's ranked focuses, or (asked `by` a dimension) a segment table. */
type FocusAnswer = InferResponseType<(typeof api.campaigns)[':id']['focuses']['$post']>;

/**
 * The pilot-groups page for one campaign: the options, the proposal, the director's edits
 * (each one undoable) with the rules they break, and the groups confirmed so far.
 */
export class PilotGroups {
  phase = $state<PagePhase>('loading');
  campaigns = $state<Campaign[] | null>(null);
  campaign = $state<CampaignDetail | null>(null);
  focusChoices = $state<FocusChoice[] | null>(null);
  focusError = $state('');

  chosen = $state<string[]>([]);
  options = $state<Record<keyof PilotOptions, string>>({
    minSize: String(DEFAULT_OPTIONS.minSize),
    maxSize: String(DEFAULT_OPTIONS.maxSize),
    maxPerSchool: String(DEFAULT_OPTIONS.maxPerSchool),
    coachCapacity: String(DEFAULT_OPTIONS.coachCapacity),
  });

  proposing = $state(false);
  proposeProblem = $state<Problem | null>(null);
  proposal = $state<Proposal | null>(null);
  draft = $state<Draft | null>(null);
  history = $state<Array<{ draft: Draft; said: string }>>([]);
  /** The last edit, in words, for the live region. */
  said = $state('');

  confirming = $state(false);
  confirmProblem = $state<Problem | null>(null);
  confirmedNote = $state('');
  confirmed = $state<ConfirmedGroup[] | null>(null);
  confirmedError = $state('');

  lookup: Lookup = $derived({
    candidates: new Map((this.proposal?.candidates ?? []).map((c): [string, Candidate] => [c.staffId, c])),
    coaches: new Map((this.proposal?.coaches ?? []).map((c): [string, Coach] => [c.staffId, c])),
  });
  name = $derived.by(() => {
    const names = new Map<string, string>();
    for (const candidate of this.proposal?.candidates ?? []) {
      names.set(candidate.staffId, candidate.name);
      if (candidate.schoolId && candidate.school) names.set(candidate.schoolId, candidate.school);
    }
    for (const coach of this.proposal?.coaches ?? []) names.set(coach.staffId, coach.name);
    for (const focus of this.focusChoices ?? []) names.set(focus.competencyId, focus.name);
    for (const group of this.proposal?.groups ?? []) names.set(group.competencyId, group.name);
    return namer(names);
  });
  problems = $derived(this.proposal && this.draft ? this.#check(this.draft) : []);
  /** Teachers per coach over every group of the draft. */
  loads = $derived(this.draft ? coachLoads(this.draft) : new Map<string, number>());
  edited = $derived(this.history.length > 0);

  get id(): string {
    return this.campaign?.id ?? '';
  }
  get csvUrl(): string {
    return apiHref(api.campaigns[':id']['pilot-groups'].$path({ param: { id: this.id }, query: { format: 'csv' } }));
  }

  /**
   * The page stays as it was first drawn ("Loading the campaign…", in space kept for the
   * page) until the focuses and the confirmed groups have arrived too, and then shows the
   * form with its focuses and the confirmed groups in one go: nothing already on the screen
   * moves down as a later answer comes in.
   */
  async start(id: string | null): Promise<void> {
    const { phase, campaign, campaigns } = await loadCampaign(id);
    this.campaign = campaign;
    this.campaigns = campaigns;
    if (phase === 'ready') await Promise.all([this.#loadFocuses(), this.loadConfirmed()]);
    // loadConfirmed may have found the campaign anonymous meanwhile.
    if (this.phase === 'loading') this.phase = phase;
  }

  async #loadFocuses(): Promise<void> {
    // The POST form of the ranking, which answers JSON only (the GET form also answers CSV).
    const res = await call<FocusAnswer>(() => api.campaigns[':id'].focuses.$post({ param: { id: this.id }, json: {} }));
    if (!res.ok) {
      this.focusChoices = [];
      this.focusError = `The campaign's focuses could not be loaded (${res.problem.message}) You can still propose groups for the top three.`;
      return;
    }
    // Asked without `by`, the answer is the ranked list, never a segment table.
    const items = 'by' in res.data ? [] : res.data.items;
    this.focusChoices = items.map((item) => ({
      competencyId: item.competencyId,
      name: item.name,
      rank: 'suppressed' in item ? null : item.rank,
    }));
  }

  async loadConfirmed(): Promise<void> {
    const res = await call(() => api.campaigns[':id']['pilot-groups'].$get({ param: { id: this.id }, query: {} }));
    if (res.ok) {
      this.confirmed = res.data.items;
      this.confirmedError = '';
    } else if (res.problem.code === 'ANONYMOUS_CAMPAIGN') {
      this.phase = 'anonymous';
    } else {
      this.confirmedError = `The confirmed groups could not be loaded: ${res.problem.message}`;
    }
  }

  /** The options as numbers; a blank box means the API's default. */
  #options(): Partial<PilotOptions> {
    const out: Partial<PilotOptions> = {};
    for (const key of Object.keys(this.options) as Array<keyof PilotOptions>) {
      const raw = this.options[key].trim();
      if (raw !== '') out[key] = Number(raw);
    }
    return out;
  }

  async propose(): Promise<void> {
    if (this.proposing) return;
    this.proposing = true;
    this.proposeProblem = null;
    const json = { ...(this.chosen.length > 0 ? { focuses: [...this.chosen] } : {}), ...this.#options() };
    const res = await call(() => api.campaigns[':id']['pilot-groups'].proposal.$post({ param: { id: this.id }, json }));
    this.proposing = false;
    if (!res.ok) {
      if (res.problem.code === 'ANONYMOUS_CAMPAIGN') this.phase = 'anonymous';
      this.proposeProblem = res.problem;
      return;
    }
    this.proposal = res.data;
    this.draft = draftFrom(res.data);
    this.history = [];
    this.said = '';
    this.confirmProblem = null;
    this.confirmedNote = '';
  }

  #check(draft: Draft): string[] {
    const proposal = this.proposal;
    if (!proposal) return [];
    return violations(draft, this.lookup, proposal.options, this.name);
  }

  /** What a change would break beyond what is broken now. */
  preview(change: Change): string[] {
    if (!this.draft) return [];
    return newViolations(this.problems, this.#check(applyChange(this.draft, change)));
  }

  /** What a coach change would break beyond what is broken now. */
  previewCoach(change: CoachChange): string[] {
    if (!this.draft) return [];
    return newViolations(this.problems, this.#check(applyCoachChange(this.draft, change)));
  }

  personName(id: string | null): string {
    if (id === null) return 'nobody';
    return this.lookup.candidates.get(id)?.name ?? this.lookup.coaches.get(id)?.name ?? id;
  }

  groupName(focus: string): string {
    return this.draft?.groups.find((group) => group.competencyId === focus)?.name ?? focus;
  }

  #record(next: Draft, said: string): void {
    if (!this.draft) return;
    const broken = newViolations(this.problems, this.#check(next));
    this.history = [...this.history, { draft: this.draft, said }];
    this.draft = next;
    this.said =
      broken.length > 0 ? `${said} This breaks a rule: ${broken.join('; ')}.` : `${said} Every rule still holds.`;
    this.confirmProblem = null;
  }

  change(change: Change): void {
    if (!this.draft) return;
    const member = this.personName(change.member);
    const group = this.groupName(change.focus);
    const said =
      change.kind === 'replace'
        ? `${this.personName(change.by)} replaces ${member} in the ${group} group.`
        : `${member} moves from the ${group} group to the ${this.groupName(change.to)} group.`;
    this.#record(applyChange(this.draft, change), said);
  }

  setChampion(focus: string, staffId: string | null): void {
    if (!this.draft) return;
    const groups = this.draft.groups.map((group) =>
      group.competencyId === focus ? { ...group, champion: staffId } : group,
    );
    const group = this.groupName(focus);
    this.#record(
      { ...this.draft, groups },
      staffId === null
        ? `The ${group} group has no champion.`
        : `${this.personName(staffId)} is now the champion of the ${group} group.`,
    );
  }

  changeCoach(change: CoachChange): void {
    if (!this.draft) return;
    const group = this.groupName(change.focus);
    const { replacing, by } = change;
    const supports = by ? `, supporting ${by.supports} ${by.supports === 1 ? 'member' : 'members'}` : '';
    const said = !by
      ? `${this.personName(replacing)} no longer coaches the ${group} group.`
      : replacing === null
        ? `${this.personName(by.staffId)} now coaches the ${group} group too${supports}.`
        : replacing === by.staffId
          ? `${this.personName(by.staffId)} now coaches the ${group} group${supports}.`
          : `${this.personName(by.staffId)} replaces ${this.personName(replacing)} as a coach of the ${group} group${supports}.`;
    this.#record(applyCoachChange(this.draft, change), said);
  }

  undo(): void {
    const last = this.history.at(-1);
    if (!last) return;
    this.history = this.history.slice(0, -1);
    this.draft = last.draft;
    this.said = `Undone: ${last.said}`;
  }

  reset(): void {
    if (!this.proposal) return;
    this.draft = draftFrom(this.proposal);
    this.history = [];
    this.said = 'Back to the proposed groups.';
  }

  async confirm(): Promise<void> {
    const proposal = this.proposal;
    const draft = this.draft;
    if (!proposal || !draft || this.confirming || this.problems.length > 0) return;
    this.confirming = true;
    this.confirmProblem = null;
    this.confirmedNote = '';
    const { minSize, maxSize, maxPerSchool, coachCapacity } = proposal.options;
    const json = {
      options: { minSize, maxSize, maxPerSchool, coachCapacity },
      groups: draft.groups.map((group) => ({
        competencyId: group.competencyId,
        members: group.members,
        champion: group.champion,
        coaches: group.coaches,
      })),
    };
    const res = await call(() => api.campaigns[':id']['pilot-groups'].$post({ param: { id: this.id }, json }));
    this.confirming = false;
    if (!res.ok) {
      this.confirmProblem = res.problem;
      return;
    }
    this.confirmed = res.data.items;
    const count = res.data.items.length;
    this.confirmedNote = `Confirmed ${count} ${count === 1 ? 'group' : 'groups'}. They are listed under “Confirmed groups”.`;
  }
}
