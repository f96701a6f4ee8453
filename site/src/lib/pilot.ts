/**
 * Pilot groups: the pure rules of the director's edits, over the pilot API's answers. The
 * live check runs the worker's own checkers (the groups' sizes and schools, and the champion
 * and coach rules), so the page and the server cannot disagree on what a group may be.
 * A person's fit arrives as levels (no, some or a large gap, and whether they asked to learn
 * it), never as ratings or numbers: the worker's module says where the levels cut.
 */
import type { InferResponseType } from 'hono/client';
import {
  checkPilotPlan,
  type FitLevel,
  levelRank,
  levelText,
  PILOT_DEFAULTS,
  type PlanToCheck,
} from '../../../worker/src/domain/pilot-groups';
import { type CoachShare, checkGroupLeads } from '../../../worker/src/domain/pilot-roles';
import type { api } from './api';

export type { CoachShare, FitLevel };

type PilotGroupsRoutes = (typeof api.campaigns)[':id']['pilot-groups'];
/** POST /api/campaigns/:id/pilot-groups/proposal: the proposed groups, who was left out and why, and who could be swapped in. */
export type Proposal = InferResponseType<PilotGroupsRoutes['proposal']['$post']>;
export type Candidate = Proposal['candidates'][number];
export type Coach = Proposal['coaches'][number];
/** The confirmed groups, as confirming answers them and GET …/pilot-groups reads them. */
export type ConfirmedList = InferResponseType<PilotGroupsRoutes['$post']>;
/** A confirmed group: members, champion and coaches by name. */
export type ConfirmedGroup = ConfirmedList['items'][number];

/** The rules a director sets for the groups (the focuses are chosen apart). */
export type PilotOptions = Omit<Proposal['options'], 'focuses'>;

/** The option boxes start at the API's own defaults. */
export const DEFAULT_OPTIONS: PilotOptions = PILOT_DEFAULTS;

export const OPTION_HELP: Record<keyof PilotOptions, { label: string; hint: string }> = {
  minSize: {
    label: 'Smallest group',
    hint: 'A focus gets a group only if at least this many willing staff can join it.',
  },
  maxSize: { label: 'Largest group', hint: 'No group will have more members than this.' },
  maxPerSchool: {
    label: 'Most from one school',
    hint: 'At most this many members of a group may work at the same school, so each group mixes schools.',
  },
  coachCapacity: {
    label: 'Teachers per coach',
    hint: 'An instructional coach supports at most this many pilot teachers in all, across every group they coach.',
  },
};

/** The focus list the picker offers: every competency of the campaign, in priority order. */
export interface FocusChoice {
  competencyId: string;
  name: string;
  rank: number | null;
}

/** One group as the director is editing it. */
export interface DraftGroup {
  competencyId: string;
  name: string;
  members: string[];
  champion: string | null;
  /** Each coach and how many of the members they support. */
  coaches: CoachShare[];
}

export interface Draft {
  groups: DraftGroup[];
  unassigned: string[];
}

export const NO_SCHOOL = 'no school (district office)';

export function draftFrom(proposal: Proposal): Draft {
  return {
    groups: proposal.groups.map((group) => ({
      competencyId: group.competencyId,
      name: group.name,
      members: group.members.map((member) => member.staffId),
      champion: group.champion,
      coaches: group.coaches.map(({ staffId, supports }) => ({ staffId, supports })),
    })),
    unassigned: proposal.unassigned.map((person) => person.staffId),
  };
}

/** A change the director can make to one member. */
export type Change =
  | { kind: 'replace'; focus: string; member: string; by: string }
  | { kind: 'move'; focus: string; member: string; to: string };

/** The coaches' shares cut, last coach first, to what a group of `size` has; a coach left with none goes. */
function fitCoaches(coaches: readonly CoachShare[], size: number): CoachShare[] {
  let room = size;
  return coaches.flatMap((coach) => {
    const supports = Math.min(coach.supports, room);
    room -= supports;
    return supports > 0 ? [{ ...coach, supports }] : [];
  });
}

/** The draft after a change; the input is left as it was, so an earlier draft can be restored. */
export function applyChange(draft: Draft, change: Change): Draft {
  const groups = draft.groups.map((group) => ({ ...group, members: [...group.members], coaches: [...group.coaches] }));
  let unassigned = [...draft.unassigned];
  const from = groups.find((group) => group.competencyId === change.focus);
  if (!from) return draft;
  const at = from.members.indexOf(change.member);
  if (at === -1) return draft;
  if (from.champion === change.member) from.champion = null;
  if (change.kind === 'replace') {
    from.members[at] = change.by;
    unassigned = unassigned.filter((id) => id !== change.by);
    unassigned.push(change.member);
  } else {
    const to = groups.find((group) => group.competencyId === change.to);
    if (!to) return draft;
    from.members.splice(at, 1);
    to.members.push(change.member);
    // The group that lost a member cannot keep more coaching than it has members.
    from.coaches = fitCoaches(from.coaches, from.members.length);
  }
  return { groups, unassigned };
}

