import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import { type OriginConfig, publicLink } from '../auth/origin';
import { type AppEnv, currentAccount } from '../auth/session';
import { hashToken, newToken } from '../auth/tokens';
import { actorOf, auditStatement, recordAudit } from '../db/audit';
import { closeCampaign, getCampaign, insertCampaign, listCampaigns, requireCampaign } from '../db/campaigns';
import { issueInvitationStatements, listInvitees } from '../db/invitations';
import { DEFAULT_MIN_GROUP_SIZE, isOpen, MIN_GROUP_SIZE_FLOOR, withStatus } from '../domain/campaign';
import { surveys } from '../domain/surveys';
import { ApiError } from '../errors';
import { emptyBody, jsonBody, valid } from '../http';
import { documented } from '../openapi';
import {
  campaignPage,
  campaign as campaignSchema,
  campaignWithLink,
  createdCampaign,
  personalLinks,
} from '../schemas/campaigns';

const newCampaign = z.object({
  // Own keys only: `in` also finds what every object inherits (constructor, toString, __proto__).
  surveyId: z.string().refine((id) => Object.hasOwn(surveys, id), 'is not a survey of this installation'),
  title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  mode: z.enum(['anonymous', 'identified']),
  minGroupSize: z
    .number()
    .int()
    .min(MIN_GROUP_SIZE_FLOOR, `must be at least ${MIN_GROUP_SIZE_FLOOR}`)
    .max(1000)
    .default(DEFAULT_MIN_GROUP_SIZE),
  closesAt: z.iso
    .datetime({ offset: true })
    .refine((at) => Date.parse(at) > Date.now(), 'must be in the future')
    .optional(),
});

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().optional(),
});

/** The campaign's public survey link, at the configured public origin (never the request's Host). */
function surveyUrl(env: OriginConfig, id: string): string {
  return publicLink(env, `/survey/?c=${encodeURIComponent(id)}`);
}

/** A personal link carries its token in the fragment, which browsers never send to a server or log. */
function personalLink(env: OriginConfig, id: string, token: string): string {
  return `${surveyUrl(env, id)}#invite=${token}`;
}

function decodeCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(atob(cursor)) as [unknown, unknown];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {}
  throw new ApiError(400, 'INVALID_CURSOR', 'The cursor is not one this API gave out.');
}

/** Campaigns: admins open, close and send them; directors read them for their dashboards. */
export const campaigns = new Hono<AppEnv>()
  .post(
    '/',
    allow('admin'),
    documented({ summary: 'Open a campaign', tags: ['campaigns'], responses: { 201: { schema: createdCampaign } } }),
    jsonBody(16 * 1024),
    valid('json', newCampaign),
    async (c) => {
      const input = c.req.valid('json');
      const id = crypto.randomUUID();
      const url = surveyUrl(c.env, id);
      const actor = currentAccount(c);
      await insertCampaign(c.env.DB, {
        id,
        surveyId: input.surveyId,
        title: input.title,
        mode: input.mode,
        minGroupSize: input.minGroupSize,
        closesAt: input.closesAt ? new Date(input.closesAt).toISOString() : null,
        createdAt: new Date().toISOString(),
      });
      await recordAudit(c.env.DB, {
        ...actorOf(actor),
        action: 'campaign.create',
        target: id,
        detail: { title: input.title, mode: input.mode, minGroupSize: input.minGroupSize },
      });
      c.header('Location', `/api/campaigns/${id}`);
      return c.json({ id, surveyUrl: url } satisfies z.input<typeof createdCampaign>, 201);
    },
  )
  .get(
    '/',
    allow('director', 'admin'),
    documented({
      summary: 'List campaigns, newest first',
      tags: ['campaigns'],
      responses: { 200: { schema: campaignPage } },
    }),
    valid('query', listQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = await listCampaigns(c.env.DB, limit + 1, decodeCursor(cursor));
      const items = page.slice(0, limit).map(withStatus);
      const last = items.at(-1);
      const nextCursor = page.length > limit && last ? btoa(JSON.stringify([last.createdAt, last.id])) : undefined;
      return c.json({ items, ...(nextCursor ? { nextCursor } : {}) } satisfies z.input<typeof campaignPage>);
    },
  )
  .get(
    '/:id',
    allow('director', 'admin'),
    documented({
      summary: 'One campaign and its survey link',
      tags: ['campaigns'],
      responses: { 200: { schema: campaignWithLink } },
    }),
    async (c) => {
      const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
      return c.json({
        ...withStatus(campaign),
        surveyUrl: c.env.PUBLIC_ORIGIN
          ? surveyUrl(c.env, campaign.id)
          : `/survey/?c=${encodeURIComponent(campaign.id)}`,
      });
    },
  )
  .post(
    '/:id/close',
    allow('admin'),
    documented({
      summary: 'Close a campaign now',
      tags: ['campaigns'],
      responses: { 200: { schema: campaignSchema } },
    }),
    jsonBody(1024),
    valid('json', emptyBody),
    async (c) => {
      const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
      const actor = currentAccount(c);
      await c.env.DB.batch([
        closeCampaign(c.env.DB, campaign.id, new Date().toISOString()),
        auditStatement(c.env.DB, {
          ...actorOf(actor),
          action: 'campaign.close',
          target: campaign.id,
        }),
      ]);
      return c.json(withStatus((await getCampaign(c.env.DB, campaign.id)) ?? campaign));
    },
  )
  // Personal links for an identified campaign, for the district's own mail merge. Only
  // hashes are kept, so each call issues fresh links to everyone who has not answered.
  .post(
    '/:id/invitations',
    allow('admin'),
    documented({
      summary: 'Issue personal links to everyone who has not answered',
      tags: ['campaigns'],
      responses: { 200: { schema: personalLinks } },
    }),
    jsonBody(1024),
    valid('json', emptyBody),
    async (c) => {
      const db = c.env.DB;
      const campaign = await requireCampaign(db, c.req.param('id'));
      if (campaign.mode !== 'identified') {
        throw new ApiError(
          409,
          'ANONYMOUS_CAMPAIGN',
          'Anonymous campaigns have one public link and no personal links.',
        );
      }
      if (!isOpen(campaign, new Date())) {
        throw new ApiError(409, 'CAMPAIGN_CLOSED', 'This campaign is closed; personal links would not work.');
      }
      const invitees = await listInvitees(db, campaign.id);
      const links = new Map<string, string>();
      const hashed: Array<{ staffId: string; tokenHash: string }> = [];
      for (const invitee of invitees) {
        if (invitee.answered) continue;
        const token = newToken();
        links.set(invitee.staffId, personalLink(c.env, campaign.id, token));
        hashed.push({ staffId: invitee.staffId, tokenHash: await hashToken(token) });
      }
      const actor = currentAccount(c);
      const answered = invitees.length - hashed.length;
      await db.batch([
        ...issueInvitationStatements(db, campaign.id, hashed, new Date().toISOString()),
        auditStatement(db, {
          ...actorOf(actor),
          action: 'invitations.export',
          target: campaign.id,
          detail: { links: hashed.length, answered },
        }),
      ]);
      const items = invitees.map(({ answered: done, ...invitee }) => ({
        ...invitee,
        status: done ? ('answered' as const) : ('new-link' as const),
        link: links.get(invitee.staffId) ?? null,
      }));
      return c.json({ items, created: hashed.length, answered } satisfies z.input<typeof personalLinks>);
    },
  );
