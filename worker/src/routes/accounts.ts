import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import { ROLES, type Role } from '../auth/roles';
import { type AppEnv, currentAccount } from '../auth/session';
import {
  type Account,
  accountByEmail,
  disableAccountStatements,
  enableAccountStatement,
  getAccount,
  insertAccountStatements,
  listAccounts,
  otherActiveAdmins,
  renameAccountStatement,
  rolesChangedStatements,
  setRolesStatements,
} from '../db/accounts';
import { type AuditAction, actorOf, auditStatement } from '../db/audit';
import { ApiError } from '../errors';
import { jsonBody, valid } from '../http';
import { documented } from '../openapi';
import { accountList, account as accountSchema } from '../schemas/accounts';

const roles = z
  .array(z.enum(ROLES))
  .min(1, 'give at least one role')
  .max(ROLES.length)
  .transform((list) => ROLES.filter((role) => list.includes(role)));
const name = z.string().trim().max(200, 'must be at most 200 characters');

const newAccount = z.strictObject({
  email: z.email('is not an email address').max(254),
  name: name.default(''),
  roles,
});
const accountChange = z
  .strictObject({ name: name.optional(), roles: roles.optional(), disabled: z.boolean().optional() })
  .refine((change) => Object.keys(change).length > 0, 'send at least one of name, roles, disabled');

const sameRoles = (a: Role[], b: Role[]) => a.length === b.length && a.every((role) => b.includes(role));

/** The account, or the 404 a client can act on. */
async function requireAccount(db: D1Database, id: string): Promise<Account> {
  const account = await getAccount(db, id);
  if (!account) throw new ApiError(404, 'ACCOUNT_NOT_FOUND', `There is no account "${id}".`);
  return account;
}

/**
 * Accounts and their roles: admins only, every change recorded in the audit log. Changing
 * an account's roles or disabling it ends all of its sessions.
 */
export const accounts = new Hono<AppEnv>()
  .get(
    '/',
    allow('admin'),
    documented({
      summary: 'List every account and its roles',
      tags: ['accounts'],
      responses: { 200: { schema: accountList } },
    }),
    async (c) => c.json({ items: await listAccounts(c.env.DB) } satisfies z.input<typeof accountList>),
  )
  .post(
    '/',
    allow('admin'),
    documented({
      summary: 'Give someone an account',
      description: 'They sign in with an emailed link (or single sign-on) at this address.',
      tags: ['accounts'],
      responses: { 201: { schema: accountSchema } },
    }),
    jsonBody(4 * 1024),
    valid('json', newAccount),
    async (c) => {
      const input = c.req.valid('json');
      const email = input.email.toLowerCase();
      if (await accountByEmail(c.env.DB, email)) {
        throw new ApiError(
          409,
          'ACCOUNT_EXISTS',
          `There is already an account for ${email}; change its roles instead.`,
        );
      }
      const actor = currentAccount(c);
      const id = crypto.randomUUID();
      await c.env.DB.batch([
        ...insertAccountStatements(c.env.DB, {
          id,
          email,
          name: input.name,
          roles: input.roles,
          createdAt: new Date().toISOString(),
        }),
        auditStatement(c.env.DB, {
          ...actorOf(actor),
          action: 'account.create',
          target: email,
          detail: { roles: input.roles },
        }),
      ]);
      c.header('Location', `/api/accounts/${id}`);
      return c.json((await requireAccount(c.env.DB, id)) satisfies z.input<typeof accountSchema>, 201);
    },
  )
  .patch(
    '/:id',
    allow('admin'),
    documented({
      summary: 'Rename an account, change its roles, or disable it',
      description: "Changing an account's roles or disabling it signs it out everywhere.",
      tags: ['accounts'],
      responses: { 200: { schema: accountSchema } },
    }),
    jsonBody(4 * 1024),
    valid('json', accountChange),
    async (c) => {
      const change = c.req.valid('json');
      const account = await requireAccount(c.env.DB, c.req.param('id'));
      const actor = currentAccount(c);
      const db = c.env.DB;
      const entry = (action: AuditAction, detail: Record<string, unknown> = {}) =>
        auditStatement(db, { ...actorOf(actor), action, target: account.email, detail });

      const losesAdmin =
        account.roles.includes('admin') &&
        !account.disabled &&
        ((change.roles && !change.roles.includes('admin')) || change.disabled === true);
      if (losesAdmin && (await otherActiveAdmins(db, account.id)) === 0) {
        throw new ApiError(
          409,
          'LAST_ADMIN',
          `${account.email} is the only active admin. Make someone else an admin first, so the district is never locked out.`,
        );
      }

      const statements: D1PreparedStatement[] = [];
      if (change.name !== undefined && change.name !== account.name) {
        statements.push(renameAccountStatement(db, account.id, change.name));
      }
      if (change.roles && !sameRoles(change.roles, account.roles)) {
        statements.push(
          ...setRolesStatements(db, account.id, change.roles),
          // Its sessions end (the admin's own too, when changing their own roles).
          ...rolesChangedStatements(db, account.id),
          entry('account.roles', { from: account.roles, to: change.roles }),
        );
      }
      if (change.disabled === true && !account.disabled) {
        statements.push(
          ...disableAccountStatements(db, account.id, new Date().toISOString()),
          entry('account.disable'),
        );
      }
      if (change.disabled === false && account.disabled) {
        statements.push(enableAccountStatement(db, account.id), entry('account.enable'));
      }
      if (statements.length > 0) await db.batch(statements);
      return c.json((await requireAccount(db, account.id)) satisfies z.input<typeof accountSchema>);
    },
  );
