/**
 * Pilot groups: disjoint groups of staff, at most one per focus, that maximize the total fit.
 *
 * The method is exact: enumerate the subsets S of focuses that form a group and, for each, solve a
 * min-cost flow with lower bounds (source → candidate, cap 1 → (focus, school), cost −weight → focus,
 * cap maxPerSchool → sink, between minSize and maxSize units). The lower bounds are enforced by
 * splitting each focus → sink edge into a required part (minSize units at cost −H) and an optional
 * part (maxSize − minSize units at cost 0), with H above any weight the subset can reach, so a
 * cheapest flow fills every required part whenever some flow can. Successive shortest paths with
 * Johnson potentials (Dijkstra; the first potentials come from the acyclic network in one pass) find
 * the cheapest flow of every value, and the search stops once the next path would not pay.
 *
 * Why this is the proven optimum: the constraint matrix of a network is totally unimodular, so for a
 * fixed S the best flow is integral and is the best assignment of people to the groups in S; the
 * only non-convex choice, whether a focus forms a group at all, is covered by trying every S.
 * Subsets are tried from the highest upper bound down and the search stops when no bound can beat
 * the best plan found, which discards only subsets that cannot win.
 *
 * Ties: each member placed in focus f is worth weight = fit · BIG + tie with
 *   tie = k · (n − r) − f,
 * where n is the number of candidates, k the number of focuses, r the rank of the member's staff id
 * among all candidates in string order (0 for the smallest) and f the index of the focus in
 * options.focuses. BIG exceeds any possible sum of ties, so the plan maximizes the total fit first
 * and, among plans with that fit, the tie score Σ tie: it places as many people as it can, earlier
 * staff ids before later ones, and a person in an earlier focus before a later one. Plans equal on
 * both are settled by a search order that depends only on the candidates as a set, never on the
 * order they are given in.
 *
 * After the solver: the proposal as a director reads it (levels and reasons, never a fit), the
 * check of the groups they confirm, and the confirmed groups as scheduling needs them.
 */

import { competencies } from './framework';
import {
  aspiringLeaders,
  type IdentifiedRespondent,
  leaderSignals,
  leadershipRoleName,
  type RosterPerson,
} from './leaders';
import { assignCoaches, type CoachCandidate, type CoachShare, checkGroupLeads, chooseChampion } from './pilot-roles';

/** The most focuses one pilot may have groups for: the solver tries every subset of them. */
export const MAX_FOCUSES = 8;
/** The most any of a pilot's sizes may be set to (a group, a school's share of one, a coach's load). */
export const PILOT_SIZE_MAX = 50;
/**
 * A director's starting choices: groups of 6 to 10, at most 3 from one school, 8 teachers per
 * coach over all their groups (as a multi-classroom leader carries: a group of 10 has two).
 */
export const PILOT_DEFAULTS = { minSize: 6, maxSize: 10, maxPerSchool: 3, coachCapacity: 8 } as const;

export interface PilotCandidate {
  staffId: string;
  school: string | null;
  /** Fit per focus (see fitFor), a whole number ≥ 0. A focus absent here is one the candidate cannot join. */
  fits: Record<string, number>;
}

/** max(0, importance − proficiency), plus 1 for ticked interest; a missing rating counts as no gap. */
export function fitFor(
  ratings: { importance?: number; proficiency?: number } | undefined,
  interested: boolean,
): number {
  const importance = ratings?.importance;
  const proficiency = ratings?.proficiency;
  for (const value of [importance, proficiency]) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= 5)) {
      throw new RangeError(`a rating must be a whole number from 1 to 5, got ${value}`);
    }
  }
  const gap = importance !== undefined && proficiency !== undefined ? Math.max(0, importance - proficiency) : 0;
  return gap + (interested ? 1 : 0);
}

/**
 * What a director is shown of a fit: coarse levels, never the ratings nor the exact gap (the
 * identified survey promises "No one is shown your own ratings"). With gap = max(0, I − P), 0–4:
 *
 *   gap 0    → 'none'  ("no gap": importance at or below their practice, or the focus not rated)
 *   gap 1–2  → 'some'  ("some gap")
 *   gap 3–4  → 'large' ("large gap")
 *
 * and whether they asked to learn about the focus. Each level other than none spans two gaps, so
 * no level pins the exact gap, and none spans 15 of the 25 rating pairs. A gap of 3 or more needs
 * importance 4–5 and practice 1–2, the far corner of the scale, which is what "large" should mean.
 * Worked by hand: I 5, P 2, asked to learn it → gap 3 → "large gap, asked to learn it" (fit 4);
 * I 5, P 1, asked → gap 4, the same words (fit 5); I 4, P 2, not asked → gap 2 → "some gap, did
 * not ask to learn it" (fit 2); I 4, P 3, not asked → gap 1, the same words (fit 1); I 3, P 3,
 * asked → "no gap, asked to learn it" (fit 1).
 *
 * The solver still maximizes the exact fit (fitFor); only what leaves the worker is coarse. So no
 * figure that adds fits up leaves it either: across proposals with other sizes, two totals would
 * differ by one person's exact fit.
 */
