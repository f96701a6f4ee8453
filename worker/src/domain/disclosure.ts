/**
 * Disclosure control for one published snapshot of a campaign: which cells of which
 * tables are hidden. Every table a campaign publishes (the focus list, each dimension's
 * segment table, response rates, ways of learning, board evidence, comments by segment,
 * every CSV) asks this plan, so the same cell is hidden the same way everywhere.
 *
 * Three rules, in order:
 * 1. Primary: a cell of fewer than k respondents is hidden, an empty one too, alike.
 * 2. Complementary within a table (suppression.ts): total − shown cells is the sum of the
 *    hidden ones, so that sum must cover two occupied cells and at least k people. A
 *    competency's table also hides every cell the respondents' table hides: raters are a
 *    subset of respondents (r ≥ w), so a shown rater count under a hidden respondent cell
 *    would be a lower bound on it, and nearly everyone rates every competency.
 * 3. Across tables, an audit by linear programming, as statistical offices audit linked
 *    tables. The reader's model of the snapshot: unknown counts per full profile p (school,
 *    role, career stage, subject, grade band; '' = not stated), r_p for respondents and w_p
 *    per competency for its raters. Every shown cell and every total is an equality (the
 *    profiles in it sum to the published n); 0 ≤ w_p ≤ r_p ≤ u_p, with u_p the roster's
 *    staff of that profile (a profile stated only in part: the staff of every roster
 *    profile it could be). Where more answered as a profile than the roster could hold
 *    (self-reports, staff not yet on the roster), the roster bounds nothing there and u_p
 *    is the published total: the reader cannot know the true count, and bounding by it
 *    would pin every cell of a campaign far larger than its roster. So the truth t is
 *    always feasible. A hidden cell is safe when some integer point of that polytope
 *    gives it another count than t does: then no combination of published figures and
 *    roster counts, however clever, pins it down, since t and that point agree on every
 *    figure shown. If none exists, one more cell is hidden in every table (so that the
 *    respondents' table never shows what a competency's hides): the first whose hiding,
 *    with rule 2 after it, opens the pinned cell's range, trying the shown cells of other
 *    dimensions that overlap it first, smallest first (the one-role school's role), then
 *    the rest; rule 2 runs again, and the audit repeats. Hiding a cell only drops an
 *    equality, so every witness found stays valid: each round audits only the cells not
 *    yet witnessed, and it ends because each round hides a cell.
 *
 * Cost: the exact polytope couples every table (w ≤ r), one column per profile and table,
 * and one LP over it took about a second in WebAssembly on the demo roster. So the audit
 * looks for witnesses in two restrictions of it, each one column per profile: (R) every
 * competency's shortfall r_p − w_p fixed at the truth, respondents free, which moves a
 * cell hidden in both tables by the same amount in each; (C) respondents fixed at the
 * truth, one competency's raters free, for the cells only its table hides. A point of a
 * restriction is a point of the whole, so a witness there is one for the reader; the
 * price is a little more hiding than the exact audit would need. Witnesses are points,
 * and one point clears every hidden cell it moves, so a few LPs with random objectives
 * clear most cells at once; only the rest get their own LP (max, then min, of that cell).
 * An LP vertex that is fractional is not yet an integer witness (a reader knows counts
 * are whole), so such a cell gets a small feasibility MIP (cell ≥ t + 1, or ≤ t − 1); a
 * MIP that finds nothing in its time counts as "pinned". Only occupied hidden cells are
 * audited: a cell pinned at 0 says that nobody is there, which discloses no one's answers
 * (as in suppression.ts); nor can anything be done for a cell pinned at its roster staff
 * count or at the whole table when the published totals say it (everyone answered), which
 * the report counts. Profiles are the roster's and those someone answered as: every other
 * profile's count is taken as 0, which only shrinks the polytope, so a witness found here
 * is one in the reader's larger one too. The audit runs on reads only (db/disclosure.ts
 * caches its plan per published snapshot), never on the submission path.
 *
 * Sums (Σ I, Σ P, Σ D, the count with D ≥ 2, …) are published over exactly the same cells
 * as the rater counts, so they satisfy the same equalities with the same incidence matrix.
 * A hidden cell whose count is not determined has an indicator outside the row space of
 * the shown cells (else the count would be that combination of published counts), so no
 * combination of published sums gives its sums either: differencing recovers nothing. A
 * bound can pin a sum only where a shown group of at least k sits at the scale's extreme
 * (a district all rating 5), which says the same of every member of that shown group.
 *
 * What the audit does not model: a reader who reasons from the suppression rule itself
 * (that a hidden cell is probably under k), as in the usual audits of linked tables.
 */
