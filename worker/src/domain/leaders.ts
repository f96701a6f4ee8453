/**
 * Leaders from inside: who staff go to for advice, who wants to lead, and the pipeline of interest.
 *
 * Influence is in-degree centrality (Freeman 1979) in the advice network the peer-nomination
 * question draws: a person's in-degree is the number of distinct colleagues who named them. It is
 * compared within the nominee's school as the roster gives it, because a large school hands out
 * more nominations than a small one, and a district-wide cut would pick only from the large ones.
 *
 * The top decile of a school, precisely. Let n be the number of staff on the school's roster and
 * d₁ ≤ … ≤ dₙ their in-degrees, with 0 for everyone nobody named. The threshold is the nearest-rank
 * 90th percentile t = d_k with k = ⌈0.9·n⌉. A nominee is an influencer when their in-degree is at
 * least t and at least 3; everyone tied at t is in. For a school of 20, k = 18: t is the 3rd
 * highest in-degree, so three people before ties. Since k rounds up, a school of n has at least
 * n − k + 1 places: 2 of 10, 3 of 20, 5 of 40, 1 of 5.
 *
 * The denominator is the whole roster, not only the staff who were named: the decile is of the
 * school's staff, and counting only nominees would make the bar depend on how many people happened
 * to be named (a school where 4 people were named would have one place, whatever its size). Where
 * few answered, the roster's zeros pull t down to 0 or 1, and the floor of 3 nominations is then
 * what keeps a couple of stray mentions from making someone an influencer.
 *
 * A nomination counts once per nominator and nominee, never from a person to themselves (refused
 * at submission; refused again here in case an older answer slipped through). Nominees count
 * whether or not they answered. Nominees the roster no longer knows are left out: they have no
 * school to be compared in.
 */
import type { Answers } from './answers';
import type { Campaign } from './campaign';
import { careerStages, leadershipRoles } from './framework';
import { isSmall, suppressCells } from './suppression';

/** An identified respondent of a campaign, with the roster facts the pilot and leader views need. */
export interface IdentifiedRespondent {
  staffId: string;
  name: string;
  schoolId: string | null;
  school: string | null;
  /** The career stage they gave, else the roster's. */
  careerStage: string | null;
  answers: Answers;
}

/** Someone on the roster, with the few fields the pilot and leader views show (names, schools, coaching). */
export interface RosterPerson {
  staffId: string;
  name: string;
  email: string | null;
  schoolId: string | null;
  school: string | null;
  isCoach: boolean;
  coachFocuses: string[];
}

export interface LeaderRespondent {
  staffId: string;
  schoolId: string | null;
  careerStage: string | null;
  leadershipInterest: string[];
  selfNominate: boolean;
  peerNominations: string[];
}

export interface Influencer {
  staffId: string;
  /** The nominee's school on the roster (not the school a nominator gave). */
  schoolId: string | null;
  /** Distinct colleagues who named this person. */
  nominations: number;
}

/** The floor under the decile: fewer nominations than this is not influence, whatever the school. */
export const MIN_NOMINATIONS = 3;

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Schools by id, and staff without a school (null) after every school. */
const bySchool = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : byId(a, b);

/** The in-degree of every nominee, by staff id; nominees are counted whether or not they answered. */
export function inDegrees(respondents: LeaderRespondent[]): Map<string, number> {
  const edges = new Set<string>();
  const degrees = new Map<string, number>();
  for (const { staffId: nominator, peerNominations } of respondents) {
    for (const nominee of peerNominations) {
      if (nominee === nominator) continue;
      // Staff ids are roster ids, which cannot hold a newline, so the pair key is unambiguous.
      const edge = `${nominator}\n${nominee}`;
      if (edges.has(edge)) continue;
      edges.add(edge);
      degrees.set(nominee, (degrees.get(nominee) ?? 0) + 1);
    }
  }
  return degrees;
}

/**
 * The influencers of every school (see the module comment for the rule), sorted by school (staff
 * without a school last), then nominations, most first, then staff id.
 *
 * `schoolOf` reads the roster: a school id, null for staff on the roster without a school (they
 * are compared among themselves), undefined for an id the roster does not know. `schoolSizes`
 * gives how many staff the roster holds per school, null for those without one. Should a size be
 * missing or below the number of that school's nominees, the nominees are counted instead: the
 * roster cannot hold fewer people than were named from it.
 */