export const GAP_LEVELS = ['none', 'some', 'large'] as const;
export type GapLevel = (typeof GAP_LEVELS)[number];

export interface FitLevel {
  gap: GapLevel;
  interested: boolean;
}

/** The level of a fit, from the same answers as fitFor (which checks them). */
export function fitLevel(
  ratings: { importance?: number; proficiency?: number } | undefined,
  interested: boolean,
): FitLevel {
  const gap = fitFor(ratings, false);
  return { gap: gap === 0 ? 'none' : gap <= 2 ? 'some' : 'large', interested };
}

const GAP_WORDS: Record<GapLevel, string> = { none: 'no gap', some: 'some gap', large: 'large gap' };

/** "large gap, asked to learn it", "no gap, did not ask to learn it". */
export function levelText(level: FitLevel): string {
  return `${GAP_WORDS[level.gap]}, ${level.interested ? 'asked' : 'did not ask'} to learn it`;
}

/**
 * Levels in the order of the fits they stand for, 0 (no gap, not asked) to 5 (large gap, asked):
 * a higher rank never means a lower fit (the fits of ranks 0–5 are 0, 1, 1–2, 2–3, 3–4, 4–5).
 */
export function levelRank(level: FitLevel): number {
  return (level.gap === 'none' ? 0 : level.gap === 'some' ? 2 : 4) + (level.interested ? 1 : 0);
}

export interface PilotOptions {
  focuses: string[];
  minSize: number;
  maxSize: number;
  maxPerSchool: number;
}

export interface PilotGroupPlan {
  competencyId: string;
  members: Array<{ staffId: string; school: string | null; fit: number }>;
}

