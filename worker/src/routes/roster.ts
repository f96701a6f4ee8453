import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import { type AppEnv, currentAccount } from '../auth/session';
import { actorOf, auditStatement, recordAudit } from '../db/audit';
import {
  listStaff,
  listStoredSchools,
  listStoredStaff,
  retireStaffStatements,
  schoolStatusStatements,
  upsertSchoolsStatements,
  upsertStaffStatements,
} from '../db/roster';
import { parseRoster } from '../domain/roster-csv';
import { planRosterImport } from '../domain/roster-import';
import { ApiError } from '../errors';
import { jsonBody, valid } from '../http';
import { documented } from '../openapi';
import { rosterImported, rosterPreview, staffList } from '../schemas/roster';

/** A district of 20,000 staff is about 2 MB of CSV; twice that leaves room. */
const MAX_ROSTER_BYTES = 4 * 1024 * 1024;
const rosterFile = z.strictObject({
  csv: z.string().min(1, 'is empty'),
  /** Retire the staff on the roster whom the file does not list (the preview names them). */
  retireMissing: z.boolean().optional(),
});

/** How many of the staff a file leaves out the preview names; the count is always given. */
const MISSING_NAMED = 20;

/** Parses and plans an import; a file with any invalid row is refused whole. */
async function plan(db: D1Database, csv: string) {
  const parsed = parseRoster(csv);
  if (!parsed.ok) {
    const [first] = parsed.errors;
    const where = first ? `row ${first.row}${first.column ? ` (${first.column})` : ''}` : 'a row';
    throw new ApiError(
      422,
      'ROSTER_INVALID',
      `The roster has ${parsed.errors.length === 1 ? 'a problem' : 'problems'}, first on ${where}: ${first?.message ?? ''} Nothing was imported.`,
      undefined,
      { rows: parsed.errors },
    );
  }
  const [schools, staff] = await Promise.all([listStoredSchools(db), listStoredStaff(db)]);
  return planRosterImport(parsed.rows, schools, staff);
}

/** The staff roster: admins import it (checked row by row, all or nothing) and read it. */
export const roster = new Hono<AppEnv>()
  .get(
    '/',
    allow('admin'),
    documented({
      summary: 'Read the staff roster',
      description: 'Every read is recorded in the audit log.',
      tags: ['roster'],
      responses: { 200: { schema: staffList } },
    }),
    async (c) => {
      const items = await listStaff(c.env.DB);
      const actor = currentAccount(c);
      await recordAudit(c.env.DB, {
        ...actorOf(actor),
        action: 'roster.view',
        detail: { staff: items.length },
      });
      return c.json({ items } satisfies z.input<typeof staffList>);
    },
  )
  .post(
    '/preview',
    allow('admin'),
    documented({
      summary: 'Check a roster file without importing it',
      description:
        'Says what importing the CSV would change, and who on the roster the file does not list (the staff `retireMissing` would retire); a file with any invalid row is refused, its problems listed row by row.',
      tags: ['roster'],
      responses: { 200: { schema: rosterPreview } },
    }),
    jsonBody(MAX_ROSTER_BYTES),
    valid('json', rosterFile),
    async (c) => {
      const { newSchools, staff, missing, missingSchools, counts } = await plan(c.env.DB, c.req.valid('json').csv);
      return c.json({
        valid: true as const,
        rows: staff.length,
        schools: {
          new: newSchools.map((school) => school.name),
          existing: counts.schoolsExisting,
          missing: missingSchools.map((school) => school.name),
        },
        staff: {
          new: counts.staffNew,
          updated: counts.staffUpdated,
          unchanged: counts.staffUnchanged,
          returning: counts.staffReturning,
        },
        missing: {
          count: missing.length,
          names: missing
            .map((member) => member.name)
            .sort((a, b) => a.localeCompare(b, 'en'))
            .slice(0, MISSING_NAMED),
        },
      } satisfies z.input<typeof rosterPreview>);
    },
  )
  .post(
    '/',
    allow('admin'),
    documented({
      summary: 'Import a roster file',
      description:
        'Adds new staff and schools and updates changed staff, matched by staff id; with `retireMissing`, retires the staff and the schools the file does not list (kept with their answers, offered nowhere; their unused personal links stop working). A file with any invalid row imports nothing.',
      tags: ['roster'],
      responses: { 200: { schema: rosterImported } },
    }),
    jsonBody(MAX_ROSTER_BYTES),
    valid('json', rosterFile),
    async (c) => {
      const db = c.env.DB;
      const { csv, retireMissing = false } = c.req.valid('json');
      const { newSchools, staff, missing, missingSchools, listedSchools, counts } = await plan(db, csv);
      const actor = currentAccount(c);
      const retired = retireMissing ? missing.map((member) => member.staffId) : [];
      const retiredSchools = retireMissing ? missingSchools.map((school) => school.id) : [];
      const at = new Date().toISOString();
      const summary = {
        schools: { created: newSchools.length, retired: retiredSchools.length },
        staff: {
          created: counts.staffNew,
          updated: counts.staffUpdated,
          unchanged: counts.staffUnchanged,
          returning: counts.staffReturning,
          retired: retired.length,
        },
      };
      await db.batch([
        ...upsertSchoolsStatements(db, newSchools),
        ...upsertStaffStatements(db, staff),
        ...retireStaffStatements(db, retired, at),
        ...schoolStatusStatements(db, { listed: listedSchools, retired: retiredSchools }, at),
        auditStatement(db, { ...actorOf(actor), action: 'roster.import', detail: summary }),
      ]);
      return c.json(summary satisfies z.input<typeof rosterImported>);
    },
  );