export function peerInfluencers(
  respondents: LeaderRespondent[],
  schoolOf: (staffId: string) => string | null | undefined,
  schoolSizes: ReadonlyMap<string | null, number>,
): Influencer[] {
  const bySchoolId = new Map<string | null, Array<{ staffId: string; nominations: number }>>();
  for (const [staffId, nominations] of inDegrees(respondents)) {
    const schoolId = schoolOf(staffId);
    if (schoolId === undefined) continue;
    const nominees = bySchoolId.get(schoolId) ?? [];
    nominees.push({ staffId, nominations });
    bySchoolId.set(schoolId, nominees);
  }

  const influencers: Influencer[] = [];
  for (const [schoolId, nominees] of bySchoolId) {
    const size = schoolSizes.get(schoolId);
    if (size !== undefined && !(Number.isInteger(size) && size >= 0)) {
      throw new RangeError(`the roster size of school ${schoolId} must be a whole number ≥ 0, got ${size}`);
    }
    const n = Math.max(size ?? 0, nominees.length);
    nominees.sort((a, b) => b.nominations - a.nominations || byId(a.staffId, b.staffId));
    // Integer arithmetic: 0.9 · n in floating point can land just above a whole number and round up once too often.
    const k = Math.ceil((9 * n) / 10);
    // d_k, the k-th lowest of n, is the (n − k + 1)-th highest; below the nominees it is one of the roster's zeros.
    const threshold = nominees[n - k]?.nominations ?? 0;
    for (const { staffId, nominations } of nominees) {
      if (nominations < threshold || nominations < MIN_NOMINATIONS) break;
      influencers.push({ staffId, schoolId, nominations });
    }
  }
  return influencers.sort(
    (a, b) => bySchool(a.schoolId, b.schoolId) || b.nominations - a.nominations || byId(a.staffId, b.staffId),
  );
}

/** Those who put themselves forward (selfNominate), by staff id. */
export function aspiringLeaders(respondents: LeaderRespondent[]): LeaderRespondent[] {
  return respondents.filter((respondent) => respondent.selfNominate).sort((a, b) => byId(a.staffId, b.staffId));
}

export interface PipelineCell {
  schoolId: string | null;
  careerStage: string | null;
  leadershipRole: string;
  /** Distinct respondents of this school and career stage interested in this role. */
  n: number;
}

/** Position in the framework's list (the order a reader expects: career stages run from new to senior), unknown ids after. */
function frameworkOrder(list: Array<{ id: string }>): (a: string | null, b: string | null) => number {
  const index = new Map(list.map((item, position) => [item.id, position]));
  return (a, b) => {
    if (a === b) return 0;
    if (a === null || b === null) return a === null ? 1 : -1;
    const ia = index.get(a) ?? list.length;
    const ib = index.get(b) ?? list.length;
    return ia - ib || byId(a, b);
  };
}
const byCareerStage = frameworkOrder(careerStages);
const byLeadershipRole = frameworkOrder(leadershipRoles);

/**
 * How many respondents, per school × career stage, are interested in each leadership role: a
 * respondent interested in three roles counts once in each. Only cells with someone in them are
 * returned, sorted by school id (no school last), then career stage and role in the framework's
 * order (ids the framework no longer has after its own, by id; no career stage last).
 */
export function leadershipPipeline(respondents: LeaderRespondent[]): PipelineCell[] {
  const cells = new Map<string, { cell: PipelineCell; staff: Set<string> }>();
  for (const { staffId, schoolId, careerStage, leadershipInterest } of respondents) {
    for (const leadershipRole of leadershipInterest) {
      const key = JSON.stringify([schoolId, careerStage, leadershipRole]);
      let entry = cells.get(key);
      if (!entry) {
        entry = { cell: { schoolId, careerStage, leadershipRole, n: 0 }, staff: new Set() };
        cells.set(key, entry);
      }
      // A role listed twice, or a respondent listed twice, is still one person interested in it.
      entry.staff.add(staffId);
      entry.cell.n = entry.staff.size;
    }
  }
  return [...cells.values()]
    .map(({ cell }) => cell)
    .sort(
      (a, b) =>
        bySchool(a.schoolId, b.schoolId) ||
        byCareerStage(a.careerStage, b.careerStage) ||
        byLeadershipRole(a.leadershipRole, b.leadershipRole),
    );
}