export interface PilotPlan {
  groups: PilotGroupPlan[];
  notFormed: Array<{ competencyId: string; reason: string }>;
  unassigned: string[];
  objective: number;
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

function assertOptions(options: PilotOptions): void {
  const { focuses, minSize, maxSize, maxPerSchool } = options;
  if (focuses.length < 1 || focuses.length > MAX_FOCUSES) {
    throw new RangeError(`1 to ${MAX_FOCUSES} focuses, got ${focuses.length}`);
  }
  if (new Set(focuses).size !== focuses.length) throw new RangeError('the focuses must be distinct');
  if (
    !(
      Number.isInteger(minSize) &&
      Number.isInteger(maxSize) &&
      1 <= minSize &&
      minSize <= maxSize &&
      maxSize <= PILOT_SIZE_MAX
    )
  ) {
    throw new RangeError(`group sizes need 1 ≤ minSize ≤ maxSize ≤ ${PILOT_SIZE_MAX}, got ${minSize}–${maxSize}`);
  }
  if (!(Number.isInteger(maxPerSchool) && maxPerSchool >= 1)) {
    throw new RangeError(`maxPerSchool must be a whole number ≥ 1, got ${maxPerSchool}`);
  }
}

/** A candidate's claim on one focus. */
interface Option {
  person: number;
  weight: number;
}

interface SubsetResult {
  weight: number;
  fit: number;
  /** Focus index per person, −1 for none. */
  placement: Int32Array;
}

export function planPilotGroups(candidates: PilotCandidate[], options: PilotOptions): PilotPlan {
  assertOptions(options);
  const { focuses, minSize, maxSize, maxPerSchool } = options;
  const people = [...candidates].sort((a, b) => byId(a.staffId, b.staffId));
  for (let i = 1; i < people.length; i++) {
    if (people[i]?.staffId === people[i - 1]?.staffId) throw new Error(`staff id ${people[i]?.staffId} appears twice`);
  }
  const n = people.length;
  const k = focuses.length;

  const schoolIndex = new Map<string | null, number>();
  const schoolOf = people.map((person) => {
    let index = schoolIndex.get(person.school);
    if (index === undefined) {
      index = schoolIndex.size;
      schoolIndex.set(person.school, index);
    }
    return index;
  });

  const fits: Array<Array<number | undefined>> = focuses.map((focus) =>
    people.map((person) => {
      if (!Object.hasOwn(person.fits, focus)) return undefined;
      const fit = person.fits[focus];
      if (!(typeof fit === 'number' && Number.isInteger(fit) && fit >= 0)) {
        throw new RangeError(`the fit of ${person.staffId} for ${focus} must be a whole number ≥ 0, got ${fit}`);
      }
      return fit;
    }),
  );

  const maxMembers = Math.min(n, k * maxSize);
  const big = maxMembers * k * n + 1;
  let maxFit = 0;
  for (const row of fits) for (const fit of row) maxFit = Math.max(maxFit, fit ?? 0);
  const maxWeight = maxFit * big + k * n;
  // Bounds every cost, potential and path length the flow handles; past 2^53 the sums would round.
  const worst = (maxMembers * maxWeight + 1) * (k * minSize + 2) + 2 * (maxMembers + 1) * maxWeight;
  if (!Number.isSafeInteger(worst)) throw new RangeError('the fits are too large to optimize exactly');

  // Every candidate in school σ ranked by weight for f below the top maxPerSchool + (k − 1)·maxSize is
  // useless to f: in any plan using such an i, at most (k − 1)·maxSize of those top ones sit in other
  // groups and at most maxPerSchool − 1 beside i in f, so one of them is free, and putting that one in
  // i's place keeps every size and school count while raising the weight strictly (weights of one
  // focus all differ, by the tie). So no optimal plan seats i in f, and swapping until none does keeps
  // any feasible plan feasible, so dropping such edges changes neither feasibility nor the optimum.
  const keepPerSchool = maxPerSchool + (k - 1) * maxSize;
  const eligible: Option[][] = [];
  const capacity: number[] = [];
  const eligibleCount: number[] = [];
  const singleBest: number[] = [];
  for (let f = 0; f < k; f++) {
    const row = fits[f] ?? [];
    const all: Option[] = [];
    for (let i = 0; i < n; i++) {
      const fit = row[i];
      if (fit !== undefined) all.push({ person: i, weight: fit * big + k * (n - i) - f });
    }
    all.sort((a, b) => b.weight - a.weight);
    const taken = new Map<number, number>();
    const kept: Option[] = [];
    let best = 0;
    let bestCount = 0;
    for (const option of all) {
      const school = schoolOf[option.person] ?? 0;
      const count = taken.get(school) ?? 0;
      taken.set(school, count + 1);
      if (count < keepPerSchool) kept.push(option);
      // Greedy is exact here: schools capped at maxPerSchool within a group of maxSize form a matroid.
      if (count < maxPerSchool && bestCount < maxSize) {
        best += option.weight;
        bestCount++;
      }
    }
    let cap = 0;
    for (const count of taken.values()) cap += Math.min(count, maxPerSchool);
    eligible.push(kept);
    capacity.push(cap);
    eligibleCount.push(all.length);
    singleBest.push(best);
  }

  const results = new Map<number, SubsetResult | null>();
  const solve = (mask: number): SubsetResult | null => {
    if (!results.has(mask)) results.set(mask, solveSubset(mask));
    return results.get(mask) ?? null;
  };
  const minimumPeople = (mask: number): number => popcount(mask) * minSize;
  const boundOf = (mask: number): number => {
    let bound = 0;
    for (let f = 0; f < k; f++) if (mask & (1 << f)) bound += singleBest[f] ?? 0;
    return bound;
  };

  function solveSubset(mask: number): SubsetResult | null {
    if (minimumPeople(mask) > n) return null;
    for (let f = 0; f < k; f++) if (mask & (1 << f) && (capacity[f] ?? 0) < minSize) return null;
    const bound = boundOf(mask);
    const bonus = bound + 1;
    const source = 0;
    const sink = 1;
    let size = 2 + k;
    const candidateNode = new Int32Array(n).fill(-1);
    const pairNode = new Map<number, number>();
    const schools = schoolIndex.size;
    for (let f = 0; f < k; f++) {
      if (!(mask & (1 << f))) continue;
      for (const { person } of eligible[f] ?? []) {
        if (candidateNode[person] === -1) candidateNode[person] = -2;
        const key = f * schools + (schoolOf[person] ?? 0);
        if (!pairNode.has(key)) pairNode.set(key, -1);
      }
    }
    // Nodes in staff-id order, so the flow explores people the same way whatever order they came in.
    for (let i = 0; i < n; i++) if (candidateNode[i] === -2) candidateNode[i] = size++;
    for (const key of [...pairNode.keys()].sort((a, b) => a - b)) pairNode.set(key, size++);

    const net = new Network(size);
    for (let i = 0; i < n; i++) {
      const node = candidateNode[i] ?? -1;
      if (node >= 0) net.addEdge(source, node, 1, 0);
    }
    const placements: Array<{ edge: number; person: number; focus: number; weight: number }> = [];
    for (let f = 0; f < k; f++) {
      if (!(mask & (1 << f))) continue;
      for (const { person, weight } of eligible[f] ?? []) {
        const to = pairNode.get(f * schools + (schoolOf[person] ?? 0)) ?? -1;
        const edge = net.addEdge(candidateNode[person] ?? -1, to, 1, -weight);
        placements.push({ edge, person, focus: f, weight });
      }
    }
    for (const [key, node] of pairNode) net.addEdge(node, 2 + Math.floor(key / schools), maxPerSchool, 0);
    const required: number[] = [];
    for (let f = 0; f < k; f++) {
      if (!(mask & (1 << f))) continue;
      required.push(net.addEdge(2 + f, sink, minSize, -bonus));
      if (maxSize > minSize) net.addEdge(2 + f, sink, maxSize - minSize, 0);
    }
    net.minCostFlow(source, sink);
    if (required.some((edge) => net.residual(edge) > 0)) return null;

    const placement = new Int32Array(n).fill(-1);
    let weight = 0;
    let fit = 0;
    for (const p of placements) {
      if (net.residual(p.edge) > 0) continue;
      placement[p.person] = p.focus;
      weight += p.weight;
      fit += fits[p.focus]?.[p.person] ?? 0;
    }
    return { weight, fit, placement };
  }

  const aloneOk = (f: number): boolean => (capacity[f] ?? 0) >= minSize;
  const masks: Array<{ mask: number; bound: number }> = [];
  for (let mask = 1; mask < 1 << k; mask++) {
    let ok = minimumPeople(mask) <= n;
    for (let f = 0; f < k && ok; f++) if (mask & (1 << f) && !aloneOk(f)) ok = false;
    if (ok) masks.push({ mask, bound: boundOf(mask) });
  }
  masks.sort((a, b) => b.bound - a.bound || a.mask - b.mask);
  let bestMask = 0;
  let best: SubsetResult = { weight: 0, fit: 0, placement: new Int32Array(n).fill(-1) };
  for (const { mask, bound } of masks) {
    if (bound <= best.weight) break;
    const result = solve(mask);
    if (result !== null && result.weight > best.weight) {
      best = result;
      bestMask = mask;
    }
  }

  const groups: PilotGroupPlan[] = [];
  const notFormed: PilotPlan['notFormed'] = [];
  const formedNames = focuses.filter((_focus, f) => bestMask & (1 << f));
  for (let f = 0; f < k; f++) {
    const competencyId = focuses[f] ?? '';
    if (bestMask & (1 << f)) {
      const members: PilotGroupPlan['members'] = [];
      for (let i = 0; i < n; i++) {
        const person = people[i];
        if (best.placement[i] === f && person) {
          members.push({ staffId: person.staffId, school: person.school, fit: fits[f]?.[i] ?? 0 });
        }
      }
      groups.push({ competencyId, members });
      continue;
    }
    notFormed.push({ competencyId, reason: whyNot(f) });
  }

  function whyNot(f: number): string {
    const count = eligibleCount[f] ?? 0;
    if (count < minSize) {
      const who = count === 0 ? 'no candidate' : `only ${plural(count, 'candidate')}`;
      return `${who} could join; a group needs ${minSize}`;
    }
    if (!aloneOk(f)) {
      return (
        `only ${capacity[f]} of the ${count} candidates who could join may sit together, since at most ` +
        `${maxPerSchool} may come from one school; a group needs ${minSize}`
      );
    }
    const together = solve(bestMask | (1 << f));
    if (together === null) {
      return `there are not enough candidates to form it alongside the ${formedNames.join(', ')} group${formedNames.length === 1 ? '' : 's'}`;
    }
    // No totals in words: two of them, from proposals of other sizes, would tell one person's fit.
    if (together.fit < best.fit) return 'forming it as well would lower the total fit of the groups';
    return 'forming it as well would not raise the total fit of the groups, and the tie-break by staff id prefers the plan without it';
  }

  const unassigned = people.filter((_person, i) => best.placement[i] === -1).map((person) => person.staffId);
  return { groups, notFormed, unassigned, objective: best.fit };
}

function popcount(mask: number): number {
  let count = 0;
  for (let m = mask; m > 0; m &= m - 1) count++;
  return count;
}

/** A residual network; edge e and e ^ 1 are a pair, forward and back. */
class Network {
  private readonly head: Int32Array;
  private readonly next: number[] = [];
  private readonly to: number[] = [];
  private readonly cap: number[] = [];
  private readonly cost: number[] = [];

