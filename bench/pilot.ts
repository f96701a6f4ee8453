/**
 * Solve time of the pilot-group planner (a measurement, not a CI test): `npx tsx bench/pilot.ts` from the
 * project root. See bench/README.md for what it measures and why.
 *
 * For 500, 2,000 and 5,000 candidates × 3 and 5 focuses (and, for information, 5,000 × 8 focuses with groups
 * of up to 10 and of up to 50) it builds a seeded district (the same candidates on every run), solves once to
 * warm up, then times 5 solves of planPilotGroups, requires every solve to reach the same objective, checks the
 * last plan with checkPilotPlan, prints a Markdown table and writes it to bench/pilot-results.md. It runs in
 * Node, whose V8 is the engine workerd embeds, so it measures the code, not the Worker's CPU.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { competencies } from '../worker/src/domain/framework';
import {
  checkPilotPlan,
  type PilotCandidate,
  type PilotOptions,
  type PilotPlan,
  planPilotGroups,
} from '../worker/src/domain/pilot-groups';
import { district } from './pilot-district';

const ROOT = resolve(import.meta.dirname, '..');
const SOLVER = 'worker/src/domain/pilot-groups.ts';
/** The route's defaults. */
const DEFAULTS = { minSize: 6, maxSize: 10, maxPerSchool: 3 };
/** The most the API accepts: 8 focuses, groups of up to 50. */
const MOST_FOCUSES = 8;
interface Case {
  candidates: number;
  focuses: number;
  sizes: { minSize: number; maxSize: number; maxPerSchool: number };
  /** How the API's upper limits fare: reported, not part of the goal. */
  extra?: true;
}
const CASES: Case[] = [
  ...[500, 2_000, 5_000].flatMap((candidates) =>
    [3, 5].map((focuses): Case => ({ candidates, focuses, sizes: DEFAULTS })),
  ),
  { candidates: 5_000, focuses: MOST_FOCUSES, sizes: DEFAULTS, extra: true },
  { candidates: 5_000, focuses: MOST_FOCUSES, sizes: { minSize: 6, maxSize: 50, maxPerSchool: 3 }, extra: true },
];
const WARM_UPS = 1;
const TIMED = 5;
const GOAL = { candidates: 5_000, focuses: 5, medianMs: 1_000 };
/** Fixed, so every run and every machine solves the same districts. */
const SEED = 20_261_123;

interface Row extends Case {
  /** Schools with candidates, not counting the district office. */
  schools: number;
  times: number[];
  plan: PilotPlan;
  objectives: Set<number>;
  violations: string[];
}

const schoolsOf = (people: PilotCandidate[]): number =>
  new Set(people.flatMap((person) => (person.school === null ? [] : [person.school]))).size;

/** One district per size, rated on the most focuses; a case with fewer keeps the first ones, so cases compare. */
const districts = new Map<number, PilotCandidate[]>();
const allFocuses = competencies.slice(0, MOST_FOCUSES).map((competency) => competency.id);

