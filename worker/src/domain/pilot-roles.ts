/**
 * Who leads and supports each pilot group, once the optimizer has chosen its members, and
 * the reasons a director reads beside every name. The rules, which both the proposal and
 * the check of a director's edits apply: a champion is a member of the group, one
 * colleagues already turn to (a peer influencer, most nominations first) or, failing that,
 * one who asked to lead; a coach is a rostered coach for the focus, outside every group,
 * who supports at most `coachCapacity` teachers over all the groups they coach. A group may
 * have several coaches, each supporting some of its members (multi-classroom leaders coach
 * a few teachers each), and a coach may serve several groups.
 *
 * Coaches are assigned by a maximum flow, never first come: source → coach (capacity
 * coachCapacity) → group (where the coach may coach its focus) → sink (the group's size). A
 * flow's value is the number of members with a coach, so a maximum flow coaches the most
 * members any assignment can: if some assignment coaches every member, this one does. Second,
 * among those, as many groups with at least one coach as any of them has: an uncoached group
 * takes one member's coaching from a group with two or more along an augmenting path, until
 * none can (the tests compare both counts with an exhaustive search). Third, fewer coaches per
 * group: a coach's share of a group is handed to the coaches already in use (smallest shares
 * first) wherever the flow can carry it with no group's count changing, until no share can go;
 * this ends where no single share can be closed, not at a proven fewest. Fourth, fewer groups
 * per coach: a coach in several groups hands a share to a coach for that focus who has nobody
 * yet. Coaches are taken in staff-id order and groups in the order the focuses were chosen, so
 * the same input gives the same coaches.
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
    // No count: how many named them is a figure about those colleagues, possibly fewer than k.
    return {
      champion: influencer,
      reason: 'Colleagues already go to them for advice about teaching: among the most named at their school.',
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

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
/** "A", "A and B", "A, B and C". */
const listed = (items: readonly string[]): string =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** One coach's part in one group: how many of its members they support. */
export interface CoachShare {
  staffId: string;
  supports: number;
}

export interface CoachAssignment {
  /** Most members first, then by staff id. */
  coaches: CoachShare[];
  reason: string;
}

/** A residual network for a maximum flow; edge e and e ^ 1 are a pair, forward and back. */
class FlowNetwork {
  private readonly to: number[] = [];
  private readonly capacity: number[] = [];
  /** What each edge can still carry. */
  cap: number[] = [];
  private readonly out: number[][];

  constructor(size: number) {
    this.out = Array.from({ length: size }, () => []);
  }

  addEdge(from: number, to: number, capacity: number): number {
    const edge = this.to.length;
    this.to.push(to, from);
    this.capacity.push(capacity, 0);
    this.cap.push(capacity, 0);
    this.out[from]?.push(edge);
    this.out[to]?.push(edge + 1);
    return edge;
  }

  flow(edge: number): number {
    return this.cap[edge ^ 1] ?? 0;
  }

  /** Sends `amount` more along the edge (less, when negative). */
  push(edge: number, amount: number): void {
    this.cap[edge] = (this.cap[edge] ?? 0) - amount;
    this.cap[edge ^ 1] = (this.cap[edge ^ 1] ?? 0) + amount;
  }

  /** Lets the edge carry no more than it does now (its flow may still go down). */
  shut(edge: number): void {
    this.cap[edge] = 0;
  }

  reopen(edge: number): void {
    this.cap[edge] = (this.capacity[edge] ?? 0) - this.flow(edge);
  }

  /** Pushes up to `limit` units along shortest augmenting paths (Edmonds–Karp); answers how many went. */
  augment(source: number, sink: number, limit = Number.POSITIVE_INFINITY): number {
    const { to, cap, out } = this;
    let pushed = 0;
    while (pushed < limit) {
      const via = new Int32Array(out.length).fill(-1);
      const queue = [source];
      for (let head = 0; head < queue.length && via[sink] === -1; head++) {
        for (const edge of out[queue[head] ?? source] ?? []) {
          const next = to[edge] ?? source;
          if ((cap[edge] ?? 0) > 0 && next !== source && via[next] === -1) {
            via[next] = edge;
            queue.push(next);
          }
        }
      }
      if (via[sink] === -1) break;
      const path: number[] = [];
      for (let node = sink; node !== source; node = to[(via[node] ?? 0) ^ 1] ?? source) path.push(via[node] ?? 0);
      const amount = Math.min(limit - pushed, ...path.map((edge) => cap[edge] ?? 0));
      for (const edge of path) this.push(edge, amount);
      pushed += amount;
    }
    return pushed;
  }
}