/**
 * The pipeline as it may leave the worker, under disclosure control.
 *
 * Its population is not the disclosure plan's (domain/disclosure.ts): a cell counts the
 * respondents of a school and career stage who ticked interest in a role, a subset of the
 * plan's respondents with an attribute no other table publishes, and a person ticking
 * three roles is in three cells. So it is suppressed on its own, with the plan's rules:
 *
 * - What is protected is what the reader does not already know. The aspiring leaders
 *   list beside it names everyone who put themselves forward, with their school, career
 *   stage and roles, so their part of each cell is known exactly. A cell of n people of
 *   whom a are named says n − a about the others: the rules below apply to u = n − a, the
 *   unnamed interest (5 interested of whom 4 are named would say "exactly one other").
 * - Primary: a cell whose u is under k is not listed, and an empty cell is not listed
 *   either: a reader cannot tell "nobody" from "a few".
 * - Complementary, within the table: the district cell of a career stage and role is
 *   published too, so district − shown schools = the hidden schools together, for that
 *   stage and role. suppressCells hides more schools, smallest first, until the hidden
 *   ones hold 0 or at least k unnamed people and never just one occupied cell. A district
 *   cell under k hides every school's (each is no larger).
 * - No other margin is published (no per-school or per-stage totals: a person in several
 *   roles would make them counts of interests, not people, and each would be one more
 *   equation to subtract). The page's totals add up the shown cells only.
 * - Across tables: no other table carries leadership interest, so no published figure
 *   sums to a pipeline cell; the roster bounds a cell by the school's staff of that
 *   stage, which is never below the cell's true value, so it pins nothing down that the
 *   rules above leave open.
 */
export interface PublishedPipeline {
  /** School cells with at least k unnamed people interested; hidden and empty cells are both absent. */
  rows: PipelineCell[];
  /** District cells (every school together) under the same rule. */
  district: Array<{ careerStage: string | null; leadershipRole: string; n: number }>;
}

export function publishedPipeline(respondents: LeaderRespondent[], k: number): PublishedPipeline {
  const named = new Set(respondents.filter((one) => one.selfNominate).map((one) => one.staffId));
  const cells = leadershipPipeline(respondents);
  // Unnamed interest per cell, recounted from the people (a respondent listed twice is one).
  const unnamed = new Map<string, Set<string>>();
  const cellKey = (schoolId: string | null, careerStage: string | null, role: string) =>
    JSON.stringify([schoolId, careerStage, role]);
  for (const { staffId, schoolId, careerStage, leadershipInterest } of respondents) {
    if (named.has(staffId)) continue;
    for (const role of leadershipInterest) {
      const key = cellKey(schoolId, careerStage, role);
      unnamed.set(key, (unnamed.get(key) ?? new Set()).add(staffId));
    }
  }
  const u = (cell: PipelineCell) =>
    unnamed.get(cellKey(cell.schoolId, cell.careerStage, cell.leadershipRole))?.size ?? 0;

  const columns = new Map<string, PipelineCell[]>();
  for (const cell of cells) {
    const key = JSON.stringify([cell.careerStage, cell.leadershipRole]);
    columns.set(key, [...(columns.get(key) ?? []), cell]);
  }
  const rows: PipelineCell[] = [];
  const district: PublishedPipeline['district'] = [];
  for (const column of columns.values()) {
    const first = column[0];
    if (!first) continue;
    const totalUnnamed = column.reduce((sum, cell) => sum + u(cell), 0);
    if (isSmall(totalUnnamed, k)) continue;
    district.push({
      careerStage: first.careerStage,
      leadershipRole: first.leadershipRole,
      n: column.reduce((sum, cell) => sum + cell.n, 0),
    });
    const hidden = suppressCells(
      column.map((cell) => ({ segment: cell.schoolId, n: u(cell) })),
      k,
    );
    rows.push(...column.filter((cell) => !hidden.has(cell.schoolId)));
  }
  // In leadershipPipeline's order (columns were read from it, so each keeps its own order).
  const order = new Map(cells.map((cell, index) => [cell, index]));
  rows.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  district.sort(
    (a, b) => byCareerStage(a.careerStage, b.careerStage) || byLeadershipRole(a.leadershipRole, b.leadershipRole),
  );
  return { rows, district };
}

