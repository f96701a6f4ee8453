/**
 * The staff roster as a district exports it from its HR system or a spreadsheet: one CSV
 * file, checked whole before anything is stored. Every problem is reported against the
 * line a spreadsheet shows, in a sentence a district admin can act on, so a file can be
 * fixed in one pass instead of one error at a time.
 */
import Papa from 'papaparse';
import { z } from 'zod';
import type { RowError } from '../errors';
import { careerStages, competencies, gradeBands, jobRoles, type Named, subjects } from './framework';
import { ROSTER_COLUMNS, type RosterColumn } from './roster-import';

export { ROSTER_COLUMNS, type RosterColumn };

export interface RosterRow {
  staffId: string;
  name: string;
  email: string | null;
  /** The school's name as the file spells it; the importer matches it to a school. */
  school: string | null;
  role: string;
  careerStage: string | null;
  subject: string | null;
  gradeBand: string | null;
  isCoach: boolean;
  coachFocuses: string[];
}

/** A problem in the file, on the line a spreadsheet shows (the header is 1, the first staff row 2). */
export type RosterError = RowError;

export type RosterResult = { ok: true; rows: RosterRow[] } | { ok: false; errors: RosterError[] };

export const MAX_ROSTER_ROWS = 20_000;
export const MAX_REPORTED_ERRORS = 200;
const MAX_STAFF_ID = 64;
const MAX_NAME = 200;
const MAX_SCHOOL = 200;
const MAX_EMAIL = 254;

const STAFF_ID = /^[A-Za-z0-9._-]+$/;
const email = z.email();
const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

/** A record as the CSV parser gave it, with the line it starts on. */
interface CsvRecord {
  line: number;
  cells: string[];
  quoteProblem: boolean;
}

export function parseRoster(csv: string): RosterResult {
  const records = readRecords(csv);
  const header = records[0];
  if (!header) {
    return fail([{ row: 1, column: '', message: `The file is empty: it needs a header row (${headerLine()}).` }]);
  }
  const layout = readHeader(header);
  if (!layout.ok) return fail(layout.errors);

  const staffRecords = records.slice(1);
  if (staffRecords.length === 0) {
    return fail([
      { row: header.line, column: '', message: 'The file has a header but no staff: add one row per staff member.' },
    ]);
  }
  if (staffRecords.length > MAX_ROSTER_ROWS) {
    return fail([
      {
        row: staffRecords[MAX_ROSTER_ROWS]?.line ?? header.line,
        column: '',
        message: `The file has ${count(staffRecords.length)} staff rows, more than the ${count(MAX_ROSTER_ROWS)} one import can take; split it into smaller files.`,
      },
    ]);
  }

  const errors: RosterError[] = [];
  const rows: RosterRow[] = [];
  const seen: Seen = { staffIds: new Map(), emails: new Map() };
  for (const record of staffRecords) {
    const read = readRow(record, layout, seen);
    if (Array.isArray(read)) errors.push(...read);
    else rows.push(read);
  }
  return errors.length > 0 ? fail(errors) : { ok: true, rows };
}

/** The line each staff id and email address was first seen on, to name it in a duplicate's error. */
interface Seen {
  staffIds: Map<string, number>;
  emails: Map<string, number>;
}

