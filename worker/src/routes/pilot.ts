import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import { type AppEnv, currentAccount } from '../auth/session';
import { publishPending } from '../db/aggregates';
import { actorOf, auditStatement, recordAudit } from '../db/audit';
import { requireCampaign } from '../db/campaigns';
import {
  type IdentifiedRespondent,
  readIdentifiedRespondents,
  readPilotGroups,
  readRosterPeople,
  replacePilotGroupsStatements,
} from '../db/pilot';
import type { Campaign } from '../domain/campaign';
import { careerStages, competencies, leadershipRoles } from '../domain/framework';
import { aspiringLeaders, type LeaderRespondent, leadershipPipeline, peerInfluencers } from '../domain/leaders';
import {
  checkPilotPlan,
  type FitLevel,
  fitFor,
  fitLevel,
  levelRank,
  levelText,
  type PilotCandidate,
  type PilotOptions,
  type PilotPlan,
  planPilotGroups,
} from '../domain/pilot-groups';
import { assignCoaches, chooseChampion } from '../domain/pilot-roles';
import { ApiError } from '../errors';
import { csv, jsonBody, valid } from '../http';
import { publishedAggregates, topFocuses } from './insights';

const competencyName = new Map(competencies.map((c) => [c.id, c.name]));
const stageName = new Map(careerStages.map((s) => [s.id, s.name]));
const roleName = new Map(leadershipRoles.map((r) => [r.id, r.name]));
const focusName = (id: string) => competencyName.get(id) ?? id;

const size = z.number().int().min(1, 'must be at least 1').max(50, 'must be at most 50');
const focusId = z.string().refine((id) => competencyName.has(id), 'is not a competency of the framework');
const options = z
  .strictObject({
    focuses: z.array(focusId).min(1, 'choose at least one focus').max(8, 'choose at most 8 focuses').optional(),
    minSize: size.default(6),
    maxSize: size.default(10),
    maxPerSchool: size.default(3),
    coachCapacity: size.default(8),
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
        members: z.array(z.string().max(64)).max(50),
        champion: z.string().max(64).nullable(),
        coach: z.string().max(64).nullable(),
      }),
    )
    .min(1, 'confirm at least one group')
    .max(8),
});

async function requireIdentified(db: D1Database, id: string): Promise<Campaign> {
  const campaign = await requireCampaign(db, id);
  if (campaign.mode !== 'identified') {
    throw new ApiError(
      409,
      'ANONYMOUS_CAMPAIGN',
      'This campaign is anonymous: nobody can be invited to a pilot or named as a leader from it.',
    );
  }
  return campaign;
}

/** Respondents who agreed both to pilot and to be contacted. */
const willing = (respondents: IdentifiedRespondent[]) =>
  respondents.filter((r) => r.answers.pilotWilling === true && r.answers.contactConsent === true);

const interestedIn = (r: IdentifiedRespondent, focus: string) => r.answers.interests?.includes(focus) ?? false;

/** The candidates with their exact fit for each focus: what the solver and the checker read, never sent out. */
function pilotCandidates(respondents: IdentifiedRespondent[], focuses: string[]): PilotCandidate[] {
  return willing(respondents).map((r) => ({
    staffId: r.staffId,
    school: r.schoolId,
    fits: Object.fromEntries(
      focuses.map((focus) => [focus, fitFor(r.answers.ratings?.[focus], interestedIn(r, focus))]),
    ),
  }));
}

/** What a director is shown instead of a fit: its level per focus (domain/pilot-groups.ts gives the thresholds). */
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

/**
 * The leaders view counts people (nominations per colleague, the pipeline per school ×
 * career stage), so it reads the published responses only, after a publication step: a
 * sixth answer does not move a count until it joins the figures with k others.
 */
async function leadersView(db: D1Database, campaign: Campaign) {
  await publishPending(db, campaign);
  const [respondents, roster] = await Promise.all([
    readIdentifiedRespondents(db, campaign.id, { publishedOnly: true }),
    readRosterPeople(db),
  ]);
  const person = new Map(roster.map((p) => [p.staffId, p]));
  const asLeaders: LeaderRespondent[] = respondents.map((r) => ({
    staffId: r.staffId,
    schoolId: r.schoolId,
    careerStage: r.careerStage,
    leadershipInterest: r.answers.leadershipInterest ?? [],
    selfNominate: r.answers.selfNominate === true,
    peerNominations: r.answers.peerNominations ?? [],
  }));
  const schoolSizes = new Map<string | null, number>();
  for (const p of roster) schoolSizes.set(p.schoolId, (schoolSizes.get(p.schoolId) ?? 0) + 1);
  const influencers = peerInfluencers(asLeaders, (id) => person.get(id)?.schoolId, schoolSizes);
  return { respondents, roster: person, asLeaders, influencers };
}

/**
 * Pilot groups and leaders from inside, for directors and admins: both name people, so
 * each read is recorded as a view of identified data.
 */