  constructor(private readonly size: number) {
    this.head = new Int32Array(size).fill(-1);
  }

  addEdge(from: number, to: number, capacity: number, cost: number): number {
    const edge = this.to.length;
    this.push(from, to, capacity, cost);
    this.push(to, from, 0, -cost);
    return edge;
  }

  residual(edge: number): number {
    return this.cap[edge] ?? 0;
  }

  private push(from: number, to: number, capacity: number, cost: number): void {
    this.next.push(this.head[from] ?? -1);
    this.head[from] = this.to.length;
    this.to.push(to);
    this.cap.push(capacity);
    this.cost.push(cost);
  }

  /**
   * Cheapest flow of any value from source to sink. Edges must have been added in topological order
   * of an acyclic network, and every node must be reachable from the source.
   */
  minCostFlow(source: number, sink: number): void {
    const { size, head, next, to, cap, cost } = this;
    const potential = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
    potential[source] = 0;
    // Relaxing the edges in the order they were added is a topological pass: exact shortest paths.
    for (let e = 0; e < to.length; e += 2) {
      const from = to[e + 1] ?? 0;
      const v = to[e] ?? 0;
      const d = (potential[from] ?? 0) + (cost[e] ?? 0);
      if ((cap[e] ?? 0) > 0 && d < (potential[v] ?? 0)) potential[v] = d;
    }
    for (let v = 0; v < size; v++) if (potential[v] === Number.POSITIVE_INFINITY) potential[v] = 0;

    const dist = new Float64Array(size);
    const via = new Int32Array(size);
    const done = new Uint8Array(size);
    const heap = new Heap(to.length + size + 1);
    for (;;) {
      dist.fill(Number.POSITIVE_INFINITY);
      done.fill(0);
      heap.clear();
      dist[source] = 0;
      heap.push(0, source);
      while (heap.length > 0) {
        const u = heap.pop();
        if (done[u]) continue;
        done[u] = 1;
        if (u === sink) break;
        const du = (dist[u] ?? 0) + (potential[u] ?? 0);
        for (let e = head[u] ?? -1; e !== -1; e = next[e] ?? -1) {
          if ((cap[e] ?? 0) <= 0) continue;
          const v = to[e] ?? 0;
          const d = du + (cost[e] ?? 0) - (potential[v] ?? 0);
          if (d < (dist[v] ?? 0)) {
            dist[v] = d;
            via[v] = e;
            heap.push(d, v);
          }
        }
      }
      if (!done[sink]) return;
      // Raising each potential by min(dist, dist to sink) keeps every reduced cost ≥ 0, also for nodes
      // Dijkstra never settled, so it may stop as soon as the sink is settled.
      const toSink = dist[sink] ?? 0;
      for (let v = 0; v < size; v++) potential[v] = (potential[v] ?? 0) + Math.min(dist[v] ?? 0, toSink);
      // Path costs only grow from one augmentation to the next, so the first that does not pay ends it.
      if ((potential[sink] ?? 0) - (potential[source] ?? 0) >= 0) return;
      for (let v = sink; v !== source; ) {
        const e = via[v] ?? 0;
        cap[e] = (cap[e] ?? 0) - 1;
        cap[e ^ 1] = (cap[e ^ 1] ?? 0) + 1;
        v = to[e ^ 1] ?? source;
      }
    }
  }
}

/** Binary min-heap of (key, node), duplicates allowed. */
class Heap {
  private readonly keys: Float64Array;
  private readonly nodes: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.nodes = new Int32Array(capacity);
  }

