/**
 * What the pilot group routes answer, as the OpenAPI document states it. A person's fit is
 * sent as a level (`FitLevel`), never as ratings or a number; whatever describes one person
 * is a strict object, so a figure added to it is a drift the contract test catches.
 */
import { z } from 'zod';
import { GAP_LEVELS } from '../domain/pilot-groups';

const size = z.number().int();

/** A coach's part in one group: how many of its members they support (at most coachCapacity over all groups). */
export const coachShare = z.strictObject({ staffId: z.string(), supports: size.min(1) });

export const fitLevel = z.strictObject({ gap: z.enum(GAP_LEVELS), interested: z.boolean() }).meta({ id: 'FitLevel' });

export const pilotProposal = z
  .object({
    campaignId: z.string(),
    options: z.object({
      focuses: z.array(z.string()),
      minSize: size,
      maxSize: size,
      maxPerSchool: size,
      coachCapacity: size,
    }),
    groups: z.array(
      z.object({
        competencyId: z.string(),
        name: z.string(),
        members: z.array(
          z.strictObject({
            staffId: z.string(),
            name: z.string(),
            schoolId: z.string().nullable(),
            school: z.string(),
            level: fitLevel,
            reason: z.string(),
          }),
        ),
        champion: z.string().nullable(),
        championReason: z.string(),
        /** Most members first; [] when no coach could be found, and coachReason says why. */
        coaches: z.array(coachShare.extend({ name: z.string() })),
        /** How many members each coach supports, and why any member has none. */
        coachReason: z.string(),
      }),
    ),
    notFormed: z.array(z.object({ competencyId: z.string(), reason: z.string(), name: z.string() })),
    unassigned: z.array(
      z.strictObject({ staffId: z.string(), name: z.string(), school: z.string(), reason: z.string() }),
    ),
    candidates: z.array(
      z.strictObject({
        staffId: z.string(),
        name: z.string(),
        schoolId: z.string().nullable(),
        school: z.string(),
        /** Per chosen focus. */
        levels: z.record(z.string(), fitLevel),
        aspiringLeader: z.boolean(),
        influencer: z.boolean(),
      }),
    ),
    coaches: z.array(
      z.object({
        staffId: z.string(),
        name: z.string(),
        focuses: z.array(z.string()),
        schoolId: z.string().nullable(),
        school: z.string(),
      }),
    ),
    optimal: z.literal(true),
    /** The solver's time; 0 on Cloudflare, where the clock stands still between I/O. */
    solveMs: z.number().min(0),
  })
  .meta({ id: 'PilotProposal' });

const person = z.object({
  staffId: z.string(),
  name: z.string(),
  school: z.string().nullable(),
  email: z.string().nullable(),
});

export const confirmedGroups = z
  .object({
    items: z.array(
      z.object({
        competencyId: z.string(),
        name: z.string(),
        members: z.array(person),
        champion: person.nullable(),
        coaches: z.array(person.extend({ supports: size.min(1) })),
        confirmedAt: z.string(),
        confirmedBy: z.string(),
      }),
    ),
  })
  .meta({ id: 'ConfirmedPilotGroups' });