/** The coaches of every group (see the top of this module), with the reason a director reads for each. */
export function assignCoaches(
  groups: readonly GroupDraft[],
  coaches: readonly CoachCandidate[],
  coachCapacity: number,
): CoachAssignment[] {
  const inGroups = new Set(groups.flatMap((group) => group.members));
  const free = coaches.filter((coach) => !inGroups.has(coach.staffId)).sort((a, b) => byId(a.staffId, b.staffId));
  const source = 0;
  const sink = 1;
  const coachNode = (c: number) => 2 + c;
  const groupNode = (g: number) => 2 + free.length + g;
  const net = new FlowNetwork(2 + free.length + groups.length);
  const fromSource = free.map((_coach, c) => net.addEdge(source, coachNode(c), coachCapacity));
  const pairs: Array<{ coach: number; group: number; edge: number }> = [];
  free.forEach((coach, c) => {
    groups.forEach((group, g) => {
      if (coachesFocus(coach, group.competencyId)) {
        pairs.push({ coach: c, group: g, edge: net.addEdge(coachNode(c), groupNode(g), group.members.length) });
      }
    });
  });
  const toSink = groups.map((group, g) => net.addEdge(groupNode(g), sink, group.members.length));
  const coached = (g: number) => net.flow(toSink[g] ?? 0);
  net.augment(source, sink);

  /** Makes a move with the edges it shuts carrying no more, reopened after; a move that fails changes nothing. */
  const attempt = (move: (shut: (edges: readonly number[]) => void) => boolean): boolean => {
    const before = [...net.cap];
    const shut: number[] = [];
    const made = move((edges) => {
      for (const edge of edges) net.shut(edge);
      shut.push(...edges);
    });
    if (made) for (const edge of shut) net.reopen(edge);
    else net.cap = before;
    return made;
  };
  // Second, as many groups with a coach as the most members coached allows: an uncoached group takes one
  // member's coaching from a group that keeps at least one, along a path that leaves every other group as it was.
  const touch = (g: number): boolean =>
    groups.some(
      (_group, h) =>
        coached(h) >= 2 &&
        attempt((shut) => {
          shut(toSink);
          if (net.augment(groupNode(h), groupNode(g), 1) < 1) return false;
          net.push(toSink[h] ?? 0, -1);
          net.push(toSink[g] ?? 0, 1);
          return true;
        }),
    );
  for (let touched = true; touched; ) {
    touched = groups.some((_group, g) => coached(g) === 0 && pairs.some((pair) => pair.group === g) && touch(g));
  }
  // Third, fewer coaches per group: a share goes to the group's coaches already in use, no group's count changing.
  const close = (pair: (typeof pairs)[number]): boolean =>
    attempt((shut) => {
      const share = net.flow(pair.edge);
      for (const edge of [fromSource[pair.coach] ?? 0, pair.edge, toSink[pair.group] ?? 0]) net.push(edge, -share);
      shut(pairs.filter((p) => p === pair || net.flow(p.edge) === 0).map((p) => p.edge));
      shut(toSink.filter((_edge, g) => g !== pair.group));
      return net.augment(source, sink, share) === share;
    });
  // Fourth, fewer groups per coach: a coach in two or more groups hands a share to a coach for the focus who
  // has nobody yet (the first by staff id), which keeps every count and the number of coaches per group.
  const groupsOf = (c: number) => pairs.filter((pair) => pair.coach === c && net.flow(pair.edge) > 0).length;
  const handOver = (pair: (typeof pairs)[number]): boolean => {
    const to = pairs.find((p) => p.group === pair.group && net.flow(fromSource[p.coach] ?? 0) === 0);
    if (groupsOf(pair.coach) < 2 || !to) return false;
    const share = net.flow(pair.edge);
    for (const edge of [fromSource[pair.coach] ?? 0, pair.edge]) net.push(edge, -share);
    for (const edge of [fromSource[to.coach] ?? 0, to.edge]) net.push(edge, share);
    return true;
  };
  // Smallest shares first; among equals the later coach and group, so earlier staff ids keep theirs.
  const open = () =>
    pairs
      .filter((pair) => net.flow(pair.edge) > 0)
      .sort((a, b) => net.flow(a.edge) - net.flow(b.edge) || b.coach - a.coach || b.group - a.group);
  // A share closed leaves one coach fewer in a group; a share handed over, one group fewer for a coach who
  // had several, and no more coaches in any group: so this ends.
  for (let moved = true; moved; ) moved = open().some(close) || open().some(handOver);

  const load = free.map((_coach, c) => net.flow(fromSource[c] ?? 0));
  const shares = groups.map((_group, g) =>
    pairs
      .filter((pair) => pair.group === g && net.flow(pair.edge) > 0)
      .map((pair) => ({ coach: pair.coach, supports: net.flow(pair.edge) }))
      .sort((a, b) => b.supports - a.supports || a.coach - b.coach),
  );
  const nameOf = (c: number) => free[c]?.name ?? '';
  return groups.map((group, g) => {
    const own = shares[g] ?? [];
    const size = group.members.length;
    const covered = coached(g);
    const anyCoach = free.some((coach) => coachesFocus(coach, group.competencyId));
    const elsewhere = own.flatMap(({ coach }) => {
      const others = shares.flatMap((other, o) =>
        o === g
          ? []
          : other.filter((s) => s.coach === coach).map((s) => `${s.supports} in the ${groups[o]?.focusName} group`),
      );
      return others.length === 0
        ? []
        : [
            `${nameOf(coach)} also coaches ${listed(others)}: ${load[coach]} of at most ${coachCapacity} teachers in all.`,
          ];
    });
    const full = `every coach for ${group.focusName} outside the pilot groups already supports ${plural(coachCapacity, 'teacher')}, the most one may, and no other assignment of the coaches reaches more members`;
    const who = listed(own.map((share, i) => `${nameOf(share.coach)}${i === 0 ? ' supports' : ''} ${share.supports}`));
    let reason: string;
    if (!anyCoach) reason = `No coach on the roster lists ${group.focusName} outside the pilot groups.`;
    else if (covered === 0) reason = `No member has a coach: ${full}.`;
    else if (covered < size) {
      const rest = size - covered;
      reason = `${covered} of the ${plural(size, 'member')} ${covered === 1 ? 'has' : 'have'} a coach: ${who}. The other ${rest} ${rest === 1 ? 'has' : 'have'} none: ${full}.`;
    } else if (own.length === 1) reason = `${nameOf(own[0]?.coach ?? 0)} coaches all ${plural(size, 'member')}.`;
    else reason = `All ${size} members have a coach: ${who}.`;
    return {
      coaches: own.map((share) => ({ staffId: free[share.coach]?.staffId ?? '', supports: share.supports })),
      reason: [reason, ...elsewhere].join(' '),
    };
  });
}