/**
 * A change to one group's coaches: `replacing` names the coach whose place changes (null to add
 * one), `by` the coach and share after it (null to remove them).
 */
export interface CoachChange {
  focus: string;
  replacing: string | null;
  by: CoachShare | null;
}

/** The draft after a coach change, the input left as it was. */
export function applyCoachChange(draft: Draft, change: CoachChange): Draft {
  const groups = draft.groups.map((group) => {
    if (group.competencyId !== change.focus) return group;
    const at = group.coaches.findIndex((coach) => coach.staffId === change.replacing);
    const coaches = [...group.coaches];
    if (at === -1 && change.by) coaches.push(change.by);
    else if (at !== -1) coaches.splice(at, 1, ...(change.by ? [change.by] : []));
    return { ...group, coaches };
  });
  return { ...draft, groups };
}

/** How many teachers each coach supports over every group of the draft. */
export function coachLoads(draft: Draft): Map<string, number> {
  const loads = new Map<string, number>();
  for (const group of draft.groups) {
    for (const coach of group.coaches) loads.set(coach.staffId, (loads.get(coach.staffId) ?? 0) + coach.supports);
  }
  return loads;
}

/** Replaces staff, school and focus ids in the checker's sentences with the names a director knows. */
export function namer(names: Map<string, string>): (text: string) => string {
  const ids = [...names.keys()].filter((id) => id !== '').sort((a, b) => b.length - a.length);
  if (ids.length === 0) return (text) => text;
  const escaped = ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\w-])(?:${escaped.join('|')})(?![\\w-])`, 'g');
  return (text) => text.replace(pattern, (id) => names.get(id) ?? id);
}

export interface Lookup {
  candidates: Map<string, Candidate>;
  coaches: Map<string, Coach>;
}

/** The role checker's sentences end in a full stop; the page's lists read every rule without one. */
const withoutFullStop = (text: string) => text.replace(/\.$/, '');

/**
 * Every rule the draft breaks, in the director's words: the worker's checkers of the groups
 * (sizes, schools, one group per person) and of their roles (a champion is a member, a coach
 * is a coach for the focus, outside the groups, supporting at most coachCapacity teachers over
 * all groups, and a group's coaches support no more teachers than it has members).
 */
export function violations(
  draft: Draft,
  lookup: Lookup,
  options: PilotOptions & { focuses: string[] },
  name: (text: string) => string,
): string[] {
  const plan: PlanToCheck = {
    groups: draft.groups.map((group) => ({
      competencyId: group.competencyId,
      members: group.members.map((staffId) => ({ staffId })),
    })),
  };
  // The checker reads only which focuses a candidate may join: the keys of their levels.
  const candidates = [...lookup.candidates.values()].map((candidate) => ({
    staffId: candidate.staffId,
    school: candidate.schoolId,
    fits: candidate.levels,
  }));
  const personName = (id: string) => lookup.candidates.get(id)?.name ?? lookup.coaches.get(id)?.name ?? id;
  const leads = draft.groups.map((group) => ({ ...group, focusName: group.name }));
  return [
    ...checkPilotPlan(plan, candidates, options).map(name),
    ...checkGroupLeads(leads, [...lookup.coaches.values()], options.coachCapacity, personName).map(withoutFullStop),
  ];
}

/** What a change would break that the draft does not break already. */
export function newViolations(before: string[], after: string[]): string[] {
  const had = new Set(before);
  return after.filter((text) => !had.has(text));
}

export const schoolText = (school: string | null): string => school ?? NO_SCHOOL;

/** "Large gap, asked to learn it" for a candidate's focus; a dash when they cannot join it. */
export function levelLabel(level: FitLevel | undefined): string {
  if (!level) return '—';
  const text = levelText(level);
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** Higher for a larger gap, then for asking to learn it; −1 for a focus they cannot join. */
export const levelOrder = (level: FitLevel | undefined): number => (level ? levelRank(level) : -1);

/** A group's members by level, for its heading: "3 with a large gap, 2 with some gap, 1 with no gap; 4 asked to learn it". */
export function groupSummary(levels: Array<FitLevel | undefined>): string {
  const count = (gap: FitLevel['gap']) => levels.filter((level) => level?.gap === gap).length;
  const parts = [
    [count('large'), 'with a large gap'],
    [count('some'), 'with some gap'],
    [count('none'), 'with no gap'],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, words]) => `${n} ${words}`);
  const asked = levels.filter((level) => level?.interested).length;
  return `${parts.length > 0 ? parts.join(', ') : 'nobody yet'}; ${asked} asked to learn it`;
}
