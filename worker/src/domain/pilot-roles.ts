/**
 * Who leads and supports each pilot group, once the optimizer has chosen its members, and
 * the reasons a director reads beside every name. The rules, which both the proposal and
 * the check of a director's edits apply: a champion is a member of the group, one
 * colleagues already turn to (a peer influencer, most nominations first) or, failing that,
 * one who asked to lead; a coach is a rostered coach for the focus, outside every group,
 * with room left (a coach supports at most `coachCapacity` teachers in all). Groups are
 * served in the order the focuses were chosen, coaches with the most room first; ties go
 * to the staff id.
 */

export interface GroupDraft {
  competencyId: string;
  focusName: string;
  members: string[];
}

export interface CoachCandidate {
  staffId: string;
  name: string;
  focuses: string[];
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function chooseChampion(
  members: string[],
  nominations: ReadonlyMap<string, number>,
  aspiring: ReadonlyMap<string, string[]>,
): { champion: string | null; reason: string } {
  const influencers = members
    .filter((id) => nominations.has(id))
    .sort((a, b) => (nominations.get(b) ?? 0) - (nominations.get(a) ?? 0) || byId(a, b));
  const [influencer] = influencers;
  if (influencer) {
    const n = nominations.get(influencer) ?? 0;
    return {
      champion: influencer,
      reason: `Colleagues already go to them for advice about teaching (named by ${n} colleagues).`,
    };
  }
  const [leader] = members.filter((id) => aspiring.has(id)).sort(byId);
  if (leader) {
    const roles = aspiring.get(leader) ?? [];
    return {
      champion: leader,
      reason: `Asked to take on a leadership role${roles.length > 0 ? ` (${roles.join(', ')})` : ''}.`,
    };
  }
  return { champion: null, reason: 'No member is a peer influencer or asked to lead; the director may pick one.' };
}

/** Whether the roster lists this coach for the focus (undefined: not a coach at all). */
const coachesFocus = (coach: CoachCandidate | undefined, focus: string): boolean =>
  coach?.focuses.includes(focus) ?? false;

/** Assigns coaches group by group, in the order given; each coach's load counts the teachers of every group they took. */
export function assignCoaches(
  groups: GroupDraft[],
  coaches: CoachCandidate[],
  coachCapacity: number,
): Array<{ coach: string | null; reason: string }> {
  const inGroups = new Set(groups.flatMap((group) => group.members));
  const load = new Map<string, number>();
  return groups.map((group) => {
    const forFocus = coaches.filter((coach) => coachesFocus(coach, group.competencyId) && !inGroups.has(coach.staffId));
    if (forFocus.length === 0) {
      return { coach: null, reason: `No coach on the roster lists ${group.focusName} outside the pilot groups.` };
    }
    const room = (coach: CoachCandidate) => coachCapacity - (load.get(coach.staffId) ?? 0);
    const [best] = forFocus
      .filter((coach) => room(coach) >= group.members.length)
      .sort((a, b) => room(b) - room(a) || byId(a.staffId, b.staffId));
    if (!best) {
      return {
        coach: null,
        reason: `Every coach for ${group.focusName} would support more than ${coachCapacity} teachers with this group.`,
      };
    }
    const supported = (load.get(best.staffId) ?? 0) + group.members.length;
    load.set(best.staffId, supported);
    return {
      coach: best.staffId,
      reason: `Coaches ${group.focusName}; with this group supports ${supported} of at most ${coachCapacity} teachers.`,
    };
  });
}

/** A group as a director confirms it: its members and the champion and coach they chose. */
export interface LeadsToCheck extends GroupDraft {
  champion: string | null;
  coach: string | null;
}

/**
 * Every role rule the groups break, in words a director can act on; [] when they keep them
 * all. `coaches` are the roster's coaches; `nameOf` names anyone by staff id.
 */
export function checkGroupLeads(
  groups: readonly LeadsToCheck[],
  coaches: readonly CoachCandidate[],
  coachCapacity: number,
  nameOf: (staffId: string) => string,
): string[] {
  const problems: string[] = [];
  const coachById = new Map(coaches.map((coach) => [coach.staffId, coach]));
  const inGroups = new Set(groups.flatMap((group) => group.members));
  for (const group of groups) {
    if (group.champion !== null && !group.members.includes(group.champion)) {
      problems.push(`The champion of the ${group.focusName} group must be one of its members.`);
    }
    if (group.coach === null) continue;
    if (!coachesFocus(coachById.get(group.coach), group.competencyId)) {
      problems.push(`${nameOf(group.coach)} is not a coach for ${group.focusName} on the roster.`);
    } else if (inGroups.has(group.coach)) {
      problems.push(`${nameOf(group.coach)} cannot coach a pilot group while a member of one.`);
    }
  }
  const load = new Map<string, number>();
  for (const group of groups) {
    if (group.coach) load.set(group.coach, (load.get(group.coach) ?? 0) + group.members.length);
  }
  for (const [coach, teachers] of load) {
    if (teachers > coachCapacity) {
      problems.push(`${nameOf(coach)} would support ${teachers} teachers; a coach supports at most ${coachCapacity}.`);
    }
  }
  return problems;
}
