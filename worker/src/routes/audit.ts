import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import type { AppEnv } from '../auth/session';
import { listAudit } from '../db/audit';
import { valid } from '../http';
import { documented } from '../openapi';
import { auditPage } from '../schemas/audit';

const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.coerce.number().int().positive().optional(),
});

/** The audit log, newest first, for admins. */
export const audit = new Hono<AppEnv>().get(
  '/',
  allow('admin'),
  documented({
    summary: 'Read the audit log, newest first',
    description: 'Who did what and when; pass `nextCursor` as `cursor` for the next page.',
    tags: ['audit'],
    responses: { 200: { schema: auditPage } },
  }),
  valid('query', auditQuery),
  async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const page = await listAudit(c.env.DB, limit + 1, cursor);
    const items = page.slice(0, limit);
    const last = items.at(-1);
    return c.json({
      items,
      ...(page.length > limit && last ? { nextCursor: String(last.id) } : {}),
    } satisfies z.input<typeof auditPage>);
  },
);
