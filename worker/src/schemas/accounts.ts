/** What the account routes answer, as the OpenAPI document states it. */
import { z } from 'zod';
import { ROLES } from '../auth/roles';

export const account = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    /** In the order of ROLES, each at most once. */
    roles: z.array(z.enum(ROLES)),
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Account' });

export const accountList = z.object({ items: z.array(account) });
