/** The local outbox of `wrangler dev`: the mail a deployed build would have sent. */

export interface OutboxMail {
  at: string;
  recipient: string;
  subject: string;
  body: string;
}

export async function insertOutboxMail(db: D1Database, mail: OutboxMail): Promise<void> {
  await db
    .prepare('INSERT INTO dev_outbox (at, recipient, subject, body) VALUES (?, ?, ?, ?)')
    .bind(mail.at, mail.recipient, mail.subject, mail.body)
    .run();
}

/** Newest first. */
export async function latestOutboxMail(db: D1Database, limit: number): Promise<OutboxMail[]> {
  const { results } = await db
    .prepare('SELECT at, recipient, subject, body FROM dev_outbox ORDER BY id DESC LIMIT ?')
    .bind(limit)
    .all<OutboxMail>();
  return results;
}
