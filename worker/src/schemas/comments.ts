/**
 * What the comment routes answer, as the OpenAPI document states it: a comment is its
 * opaque id, its text and its tags, and nothing else (no name, role, school or time).
 */
import { z } from 'zod';
import { COMMENT_DIMENSIONS, COMMENT_ID } from '../domain/comments';

const commentId = z.string().regex(COMMENT_ID);
/** Competency ids of the framework, in framework order. */
const tags = z.array(z.string());

export const comment = z.strictObject({ id: commentId, text: z.string().min(1), tags }).meta({ id: 'Comment' });

export const commentPage = z
  .strictObject({
    minGroupSize: z.number().int(),
    /** Whether the caller may tag comments (directors; an admin reads but does not tag). */
    canTag: z.boolean(),
    /** null: district-wide. */
    by: z.enum(COMMENT_DIMENSIONS).nullable(),
    segment: z.string().nullable(),
    /** false: the group is too small to show (or hidden to protect another); no comments, whatever its size. */
    shown: z.boolean(),
    /** The segments whose comments may be read, with their names. */
    segments: z.array(z.strictObject({ segment: z.string(), name: z.string() })),
    /** Comments that match the search and focus, over every page. */
    total: z.number().int().min(0),
    items: z.array(comment),
    nextCursor: commentId.optional(),
  })
  .meta({ id: 'CommentPage' });

export const commentTags = z.strictObject({ id: commentId, tags }).meta({ id: 'CommentTags' });