import type { Highs, ModelData } from 'highs';
import type { SegmentDimension } from './focuses';
import { mulberry32 } from './random';
import { isSmall, suppressCells } from './suppression';

/** A segment's key in a dimension: the id, or '' for respondents who did not say. */
export type Segment = string;

/** Counts per segment of one dimension ('' = not stated). */
export type SegmentCounts = ReadonlyMap<Segment, number>;

/** The published counts of a snapshot: what every table's n is made of. */
export interface PublishedCounts {
  k: number;
  /** Published respondents per dimension and segment: each dimension's segments sum to the same total. */
  respondents: ReadonlyMap<SegmentDimension, SegmentCounts>;
  /** Published raters (rated both scales) per competency, then per dimension and segment. */
  raters: ReadonlyMap<string, ReadonlyMap<SegmentDimension, SegmentCounts>>;
  /** Every segment each dimension knows, shown or hidden ('' included): the roster's schools, the framework's lists. */
  segments: ReadonlyMap<SegmentDimension, readonly Segment[]>;
}

/** A full profile: a segment in every dimension ('' = not stated). */
export interface Profile {
  school: Segment;
  role: Segment;
  careerStage: Segment;
  subject: Segment;
  gradeBand: Segment;
}

/** What the reader is assumed to know already: the roster, as staff counts per full profile. */
export interface RosterProfile extends Profile {
  staff: number;
}

/** The snapshot's true counts per full profile, which only the audit sees. */
export interface ProfileCounts extends Profile {
  respondents: number;
  /** Raters per competency among these respondents. */
  raters: ReadonlyMap<string, number>;
}

export interface DisclosurePlan {
  k: number;
  /** Whether a dimension's respondent count for a segment is hidden (response rates, comments by segment). */
  respondentsHidden(dimension: SegmentDimension, segment: Segment): boolean;
  /** Whether a competency's figures over all respondents are hidden (focus list, ways of learning). */
  competencyHidden(competencyId: string): boolean;
  /** Whether a competency's figures for a segment are hidden (segment tables, board evidence hotspots). */
  ratersHidden(competencyId: string, dimension: SegmentDimension, segment: Segment): boolean;
}

/** What one audit did: for the benchmark and the tests. */
export interface AuditReport {
  /** LPs and MIPs solved. */
  lps: number;
  mips: number;
  /** Rounds of "hide more". */
  rounds: number;
  /** Cells hidden by the audit on top of rules 1 and 2. */
  added: number;
  /** Profiles (LP columns per table). */
  profiles: number;
  /** Hidden occupied cells the audit had to leave pinned: nothing was left to hide (expected 0). */
  pinned: number;
  /**
   * Hidden cells pinned at their roster staff count, or at the table's total, that no
   * further hiding opens: everyone there answered (and rated), or everyone who answered is
   * in it, which the published totals already say.
   */
  everyoneAnswered: number;
  /** Published counts disagreed with the profile counts: every segment cell was hidden. */
  inconsistent: boolean;
}

const DIMENSIONS: readonly SegmentDimension[] = ['school', 'role', 'careerStage', 'subject', 'gradeBand'];

/** The respondents' table; a competency's table is keyed by its id. */
const RESPONDENTS = '';

