import { Hono } from 'hono';
import { z } from 'zod';
import { allow } from '../auth/access';
import { type AppEnv, currentAccount } from '../auth/session';
import { publishPending } from '../db/aggregates';
import { actorOf, recordAudit } from '../db/audit';
import { requireCampaign } from '../db/campaigns';
import {
  commentSecret,
  publishedSchoolCounts,
  readCommentTags,
  readPublishedComments,
  storedCommentSecret,
  tagComment,
  untagComment,
} from '../db/comments';
import { readDisclosurePlan } from '../db/disclosure';
import { listSchools } from '../db/roster';
import type { Campaign } from '../domain/campaign';
import {
  COMMENT_COLUMNS,
  COMMENT_DIMENSIONS,
  COMMENT_ID,
  type Comment,
  type CommentDimension,
  commentKey,
  commentRows,
  DEFAULT_COMMENT_PAGE,
  filterComments,
  identify,
  MAX_COMMENT_PAGE,
  NOT_STATED_SEGMENT,
  newCommentSecret,
  offeredSegments,
  pageOf,
} from '../domain/comments';
import { competencies, idsOf } from '../domain/framework';
import type { School } from '../domain/roster-import';
import { isSmall } from '../domain/suppression';
import { ApiError } from '../errors';
import { csv, emptyBody, jsonBody, noBody, valid } from '../http';
import { documented } from '../openapi';
import * as schema from '../schemas/comments';

const competencyIds = idsOf(competencies);

