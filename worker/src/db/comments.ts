/**
 * Staff comments as directors read them (domain/comments.ts): the published responses'
 * comment text and response id (which stays in the worker, to be turned into an opaque
 * id), never a name, staff id, segment or time; each campaign's comment secret; and the
 * directors' tags (migration 0012).
 */
import type { StoredComment } from '../domain/comments';
import { type AuditEntry, auditStatement } from './audit';

const COMMENT = "TRIM(COALESCE(json_extract(answers, '$.comment'), ''))";

/** The campaign's comment secret, made on this first read of its comments. */
export async function commentSecret(db: D1Database, campaignId: string, fresh: string): Promise<string> {
  const [, stored] = await db.batch<{ secret: string }>([
    db
      .prepare('INSERT INTO comment_keys (campaign_id, secret) VALUES (?, ?) ON CONFLICT (campaign_id) DO NOTHING')
      .bind(campaignId, fresh),
    db.prepare('SELECT secret FROM comment_keys WHERE campaign_id = ?').bind(campaignId),
  ]);
  const secret = stored?.results[0]?.secret;
  if (!secret) throw new Error(`no comment secret stored for campaign ${campaignId}`);
  return secret;
}

/** The secret if a read has made one; a write never makes one (a refused write stores nothing). */
export async function storedCommentSecret(db: D1Database, campaignId: string): Promise<string | null> {
  const row = await db
    .prepare('SELECT secret FROM comment_keys WHERE campaign_id = ?')
    .bind(campaignId)
    .first<{ secret: string }>();
  return row?.secret ?? null;
}

/** Published respondents of the campaign per school ('' for those who did not say); each is in exactly one. */
export async function publishedSchoolCounts(db: D1Database, campaignId: string): Promise<Map<string, number>> {
  const { results } = await db
    .prepare("SELECT segment, n FROM respondent_aggregates WHERE campaign_id = ? AND dimension = 'school' AND n > 0")
    .bind(campaignId)
    .all<{ segment: string; n: number }>();
  return new Map(results.map((row) => [row.segment, row.n]));
}

/**
 * The non-empty comments of the campaign's published responses; with `school`, of that
 * school's respondents only ('' for those who did not say). Pending responses are never read.
 */
export async function readPublishedComments(
  db: D1Database,
  campaignId: string,
  school?: string,
): Promise<StoredComment[]> {
  const { results } = await db
    .prepare(
      `SELECT id AS responseId, ${COMMENT} AS text FROM responses
       WHERE campaign_id = ?1 AND published_step IS NOT NULL AND ${COMMENT} <> ''
         AND (?2 IS NULL OR COALESCE(school, '') = ?2)`,
    )
    .bind(campaignId, school ?? null)
    .all<StoredComment>();
  return results;
}

/** The campaign's tags, by comment id. */
export async function readCommentTags(db: D1Database, campaignId: string): Promise<Map<string, string[]>> {
  const { results } = await db
    .prepare('SELECT comment_id AS commentId, competency_id AS competencyId FROM comment_tags WHERE campaign_id = ?')
    .bind(campaignId)
    .all<{ commentId: string; competencyId: string }>();
  const tags = new Map<string, string[]>();
  for (const { commentId, competencyId } of results)
    tags.set(commentId, [...(tags.get(commentId) ?? []), competencyId]);
  return tags;
}

export interface CommentTag {
  campaignId: string;
  commentId: string;
  competencyId: string;
}

/** Tags a comment to a focus (again is a no-op), with its audit entry, all or nothing. */
export async function tagComment(db: D1Database, tag: CommentTag, audit: AuditEntry): Promise<void> {
  await db.batch([
    db
      .prepare(
        'INSERT INTO comment_tags (campaign_id, comment_id, competency_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .bind(tag.campaignId, tag.commentId, tag.competencyId),
    auditStatement(db, audit),
  ]);
}

/** Removes a comment's tag (one it does not have is a no-op), with its audit entry. */
export async function untagComment(db: D1Database, tag: CommentTag, audit: AuditEntry): Promise<void> {
  await db.batch([
    db
      .prepare('DELETE FROM comment_tags WHERE campaign_id = ? AND comment_id = ? AND competency_id = ?')
      .bind(tag.campaignId, tag.commentId, tag.competencyId),
    auditStatement(db, audit),
  ]);
}