type Hidden = Map<string, Map<SegmentDimension, Set<Segment>>>;

/** Every known segment with its count (0 where nobody is in it), so "nobody" is hidden like "a few". */
function cellsOf(counts: SegmentCounts | undefined, known: readonly Segment[]) {
  const segments = new Set<Segment>([...known, ...(counts?.keys() ?? [])]);
  return [...segments].map((segment) => ({ segment, n: counts?.get(segment) ?? 0 }));
}

/**
 * Rule 2 for one table with some cells already hidden (by rule 1, or forced by another
 * table): the same loop as suppressCells, from a larger start.
 */
function completeTable(cells: ReadonlyArray<{ segment: Segment; n: number }>, hidden: Set<Segment>, k: number) {
  const candidates = cells
    .filter((cell) => cell.n > 0 && !hidden.has(cell.segment))
    .sort((a, b) => a.n - b.n || (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
  for (const candidate of candidates) {
    const occupied = cells.filter((cell) => cell.n > 0 && hidden.has(cell.segment));
    const hiddenTotal = occupied.reduce((sum, cell) => sum + cell.n, 0);
    if (!(occupied.length === 1 || (hiddenTotal > 0 && hiddenTotal < k))) break;
    hidden.add(candidate.segment);
  }
}

interface Tables {
  k: number;
  /** The tables audited: respondents, and every competency shown as a whole. */
  cells: Map<string, Map<SegmentDimension, Array<{ segment: Segment; n: number }>>>;
  hidden: Hidden;
  hiddenCompetencies: Set<string>;
}

/** Rules 1 and 2: every table on its own, competency tables hiding what the respondents' table hides. */
function withinTables(published: PublishedCounts): Tables {
  const { k } = published;
  const cells: Tables['cells'] = new Map();
  const hidden: Hidden = new Map();
  const byDimension = (counts: ReadonlyMap<SegmentDimension, SegmentCounts> | undefined) =>
    new Map(DIMENSIONS.map((d) => [d, cellsOf(counts?.get(d), published.segments.get(d) ?? [''])]));
  cells.set(RESPONDENTS, byDimension(published.respondents));
  const respondentsHidden = new Map(
    DIMENSIONS.map((d) => [d, suppressCells(cells.get(RESPONDENTS)?.get(d) ?? [], k) as Set<Segment>]),
  );
  hidden.set(RESPONDENTS, respondentsHidden);
  const hiddenCompetencies = new Set<string>();
  for (const [competencyId, counts] of published.raters) {
    const table = byDimension(counts);
    const total = (table.get('school') ?? []).reduce((sum, cell) => sum + cell.n, 0);
    if (isSmall(total, k)) {
      hiddenCompetencies.add(competencyId);
      continue;
    }
    cells.set(competencyId, table);
    const tableHidden = new Map<SegmentDimension, Set<Segment>>();
    for (const d of DIMENSIONS) {
      const dimensionCells = table.get(d) ?? [];
      const set = suppressCells(dimensionCells, k) as Set<Segment>;
      for (const segment of respondentsHidden.get(d) ?? []) set.add(segment);
      completeTable(dimensionCells, set, k);
      tableHidden.set(d, set);
    }
    hidden.set(competencyId, tableHidden);
  }
  return { k, cells, hidden, hiddenCompetencies };
}

function planOf(published: PublishedCounts, tables: Tables): DisclosurePlan {
  const known = (table: string, d: SegmentDimension, segment: Segment) =>
    tables.cells
      .get(table)
      ?.get(d)
      ?.some((cell) => cell.segment === segment) ?? false;
  const isHidden = (table: string, d: SegmentDimension, segment: Segment) =>
    // A segment no table lists is no figure anyone may see.
    !known(table, d, segment) || (tables.hidden.get(table)?.get(d)?.has(segment) ?? true);
  return {
    k: tables.k,
    respondentsHidden: (dimension, segment) => isHidden(RESPONDENTS, dimension, segment),
    competencyHidden: (competencyId) =>
      !published.raters.has(competencyId) || tables.hiddenCompetencies.has(competencyId),
    ratersHidden: (competencyId, dimension, segment) =>
      !published.raters.has(competencyId) ||
      tables.hiddenCompetencies.has(competencyId) ||
      isHidden(competencyId, dimension, segment),
  };
}

/**
 * The plan of rules 1 and 2 alone, without the audit across tables: what the tests use
 * as the control that shows the audit is needed.
 */
export function withinTablePlan(published: PublishedCounts): DisclosurePlan {
  return planOf(published, withinTables(published));
}

const profileKey = (p: Profile) => JSON.stringify([p.school, p.role, p.careerStage, p.subject, p.gradeBand]);

/** Whether someone on the roster as `staff` could have answered as `answered` ('' matches anything). */
const couldBe = (answered: Profile, staff: Profile) =>
  DIMENSIONS.every((d) => answered[d] === '' || staff[d] === '' || answered[d] === staff[d]);

const EPS = 1e-6;
/** A MIP that neither finds a witness nor proves there is none within this is taken as "pinned". */
const MIP_SECONDS = 2;
const RANDOM_SWEEPS = 3;

/**
 * The plan of a snapshot: rules 1 and 2, then the audit across tables (rule 3) with the
 * HiGHS solver handed in (lp.ts in a Worker; the npm loader in Node).
 */
export function disclosurePlan(
  published: PublishedCounts,
  roster: readonly RosterProfile[],
  truth: readonly ProfileCounts[],
  highs: Highs,
): DisclosurePlan & { audit: AuditReport } {
  const tables = withinTables(published);
  const audit = auditTables(tables, roster, truth, highs);
  return { ...planOf(published, tables), audit };
}

interface Cell {
  table: string;
  dimension: SegmentDimension;
  segment: Segment;
}
const cellId = (cell: Cell) => JSON.stringify([cell.table, cell.dimension, cell.segment]);

function auditTables(
  tables: Tables,
  roster: readonly RosterProfile[],
  truth: readonly ProfileCounts[],
  highs: Highs,
): AuditReport {
  const report: AuditReport = {
    lps: 0,
    mips: 0,
    rounds: 0,
    added: 0,
    profiles: 0,
    pinned: 0,
    everyoneAnswered: 0,
    inconsistent: false,
  };
  // Columns: the roster's profiles and those someone answered as.
  const index = new Map<string, number>();
  const profiles: Profile[] = [];
  const upper: number[] = [];
  const add = (p: Profile) => {
    const key = profileKey(p);
    let at = index.get(key);
    if (at === undefined) {
      at = profiles.length;
      index.set(key, at);
      profiles.push({
        school: p.school,
        role: p.role,
        careerStage: p.careerStage,
        subject: p.subject,
        gradeBand: p.gradeBand,
      });
      upper.push(0);
    }
    return at;
  };
  for (const staff of roster) {
    const at = add(staff);
    upper[at] = (upper[at] ?? 0) + staff.staff;
  }
  const totalRespondents = truth.reduce((sum, p) => sum + p.respondents, 0);
  const onRoster = new Set(index.keys());
  for (const answered of truth) {
    const at = add(answered);
    if (!onRoster.has(profileKey(answered))) {
      const could = roster.reduce((sum, staff) => sum + (couldBe(answered, staff) ? staff.staff : 0), 0);
      upper[at] = Math.min(could, totalRespondents);
    }
  }
  const P = profiles.length;
  report.profiles = P;
  /** True counts per table and profile. */
  const truthOf = new Map<string, Float64Array>([...tables.cells.keys()].map((table) => [table, new Float64Array(P)]));
  const respondentsTruth = truthOf.get(RESPONDENTS) as Float64Array;
  for (const p of truth) {
    const at = index.get(profileKey(p)) as number;
    respondentsTruth[at] = p.respondents;
    // More respondents than the roster could hold: the roster bounds nothing here.
    if (p.respondents > (upper[at] ?? 0)) upper[at] = totalRespondents;
    for (const [competencyId, n] of p.raters) {
      const values = competencyId === RESPONDENTS ? undefined : truthOf.get(competencyId);
      if (values) values[at] = n;
    }
  }
  const membersOf = new Map<string, number[]>();
  const members = (dimension: SegmentDimension, segment: Segment) => {
    const key = JSON.stringify([dimension, segment]);
    let list = membersOf.get(key);
    if (!list) {
      list = [];
      for (let p = 0; p < P; p++) if ((profiles[p] as Profile)[dimension] === segment) list.push(p);
      membersOf.set(key, list);
    }
    return list;
  };
  const sumOver = (x: ArrayLike<number>, dimension: SegmentDimension, segment: Segment) => {
    let sum = 0;
    for (const p of members(dimension, segment)) sum += x[p] as number;
    return sum;
  };
  const trueValue = (cell: Cell) => sumOver(truthOf.get(cell.table) as Float64Array, cell.dimension, cell.segment);

  // The truth must give every published count: if the two reads disagree, nothing is safe to show.
  for (const [table, byDimension] of tables.cells) {
    for (const [dimension, cells] of byDimension) {
      for (const cell of cells) {
        if (Math.abs(trueValue({ table, dimension, segment: cell.segment }) - cell.n) > EPS) report.inconsistent = true;
      }
    }
  }
  if (report.inconsistent) {
    for (const [table, byDimension] of tables.cells) {
      for (const [dimension, cells] of byDimension) {
        const set = tables.hidden.get(table)?.get(dimension);
        for (const cell of cells) set?.add(cell.segment);
      }
    }
    return report;
  }

  // Restriction R's bounds: r_p ≥ every competency's shortfall there (restriction C's are 0 ≤ w_p ≤ t_p).
  const lowerR = new Float64Array(P);
  for (const [table, values] of truthOf) {
    if (table === RESPONDENTS) continue;
    for (let p = 0; p < P; p++)
      lowerR[p] = Math.max(lowerR[p] as number, (respondentsTruth[p] as number) - (values[p] as number));
  }
  const upperR = Float64Array.from(upper);

  const random = mulberry32(0x5eed); // the same objectives on every run, so the same plan
  const witnessed = new Set<string>();
  const initialSizes = new Map<string, number>();
  for (const [table, byDimension] of tables.hidden) {
    for (const [dimension, set] of byDimension) initialSizes.set(`${table} ${dimension}`, set.size);
  }
  /** Rule 2 again on every table, competency tables hiding what the respondents' table hides. */
  const completeAll = (hidden: Hidden) => {
    for (const [table, byDimension] of tables.cells) {
      for (const [dimension, cells] of byDimension) {
        const set = hidden.get(table)?.get(dimension) as Set<Segment>;
        if (table !== RESPONDENTS) {
          for (const segment of hidden.get(RESPONDENTS)?.get(dimension) ?? []) set.add(segment);
        }
        completeTable(cells, set, tables.k);
      }
    }
  };
  /** The hidden cells with `cell` hidden in every table too, and rule 2 run again. */
  const hiding = (hidden: Hidden, cell: { dimension: SegmentDimension; segment: Segment }) => {
    const copy: Hidden = new Map(
      [...hidden].map(([table, byDimension]) => [
        table,
        new Map([...byDimension].map(([d, set]) => [d, new Set(set)])),
      ]),
    );
    for (const byDimension of copy.values()) byDimension.get(cell.dimension)?.add(cell.segment);
    completeAll(copy);
    return copy;
  };
  const isHidden = (cell: Cell, hidden = tables.hidden) =>
    hidden.get(cell.table)?.get(cell.dimension)?.has(cell.segment) ?? false;
  const occupiedHidden = () => {
    const list: Cell[] = [];
    for (const [table, byDimension] of tables.cells) {
      for (const [dimension, cells] of byDimension) {
        for (const cell of cells) {
          const c = { table, dimension, segment: cell.segment };
          if (cell.n > 0 && isHidden(c)) list.push(c);
        }
      }
    }
    return list;
  };

  /** Problem R or C for `table`: one equality per shown cell of that table, and its total. */
  const buildModel = (
    table: string,
    hidden: Hidden,
    extra?: { dimension: SegmentDimension; segment: Segment; lower: number; upper: number },
  ): ModelData => {
    const rowStarts: number[] = [0];
    const rowIndex: number[] = [];
    const rowLower: number[] = [];
    const rowUpper: number[] = [];
    const addRow = (cols: readonly number[], lower: number, up: number) => {
      for (const col of cols) rowIndex.push(col);
      rowStarts.push(rowIndex.length);
      rowLower.push(lower);
      rowUpper.push(up);
    };
    const byDimension = tables.cells.get(table) ?? new Map();
    const total = (byDimension.get('school') ?? []).reduce((sum: number, cell: { n: number }) => sum + cell.n, 0);
    addRow(
      Array.from({ length: P }, (_, p) => p),
      total,
      total,
    );
    for (const [dimension, cells] of byDimension) {
      for (const cell of cells) {
        if (isHidden({ table, dimension, segment: cell.segment }, hidden)) continue;
        const cols = members(dimension, cell.segment);
        if (cols.length === 0 && cell.n === 0) continue;
        addRow(cols, cell.n, cell.n);
      }
    }
    if (extra) addRow(members(extra.dimension, extra.segment), extra.lower, extra.upper);
    const respondents = table === RESPONDENTS;
    return {
      numCols: P,
      numRows: rowLower.length,
      colCost: new Float64Array(P),
      colLower: respondents ? lowerR : new Float64Array(P),
      colUpper: respondents ? upperR : respondentsTruth,
      rowLower,
      rowUpper,
      matrix: {
        format: 'csr',
        numRows: rowLower.length,
        numCols: P,
        starts: rowStarts,
        indices: rowIndex,
        values: new Float64Array(rowIndex.length).fill(1),
      },
    };
  };

  const integral = (x: ArrayLike<number>) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i] as number;
      if (Math.abs(v - Math.round(v)) > EPS) return false;
    }
    return true;
  };
  /**
   * Marks what the integer point x of `table`'s problem moves: the cells of that table; and
   * for problem R, the same cell in every competency table that hides it (its raters move
   * with its respondents there, the shortfalls being fixed).
   */
  const sweep = (table: string, x: ArrayLike<number>) => {
    const values = truthOf.get(table) as Float64Array;
    for (const [dimension, cells] of tables.cells.get(table) ?? []) {
      for (const cell of cells) {
        if (!isHidden({ table, dimension, segment: cell.segment })) continue;
        if (Math.abs(sumOver(x, dimension, cell.segment) - sumOver(values, dimension, cell.segment)) < 0.5) continue;
        witnessed.add(cellId({ table, dimension, segment: cell.segment }));
        if (table !== RESPONDENTS) continue;
        for (const other of tables.cells.keys()) {
          const c = { table: other, dimension, segment: cell.segment };
          if (isHidden(c)) witnessed.add(cellId(c));
        }
      }
    }
  };

  /** A feasibility MIP: an integer point of `table`'s problem with the cell's count in [lower, upper]. */
  const mipWitness = (cell: Cell, lower: number, up: number): Float64Array | null => {
    report.mips++;
    const model = highs.createModel({
      ...buildModel(cell.table, tables.hidden, { dimension: cell.dimension, segment: cell.segment, lower, upper: up }),
      integrality: new Int32Array(P).fill(1),
    });
    try {
      model.options.set({ output_flag: false, time_limit: MIP_SECONDS });
      const { modelStatus } = model.run();
      if (modelStatus !== highs.constants.modelStatus.optimal) return null;
      return Float64Array.from(model.getSolution().colValue, Math.round);
    } finally {
      model.dispose();
    }
  };

  const costOf = (weights: ReadonlyArray<readonly [Cell, number]>) => {
    const cost = new Float64Array(P);
    for (const [cell, weight] of weights) {
      for (const p of members(cell.dimension, cell.segment)) cost[p] = (cost[p] ?? 0) + weight;
    }
    return cost;
  };

  /** Audits the open cells of one problem; returns those it finds no witness for. */
  const auditProblem = (table: string, open: Cell[]): Cell[] => {
    if (open.length === 0) return [];
    const model = highs.createModel(buildModel(table, tables.hidden));
    const pinned: Cell[] = [];
    try {
      model.options.set({ output_flag: false });
      const solve = (cost: Float64Array, sense: 'minimize' | 'maximize') => {
        report.lps++;
        model.changeColsCost({ kind: 'range', from: 0, to: P - 1 }, cost);
        model.changeObjectiveSense(highs.constants.objectiveSense[sense]);
        if (model.run().modelStatus !== highs.constants.modelStatus.optimal) return null;
        return model.getSolution().colValue;
      };
      const pending = () => open.filter((cell) => !witnessed.has(cellId(cell)));
      // Random directions first: one vertex tends to move many hidden cells at once.
      for (let i = 0; i < RANDOM_SWEEPS && pending().length > 0; i++) {
        const x = solve(costOf(pending().map((cell) => [cell, random() * 2 - 1] as const)), 'maximize');
        if (x && integral(x)) sweep(table, x);
      }
      for (const cell of pending()) {
        if (witnessed.has(cellId(cell))) continue;
        const t = trueValue(cell);
        let found = false;
        for (const sense of ['maximize', 'minimize'] as const) {
          const x = solve(costOf([[cell, 1]]), sense);
          if (!x) continue;
          const value = sumOver(x, cell.dimension, cell.segment);
          if (sense === 'maximize' ? value <= t + EPS : value >= t - EPS) continue;
          const point = integral(x)
            ? x
            : sense === 'maximize'
              ? mipWitness(cell, t + 1, highs.infinity)
              : mipWitness(cell, -highs.infinity, t - 1);
          if (point) {
            sweep(table, point);
            found = true;
            break;
          }
        }
        if (!found) pinned.push(cell);
      }
    } finally {
      model.dispose();
    }
    return pinned;
  };

  /** Whether `table`'s problem, with `hidden`, leaves the cell a range of at least one either side. */
  const opensWith = (cell: Cell, table: string, hidden: Hidden) => {
    const model = highs.createModel(buildModel(table, hidden));
    try {
      model.options.set({ output_flag: false });
      model.changeColsCost({ kind: 'range', from: 0, to: P - 1 }, costOf([[cell, 1]]));
      const t = trueValue({ ...cell, table });
      for (const sense of ['maximize', 'minimize'] as const) {
        report.lps++;
        model.changeObjectiveSense(highs.constants.objectiveSense[sense]);
        if (model.run().modelStatus !== highs.constants.modelStatus.optimal) continue;
        if (Math.abs(model.getObjectiveValue() - t) >= 1 - EPS) return true;
      }
      return false;
    } finally {
      model.dispose();
    }
  };

  for (;;) {
    report.rounds++;
    const open = occupiedHidden().filter((cell) => !witnessed.has(cellId(cell)));
    if (open.length === 0) break;
    // Problem R for the respondents' cells and for competency cells the respondents' table hides too.
    const pinned = auditProblem(
      RESPONDENTS,
      open.filter((cell) => cell.table === RESPONDENTS || isHidden({ ...cell, table: RESPONDENTS })),
    ).filter((cell) => cell.table === RESPONDENTS);
    for (const table of tables.cells.keys()) {
      if (table === RESPONDENTS) continue;
      pinned.push(
        ...auditProblem(
          table,
          open.filter((cell) => cell.table === table && !witnessed.has(cellId(cell))),
        ),
      );
    }
    if (pinned.length === 0) break;
    // Hide more: for each pinned cell, the smallest shown cell of another dimension overlapping
    // it, in every table (so the respondents' table never shows what a competency's hides).
    // A pinned cell that this round's covers already overlap waits for the next audit.
    let hidMore = false;
    const covered = new Set<number>();
    for (const cell of pinned) {
      if (members(cell.dimension, cell.segment).some((p) => covered.has(p))) continue;
      const target = coverFor(cell);
      if (target === 'everyone') {
        report.everyoneAnswered++;
        witnessed.add(cellId(cell));
        continue;
      }
      if (!target) {
        report.pinned++;
        witnessed.add(cellId(cell));
        continue;
      }
      for (const p of members(target.dimension, target.segment)) covered.add(p);
      hidMore = true;
    }
    if (!hidMore) break;
    completeAll(tables.hidden);
  }
  for (const [table, byDimension] of tables.hidden) {
    for (const [dimension, set] of byDimension) {
      report.added += set.size - (initialSizes.get(`${table} ${dimension}`) ?? 0);
    }
  }
  return report;

  /**
   * Hides, in every table, the first shown cell whose hiding (with rule 2 after it) leaves
   * the pinned cell an open range: cells of other dimensions that overlap it first, then
   * the others, smallest first, the cell's own dimension last, a dimension's only occupied
   * cell (the total) after all; failing that, the first candidate, so that the next round
   * has less to go on.
   */
  function coverFor(cell: Cell): Cell | 'everyone' | null {
    const overlap = new Set(members(cell.dimension, cell.segment));
    const candidates: Array<{ cell: Cell; n: number; rank: number }> = [];
    for (const [dimension, cells] of tables.cells.get(cell.table) ?? []) {
      const alone = cells.filter((c) => c.n > 0).length < 2;
      for (const candidate of cells) {
        const c = { table: cell.table, dimension, segment: candidate.segment };
        if (candidate.n === 0 || isHidden(c)) continue;
        const overlaps = members(dimension, candidate.segment).some((p) => overlap.has(p) && (upper[p] ?? 0) > 0);
        const rank = alone ? 3 : dimension === cell.dimension ? 2 : overlaps ? 0 : 1;
        candidates.push({ cell: c, n: candidate.n, rank });
      }
    }
    candidates.sort((a, b) => a.rank - b.rank || a.n - b.n);
    const opens = (candidate: Cell) => {
      const hidden = hiding(tables.hidden, candidate);
      if (opensWith(cell, cell.table, hidden)) return true;
      // A competency's cell that the respondents' table would hide too can move with it.
      return (
        cell.table !== RESPONDENTS &&
        isHidden({ ...cell, table: RESPONDENTS }, hidden) &&
        opensWith(cell, RESPONDENTS, hidden)
      );
    };
    const opening = candidates.find((candidate) => opens(candidate.cell));
    const t = trueValue(cell);
    // Pinned at the roster's staff count whatever else is hidden: the reader learns that
    // everyone there answered, which the published totals already say. Likewise pinned at
    // the table's total: everyone who answered is in it, as the total says.
    const staff = members(cell.dimension, cell.segment).reduce((sum, p) => sum + (upper[p] ?? 0), 0);
    const total = (tables.cells.get(cell.table)?.get('school') ?? []).reduce((sum, c) => sum + c.n, 0);
    if (!opening && (Math.abs(t - staff) < EPS || Math.abs(t - total) < EPS)) return 'everyone';
    const chosen = (opening ?? candidates[0])?.cell;
    if (!chosen) return null;
    for (const byDimension of tables.hidden.values()) byDimension.get(chosen.dimension)?.add(chosen.segment);
    return chosen;
  }
}
