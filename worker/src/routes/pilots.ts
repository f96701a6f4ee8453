import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import { type AppEnv, currentAccount } from '../auth/session';
import { publishedAggregates } from '../db/aggregates';
import { actorOf, auditStatement, recordAudit } from '../db/audit';
import {
  publishedRespondents,
  readIdentifiedRespondents,
  readPilotGroups,
  readRosterPeople,
  replacePilotGroupsStatements,
  requireIdentifiedCampaign,
} from '../db/pilots';
import { DEFAULT_FOCUS_COUNT, topFocuses } from '../domain/focuses';
import { competencies, idsOf } from '../domain/framework';
import type { RosterPerson } from '../domain/leaders';
import {
  checkConfirmation,
  confirmedGroups,
  MAX_FOCUSES,
  PILOT_DEFAULTS,
  PILOT_GROUP_COLUMNS,
  PILOT_SIZE_MAX,
  type PilotOptions,
  pilotCandidates,
  pilotGroupRows,
  pilotProposal,
  planPilotGroups,
} from '../domain/pilot-groups';
import { ApiError } from '../errors';
import { csv, jsonBody, valid } from '../http';
import { documented } from '../openapi';
import * as schema from '../schemas/pilots';

const competencyIds = idsOf(competencies);

const size = z.number().int().min(1, 'must be at least 1').max(PILOT_SIZE_MAX, `must be at most ${PILOT_SIZE_MAX}`);
const focusId = z.string().refine((id) => competencyIds.has(id), 'is not a competency of the framework');
const options = z
  .strictObject({
    focuses: z
      .array(focusId)
      .min(1, 'choose at least one focus')
      .max(MAX_FOCUSES, `choose at most ${MAX_FOCUSES} focuses`)
      .optional(),
    minSize: size.default(PILOT_DEFAULTS.minSize),
    maxSize: size.default(PILOT_DEFAULTS.maxSize),
    maxPerSchool: size.default(PILOT_DEFAULTS.maxPerSchool),
    coachCapacity: size.default(PILOT_DEFAULTS.coachCapacity),
  })
  .refine((o) => o.minSize <= o.maxSize, { path: ['minSize'], message: 'must not be above maxSize' })
  .refine((o) => !o.focuses || new Set(o.focuses).size === o.focuses.length, {
    path: ['focuses'],
    message: 'lists a focus twice',
  });

const confirmation = z.strictObject({
  options: z.strictObject({ minSize: size, maxSize: size, maxPerSchool: size, coachCapacity: size }),
  groups: z
    .array(
      z.strictObject({
        competencyId: focusId,
        members: z.array(z.string().max(64)).max(PILOT_SIZE_MAX),
        champion: z.string().max(64).nullable(),
        /** Each coach and how many members they support; checkConfirmation holds them to coachCapacity. */
        coaches: z.array(z.strictObject({ staffId: z.string().max(64), supports: size })).max(PILOT_SIZE_MAX),
      }),
    )
    .min(1, 'confirm at least one group')
    .max(MAX_FOCUSES),
});

/** The campaign's confirmed groups, everyone named. */
async function readConfirmedGroups(db: D1Database, campaignId: string) {
  const [rows, roster] = await Promise.all([readPilotGroups(db, campaignId), readRosterPeople(db)]);
  return confirmedGroups(rows, roster);
}

/**
 * Pilot groups, for directors and admins: they name people, so each read is recorded as a
 * view of identified data.
 */
/** Respondents still on the roster: a retired person joins no pilot group. */
function onRoster<T extends { staffId: string }>(respondents: T[], roster: RosterPerson[]): T[] {
  const current = new Set(roster.map((person) => person.staffId));
  return respondents.filter((respondent) => current.has(respondent.staffId));
}