  clear(): void {
    this.length = 0;
  }

  push(key: number, node: number): void {
    const { keys, nodes } = this;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentKey = keys[parent] ?? 0;
      if (parentKey <= key) break;
      keys[i] = parentKey;
      nodes[i] = nodes[parent] ?? 0;
      i = parent;
    }
    keys[i] = key;
    nodes[i] = node;
  }

  pop(): number {
    const { keys, nodes } = this;
    const top = nodes[0] ?? 0;
    const last = --this.length;
    const key = keys[last] ?? 0;
    const node = nodes[last] ?? 0;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && (keys[child + 1] ?? 0) < (keys[child] ?? 0)) child++;
      if ((keys[child] ?? 0) >= key) break;
      keys[i] = keys[child] ?? 0;
      nodes[i] = nodes[child] ?? 0;
      i = child;
    }
    keys[i] = key;
    nodes[i] = node;
    return top;
  }
}

const NO_SCHOOL = 'Staff with no school (the district office)';

/** What checkPilotPlan reads of a plan: who is in which group. */
export interface PlanToCheck {
  groups: Array<{ competencyId: string; members: Array<{ staffId: string }> }>;
}

/**
 * What checkPilotPlan reads of a candidate: their school, and the focuses they may join (the keys of
 * `fits`, whatever their values: exact fits in the worker, levels on the director's page).
 */