/** One staff row, or every problem with it (in column order). */
function readRow(record: CsvRecord, layout: Layout, seen: Seen): RosterRow | RosterError[] {
  const errors: RosterError[] = [];
  const problem = (column: RosterColumn | '', message: string) => {
    errors.push({ row: record.line, column, message });
    return errors;
  };
  if (record.quoteProblem) {
    return problem(
      '',
      'This row has a double quote (") out of place, so its cells cannot be read; a cell that contains a quote, comma or line break must be wrapped in quotes, with each quote inside it doubled ("").',
    );
  }
  if (record.cells.length > layout.width) {
    return problem(
      '',
      `This row has ${record.cells.length} cells but the header has ${layout.width} columns; a value that contains a comma must be wrapped in double quotes.`,
    );
  }
  const unnamed = record.cells.findIndex((cell, position) => position >= layout.named && cell.trim() !== '');
  if (unnamed !== -1) {
    return problem('', `This row has a value in column ${unnamed + 1}, which has no name in the header.`);
  }
  const cell = (column: RosterColumn) => (record.cells[layout.index[column]] ?? '').trim();

  const staffId = cell('staffId');
  if (staffId === '') problem('staffId', 'The staff id is missing; every row needs one.');
  else if (staffId.length > MAX_STAFF_ID || !STAFF_ID.test(staffId)) {
    problem(
      'staffId',
      `"${clip(staffId)}" is not a valid staff id: use at most ${MAX_STAFF_ID} letters, digits, dots (.), dashes (-) or underscores (_), with no spaces.`,
    );
  } else {
    const earlier = seen.staffIds.get(staffId);
    if (earlier !== undefined) problem('staffId', `Staff id ${staffId} is already used on row ${earlier}.`);
    else seen.staffIds.set(staffId, record.line);
  }

  const name = cell('name');
  if (name === '') problem('name', 'The name is missing; every row needs one.');
  else if (name.length > MAX_NAME) problem('name', `The name is longer than ${MAX_NAME} characters.`);

  const address = cell('email').toLowerCase();
  if (address !== '') {
    if (address.length > MAX_EMAIL || !email.safeParse(address).success) {
      problem('email', `"${clip(address)}" is not a valid email address; leave the cell blank if there is none.`);
    } else {
      const earlier = seen.emails.get(address);
      if (earlier !== undefined) problem('email', `The email ${address} is already used on row ${earlier}.`);
      else seen.emails.set(address, record.line);
    }
  }

  const school = cell('school');
  if (school.length > MAX_SCHOOL) problem('school', `The school name is longer than ${MAX_SCHOOL} characters.`);

  const role = lookup(cell('role'), jobRoles);
  if (cell('role') === '') problem('role', `The role is missing; use one of the job roles: ${idList(jobRoles)}.`);
  else if (role === null) problem('role', `"${clip(cell('role'))}" is not one of the job roles: ${idList(jobRoles)}.`);

  const optional = (column: RosterColumn, list: Named[], what: string): string | null => {
    const value = cell(column);
    if (value === '') return null;
    const id = lookup(value, list);
    if (id === null) problem(column, `"${clip(value)}" is not one of the ${what}: ${idList(list)}; or leave it blank.`);
    return id;
  };
  const careerStage = optional('careerStage', careerStages, 'career stages');
  const subject = optional('subject', subjects, 'subjects');
  const gradeBand = optional('gradeBand', gradeBands, 'grade bands');

  const coachCell = cell('isCoach').toLowerCase();
  const isCoach = YES.has(coachCell);
  const coachKnown = isCoach || NO.has(coachCell);
  if (!coachKnown) {
    problem('isCoach', `"${clip(cell('isCoach'))}" should be yes or no (or true/false, y/n, 1/0); blank means no.`);
  }

  const focuses = cell('coachFocuses')
    .split(';')
    .map((focus) => focus.trim())
    .filter((focus) => focus !== '');
  const focusIds = focuses.map((focus) => lookup(focus, competencies));
  const unknown = focuses.filter((_, position) => focusIds[position] === null);
  if (focuses.length > 0 && coachKnown && !isCoach) {
    problem('coachFocuses', 'Coach focuses are only for coaches: put yes in isCoach, or leave coachFocuses blank.');
  } else if (unknown.length > 0) {
    problem(
      'coachFocuses',
      `${unknown.map((focus) => `"${clip(focus)}"`).join(', ')} ${unknown.length === 1 ? 'is not a competency' : 'are not competencies'}; use competency ids separated by semicolons (;): ${idList(competencies)}.`,
    );
  }

  if (errors.length > 0 || role === null) return errors;
  return {
    staffId,
    name,
    email: address === '' ? null : address,
    school: school === '' ? null : school,
    role,
    careerStage,
    subject,
    gradeBand,
    isCoach,
    coachFocuses: [...new Set(focusIds.filter((id) => id !== null))],
  };
}