const commentQuery = z.object({
  by: z.enum(COMMENT_DIMENSIONS).optional(),
  segment: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
  focus: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_COMMENT_PAGE).default(DEFAULT_COMMENT_PAGE),
  cursor: z.string().optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

/** A segment as the response tables key it: '' for respondents who did not say. */
const segmentKey = (segment: string) => (segment === NOT_STATED_SEGMENT ? '' : segment);

function requireCompetency(competencyId: string, field: string): void {
  if (!competencyIds.has(competencyId)) {
    throw new ApiError(422, 'UNKNOWN_ID', `${competencyId} is not in the competency framework.`, {
      [field]: 'is not a competency of the framework',
    });
  }
}

interface CommentView {
  shown: boolean;
  segments: Array<{ segment: string; name: string }>;
  comments: Comment[];
}

/**
 * The published comments of the campaign, or of one school, when the group may be shown:
 * district-wide from k published respondents, a school only where the disclosure plan shows
 * its respondent count and the schools not offered stay nobody or at least k together
 * (offeredSegments). A hidden group reads nothing, so it answers the same at any size.
 */
async function commentView(
  db: D1Database,
  campaign: Campaign,
  schools: School[],
  group?: { by: CommentDimension; segment: string },
): Promise<CommentView> {
  await publishPending(db, campaign);
  const [counts, plan] = await Promise.all([publishedSchoolCounts(db, campaign.id), readDisclosurePlan(db, campaign)]);
  const respondents = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const districtShown = !isSmall(respondents, campaign.minGroupSize);
  const candidates = [
    ...schools.map((school) => ({ segment: school.id, name: school.name })),
    { segment: NOT_STATED_SEGMENT, name: 'School not stated' },
  ];
  const offered = districtShown
    ? new Set(
        offeredSegments(
          candidates.map((one) => segmentKey(one.segment)),
          counts,
          (segment) => !plan.respondentsHidden('school', segment),
          campaign.minGroupSize,
        ),
      )
    : new Set<string>();
  const segments = candidates.filter(({ segment }) => offered.has(segmentKey(segment)));
  const shown = districtShown && (!group || offered.has(segmentKey(group.segment)));
  if (!shown) return { shown, segments, comments: [] };
  const key = await commentKey(await commentSecret(db, campaign.id, newCommentSecret()));
  const [stored, tags] = await Promise.all([
    readPublishedComments(db, campaign.id, group ? segmentKey(group.segment) : undefined),
    readCommentTags(db, campaign.id),
  ]);
  return { shown, segments, comments: await identify(key, stored, tags, competencies) };
}

/**
 * A comment the director can see (district-wide), for tagging. Writes never publish or make
 * a secret, so a refused one stores nothing; an id that names no visible comment is a 404.
 */
async function requireComment(db: D1Database, campaign: Campaign, id: string): Promise<Comment> {
  const notFound = new ApiError(404, 'COMMENT_NOT_FOUND', 'There is no comment with this id in the campaign.');
  if (!COMMENT_ID.test(id)) throw notFound;
  const secret = await storedCommentSecret(db, campaign.id);
  const counts = secret ? await publishedSchoolCounts(db, campaign.id) : new Map<string, number>();
  const respondents = [...counts.values()].reduce((sum, n) => sum + n, 0);
  if (!secret || isSmall(respondents, campaign.minGroupSize)) throw notFound;
  const [stored, tags] = await Promise.all([readPublishedComments(db, campaign.id), readCommentTags(db, campaign.id)]);
  const found = (await identify(await commentKey(secret), stored, tags, competencies)).find((one) => one.id === id);
  if (!found) throw notFound;
  return found;
}

/** What the tag routes read and check, in the order a refusal should name. */
async function tagTarget(db: D1Database, params: { id: string; commentId: string; competencyId: string }) {
  const campaign = await requireCampaign(db, params.id);
  requireCompetency(params.competencyId, 'competencyId');
  const comment = await requireComment(db, campaign, params.commentId);
  return {
    campaign,
    comment,
    tag: { campaignId: campaign.id, commentId: comment.id, competencyId: params.competencyId },
  };
}

const TAG_ANSWER = { 200: { schema: schema.commentTags, description: 'The comment’s tags now.' } };

/**
 * What staff wrote in the survey's comment box, for directors and admins: only the comments
 * of groups of at least k published respondents, with an opaque id, never who or when
 * (domain/comments.ts says why these rules, and which attacks they close).
 */
export const comments = new Hono<AppEnv>()
  .get(
    '/:id/comments',
    allow('director', 'admin'),
    documented({
      summary: 'Staff comments, district-wide or for one school, in groups of at least k',
      description:
        'District-wide once the campaign has k published respondents; with `by=school&segment=<id>` (or ' +
        `\`${NOT_STATED_SEGMENT}\`), one school’s, only where its respondent count is shown. A hidden group answers ` +
        '`shown: false` and no comments, the same whatever its size. `q` searches the text, `focus` keeps ' +
        'comments tagged to a competency; pass `nextCursor` as `cursor` for the next page. Comments are in an ' +
        `order that carries no time. With \`format=csv\`, every match as a CSV whose header row is ${COMMENT_COLUMNS.join(',')}.`,
      tags: ['comments'],
      responses: { 200: { schema: schema.commentPage, also: [{ media: 'csv', columns: COMMENT_COLUMNS }] } },
    }),
    valid('query', commentQuery),
    async (c) => {
      const db = c.env.DB;
      const campaign = await requireCampaign(db, c.req.param('id'));
      const { by, segment, q, focus, limit, cursor, format } = c.req.valid('query');
      if ((by === undefined) !== (segment === undefined)) {
        const field = by === undefined ? 'by' : 'segment';
        throw new ApiError(422, 'INVALID_INPUT', 'Send `by` and `segment` together, or neither.', {
          [field]: 'is required with the other',
        });
      }
      if (focus !== undefined) requireCompetency(focus, 'focus');
      if (cursor !== undefined && !COMMENT_ID.test(cursor)) {
        throw new ApiError(400, 'INVALID_CURSOR', 'The cursor is not one this API gave out.');
      }
      const schools = await listSchools(db);
      if (segment !== undefined && segment !== NOT_STATED_SEGMENT && !schools.some((one) => one.id === segment)) {
        throw new ApiError(422, 'UNKNOWN_ID', `${segment} is not a school of the roster.`, {
          segment: 'is not a school of the roster',
        });
      }
      const group = by && segment !== undefined ? { by, segment } : undefined;
      const view = await commentView(db, campaign, schools, group);
      const matching = filterComments(view.comments, { q, focus });
      if (format === 'csv') {
        await recordAudit(db, {
          ...actorOf(currentAccount(c)),
          action: 'comments.export',
          target: campaign.id,
          detail: { by: by ?? null, segment: segment ?? null, q: q ?? null, focus: focus ?? null },
        });
        return csv('comments.csv', COMMENT_COLUMNS, commentRows(matching, competencies));
      }
      return c.json({
        minGroupSize: campaign.minGroupSize,
        canTag: currentAccount(c).roles.includes('director'),
        by: by ?? null,
        segment: segment ?? null,
        shown: view.shown,
        segments: view.segments,
        total: matching.length,
        ...pageOf(matching, limit, cursor),
      } satisfies z.input<typeof schema.commentPage>);
    },
  )
  .put(
    '/:id/comments/:commentId/tags/:competencyId',
    allow('director'),
    documented({
      summary: 'Tag a comment to a focus (a competency of the framework)',
      description: 'Directors only: a tag is a reading of what staff wrote. Send `{}`. Tagging again changes nothing.',
      tags: ['comments'],
      responses: TAG_ANSWER,
    }),
    jsonBody(1024),
    valid('json', emptyBody),
    async (c) => {
      const db = c.env.DB;
      const { campaign, comment, tag } = await tagTarget(db, c.req.param());
      await tagComment(db, tag, {
        ...actorOf(currentAccount(c)),
        action: 'comments.tag',
        target: campaign.id,
        detail: { comment: comment.id, competencyId: tag.competencyId },
      });
      // In framework order, as a read lists them.
      const tags = competencies
        .map((one) => one.id)
        .filter((id) => id === tag.competencyId || comment.tags.includes(id));
      return c.json({ id: comment.id, tags } satisfies z.input<typeof schema.commentTags>);
    },
  )
  .delete(
    '/:id/comments/:commentId/tags/:competencyId',
    allow('director'),
    documented({
      summary: 'Remove a comment’s tag',
      description: 'Directors only. Removing a tag the comment does not have changes nothing.',
      tags: ['comments'],
      responses: TAG_ANSWER,
    }),
    noBody,
    async (c) => {
      const db = c.env.DB;
      const { campaign, comment, tag } = await tagTarget(db, c.req.param());
      await untagComment(db, tag, {
        ...actorOf(currentAccount(c)),
        action: 'comments.untag',
        target: campaign.id,
        detail: { comment: comment.id, competencyId: tag.competencyId },
      });
      const tags = comment.tags.filter((id) => id !== tag.competencyId);
      return c.json({ id: comment.id, tags } satisfies z.input<typeof schema.commentTags>);
    },
  );