export const pilot = new Hono<AppEnv>()
  .post(
    '/:id/pilot-groups/proposal',
    allow('director', 'admin'),
    jsonBody(8 * 1024),
    valid('json', options),
    async (c) => {
      const db = c.env.DB;
      const input = c.req.valid('json');
      const campaign = await requireIdentified(db, c.req.param('id'));
      // The default focuses are the dashboard's top 3, from the published figures as every table reads them.
      const focuses = input.focuses ?? topFocuses(campaign, await publishedAggregates(db, campaign), 3);
      if (focuses.length === 0) {
        throw new ApiError(
          409,
          'NO_FOCUSES',
          'Too few people rated any focus to choose one; pick the focuses yourself.',
        );
      }
      const { respondents, roster, asLeaders, influencers } = await leadersView(db, campaign);
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

      const levels = new Map(willing(respondents).map((r) => [r.staffId, levelsOf(r, focuses)]));
      const levelOf = (staffId: string, focus: string) =>
        levels.get(staffId)?.[focus] ?? { gap: 'none' as const, interested: false };
      const candidateById = new Map(candidates.map((x) => [x.staffId, x]));
      const nominations = new Map(influencers.map((i) => [i.staffId, i.nominations]));
      const aspiring = new Map(
        aspiringLeaders(asLeaders).map((l) => [l.staffId, l.leadershipInterest.map((id) => roleName.get(id) ?? id)]),
      );
      const coaches = [...roster.values()]
        .filter((p) => p.isCoach)
        .map((p) => ({ staffId: p.staffId, name: p.name, focuses: p.coachFocuses }));
      const drafts = plan.groups.map((g) => ({
        competencyId: g.competencyId,
        focusName: focusName(g.competencyId),
        members: g.members.map((m) => m.staffId),
      }));
      const coaching = assignCoaches(drafts, coaches, input.coachCapacity);
      const nameOf = (id: string) => roster.get(id)?.name ?? id;
      const schoolOf = (id: string) => roster.get(id)?.school ?? 'the district office';

      const actor = currentAccount(c);
      await recordAudit(db, {
        ...actorOf(actor),
        action: 'pilot_groups.propose',
        target: campaign.id,
        detail: { focuses, candidates: candidates.length },
      });
      return c.json({
        campaignId: campaign.id,
        options: { ...solverOptions, coachCapacity: input.coachCapacity },
        groups: plan.groups.map((g, i) => {
          const champion = chooseChampion(drafts[i]?.members ?? [], nominations, aspiring);
          const coach = coaching[i];
          return {
            competencyId: g.competencyId,
            name: focusName(g.competencyId),
            members: g.members.map((m) => ({
              staffId: m.staffId,
              name: nameOf(m.staffId),
              schoolId: m.school,
              school: schoolOf(m.staffId),
              level: levelOf(m.staffId, g.competencyId),
              reason: memberReason(levelOf(m.staffId, g.competencyId), g.members.length, input.minSize),
            })),
            champion: champion.champion,
            championReason: champion.reason,
            coach: coach?.coach ?? null,
            coachName: coach?.coach ? nameOf(coach.coach) : null,
            coachReason: coach?.reason ?? '',
          };
        }),
        notFormed: plan.notFormed.map((n) => ({ ...n, name: focusName(n.competencyId) })),
        unassigned: plan.unassigned.map((staffId) => {
          const candidate = candidateById.get(staffId) as PilotCandidate;
          return {
            staffId,
            name: nameOf(staffId),
            school: schoolOf(staffId),
            reason: unassignedReason(
              candidate,
              levels.get(staffId) ?? {},
              plan,
              input.maxSize,
              input.maxPerSchool,
              schoolOf(staffId),
            ),
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
          schoolId: roster.get(coach.staffId)?.schoolId ?? null,
          school: schoolOf(coach.staffId),
        })),
        // The proven optimum of the exact fits; the total itself stays here (see domain/pilot-groups.ts).
        optimal: true as const,
        solveMs: Math.round(solveMs * 10) / 10,
      });
    },
  )
  .post(
    '/:id/pilot-groups',
    allow('director', 'admin'),
    jsonBody(64 * 1024),
    valid('json', confirmation),
    async (c) => {
      const db = c.env.DB;
      const input = c.req.valid('json');
      const campaign = await requireIdentified(db, c.req.param('id'));
      const focuses = input.groups.map((g) => g.competencyId);
      const respondents = await readIdentifiedRespondents(db, campaign.id);
      const roster = new Map((await readRosterPeople(db)).map((p) => [p.staffId, p]));
      const candidates = pilotCandidates(respondents, focuses);
      const plan = {
        groups: input.groups.map((g) => ({
          competencyId: g.competencyId,
          members: g.members.map((staffId) => ({ staffId })),
        })),
      };
      const violations = checkPilotPlan(plan, candidates, { focuses, ...input.options });
      const inGroups = new Set(input.groups.flatMap((g) => g.members));
      for (const g of input.groups) {
        if (g.champion !== null && !g.members.includes(g.champion)) {
          violations.push(`The champion of the ${focusName(g.competencyId)} group must be one of its members.`);
        }
        if (g.coach !== null) {
          const coach = roster.get(g.coach);
          if (!coach?.isCoach || !coach.coachFocuses.includes(g.competencyId)) {
            violations.push(`${coach?.name ?? g.coach} is not a coach for ${focusName(g.competencyId)} on the roster.`);
          } else if (inGroups.has(g.coach)) {
            violations.push(`${coach.name} cannot coach a pilot group while a member of one.`);
          }
        }
      }
      const load = new Map<string, number>();
      for (const g of input.groups) if (g.coach) load.set(g.coach, (load.get(g.coach) ?? 0) + g.members.length);
      for (const [coach, n] of load) {
        if (n > input.options.coachCapacity) {
          violations.push(
            `${roster.get(coach)?.name ?? coach} would support ${n} teachers; a coach supports at most ${input.options.coachCapacity}.`,
          );
        }
      }
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
      return c.json({ items: await confirmedGroups(db, campaign.id) }, 201);
    },
  )
  .get(
    '/:id/pilot-groups',
    allow('director', 'admin'),
    valid('query', z.object({ format: z.enum(['json', 'csv']).default('json') })),
    async (c) => {
      const db = c.env.DB;
      const campaign = await requireIdentified(db, c.req.param('id'));
      const items = await confirmedGroups(db, campaign.id);
      const actor = currentAccount(c);
      const csvWanted = c.req.valid('query').format === 'csv';
      await recordAudit(db, {
        ...actorOf(actor),
        action: csvWanted ? 'pilot_groups.export' : 'pilot_groups.view',
        target: campaign.id,
      });
      if (!csvWanted) return c.json({ items });
      const rows = items.flatMap((g) =>
        [
          ...g.members.map((m) => ({ role: 'member', ...m })),
          ...(g.champion ? [{ role: 'champion', ...g.champion }] : []),
          ...(g.coach ? [{ role: 'coach', ...g.coach }] : []),
        ].map((row) => ({ competencyId: g.competencyId, focus: g.name, ...row })),
      );
      return csv(
        `pilot-groups-${campaign.id}.csv`,
        ['competencyId', 'focus', 'role', 'staffId', 'name', 'school', 'email'],
        rows,
      );
    },
  )
  .get('/:id/leaders', allow('director', 'admin'), async (c) => {
    const db = c.env.DB;
    const campaign = await requireIdentified(db, c.req.param('id'));
    const { respondents, roster, asLeaders, influencers } = await leadersView(db, campaign);
    const byStaff = new Map(respondents.map((r) => [r.staffId, r]));
    const schoolNames = new Map([...roster.values()].map((p) => [p.schoolId, p.school]));
    const schoolName = (id: string | null) => (id ? (schoolNames.get(id) ?? null) : null);
    const actor = currentAccount(c);
    await recordAudit(db, { ...actorOf(actor), action: 'leaders.view', target: campaign.id });
    const perSchool = new Map<string | null, typeof influencers>();
    for (const influencer of influencers) {
      perSchool.set(influencer.schoolId, [...(perSchool.get(influencer.schoolId) ?? []), influencer]);
    }
    return c.json({
      campaignId: campaign.id,
      minGroupSize: campaign.minGroupSize,
      aspiringLeaders: aspiringLeaders(asLeaders).map((l) => ({
        staffId: l.staffId,
        name: roster.get(l.staffId)?.name ?? l.staffId,
        schoolId: l.schoolId,
        school: byStaff.get(l.staffId)?.school ?? null,
        careerStage: l.careerStage,
        careerStageName: l.careerStage ? (stageName.get(l.careerStage) ?? l.careerStage) : null,
        roles: l.leadershipInterest.map((id) => ({ id, name: roleName.get(id) ?? id })),
      })),
      influencers: [...perSchool].map(([schoolId, staff]) => ({
        schoolId,
        school: schoolName(schoolId),
        staff: staff.map((s) => ({
          staffId: s.staffId,
          name: roster.get(s.staffId)?.name ?? s.staffId,
          nominations: s.nominations,
        })),
      })),
      pipeline: {
        careerStages: careerStages.map(({ id, name }) => ({ id, name })),
        leadershipRoles: leadershipRoles.map(({ id, name }) => ({ id, name })),
        rows: leadershipPipeline(asLeaders).map((cell) => ({ ...cell, school: schoolName(cell.schoolId) })),
      },
    });
  });

async function confirmedGroups(db: D1Database, campaignId: string) {
  const [rows, roster] = await Promise.all([readPilotGroups(db, campaignId), readRosterPeople(db)]);
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
    coach: row.coach ? who(row.coach) : null,
    confirmedAt: row.confirmedAt,
    confirmedBy: row.confirmedBy,
  }));
}
