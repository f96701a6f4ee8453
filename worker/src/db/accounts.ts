import { ROLES, type Role } from '../auth/roles';

export interface Account {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  disabled: boolean;
  createdAt: string;
}

interface AccountRow {
  id: string;
  email: string;
  name: string;
  roles: string | null;
  disabledAt: string | null;
  createdAt: string;
}

const ACCOUNT_COLUMNS = `a.id, a.email, a.name, a.disabled_at AS disabledAt, a.created_at AS createdAt,
  (SELECT json_group_array(role) FROM account_roles WHERE account_id = a.id) AS roles`;

function toAccount(row: AccountRow): Account {
  const roles = (JSON.parse(row.roles ?? '[]') as string[]).filter((role): role is Role =>
    (ROLES as readonly string[]).includes(role),
  );
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: ROLES.filter((role) => roles.includes(role)),
    disabled: row.disabledAt !== null,
    createdAt: row.createdAt,
  };
}

export async function getAccount(db: D1Database, id: string): Promise<Account | null> {
  const row = await db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = ?`).bind(id).first<AccountRow>();
  return row ? toAccount(row) : null;
}

export async function accountByEmail(db: D1Database, email: string): Promise<Account | null> {
  const row = await db
    .prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.email = ?`)
    .bind(email.toLowerCase())
    .first<AccountRow>();
  return row ? toAccount(row) : null;
}

export async function listAccounts(db: D1Database): Promise<Account[]> {
  const { results } = await db.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a ORDER BY a.email`).all<AccountRow>();
  return results.map(toAccount);
}

/** Statements that create an account with its roles, for one atomic batch. */
export function insertAccountStatements(
  db: D1Database,
  account: { id: string; email: string; name: string; roles: Role[]; createdAt: string },
): D1PreparedStatement[] {
  return [
    db
      .prepare('INSERT INTO accounts (id, email, name, created_at) VALUES (?, ?, ?, ?)')
      .bind(account.id, account.email.toLowerCase(), account.name, account.createdAt),
    ...setRolesStatements(db, account.id, account.roles),
  ];
}

export function setRolesStatements(db: D1Database, accountId: string, roles: Role[]): D1PreparedStatement[] {
  return [
    db
      .prepare('DELETE FROM account_roles WHERE account_id = ?1 AND role NOT IN (SELECT value FROM json_each(?2))')
      .bind(accountId, JSON.stringify(roles)),
    db
      .prepare('INSERT OR IGNORE INTO account_roles (account_id, role) SELECT ?1, value FROM json_each(?2)')
      .bind(accountId, JSON.stringify(roles)),
  ];
}

export function renameAccountStatement(db: D1Database, accountId: string, name: string): D1PreparedStatement {
  return db.prepare('UPDATE accounts SET name = ? WHERE id = ?').bind(name, accountId);
}

/**
 * Disabling also ends every session and deletes the unused sign-in and board join links:
 * the person is out at once, and enabling the account again revives none of them (a link
 * issued before the disable stays dead; a new one must be asked for).
 */
export function disableAccountStatements(db: D1Database, accountId: string, at: string): D1PreparedStatement[] {
  return [
    db.prepare('UPDATE accounts SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL').bind(at, accountId),
    db.prepare('DELETE FROM sessions WHERE account_id = ?').bind(accountId),
    db.prepare('DELETE FROM sign_in_links WHERE account_id = ? AND used_at IS NULL').bind(accountId),
    db.prepare('DELETE FROM board_invitations WHERE account_id = ? AND used_at IS NULL').bind(accountId),
  ];
}

/**
 * A change of roles ends every session of the account: whoever holds one signs in again
 * and gets what the new roles allow, so no session outlives the roles it was opened with.
 * Its unused join links stop signing anyone in (they still accept once signed in).
 */
export function rolesChangedStatements(db: D1Database, accountId: string): D1PreparedStatement[] {
  return [
    db.prepare('DELETE FROM sessions WHERE account_id = ?').bind(accountId),
    db.prepare('UPDATE board_invitations SET signs_in = 0 WHERE account_id = ? AND used_at IS NULL').bind(accountId),
  ];
}

export function enableAccountStatement(db: D1Database, accountId: string): D1PreparedStatement {
  return db.prepare('UPDATE accounts SET disabled_at = NULL WHERE id = ?').bind(accountId);
}

/** Active admins other than this account: the last one may not be demoted or disabled. */
export async function otherActiveAdmins(db: D1Database, accountId: string): Promise<number> {
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM accounts a JOIN account_roles r ON r.account_id = a.id
       WHERE r.role = 'admin' AND a.disabled_at IS NULL AND a.id <> ?`,
    )
    .bind(accountId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

interface SignInLink {
  tokenHash: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
}

/** The statement that issues a sign-in link, for a batch that also changes the account it is for. */
export function insertSignInLinkStatement(db: D1Database, link: SignInLink): D1PreparedStatement {
  return db
    .prepare('INSERT INTO sign_in_links (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
    .bind(link.tokenHash, link.accountId, link.createdAt, link.expiresAt);
}

export async function insertSignInLink(db: D1Database, link: SignInLink): Promise<void> {
  await insertSignInLinkStatement(db, link).run();
}

/**
 * Uses a sign-in link up and says whose it was, in one statement: a link works once
 * (two racing requests cannot both succeed), before it expires, for an enabled account.
 */
export async function redeemSignInLink(db: D1Database, tokenHash: string, now: string): Promise<string | null> {
  const row = await db
    .prepare(
      `UPDATE sign_in_links SET used_at = ?2
       WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2
         AND account_id IN (SELECT id FROM accounts WHERE disabled_at IS NULL)
       RETURNING account_id AS accountId`,
    )
    .bind(tokenHash, now)
    .first<{ accountId: string }>();
  return row?.accountId ?? null;
}

export function insertSessionStatement(
  db: D1Database,
  session: { tokenHash: string; accountId: string; createdAt: string; expiresAt: string },
): D1PreparedStatement {
  return db
    .prepare('INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
    .bind(session.tokenHash, session.accountId, session.createdAt, session.expiresAt);
}

/** An account's expired sessions and spent sign-in links: swept whenever it signs in. */
export function sweepStatements(db: D1Database, accountId: string, now: string): D1PreparedStatement[] {
  return [
    db.prepare('DELETE FROM sessions WHERE account_id = ? AND expires_at <= ?').bind(accountId, now),
    db
      .prepare('DELETE FROM sign_in_links WHERE account_id = ? AND (used_at IS NOT NULL OR expires_at <= ?)')
      .bind(accountId, now),
  ];
}

export function deleteSessionStatement(db: D1Database, tokenHash: string): D1PreparedStatement {
  return db.prepare('DELETE FROM sessions WHERE token_hash = ?').bind(tokenHash);
}

/** The enabled account behind a live session, with its roles, in one query. */
export async function accountOfSession(db: D1Database, tokenHash: string, now: string): Promise<Account | null> {
  const row = await db
    .prepare(
      `SELECT ${ACCOUNT_COLUMNS} FROM sessions s JOIN accounts a ON a.id = s.account_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled_at IS NULL`,
    )
    .bind(tokenHash, now)
    .first<AccountRow>();
  return row ? toAccount(row) : null;
}