/**
 * Splits the file into records, skipping blank ones, each with the line it starts on.
 * Line endings are made uniform first: the parser guesses one kind per file, and a file
 * edited on two systems can have both.
 */
function readRecords(csv: string): CsvRecord[] {
  const text = csv.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const records: CsvRecord[] = [];
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: ',',
    newline: '\n',
    step: (result) => {
      const end = result.meta.cursor;
      const cells = result.data;
      if (result.errors.length > 0 || cells.some((cell) => cell.trim() !== '')) {
        records.push({ line, cells, quoteProblem: result.errors.length > 0 });
      }
      for (let at = text.indexOf('\n', start); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) line++;
      start = end;
    },
  });
  return records;
}

interface Layout {
  index: { [column in RosterColumn]: number };
  /** Cells in the header row, including blank ones at its end that some spreadsheets write. */
  width: number;
  /** Cells up to the last named column. */
  named: number;
}

/**
 * Columns may come in any order and any letter case; each must be there exactly once. Blank
 * cells after the last column are allowed, since spreadsheets write them for emptied columns.
 */
function readHeader(header: CsvRecord): ({ ok: true } & Layout) | { ok: false; errors: RosterError[] } {
  const row = header.line;
  if (header.quoteProblem) {
    return {
      ok: false,
      errors: [
        {
          row,
          column: '',
          message: `The header row has a double quote (") out of place; it should read: ${headerLine()}.`,
        },
      ],
    };
  }
  const width = header.cells.length;
  const names = header.cells.map((cell) => cell.trim());
  while (names.at(-1) === '') names.pop();
  const errors: RosterError[] = [];
  if (names.length === 1 && /[;\t]/.test(names[0] ?? '')) {
    errors.push({
      row,
      column: '',
      message: `The columns are separated by semicolons or tabs; save the file as CSV with commas: ${headerLine()}.`,
    });
    return { ok: false, errors };
  }
  const index: Partial<{ [column in RosterColumn]: number }> = {};
  for (const [position, name] of names.entries()) {
    const column = ROSTER_COLUMNS.find((known) => known.toLowerCase() === name.toLowerCase());
    if (name === '') {
      errors.push({ row, column: '', message: `Column ${position + 1} of the header has no name; remove it.` });
    } else if (column === undefined) {
      errors.push({
        row,
        column: name,
        message: `"${clip(name)}" is not a roster column; the columns are: ${ROSTER_COLUMNS.join(', ')}.`,
      });
    } else if (index[column] !== undefined) {
      errors.push({ row, column, message: `The column ${column} appears twice in the header.` });
    } else {
      index[column] = position;
    }
  }
  for (const column of ROSTER_COLUMNS) {
    if (index[column] === undefined) {
      errors.push({ row, column, message: `The header has no ${column} column; add it, even if every cell is blank.` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, index: index as { [column in RosterColumn]: number }, width, named: names.length };
}

/** The id of the entry this value names, by id or by label, whatever the letter case. */
function lookup(value: string, list: Named[]): string | null {
  const wanted = value.toLowerCase();
  return list.find((item) => item.id.toLowerCase() === wanted || item.name.toLowerCase() === wanted)?.id ?? null;
}

function idList(list: Named[]): string {
  return list.map((item) => item.id).join(', ');
}

function headerLine(): string {
  return ROSTER_COLUMNS.join(',');
}

/** Keeps a message readable when the offending cell is a whole paragraph. */
function clip(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** At most MAX_REPORTED_ERRORS problems, then one entry saying how many more there are. */
function fail(errors: RosterError[]): RosterResult {
  if (errors.length <= MAX_REPORTED_ERRORS) return { ok: false, errors };
  const rest = errors.length - MAX_REPORTED_ERRORS;
  const first = errors[MAX_REPORTED_ERRORS] as RosterError;
  return {
    ok: false,
    errors: [
      ...errors.slice(0, MAX_REPORTED_ERRORS),
      {
        row: first.row,
        column: '',
        message: `…and ${count(rest)} more ${rest === 1 ? 'problem' : 'problems'} from this row on; fix the ones above and check the file again.`,
      },
    ],
  };
}