export interface CandidateToCheck {
  staffId: string;
  school: string | null;
  fits: Readonly<Record<string, unknown>>;
}

/**
 * Every rule the plan breaks, in words a director can act on; [] when it keeps them all. Schools are
 * taken from the candidates, not from the plan, so an edited plan cannot hide where someone works.
 */
export function checkPilotPlan(
  plan: PlanToCheck,
  candidates: readonly CandidateToCheck[],
  options: PilotOptions,
): string[] {
  const problems: string[] = [];
  const known = new Map(candidates.map((candidate) => [candidate.staffId, candidate]));
  const focuses = new Set(options.focuses);
  const grouped = new Set<string>();
  const placedIn = new Map<string, string>();
  for (const group of plan.groups) {
    const focus = group.competencyId;
    if (!focuses.has(focus))
      problems.push(`${focus} is not one of the focuses of this pilot, so it cannot have a group`);
    else if (grouped.has(focus)) problems.push(`There is more than one ${focus} group; each focus gets at most one`);
    grouped.add(focus);
    const size = group.members.length;
    if (size < options.minSize) {
      problems.push(`The ${focus} group has ${plural(size, 'member')}; a group needs at least ${options.minSize}`);
    }
    if (size > options.maxSize) {
      problems.push(`The ${focus} group has ${plural(size, 'member')}; a group may have at most ${options.maxSize}`);
    }
    const perSchool = new Map<string | null, number>();
    const here = new Set<string>();
    for (const { staffId } of group.members) {
      const candidate = known.get(staffId);
      if (candidate === undefined) {
        problems.push(`${staffId} in the ${focus} group is not one of the candidates`);
        continue;
      }
      if (here.has(staffId)) {
        problems.push(`${staffId} is listed twice in the ${focus} group`);
        continue;
      }
      here.add(staffId);
      const earlier = placedIn.get(staffId);
      if (earlier !== undefined && earlier !== focus) {
        problems.push(`${staffId} is in both the ${earlier} and the ${focus} groups; a person joins at most one`);
      } else {
        placedIn.set(staffId, focus);
      }
      if (focuses.has(focus) && !Object.hasOwn(candidate.fits, focus)) {
        problems.push(`${staffId} cannot join the ${focus} group: they were not a candidate for it`);
      }
      perSchool.set(candidate.school, (perSchool.get(candidate.school) ?? 0) + 1);
    }
    for (const [school, count] of perSchool) {
      if (count > options.maxPerSchool) {
        problems.push(
          `${school ?? NO_SCHOOL} would have ${count} members in the ${focus} group; ` +
            `at most ${options.maxPerSchool} may come from one school`,
        );
      }
    }
  }
  return problems;
}

const competencyName = new Map(competencies.map((c) => [c.id, c.name]));
const focusName = (id: string) => competencyName.get(id) ?? id;

/** Respondents who agreed both to pilot and to be contacted. */
const willing = (respondents: readonly IdentifiedRespondent[]) =>
  respondents.filter((r) => r.answers.pilotWilling === true && r.answers.contactConsent === true);

const interestedIn = (r: IdentifiedRespondent, focus: string) => r.answers.interests?.includes(focus) ?? false;

/** The candidates with their exact fit for each focus: what the solver and the checker read, never sent out. */
export function pilotCandidates(respondents: readonly IdentifiedRespondent[], focuses: string[]): PilotCandidate[] {
  return willing(respondents).map((r) => ({
    staffId: r.staffId,
    school: r.schoolId,
    fits: Object.fromEntries(
      focuses.map((focus) => [focus, fitFor(r.answers.ratings?.[focus], interestedIn(r, focus))]),
    ),
  }));
}