export const pilots = new Hono<AppEnv>()
  .post(
    '/:id/pilot-groups/proposal',
    allow('director', 'admin'),
    documented({
      summary: 'Propose pilot groups: the proven best fit, with champions, coaches and reasons',
      description: `The focuses default to the top ${DEFAULT_FOCUS_COUNT} of the ranked list. Identified campaigns only.`,
      tags: ['pilots'],
      responses: { 200: { schema: schema.pilotProposal } },
    }),
    jsonBody(8 * 1024),
    valid('json', options),
    async (c) => {
      const db = c.env.DB;
      const input = c.req.valid('json');
      const campaign = await requireIdentifiedCampaign(db, c.req.param('id'));
      // The default focuses are the ranked list's top ones, from the published figures as every table reads them.
      const focuses =
        input.focuses ?? topFocuses(campaign, await publishedAggregates(db, campaign), DEFAULT_FOCUS_COUNT);
      if (focuses.length === 0) {
        throw new ApiError(
          409,
          'NO_FOCUSES',
          'Too few people rated any focus to choose one; pick the focuses yourself.',
        );
      }
      const [published, roster] = await Promise.all([
        publishedRespondents(db, campaign),
        readRosterPeople(db, { current: true }),
      ]);
      const respondents = onRoster(published, roster);
      const candidates = pilotCandidates(respondents, focuses);
      const solverOptions: PilotOptions = {
        focuses,
        minSize: input.minSize,
        maxSize: input.maxSize,
        maxPerSchool: input.maxPerSchool,
      };
      // On Cloudflare the clock stands still between I/O, so solveMs reads 0 there; it is real
      // under wrangler dev. bench/pilot.ts measures the solver itself.
      const started = performance.now();
      const plan = planPilotGroups(candidates, solverOptions);
      const solveMs = performance.now() - started;
      const actor = currentAccount(c);
      await recordAudit(db, {
        ...actorOf(actor),
        action: 'pilot_groups.propose',
        target: campaign.id,
        detail: { focuses, candidates: candidates.length },
      });
      const proposal = pilotProposal({
        campaignId: campaign.id,
        options: { ...solverOptions, coachCapacity: input.coachCapacity },
        plan,
        candidates,
        respondents,
        roster,
      });
      return c.json({
        ...proposal,
        solveMs: Math.round(solveMs * 10) / 10,
      } satisfies z.input<typeof schema.pilotProposal>);
    },
  )
  .post(
    '/:id/pilot-groups',
    allow('director', 'admin'),
    documented({
      summary: 'Confirm pilot groups, replacing any confirmed before',
      description:
        'A plan that breaks a rule (a size, a school share, a champion outside the group, a coach not rostered for the focus, in a group, or supporting more than coachCapacity teachers over all groups) is refused as PILOT_CONSTRAINTS with every rule it breaks.',
      tags: ['pilots'],
      responses: { 201: { schema: schema.confirmedGroups } },
    }),
    jsonBody(64 * 1024),
    valid('json', confirmation),
    async (c) => {
      const db = c.env.DB;
      const input = c.req.valid('json');
      const campaign = await requireIdentifiedCampaign(db, c.req.param('id'));
      const [identified, roster] = await Promise.all([
        readIdentifiedRespondents(db, campaign.id),
        readRosterPeople(db, { current: true }),
      ]);
      const violations = checkConfirmation(input, onRoster(identified, roster), roster);
      if (violations.length > 0) {
        throw new ApiError(422, 'PILOT_CONSTRAINTS', `${violations[0]} Nothing was saved.`, undefined, { violations });
      }
      const actor = currentAccount(c);
      await db.batch([
        ...replacePilotGroupsStatements(db, campaign.id, input.groups, {
          at: new Date().toISOString(),
          by: actor.email,
        }),
        auditStatement(db, {
          ...actorOf(actor),
          action: 'pilot_groups.confirm',
          target: campaign.id,
          detail: { groups: input.groups.map((g) => ({ focus: g.competencyId, members: g.members.length })) },
        }),
      ]);
      return c.json(
        { items: await readConfirmedGroups(db, campaign.id) } satisfies z.input<typeof schema.confirmedGroups>,
        201,
      );
    },
  )
  .get(
    '/:id/pilot-groups',
    allow('director', 'admin'),
    documented({
      summary: 'The confirmed pilot groups',
      description: `With \`format=csv\`, for scheduling: a CSV with one row per person and role whose header row is ${PILOT_GROUP_COLUMNS.join(',')}.`,
      tags: ['pilots'],
      responses: { 200: { schema: schema.confirmedGroups, also: [{ media: 'csv', columns: PILOT_GROUP_COLUMNS }] } },
    }),
    valid('query', z.object({ format: z.enum(['json', 'csv']).default('json') })),
    async (c) => {
      const db = c.env.DB;
      const campaign = await requireIdentifiedCampaign(db, c.req.param('id'));
      const items = await readConfirmedGroups(db, campaign.id);
      const actor = currentAccount(c);
      const csvWanted = c.req.valid('query').format === 'csv';
      await recordAudit(db, {
        ...actorOf(actor),
        action: csvWanted ? 'pilot_groups.export' : 'pilot_groups.view',
        target: campaign.id,
      });
      if (!csvWanted) return c.json({ items } satisfies z.input<typeof schema.confirmedGroups>);
      return csv(`pilot-groups-${campaign.id}.csv`, [...PILOT_GROUP_COLUMNS], pilotGroupRows(items));
    },
  );
