import type { AuditAction } from '../domain/audit-actions';

export type { AuditAction };

export interface AuditEntry {
  /** The account that acted; null for the command line and the system. */
  actorId: string | null;
  /** Who acted, as a person reads it. */
  actor: string;
  action: AuditAction;
  target?: string | null;
  detail?: Record<string, unknown>;
}

/** Who acted, as an entry names them, for an entry about something a signed-in account did. */
export function actorOf(account: { id: string; email: string }): Pick<AuditEntry, 'actorId' | 'actor'> {
  return { actorId: account.id, actor: account.email };
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

/** The statement that records one entry, for a caller to put in the batch of the change it records. */
export function auditStatement(db: D1Database, entry: AuditEntry, at = new Date().toISOString()): D1PreparedStatement {
  return db
    .prepare('INSERT INTO audit_log (at, actor_id, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(at, entry.actorId, entry.actor, entry.action, entry.target ?? null, JSON.stringify(entry.detail ?? {}));
}

export async function recordAudit(db: D1Database, entry: AuditEntry): Promise<void> {
  await auditStatement(db, entry).run();
}

/** Newest first; `before` is the id of the last entry of the previous page. */
export async function listAudit(db: D1Database, limit: number, before?: number): Promise<AuditRecord[]> {
  const { results } = await db
    .prepare(
      `SELECT id, at, actor, action, target, detail FROM audit_log
       WHERE ?1 IS NULL OR id < ?1 ORDER BY id DESC LIMIT ?2`,
    )
    .bind(before ?? null, limit)
    .all<Omit<AuditRecord, 'detail'> & { detail: string }>();
  return results.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}