/** A respondent's answers as the leader rules read them. */
function asLeader(respondent: IdentifiedRespondent): LeaderRespondent {
  const { answers } = respondent;
  return {
    staffId: respondent.staffId,
    schoolId: respondent.schoolId,
    careerStage: respondent.careerStage,
    leadershipInterest: answers.leadershipInterest ?? [],
    selfNominate: answers.selfNominate === true,
    peerNominations: answers.peerNominations ?? [],
  };
}

/** The respondents as the leader rules read them, and the influencers of each school on the roster. */
export function leaderSignals(
  respondents: readonly IdentifiedRespondent[],
  roster: readonly RosterPerson[],
): { asLeaders: LeaderRespondent[]; influencers: Influencer[] } {
  const asLeaders = respondents.map(asLeader);
  const schoolOf = new Map(roster.map((person) => [person.staffId, person.schoolId]));
  const schoolSizes = new Map<string | null, number>();
  for (const person of roster) schoolSizes.set(person.schoolId, (schoolSizes.get(person.schoolId) ?? 0) + 1);
  return { asLeaders, influencers: peerInfluencers(asLeaders, (id) => schoolOf.get(id), schoolSizes) };
}

const stageName = new Map(careerStages.map((stage) => [stage.id, stage.name]));
const roleName = new Map(leadershipRoles.map((role) => [role.id, role.name]));

/** A leadership role's name, or its id where the framework no longer has it. */
export const leadershipRoleName = (id: string): string => roleName.get(id) ?? id;

/**
 * The leaders view of a campaign: who asked to lead, each school's influencers, and the
 * pipeline with the framework's names, under disclosure control (publishedPipeline).
 * `respondents` are the published ones only, so its counts move in steps of k like every
 * other table.
 */
export function leadersView(
  campaign: Pick<Campaign, 'id' | 'minGroupSize'>,
  respondents: readonly IdentifiedRespondent[],
  roster: readonly RosterPerson[],
) {
  const { asLeaders, influencers } = leaderSignals(respondents, roster);
  const pipeline = publishedPipeline(asLeaders, campaign.minGroupSize);
  const person = new Map(roster.map((p) => [p.staffId, p]));
  const nameOf = (staffId: string) => person.get(staffId)?.name ?? staffId;
  const byStaff = new Map(respondents.map((r) => [r.staffId, r]));
  const schoolNames = new Map(roster.map((p) => [p.schoolId, p.school]));
  const schoolName = (id: string | null) => (id ? (schoolNames.get(id) ?? null) : null);
  const perSchool = new Map<string | null, Influencer[]>();
  for (const influencer of influencers) {
    perSchool.set(influencer.schoolId, [...(perSchool.get(influencer.schoolId) ?? []), influencer]);
  }
  return {
    campaignId: campaign.id,
    minGroupSize: campaign.minGroupSize,
    aspiringLeaders: aspiringLeaders(asLeaders).map((l) => ({
      staffId: l.staffId,
      name: nameOf(l.staffId),
      schoolId: l.schoolId,
      school: byStaff.get(l.staffId)?.school ?? null,
      careerStage: l.careerStage,
      careerStageName: l.careerStage ? (stageName.get(l.careerStage) ?? l.careerStage) : null,
      roles: l.leadershipInterest.map((id) => ({ id, name: leadershipRoleName(id) })),
    })),
    influencers: [...perSchool].map(([schoolId, staff]) => ({
      schoolId,
      school: schoolName(schoolId),
      // How many named them is a figure about those colleagues: under k it is withheld (the
      // listing itself says "at least MIN_NOMINATIONS"), like every other count under k.
      staff: staff.map((s) => ({
        staffId: s.staffId,
        name: nameOf(s.staffId),
        nominations: isSmall(s.nominations, campaign.minGroupSize) ? null : s.nominations,
      })),
    })),
    pipeline: {
      careerStages: careerStages.map(({ id, name }) => ({ id, name })),
      leadershipRoles: leadershipRoles.map(({ id, name }) => ({ id, name })),
      // Every school the roster knows, whether or not any of its cells is shown.
      schools: [...schoolNames]
        .map(([schoolId, school]) => ({ schoolId, school }))
        .sort((a, b) => bySchool(a.schoolId, b.schoolId)),
      rows: pipeline.rows.map((cell) => ({ ...cell, school: schoolName(cell.schoolId) })),
      district: pipeline.district,
    },
  };
}

export type LeadersView = ReturnType<typeof leadersView>;