/** What a director is shown instead of a fit: its level per focus. */
function levelsOf(respondent: IdentifiedRespondent, focuses: string[]): Record<string, FitLevel> {
  return Object.fromEntries(
    focuses.map((focus) => [focus, fitLevel(respondent.answers.ratings?.[focus], interestedIn(respondent, focus))]),
  );
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

/**
 * Why a member is in their group, in levels: never their ratings, nor the exact gap. Someone with
 * neither a gap nor interest adds nothing to the fit: they are there to reach the minimum size, or,
 * past it, because the group had room (the tie-break seats as many as it can).
 */
function memberReason(level: FitLevel, groupSize: number, minSize: number): string {
  if (level.gap === 'none' && !level.interested) {
    const why = groupSize <= minSize ? 'brings the group to its minimum size' : 'the group had room for them';
    return sentence(`${levelText(level)}; ${why}`);
  }
  return sentence(levelText(level));
}

/**
 * Why an optimal plan leaves someone out: for their best focus, the group is full, or their school's
 * share is. Their best focus is the one with the highest level (the earliest chosen among equals):
 * chosen by the exact fit, the name of the focus would tell which of two focuses of one level has
 * the larger gap.
 */
function unassignedReason(
  candidate: PilotCandidate,
  levels: Record<string, FitLevel>,
  plan: PilotPlan,
  maxSize: number,
  maxPerSchool: number,
  schoolName: string,
): string {
  const ranked = Object.entries(levels).sort((a, b) => levelRank(b[1]) - levelRank(a[1]));
  const [best] = ranked;
  if (!best || levelRank(best[1]) === 0) return 'No gap and no interest in any of the chosen focuses.';
  const [focus] = best;
  const group = plan.groups.find((g) => g.competencyId === focus);
  if (!group) return `No group was formed for ${focusName(focus)}.`;
  const fromSchool = group.members.filter((m) => m.school === candidate.school).length;
  if (fromSchool >= maxPerSchool) {
    return `${schoolName} already has ${fromSchool} members in the ${focusName(focus)} group, the most one school may have.`;
  }
  if (group.members.length >= maxSize) {
    return `The ${focusName(focus)} group is full (${maxSize}) with colleagues whose gap and interest weigh as much or more.`;
  }
  return `Placing them elsewhere would lower the total fit of the groups.`;
}

/** The roster's coaches, with the focuses each may coach. */
const rosterCoaches = (roster: readonly RosterPerson[]): CoachCandidate[] =>
  roster.filter((p) => p.isCoach).map((p) => ({ staffId: p.staffId, name: p.name, focuses: p.coachFocuses }));

/** The sizes a director chose for a pilot, with the focuses in the order chosen. */
export interface PilotChoices extends PilotOptions {
  coachCapacity: number;
}

export interface ProposalInput {
  campaignId: string;
  options: PilotChoices;
  /** The solver's plan for `candidates` and these options. */
  plan: PilotPlan;
  candidates: PilotCandidate[];
  /** The published identified respondents the candidates were drawn from. */
  respondents: readonly IdentifiedRespondent[];
  roster: readonly RosterPerson[];
}

/**
 * A plan as a director reads it: names, schools, each member's level and the reason for it,
 * a champion and the coaches per group with theirs, who was left out and why, every candidate's
 * levels and the coaches. No fit, rating or total leaves the worker (see fitLevel).
 */
export function pilotProposal({ campaignId, options, plan, candidates, respondents, roster }: ProposalInput) {
  const { focuses, minSize, maxSize, maxPerSchool, coachCapacity } = options;
  const person = new Map(roster.map((p) => [p.staffId, p]));
  const nameOf = (id: string) => person.get(id)?.name ?? id;
  const schoolOf = (id: string) => person.get(id)?.school ?? 'the district office';
  const { asLeaders, influencers } = leaderSignals(respondents, roster);
  const levels = new Map(willing(respondents).map((r) => [r.staffId, levelsOf(r, focuses)]));
  const levelOf = (staffId: string, focus: string): FitLevel =>
    levels.get(staffId)?.[focus] ?? { gap: 'none', interested: false };
  const candidateById = new Map(candidates.map((x) => [x.staffId, x]));
  const nominations = new Map(influencers.map((i) => [i.staffId, i.nominations]));
  const aspiring = new Map(
    aspiringLeaders(asLeaders).map((l) => [l.staffId, l.leadershipInterest.map(leadershipRoleName)]),
  );
  const coaches = rosterCoaches(roster);
  const drafts = plan.groups.map((g) => ({
    competencyId: g.competencyId,
    focusName: focusName(g.competencyId),
    members: g.members.map((m) => m.staffId),
  }));
  const coaching = assignCoaches(drafts, coaches, coachCapacity);
  return {
    campaignId,
    options: { focuses, minSize, maxSize, maxPerSchool, coachCapacity },
    groups: plan.groups.map((g, i) => {
      const champion = chooseChampion(drafts[i]?.members ?? [], nominations, aspiring);
      const coaches = coaching[i];
      return {
        competencyId: g.competencyId,
        name: focusName(g.competencyId),
        members: g.members.map((m) => ({
          staffId: m.staffId,
          name: nameOf(m.staffId),
          schoolId: m.school,
          school: schoolOf(m.staffId),
          level: levelOf(m.staffId, g.competencyId),
          reason: memberReason(levelOf(m.staffId, g.competencyId), g.members.length, minSize),
        })),
        champion: champion.champion,
        championReason: champion.reason,
        coaches: (coaches?.coaches ?? []).map((share) => ({ ...share, name: nameOf(share.staffId) })),
        coachReason: coaches?.reason ?? '',
      };
    }),
    notFormed: plan.notFormed.map((n) => ({ ...n, name: focusName(n.competencyId) })),
    unassigned: plan.unassigned.map((staffId) => {
      const candidate = candidateById.get(staffId) as PilotCandidate;
      return {
        staffId,
        name: nameOf(staffId),
        school: schoolOf(staffId),
        reason: unassignedReason(candidate, levels.get(staffId) ?? {}, plan, maxSize, maxPerSchool, schoolOf(staffId)),
      };
    }),
    candidates: candidates.map((x) => ({
      staffId: x.staffId,
      name: nameOf(x.staffId),
      schoolId: x.school,
      school: schoolOf(x.staffId),
      levels: levels.get(x.staffId) ?? {},
      aspiringLeader: aspiring.has(x.staffId),
      influencer: nominations.has(x.staffId),
    })),
    coaches: coaches.map((coach) => ({
      ...coach,
      schoolId: person.get(coach.staffId)?.schoolId ?? null,
      school: schoolOf(coach.staffId),
    })),
    // The proven optimum of the exact fits; the total itself stays in the worker (see fitLevel).
    optimal: true as const,
  };
}

export type PilotProposal = ReturnType<typeof pilotProposal>;

/** Groups as a director confirms them: members, champion and coaches by staff id, with each coach's share. */
export interface Confirmation {
  options: Omit<PilotChoices, 'focuses'>;
  groups: Array<{ competencyId: string; members: string[]; champion: string | null; coaches: CoachShare[] }>;
}

/**
 * Every rule the confirmed groups break ([] when none): the plan's (checkPilotPlan, against the
 * candidates among all identified respondents) and the roles' (checkGroupLeads).
 */
export function checkConfirmation(
  confirmation: Confirmation,
  respondents: readonly IdentifiedRespondent[],
  roster: readonly RosterPerson[],
): string[] {
  const { options, groups } = confirmation;
  const focuses = groups.map((g) => g.competencyId);
  const plan = {
    groups: groups.map((g) => ({ competencyId: g.competencyId, members: g.members.map((staffId) => ({ staffId })) })),
  };
  const person = new Map(roster.map((p) => [p.staffId, p]));
  return [
    ...checkPilotPlan(plan, pilotCandidates(respondents, focuses), { focuses, ...options }),
    ...checkGroupLeads(
      groups.map((g) => ({ ...g, focusName: focusName(g.competencyId) })),
      rosterCoaches(roster),
      options.coachCapacity,
      (id) => person.get(id)?.name ?? id,
    ),
  ];
}

/** A confirmed group as stored (db/pilots.ts). */
export interface StoredPilotGroup {
  competencyId: string;
  members: string[];
  champion: string | null;
  coaches: CoachShare[];
  confirmedAt: string;
  confirmedBy: string;
}

/** The confirmed groups with everyone named, for scheduling: who and where, nothing of anyone's answers. */
export function confirmedGroups(rows: readonly StoredPilotGroup[], roster: readonly RosterPerson[]) {
  const person = new Map(roster.map((p) => [p.staffId, p]));
  const who = (staffId: string) => {
    const p = person.get(staffId);
    return { staffId, name: p?.name ?? staffId, school: p?.school ?? null, email: p?.email ?? null };
  };
  return rows.map((row) => ({
    competencyId: row.competencyId,
    name: focusName(row.competencyId),
    members: row.members.map(who),
    champion: row.champion ? who(row.champion) : null,
    coaches: row.coaches.map((share) => ({ ...who(share.staffId), supports: share.supports })),
    confirmedAt: row.confirmedAt,
    confirmedBy: row.confirmedBy,
  }));
}

export type ConfirmedGroup = ReturnType<typeof confirmedGroups>[number];

/** The confirmed groups' CSV header: one row per person and role (each coach of a group a row). */
export const PILOT_GROUP_COLUMNS = ['competencyId', 'focus', 'role', 'staffId', 'name', 'school', 'email'] as const;

export function pilotGroupRows(groups: readonly ConfirmedGroup[]) {
  return groups.flatMap((g) =>
    [
      ...g.members.map((m) => ({ role: 'member', ...m })),
      ...(g.champion ? [{ role: 'champion', ...g.champion }] : []),
      ...g.coaches.map((coach) => ({ role: 'coach', ...coach })),
    ].map((row) => ({ competencyId: g.competencyId, focus: g.name, ...row })),
  );
}
