/** What the roster routes answer, as the OpenAPI document states it. */
import { z } from 'zod';

export const staffMember = z
  .object({
    staffId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    schoolId: z.string().nullable(),
    role: z.string(),
    careerStage: z.string().nullable(),
    subject: z.string().nullable(),
    gradeBand: z.string().nullable(),
    isCoach: z.boolean(),
    coachFocuses: z.array(z.string()),
  })
  .meta({ id: 'StaffMember' });

export const staffList = z.object({ items: z.array(staffMember) });

const staffCounts = {
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Retired staff the file lists again: staff again. */
  returning: z.number().int(),
};

export const rosterPreview = z.object({
  valid: z.literal(true),
  rows: z.number().int(),
  /** Schools the file names for the first time, how many it names that exist, and the district's schools it does not name. */
  schools: z.object({ new: z.array(z.string()), existing: z.number().int(), missing: z.array(z.string()) }),
  staff: z.object({ new: z.number().int(), ...staffCounts }),
  /** Staff on the roster the file does not list: how many, and the first names in alphabetical order. */
  missing: z.object({ count: z.number().int(), names: z.array(z.string()) }),
});

export const rosterImported = z.object({
  schools: z.object({ created: z.number().int(), retired: z.number().int() }),
  staff: z.object({ created: z.number().int(), ...staffCounts, retired: z.number().int() }),
});
