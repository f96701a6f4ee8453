import { Hono } from 'hono';
import { z } from 'zod';
import { closeCampaign, getCampaign, insertCampaign, listCampaigns } from '../db/campaigns';
import { type Campaign, DEFAULT_MIN_GROUP_SIZE, isOpen, MIN_GROUP_SIZE_FLOOR } from '../domain/campaign';
import { surveys } from '../domain/surveys';
import { ApiError } from '../errors';
import { jsonBody, valid } from '../http';

const newCampaign = z.object({
  surveyId: z.string().refine((id) => id in surveys, 'is not a survey of this installation'),
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

export function withStatus(campaign: Campaign) {
  return { ...campaign, status: isOpen(campaign, new Date()) ? ('open' as const) : ('closed' as const) };
}

function surveyUrl(requestUrl: string, id: string): string {
  return new URL(`/survey/?c=${encodeURIComponent(id)}`, requestUrl).href;
}

function decodeCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(atob(cursor)) as [unknown, unknown];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {}
  throw new ApiError(400, 'INVALID_CURSOR', 'The cursor is not one this API gave out.');
}

export function campaignNotFound(id: string): ApiError {
  return new ApiError(404, 'CAMPAIGN_NOT_FOUND', `There is no campaign "${id}".`);
}

export async function requireCampaign(db: D1Database, id: string): Promise<Campaign> {
  const campaign = await getCampaign(db, id);
  if (!campaign) throw campaignNotFound(id);
  return campaign;
}

/** Campaign administration: admin-only once accounts exist, so it stays one sub-app a middleware can guard. */
export const campaigns = new Hono<{ Bindings: Env }>()
  .post('/', jsonBody(16 * 1024), valid('json', newCampaign), async (c) => {
    const input = c.req.valid('json');
    const id = crypto.randomUUID();
    await insertCampaign(c.env.DB, {
      id,
      surveyId: input.surveyId,
      title: input.title,
      mode: input.mode,
      minGroupSize: input.minGroupSize,
      closesAt: input.closesAt ? new Date(input.closesAt).toISOString() : null,
      createdAt: new Date().toISOString(),
    });
    const url = surveyUrl(c.req.url, id);
    c.header('Location', `/api/campaigns/${id}`);
    return c.json({ id, surveyUrl: url }, 201);
  })
  .get('/', valid('query', listQuery), async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const page = await listCampaigns(c.env.DB, limit + 1, decodeCursor(cursor));
    const items = page.slice(0, limit).map(withStatus);
    const last = items.at(-1);
    const nextCursor = page.length > limit && last ? btoa(JSON.stringify([last.createdAt, last.id])) : undefined;
    return c.json({ items, ...(nextCursor ? { nextCursor } : {}) });
  })
  .get('/:id', async (c) => {
    const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
    return c.json({ ...withStatus(campaign), surveyUrl: surveyUrl(c.req.url, campaign.id) });
  })
  .post('/:id/close', async (c) => {
    const campaign = await requireCampaign(c.env.DB, c.req.param('id'));
    await closeCampaign(c.env.DB, campaign.id, new Date().toISOString());
    return c.json(withStatus((await getCampaign(c.env.DB, campaign.id)) ?? campaign));
  });
