import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { careerStages, competencies, gradeBands, jobRoles, type Named, subjects } from '../../src/domain/framework';
import {
  MAX_REPORTED_ERRORS,
  MAX_ROSTER_ROWS,
  parseRoster,
  ROSTER_COLUMNS,
  type RosterError,
  type RosterRow,
} from '../../src/domain/roster-csv';

const HEADER = ROSTER_COLUMNS.join(',');
const file = (...lines: string[]) => [HEADER, ...lines].join('\n');
/** A valid row; tests change one cell at a time. */
const ANA = 'T1,Ana Diaz,ana@district.example,Maple Elementary,classroom-teacher,early-career,math,elementary,no,';
const ana: RosterRow = {
  staffId: 'T1',
  name: 'Ana Diaz',
  email: 'ana@district.example',
  school: 'Maple Elementary',
  role: 'classroom-teacher',
  careerStage: 'early-career',
  subject: 'math',
  gradeBand: 'elementary',
  isCoach: false,
  coachFocuses: [],
};
/** Ana's row with one column replaced. */
function anaWith(column: (typeof ROSTER_COLUMNS)[number], value: string): string {
  const cells = ANA.split(',');
  cells[ROSTER_COLUMNS.indexOf(column)] = value;
  return cells.join(',');
}

const ROLE_IDS =
  'classroom-teacher, special-education-teacher, specialist-interventionist, instructional-coach, counselor-student-support, librarian-media, paraprofessional, school-administrator, district-staff';
const COMPETENCY_IDS = competencies.map((competency) => competency.id).join(', ');

describe('parseRoster accepts', () => {
  it.each<[string, string, RosterRow[]]>([
    ['a complete row', file(ANA), [ana]],
    [
      'a row with only the required cells',
      file('T2,Ben Okafor,,,paraprofessional,,,,,'),
      [
        {
          staffId: 'T2',
          name: 'Ben Okafor',
          email: null,
          school: null,
          role: 'paraprofessional',
          careerStage: null,
          subject: null,
          gradeBand: null,
          isCoach: false,
          coachFocuses: [],
        },
      ],
    ],
    [
      'labels in any letter case, padded cells and an upper-case email',
      file(
        ' C-7.a_1 , Chen Wei ,CHEN.Wei@District.Example, Ridge Middle School ,INSTRUCTIONAL COACH,Established (4–10 years),Mathematics,MIDDLE,Yes, formative-assessment ;Using data to guide INSTRUCTION;; formative-assessment',
      ),
      [
        {
          staffId: 'C-7.a_1',
          name: 'Chen Wei',
          email: 'chen.wei@district.example',
          school: 'Ridge Middle School',
          role: 'instructional-coach',
          careerStage: 'established',
          subject: 'math',
          gradeBand: 'middle',
          isCoach: true,
          coachFocuses: ['formative-assessment', 'data-driven-instruction'],
        },
      ],
    ],
    [
      'a byte order mark, Windows line endings and trailing blank lines',
      `\uFEFF${HEADER}\r\n${ANA}\r\n\r\n,,,,,,,,,\r\n\r\n`,
      [ana],
    ],
    [
      'columns in another order and letter case',
      `coachFocuses,IsCoach,gradeband,Subject,careerStage,ROLE,school,email,name,staffId\n,no,elementary,math,early-career,classroom-teacher,Maple Elementary,ana@district.example,Ana Diaz,T1`,
      [ana],
    ],
    [
      'quoted cells with commas, doubled quotes and line breaks',
      file(
        `T1,"Diaz, Ana ""Annie""",ana@district.example,"Maple Elementary",classroom-teacher,early-career,math,elementary,no,`,
      ),
      [{ ...ana, name: 'Diaz, Ana "Annie"' }],
    ],
    [
      'a row that stops early (the rest is blank)',
      file('T1,Ana Diaz,,,classroom-teacher'),
      [{ ...ana, email: null, school: null, careerStage: null, subject: null, gradeBand: null }],
    ],
    [
      'blank columns after the last named one, as some spreadsheets write them',
      `${HEADER},,\n${ANA},,\n${ANA.replace('T1', 'T2').replace('ana@', 'ana2@')},`,
      [ana, { ...ana, staffId: 'T2', email: 'ana2@district.example' }],
    ],
    ...(['yes', 'Y', 'TRUE', '1'] as const).map((value): [string, string, RosterRow[]] => [
      `isCoach ${value}`,
      file(anaWith('isCoach', value)),
      [{ ...ana, isCoach: true }],
    ]),
    ...(['no', 'N', 'False', '0', ''] as const).map((value): [string, string, RosterRow[]] => [
      `isCoach "${value}"`,
      file(anaWith('isCoach', value)),
      [ana],
    ]),
    [
      'an apostrophe in an email address',
      file(anaWith('email', "o'brien@district.example")),
      [{ ...ana, email: "o'brien@district.example" }],
    ],
  ])('%s', (_, csv, rows) => {
    expect(parseRoster(csv)).toEqual({ ok: true, rows });
  });
});

