/** What the audit log route answers, as the OpenAPI document states it. */
import { z } from 'zod';

export const auditEntry = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });

export const auditPage = z.object({ items: z.array(auditEntry), nextCursor: z.string().optional() });