/** A group as a director confirms it: its members and the champion and coaches they chose. */
export interface LeadsToCheck extends GroupDraft {
  champion: string | null;
  coaches: readonly CoachShare[];
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
  const load = new Map<string, number>();
  for (const group of groups) {
    if (group.champion !== null && !group.members.includes(group.champion)) {
      problems.push(`The champion of the ${group.focusName} group must be one of its members.`);
    }
    const seen = new Set<string>();
    let supported = 0;
    for (const { staffId, supports } of group.coaches) {
      if (seen.has(staffId)) {
        problems.push(`${nameOf(staffId)} is listed twice as a coach of the ${group.focusName} group.`);
        continue;
      }
      seen.add(staffId);
      if (!(Number.isInteger(supports) && supports >= 1)) {
        problems.push(`${nameOf(staffId)} must support at least 1 member of the ${group.focusName} group.`);
        continue;
      }
      supported += supports;
      load.set(staffId, (load.get(staffId) ?? 0) + supports);
      if (!coachesFocus(coachById.get(staffId), group.competencyId)) {
        problems.push(`${nameOf(staffId)} is not a coach for ${group.focusName} on the roster.`);
      } else if (inGroups.has(staffId)) {
        problems.push(`${nameOf(staffId)} cannot coach a pilot group while a member of one.`);
      }
    }
    if (supported > group.members.length) {
      problems.push(
        `The coaches of the ${group.focusName} group would support ${plural(supported, 'teacher')}; it has ${plural(group.members.length, 'member')}.`,
      );
    }
  }
  for (const [coach, teachers] of load) {
    if (teachers > coachCapacity) {
      problems.push(`${nameOf(coach)} would support ${teachers} teachers; a coach supports at most ${coachCapacity}.`);
    }
  }
  return problems;
}