describe('parseRoster refuses', () => {
  it.each<[string, string, RosterError[]]>([
    ['an empty file', '', [{ row: 1, column: '', message: `The file is empty: it needs a header row (${HEADER}).` }]],
    [
      'a file of blank lines',
      '\uFEFF\n \r\n\n',
      [{ row: 1, column: '', message: `The file is empty: it needs a header row (${HEADER}).` }],
    ],
    [
      'a header without staff',
      `${HEADER}\n\n`,
      [{ row: 1, column: '', message: 'The file has a header but no staff: add one row per staff member.' }],
    ],
    [
      'a missing column and an unknown one',
      `${HEADER.replace('gradeBand', 'phone')}\n${ANA}`,
      [
        {
          row: 1,
          column: 'phone',
          message: `"phone" is not a roster column; the columns are: staffId, name, email, school, role, careerStage, subject, gradeBand, isCoach, coachFocuses.`,
        },
        {
          row: 1,
          column: 'gradeBand',
          message: 'The header has no gradeBand column; add it, even if every cell is blank.',
        },
      ],
    ],
    [
      'a column named twice and a nameless one',
      `${HEADER.replace('name,', 'name,,')},email\n${ANA}`,
      [
        { row: 1, column: '', message: 'Column 3 of the header has no name; remove it.' },
        { row: 1, column: 'email', message: 'The column email appears twice in the header.' },
      ],
    ],
    [
      'a file separated by semicolons',
      ROSTER_COLUMNS.join(';'),
      [
        {
          row: 1,
          column: '',
          message: `The columns are separated by semicolons or tabs; save the file as CSV with commas: ${HEADER}.`,
        },
      ],
    ],
    [
      'a missing staff id',
      file(anaWith('staffId', ' ')),
      [{ row: 2, column: 'staffId', message: 'The staff id is missing; every row needs one.' }],
    ],
    [
      'a staff id with a space',
      file(anaWith('staffId', 'T 1')),
      [
        {
          row: 2,
          column: 'staffId',
          message:
            '"T 1" is not a valid staff id: use at most 64 letters, digits, dots (.), dashes (-) or underscores (_), with no spaces.',
        },
      ],
    ],
    [
      'a staff id of 65 characters',
      file(anaWith('staffId', 'x'.repeat(65))),
      [
        {
          row: 2,
          column: 'staffId',
          message: `"${'x'.repeat(57)}…" is not a valid staff id: use at most 64 letters, digits, dots (.), dashes (-) or underscores (_), with no spaces.`,
        },
      ],
    ],
    [
      'a staff id used twice',
      file(ANA, 'T2,Ben Okafor,,,paraprofessional,,,,,', anaWith('email', '')),
      [{ row: 4, column: 'staffId', message: 'Staff id T1 is already used on row 2.' }],
    ],
    [
      'a missing name',
      file(anaWith('name', '')),
      [{ row: 2, column: 'name', message: 'The name is missing; every row needs one.' }],
    ],
    [
      'a name of 201 characters',
      file(anaWith('name', 'n'.repeat(201))),
      [{ row: 2, column: 'name', message: 'The name is longer than 200 characters.' }],
    ],
    [
      'a malformed email',
      file(anaWith('email', 'ana.district.example')),
      [
        {
          row: 2,
          column: 'email',
          message: '"ana.district.example" is not a valid email address; leave the cell blank if there is none.',
        },
      ],
    ],
    [
      'an email used twice, in another letter case',
      file(ANA, 'T2,Ana Two,Ana@District.Example,,paraprofessional,,,,,'),
      [{ row: 3, column: 'email', message: 'The email ana@district.example is already used on row 2.' }],
    ],
    [
      'a school name of 201 characters',
      file(anaWith('school', 's'.repeat(201))),
      [{ row: 2, column: 'school', message: 'The school name is longer than 200 characters.' }],
    ],
    [
      'a missing role',
      file(anaWith('role', '')),
      [{ row: 2, column: 'role', message: `The role is missing; use one of the job roles: ${ROLE_IDS}.` }],
    ],
    [
      'an unknown role',
      file(anaWith('role', 'Teacher')),
      [{ row: 2, column: 'role', message: `"Teacher" is not one of the job roles: ${ROLE_IDS}.` }],
    ],
    [
      'an unknown career stage, subject and grade band',
      file('T1,Ana Diaz,,,classroom-teacher,novice,maths,k-2,,'),
      [
        {
          row: 2,
          column: 'careerStage',
          message:
            '"novice" is not one of the career stages: aspiring-teacher, early-career, established, veteran, teacher-leader, aspiring-administrator, administrator; or leave it blank.',
        },
        {
          row: 2,
          column: 'subject',
          message:
            '"maths" is not one of the subjects: ela, math, science, social-studies, world-languages, arts, physical-education-health, career-technical, special-education, english-language-development, multiple-subjects, not-applicable; or leave it blank.',
        },
        {
          row: 2,
          column: 'gradeBand',
          message:
            '"k-2" is not one of the grade bands: early-childhood, elementary, middle, high, all-grades; or leave it blank.',
        },
      ],
    ],
    [
      'an isCoach that is not yes or no',
      file(anaWith('isCoach', 'sometimes')),
      [
        {
          row: 2,
          column: 'isCoach',
          message: '"sometimes" should be yes or no (or true/false, y/n, 1/0); blank means no.',
        },
      ],
    ],
    [
      'coach focuses for someone who is not a coach',
      file(anaWith('coachFocuses', 'formative-assessment')),
      [
        {
          row: 2,
          column: 'coachFocuses',
          message: 'Coach focuses are only for coaches: put yes in isCoach, or leave coachFocuses blank.',
        },
      ],
    ],
    [
      'unknown coach focuses',
      file(`${anaWith('isCoach', 'yes').replace(/,$/, ',formative-assessment;reading;phonics')}`),
      [
        {
          row: 2,
          column: 'coachFocuses',
          message: `"reading", "phonics" are not competencies; use competency ids separated by semicolons (;): ${COMPETENCY_IDS}.`,
        },
      ],
    ],
    [
      'a row with an unquoted comma',
      file(anaWith('name', 'Diaz, Ana')),
      [
        {
          row: 2,
          column: '',
          message:
            'This row has 11 cells but the header has 10 columns; a value that contains a comma must be wrapped in double quotes.',
        },
      ],
    ],
    [
      'a value under a column the header does not name',
      `${HEADER},\n${ANA},note`,
      [{ row: 2, column: '', message: 'This row has a value in column 11, which has no name in the header.' }],
    ],
    [
      'a quote that is never closed',
      file(ANA.replace('T1', 'T0'), anaWith('name', '"Ana Diaz'), 'T3,Cleo,,,paraprofessional,,,,,'),
      [
        {
          row: 3,
          column: '',
          message:
            'This row has a double quote (") out of place, so its cells cannot be read; a cell that contains a quote, comma or line break must be wrapped in quotes, with each quote inside it doubled ("").',
        },
      ],
    ],
    [
      'problems after a cell that spans lines, on the line a spreadsheet shows',
      file(
        `T1,"Ana\nDiaz",,,"classroom\nteacher",,,,,`,
        '',
        'T2,Ben Okafor,,,paraprofessional,,,,,',
        'T2,Ben Again,,,paraprofessional,,,,,',
      ),
      [
        { row: 2, column: 'role', message: `"classroom\nteacher" is not one of the job roles: ${ROLE_IDS}.` },
        { row: 7, column: 'staffId', message: 'Staff id T2 is already used on row 6.' },
      ],
    ],
    [
      'every problem of a row, in column order',
      file(',,not-an-email,,,,,,maybe,x'),
      [
        { row: 2, column: 'staffId', message: 'The staff id is missing; every row needs one.' },
        { row: 2, column: 'name', message: 'The name is missing; every row needs one.' },
        {
          row: 2,
          column: 'email',
          message: '"not-an-email" is not a valid email address; leave the cell blank if there is none.',
        },
        { row: 2, column: 'role', message: `The role is missing; use one of the job roles: ${ROLE_IDS}.` },
        {
          row: 2,
          column: 'isCoach',
          message: '"maybe" should be yes or no (or true/false, y/n, 1/0); blank means no.',
        },
        {
          row: 2,
          column: 'coachFocuses',
          message: `"x" is not a competency; use competency ids separated by semicolons (;): ${COMPETENCY_IDS}.`,
        },
      ],
    ],
  ])('%s', (_, csv, errors) => {
    expect(parseRoster(csv)).toEqual({ ok: false, errors });
  });

  it(`more than ${MAX_ROSTER_ROWS.toLocaleString('en-US')} staff rows, in one sentence`, () => {
    const rows = Array.from({ length: MAX_ROSTER_ROWS + 1 }, (_, i) => `T${i},Person ${i},,,paraprofessional,,,,,`);
    expect(parseRoster(file(...rows))).toEqual({
      ok: false,
      errors: [
        {
          row: MAX_ROSTER_ROWS + 2,
          column: '',
          message:
            'The file has 20,001 staff rows, more than the 20,000 one import can take; split it into smaller files.',
        },
      ],
    });
  });

  it(`reports the first ${MAX_REPORTED_ERRORS} problems and how many more there are`, () => {
    const rows = Array.from({ length: 250 }, (_, i) => `T${i},,,,paraprofessional,,,,,`);
    const result = parseRoster(file(...rows));
    if (result.ok) throw new Error('expected problems');
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(result.errors[0]).toEqual({ row: 2, column: 'name', message: 'The name is missing; every row needs one.' });
    expect(result.errors.at(-1)).toEqual({
      row: 202,
      column: '',
      message: '…and 50 more problems from this row on; fix the ones above and check the file again.',
    });
  });

  it('20,000 rows in well under a second', () => {
    const rows = Array.from(
      { length: MAX_ROSTER_ROWS },
      (_, i) =>
        `T${i},Person ${i},p${i}@district.example,School ${i % 12},classroom-teacher,veteran,math,high,yes,ai-literacy`,
    );
    const started = performance.now();
    const result = parseRoster(file(...rows));
    expect(result.ok && result.rows.length).toBe(MAX_ROSTER_ROWS);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

/** A valid roster row, and how a district might have spelled its cells. */
const spelled = (list: Named[]) =>
  fc.tuple(fc.constantFrom(...list), fc.constantFrom('id', 'label', 'LABEL', 'Id')).map(([item, how]) => ({
    id: item.id,
    cell:
      how === 'id'
        ? item.id
        : how === 'Id'
          ? item.id.toUpperCase()
          : how === 'label'
            ? item.name
            : item.name.toUpperCase(),
  }));
const optionalSpelled = (list: Named[]) => fc.option(spelled(list), { nil: null });
/** Text with the characters that need quoting in CSV, trimmed and non-blank as the parser leaves it. */
const text = (maxLength: number) =>
  fc
    .string({ unit: fc.constantFrom('a', 'Z', 'é', '李', ' ', ',', '"', ';', "'", '\n', '-'), minLength: 1, maxLength })
    .map((value) => value.trim())
    .filter((value) => value !== '');

const generatedRow = fc.record({
  staffId: fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/),
  name: text(200),
  emailLocal: fc.option(fc.constantFrom('ana', "o'brien", 'Chen.Wei', 'x+pd'), { nil: null }),
  school: fc.option(text(200), { nil: null }),
  role: spelled(jobRoles),
  careerStage: optionalSpelled(careerStages),
  subject: optionalSpelled(subjects),
  gradeBand: optionalSpelled(gradeBands),
  coach: fc.option(fc.uniqueArray(fc.constantFrom(...competencies.map((c) => c.id)), { maxLength: 4 }), {
    nil: null,
  }),
  isCoachCell: fc.constantFrom('yes', 'TRUE', 'y', '1', 'Yes'),
  notCoachCell: fc.constantFrom('no', 'false', 'N', '0', ''),
});

const generatedRoster = fc
  .tuple(
    fc.uniqueArray(generatedRow, { minLength: 1, maxLength: 30, selector: (row) => row.staffId }),
    fc.shuffledSubarray([...ROSTER_COLUMNS], { minLength: ROSTER_COLUMNS.length }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([generated, columns, newline, bom]) => {
    const rows: RosterRow[] = [];
    const cells: Record<string, string>[] = [];
    for (const [index, row] of generated.entries()) {
      const email = row.emailLocal === null ? null : `${row.emailLocal}${index}@district.example`;
      rows.push({
        staffId: row.staffId,
        name: row.name,
        email: email?.toLowerCase() ?? null,
        school: row.school,
        role: row.role.id,
        careerStage: row.careerStage?.id ?? null,
        subject: row.subject?.id ?? null,
        gradeBand: row.gradeBand?.id ?? null,
        isCoach: row.coach !== null,
        coachFocuses: row.coach ?? [],
      });
      cells.push({
        staffId: row.staffId,
        name: row.name,
        email: email ?? '',
        school: row.school ?? '',
        role: row.role.cell,
        careerStage: row.careerStage?.cell ?? '',
        subject: row.subject?.cell ?? '',
        gradeBand: row.gradeBand?.cell ?? '',
        isCoach: row.coach === null ? row.notCoachCell : row.isCoachCell,
        coachFocuses: (row.coach ?? []).join(';'),
      });
    }
    return { rows, cells, columns, newline, bom };
  });

function unparse(cells: Record<string, string>[], columns: string[], newline: string, bom: boolean): string {
  return (
    (bom ? '\uFEFF' : '') +
    Papa.unparse({ fields: columns, data: cells.map((row) => columns.map((c) => row[c])) }, { newline })
  );
}

describe('parseRoster properties', () => {
  it('reads back any valid roster written by a CSV writer, whatever the column order', () => {
    fc.assert(
      fc.property(generatedRoster, ({ rows, cells, columns, newline, bom }) => {
        expect(parseRoster(unparse(cells, columns, newline, bom))).toEqual({ ok: true, rows });
        expect(parseRoster(unparse(cells, [...ROSTER_COLUMNS], '\n', false))).toEqual({ ok: true, rows });
      }),
      { numRuns: 200 },
    );
  });

  it('answers any input with rows or located problems, never an exception', () => {
    const csvish = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', ';', '1', ...ROSTER_COLUMNS) });
    fc.assert(
      fc.property(
        fc.oneof(
          csvish,
          csvish.map((body) => `${HEADER}\n${body}`),
        ),
        (csv) => {
          const result = parseRoster(csv);
          if (result.ok) return;
          const lines = csv.split(/\r\n?|\n/).length;
          expect(result.errors.length).toBeGreaterThan(0);
          expect(result.errors.length).toBeLessThanOrEqual(MAX_REPORTED_ERRORS + 1);
          for (const error of result.errors) {
            expect(error.row).toBeGreaterThanOrEqual(1);
            expect(error.row).toBeLessThanOrEqual(lines);
            expect(error.message).toMatch(/[.]$/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
