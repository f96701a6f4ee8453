import { Hono } from 'hono';
import type { z } from 'zod';
import { allow } from '../auth/access';
import { type AppEnv, currentAccount } from '../auth/session';
import { actorOf, recordAudit } from '../db/audit';
import { publishedRespondents, readRosterPeople, requireIdentifiedCampaign } from '../db/pilots';
import { leadersView } from '../domain/leaders';
import { documented } from '../openapi';
import * as schema from '../schemas/leaders';

/**
 * Leaders from inside, for directors and admins: it names people, so each read is recorded
 * as a view of identified data.
 */
export const leaders = new Hono<AppEnv>().get(
  '/:id/leaders',
  allow('director', 'admin'),
  documented({
    summary: 'Aspiring leaders, peer influencers per school, and the leadership pipeline',
    description:
      'Counts the published responses only. Identified campaigns only. The pipeline lists a school × career stage × ' +
      'role cell (and a district cell) only when at least k people besides the named aspiring leaders are in it; ' +
      'a cell not listed is hidden or empty, which look the same, and `pipeline.schools` lists every school either way.',
    tags: ['leaders'],
    responses: { 200: { schema: schema.leadersView } },
  }),
  async (c) => {
    const db = c.env.DB;
    const campaign = await requireIdentifiedCampaign(db, c.req.param('id'));
    const [respondents, roster] = await Promise.all([publishedRespondents(db, campaign), readRosterPeople(db)]);
    const actor = currentAccount(c);
    await recordAudit(db, { ...actorOf(actor), action: 'leaders.view', target: campaign.id });
    return c.json(leadersView(campaign, respondents, roster) satisfies z.input<typeof schema.leadersView>);
  },
);