function measure(one: Case): Row {
  const focuses = allFocuses.slice(0, one.focuses);
  let rated = districts.get(one.candidates);
  if (!rated) {
    rated = district(one.candidates, allFocuses, SEED + one.candidates);
    districts.set(one.candidates, rated);
  }
  const people = rated.map((person) => ({
    ...person,
    fits: Object.fromEntries(focuses.map((focus) => [focus, person.fits[focus] ?? 0])),
  }));
  const options: PilotOptions = { focuses, ...one.sizes };
  const objectives = new Set<number>();
  let plan: PilotPlan | undefined;
  for (let i = 0; i < WARM_UPS; i++) objectives.add(planPilotGroups(people, options).objective);
  const times: number[] = [];
  for (let i = 0; i < TIMED; i++) {
    const start = performance.now();
    plan = planPilotGroups(people, options);
    times.push(performance.now() - start);
    objectives.add(plan.objective);
  }
  if (!plan) throw new Error('no timed solve');
  return {
    ...one,
    schools: schoolsOf(people),
    times,
    plan,
    objectives,
    violations: checkPilotPlan(plan, people, options),
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const ms = (value: number): string => value.toFixed(1);
const thousands = (value: number): string => value.toLocaleString('en-US');
const sizesOf = ({ minSize, maxSize, maxPerSchool }: Case['sizes']): string =>
  `${minSize}–${maxSize}, ≤ ${maxPerSchool} per school`;
const describe = (one: Case): string =>
  `${thousands(one.candidates)} candidates × ${one.focuses} focuses, groups of ${sizesOf(one.sizes)}`;

/** A Markdown table with its columns padded, numbers right-aligned. */
function table(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length), 3),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (right[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (right[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function main(): void {
  const rows: Row[] = [];
  for (const one of CASES) {
    process.stderr.write(`${describe(one)}… `);
    const row = measure(one);
    process.stderr.write(`median ${ms(median(row.times))} ms\n`);
    rows.push(row);
  }

  const solverHash = createHash('sha256')
    .update(readFileSync(resolve(ROOT, SOLVER)))
    .digest('hex')
    .slice(0, 12);
  const status = git('status', '--porcelain', '--', SOLVER);
  const solverState =
    status === '' ? 'committed' : status.startsWith('??') ? 'not yet committed' : 'with uncommitted changes';
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines: string[] = [];
  lines.push(
    `Run ${new Date().toISOString()} on ${availableParallelism()} cores (${cpu}), Node ${process.version} (V8 ${process.versions.v8}); ` +
      `command \`npx tsx bench/pilot.ts\`. Code: commit ${git('rev-parse', '--short', 'HEAD') || 'unknown'}, ` +
      `\`${SOLVER}\` ${solverState} (sha256 ${solverHash}).`,
  );
  lines.push('');
  lines.push(
    `**Solve time of \`planPilotGroups\`**: per row ${WARM_UPS} warm-up solve, then ${TIMED} timed ones, one after ` +
      `the other in one process; seed ${SEED}. "groups" gives min–max size and the most from one school. "same": ` +
      'every solve found the same objective. "check": `checkPilotPlan` on the last plan. Rows marked * go beyond ' +
      'the route defaults to the most the API accepts (8 focuses, groups up to 50), for information.',
  );
  lines.push('');
  lines.push(
    table(
      [
        'candidates',
        'schools',
        'focuses',
        'groups',
        'formed',
        'placed',
        'objective',
        'same',
        'check',
        'min ms',
        'median ms',
        'max ms',
      ],
      rows.map((row) => [
        `${thousands(row.candidates)}${row.extra ? ' *' : ''}`,
        String(row.schools),
        String(row.focuses),
        sizesOf(row.sizes),
        `${row.plan.groups.length} of ${row.focuses}`,
        String(row.plan.groups.reduce((sum, group) => sum + group.members.length, 0)),
        String(row.plan.objective),
        row.objectives.size === 1 ? '✓' : `✗ ${[...row.objectives].join(', ')}`,
        row.violations.length === 0 ? '0 violations ✓' : `${row.violations.length} violations ✗`,
        ms(Math.min(...row.times)),
        ms(median(row.times)),
        ms(Math.max(...row.times)),
      ]),
      [true, true, true, false, false, true, true, false, false, true, true, true],
    ),
  );
  lines.push('');
  lines.push(
    'The districts (2% of candidates in the district office, without a school): fit per candidate and focus, ' +
      `as shares of all candidate × focus pairs over ${MOST_FOCUSES} focuses:`,
  );
  lines.push('');
  for (const [candidates, people] of districts) {
    const fits = people.flatMap((person) => Object.values(person.fits));
    const shares = [0, 1, 2, 3, 4, 5]
      .map((fit) => `${fit}: ${((fits.filter((x) => x === fit).length / fits.length) * 100).toFixed(1)}%`)
      .join(', ');
    lines.push(`- ${thousands(candidates)} candidates in ${schoolsOf(people)} schools: ${shares}`);
  }
  for (const row of rows.filter((one) => one.violations.length > 0)) {
    lines.push('');
    lines.push(`Violations at ${describe(row)}: ${row.violations.slice(0, 5).join('; ')}`);
  }

  const goalRow = rows.find(
    (row) => row.candidates === GOAL.candidates && row.focuses === GOAL.focuses && row.sizes === DEFAULTS,
  );
  const goalMedian = goalRow ? median(goalRow.times) : Number.NaN;
  const valid = goalRow !== undefined && goalRow.violations.length === 0 && goalRow.objectives.size === 1;
  const pass = valid && goalMedian <= GOAL.medianMs;
  lines.push('');
  lines.push('**Goal**');
  lines.push('');
  lines.push(
    table(
      ['goal', 'measured', 'result'],
      [
        [
          `${thousands(GOAL.candidates)} candidates × ${GOAL.focuses} focuses: median ≤ ${thousands(GOAL.medianMs)} ms, valid plan`,
          `median ${ms(goalMedian)} ms; ${valid ? 'plan checked, same objective every solve' : 'plan not valid or not stable'}`,
          pass ? 'PASS' : 'MISS',
        ],
      ],
      [false, false, false],
    ),
  );
  const report = `${lines.join('\n')}\n`;
  process.stdout.write(`\n${report}`);
  writeFileSync(resolve(ROOT, 'bench/pilot-results.md'), report);
}

main();
