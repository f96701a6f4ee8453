/**
 * What members put on a board: cards (moved by fractional positions, moderated on an
 * anonymous board), their comments, dots, clusters and Hexagon Tool ratings. Every write
 * answers with the whole board as the writer now sees it.
 */
import { Hono } from 'hono';
import type { z } from 'zod';
import { allow } from '../auth/access';
import { type BoardAccess, boardFor, liveCard, requireOwnerOrFacilitator } from '../auth/board-access';
import type { AppEnv } from '../auth/session';
import { addCard, addComment, columnPlaces, editCard, readCard, readComment } from '../db/board-cards';
import { type SoftDeletable, setDeleted } from '../db/board-changes';
import { clusterExists, createCluster, renameCluster } from '../db/board-clusters';
import { addDot, rate, removeDot } from '../db/board-votes';
import { newCardStatus } from '../domain/board-access';
import { positionAt } from '../domain/board-position';
import { cardVisibleTo } from '../domain/board-view';
import { type BoardState, canFacilitate, isColumnOf } from '../domain/boards';
import { ApiError } from '../errors';
import { emptyBody, jsonBody, noBody, valid } from '../http';
import { documented } from '../openapi';
import { boardState, cardChange, clusterRename, newCard, newCluster, newComment, rating } from '../schemas/boards';
import { conflict, stateOf, wrongTemplate } from './boards-state';

const board = { 200: { schema: boardState, description: 'The board as you now see it.' } } as const;
const created = { 201: { schema: boardState, description: 'The board as you now see it.' } } as const;

const unknownColumn = (column: string) =>
  new ApiError(422, 'UNKNOWN_COLUMN', `This board has no column “${column}”.`, {
    column: 'is not a column of this board',
  });

const votesRevealed = () =>
  new ApiError(
    409,
    'VOTES_REVEALED',
    'The votes are revealed, so dots can no longer change; the facilitator can hide them again.',
  );

async function commentOf(db: D1Database, boardId: string, commentId: string) {
  const comment = await readComment(db, boardId, commentId);
  if (!comment) throw new ApiError(404, 'COMMENT_NOT_FOUND', 'That comment is not on this board.');
  return comment;
}

/** Deletes (soft) or restores a card, comment or cluster; deleting twice or restoring a live one changes nothing. */
async function softDelete(
  db: D1Database,
  { head, reader }: BoardAccess,
  table: SoftDeletable,
  id: string,
  action: 'delete' | 'restore',
): Promise<BoardState> {
  const applied = await setDeleted(db, table, head.id, id, action === 'delete', new Date().toISOString());
  if (!applied && table === 'board_clusters') {
    throw new ApiError(
      404,
      'CLUSTER_NOT_FOUND',
      `There is no cluster to ${action === 'delete' ? 'ungroup' : 'restore'}.`,
    );
  }
  return stateOf(db, head.id, reader);
}

export const boardCards = new Hono<AppEnv>()
  // ── Cards ────────────────────────────────────────────────────────────────
  .post(
    '/:id/cards',
    allow('account'),
    documented({
      summary: 'Add a card to a column',
      description:
        'On an anonymous board a member’s card waits, shown only to its author, until a facilitator shows it.',
      tags: ['boards'],
      responses: created,
    }),
    jsonBody(8 * 1024),
    valid('json', newCard),
    async (c) => {
      const { head, reader } = await boardFor(c, 'write');
      const body = c.req.valid('json');
      if (!isColumnOf(head.template, body.column)) throw unknownColumn(body.column);
      await addCard(c.env.DB, {
        ...body,
        id: crypto.randomUUID(),
        boardId: head.id,
        status: newCardStatus(head.anonymous, reader.role),
        authorId: reader.accountId,
        at: new Date().toISOString(),
      });
      return c.json((await stateOf(c.env.DB, head.id, reader)) satisfies z.input<typeof boardState>, 201);
    },
  )
  .patch(
    '/:id/cards/:cardId',
    allow('account'),
    documented({
      summary: 'Edit, move, cluster, show or hide a card',
      description:
        'Send the card’s `version`; a stale one is refused with the card as it is now. `position` counts the cards you see in the column; showing and hiding is for facilitators.',
      tags: ['boards'],
      responses: board,
    }),
    jsonBody(8 * 1024),
    valid('json', cardChange),
    async (c) => {
      const access = await boardFor(c, 'write');
      const { head, reader } = access;
      const body = c.req.valid('json');
      const db = c.env.DB;
      if (body.status !== undefined && !canFacilitate(reader.role)) {
        throw new ApiError(403, 'FACILITATORS_ONLY', 'Only the board’s facilitators can show or hide cards.');
      }
      const card = await liveCard(db, access, c.req.param('cardId'));
      if (body.version !== card.version) {
        throw conflict(
          'card',
          (await stateOf(db, head.id, reader)).cards.find((view) => view.id === card.id),
        );
      }
      if (body.column !== undefined && !isColumnOf(head.template, body.column)) throw unknownColumn(body.column);
      // Any string is checked, the empty one too (null takes the card out of its cluster).
      if (typeof body.clusterId === 'string') {
        if (!(await clusterExists(db, head.id, body.clusterId)))
          throw new ApiError(422, 'UNKNOWN_CLUSTER', 'That cluster is not on this board.', {
            clusterId: 'is not a cluster of this board',
          });
      }
      let position = card.position;
      const column = body.column ?? card.column;
      if (body.position !== undefined || column !== card.column) {
        // A place counts the cards this reader sees, as the positions the board showed them do.
        const places = (await columnPlaces(db, head.id, column)).filter(
          (place) => place.id !== card.id && cardVisibleTo(place, reader),
        );
        position = positionAt(places, body.position ?? places.length);
      }
      const applied = await editCard(
        db,
        head.id,
        card.id,
        body.version,
        {
          text: body.text ?? card.text,
          tags: body.tags ?? card.tags,
          column,
          position,
          clusterId: body.clusterId === undefined ? card.clusterId : body.clusterId,
          status: body.status ?? card.status,
        },
        new Date().toISOString(),
      );
      const state = await stateOf(db, head.id, reader);
      if (!applied)
        throw conflict(
          'card',
          state.cards.find((view) => view.id === card.id),
        );
      return c.json(state satisfies z.input<typeof boardState>);
    },
  )
  .delete(
    '/:id/cards/:cardId',
    allow('account'),
    documented({
      summary: 'Delete a card (its author or a facilitator)',
      description: 'A soft delete: the author and the facilitators can restore it.',
      tags: ['boards'],
      responses: board,
    }),
    noBody,
    async (c) => {
      const access = await boardFor(c, 'write');
      const card = await liveCard(c.env.DB, access, c.req.param('cardId'));
      requireOwnerOrFacilitator(access, card.authorId);
      const state = await softDelete(c.env.DB, access, 'board_cards', card.id, 'delete');
      return c.json(state satisfies z.input<typeof boardState>);
    },
  )
  .post(
    '/:id/cards/:cardId/restore',
    allow('account'),
    documented({
      summary: 'Restore a deleted card (its author or a facilitator)',
      tags: ['boards'],
      responses: board,
    }),
    jsonBody(1024),
    valid('json', emptyBody),
    async (c) => {
      const access = await boardFor(c, 'write');
      const card = await readCard(c.env.DB, access.head.id, c.req.param('cardId'));
      if (!card || card.deletedAt === null)
        throw new ApiError(404, 'CARD_NOT_FOUND', 'There is no deleted card to restore.');
      requireOwnerOrFacilitator(access, card.authorId);
      const state = await softDelete(c.env.DB, access, 'board_cards', card.id, 'restore');
      return c.json(state satisfies z.input<typeof boardState>);
    },
  )
  // ── Comments ─────────────────────────────────────────────────────────────
  .post(
    '/:id/cards/:cardId/comments',
    allow('account'),
    documented({ summary: 'Comment on a card', tags: ['boards'], responses: created }),
    jsonBody(8 * 1024),
    valid('json', newComment),
    async (c) => {
      const access = await boardFor(c, 'write');
      const card = await liveCard(c.env.DB, access, c.req.param('cardId'));
      await addComment(c.env.DB, {
        id: crypto.randomUUID(),
        boardId: access.head.id,
        cardId: card.id,
        authorId: access.reader.accountId,
        text: c.req.valid('json').text,
        at: new Date().toISOString(),
      });
      const state = await stateOf(c.env.DB, access.head.id, access.reader);
      return c.json(state satisfies z.input<typeof boardState>, 201);
    },
  )
  .delete(
    '/:id/comments/:commentId',
    allow('account'),
    documented({
      summary: 'Delete a comment (its author or a facilitator)',
      description: 'A soft delete: the author and the facilitators can restore it.',
      tags: ['boards'],
      responses: board,
    }),
    noBody,
    async (c) => {
      const access = await boardFor(c, 'write');
      const comment = await commentOf(c.env.DB, access.head.id, c.req.param('commentId'));
      if (comment.deletedAt !== null) throw new ApiError(404, 'COMMENT_NOT_FOUND', 'That comment was already deleted.');
      requireOwnerOrFacilitator(access, comment.authorId);
      const state = await softDelete(c.env.DB, access, 'board_comments', comment.id, 'delete');
      return c.json(state satisfies z.input<typeof boardState>);
    },
  )
  .post(
    '/:id/comments/:commentId/restore',
    allow('account'),
    documented({
      summary: 'Restore a deleted comment (its author or a facilitator)',
      tags: ['boards'],
      responses: board,
    }),
    jsonBody(1024),
    valid('json', emptyBody),
    async (c) => {
      const access = await boardFor(c, 'write');
      const comment = await commentOf(c.env.DB, access.head.id, c.req.param('commentId'));
      if (comment.deletedAt === null)
        throw new ApiError(404, 'COMMENT_NOT_FOUND', 'There is no deleted comment to restore.');
      requireOwnerOrFacilitator(access, comment.authorId);
      const state = await softDelete(c.env.DB, access, 'board_comments', comment.id, 'restore');
      return c.json(state satisfies z.input<typeof boardState>);
    },
  )
  // ── Dot voting ───────────────────────────────────────────────────────────
  .post(
    '/:id/cards/:cardId/votes',
    allow('account'),
    documented({
      summary: 'Put one of your dots on a card',
      description: 'Within your vote budget and the board’s per-card cap, while the votes are not revealed.',
      tags: ['boards'],
      responses: board,
    }),
    jsonBody(1024),
    valid('json', emptyBody),
    async (c) => {
      const access = await boardFor(c, 'write');
      const { head, reader } = access;
      const card = await liveCard(c.env.DB, access, c.req.param('cardId'));
      if (card.status !== 'visible') {
        throw new ApiError(422, 'CARD_NOT_VISIBLE', 'Only cards shown to everyone can get dots.');
      }
      if (head.votesRevealed) throw votesRevealed();
      const applied = await addDot(c.env.DB, head.id, card.id, reader.accountId, new Date().toISOString());
      const state = await stateOf(c.env.DB, head.id, reader);
      if (!applied) {
        if (state.votesRevealed) throw votesRevealed();
        if (state.you.votesLeft === 0) {
          throw new ApiError(
            422,
            'VOTE_BUDGET_SPENT',
            `You have placed all ${state.voteBudget} of your dots; take one back to move it.`,
          );
        }
        throw new ApiError(422, 'CARD_VOTE_LIMIT', `At most ${state.votesPerCard} of your dots can go on one card.`);
      }
      return c.json(state satisfies z.input<typeof boardState>);
    },
  )
  .delete(
    '/:id/cards/:cardId/votes',
    allow('account'),
    documented({
      summary: 'Take one of your dots back off a card',
      tags: ['boards'],
      responses: board,
    }),
    noBody,
    async (c) => {
      const access = await boardFor(c, 'write');
      const { head, reader } = access;
      const card = await liveCard(c.env.DB, access, c.req.param('cardId'));
      if (head.votesRevealed) throw votesRevealed();
      if (!(await removeDot(c.env.DB, head.id, card.id, reader.accountId, new Date().toISOString()))) {
        throw new ApiError(422, 'NO_VOTE', 'You have no dot on this card to take back.');
      }
      return c.json((await stateOf(c.env.DB, head.id, reader)) satisfies z.input<typeof boardState>);
    },
  )
  // ── Clusters ─────────────────────────────────────────────────────────────
  .post(
    '/:id/clusters',
    allow('account'),
    documented({ summary: 'Group cards into a new cluster', tags: ['boards'], responses: created }),
    jsonBody(16 * 1024),
    valid('json', newCluster),
    async (c) => {
      const access = await boardFor(c, 'write');
      const { head, reader } = access;
      const { name, cardIds } = c.req.valid('json');
      for (const cardId of new Set(cardIds)) await liveCard(c.env.DB, access, cardId);
      await createCluster(c.env.DB, {
        id: crypto.randomUUID(),
        boardId: head.id,
        name,
        createdBy: reader.accountId,
        cardIds,
        at: new Date().toISOString(),
      });
      return c.json((await stateOf(c.env.DB, head.id, reader)) satisfies z.input<typeof boardState>, 201);
    },
  )
  .patch(
    '/:id/clusters/:clusterId',
    allow('account'),
    documented({
      summary: 'Rename a cluster',
      description: 'Send the cluster’s `version`; a stale one is refused with the cluster as it is now.',
      tags: ['boards'],
      responses: board,
    }),
    jsonBody(2 * 1024),
    valid('json', clusterRename),
    async (c) => {
      const { head, reader } = await boardFor(c, 'write');
      const { version: expected, name } = c.req.valid('json');
      const clusterId = c.req.param('clusterId');
      const applied = await renameCluster(c.env.DB, head.id, clusterId, expected, name, new Date().toISOString());
      const state = await stateOf(c.env.DB, head.id, reader);
      if (!applied) {
        const current = state.clusters.find((cluster) => cluster.id === clusterId && cluster.deletedAt === null);
        if (!current) throw new ApiError(404, 'CLUSTER_NOT_FOUND', 'That cluster is not on this board.');
        throw conflict('cluster', current);
      }
      return c.json(state satisfies z.input<typeof boardState>);
    },
  )
  .delete(
    '/:id/clusters/:clusterId',
    allow('account'),
    documented({
      summary: 'Ungroup a cluster',
      description: 'Its cards stay on the board; anyone who may write can restore the cluster.',
      tags: ['boards'],
      responses: board,
    }),
    noBody,
    async (c) => {
      const access = await boardFor(c, 'write');
      const state = await softDelete(c.env.DB, access, 'board_clusters', c.req.param('clusterId'), 'delete');
      return c.json(state satisfies z.input<typeof boardState>);
    },
  )
  .post(
    '/:id/clusters/:clusterId/restore',
    allow('account'),
    documented({ summary: 'Restore an ungrouped cluster', tags: ['boards'], responses: board }),
    jsonBody(1024),
    valid('json', emptyBody),
    async (c) => {
      const access = await boardFor(c, 'write');
      const state = await softDelete(c.env.DB, access, 'board_clusters', c.req.param('clusterId'), 'restore');
      return c.json(state satisfies z.input<typeof boardState>);
    },
  )
  // ── Hexagon Tool ratings ─────────────────────────────────────────────────
  .put(
    '/:id/ratings',
    allow('account'),
    documented({
      summary: 'Rate a candidate program on one Hexagon indicator',
      description: 'A null score takes your rating back.',
      tags: ['boards'],
      responses: board,
    }),
    jsonBody(2 * 1024),
    valid('json', rating),
    async (c) => {
      const access = await boardFor(c, 'write');
      const { head, reader } = access;
      if (head.template !== 'hexagon') throw wrongTemplate('Ratings', 'Hexagon Tool');
      const body = c.req.valid('json');
      const card = await liveCard(c.env.DB, access, body.cardId);
      if (card.column !== 'programs' || card.status !== 'visible') {
        throw new ApiError(422, 'UNKNOWN_CARD', 'Only candidate programs shown to everyone can be rated.', {
          cardId: 'is not a candidate program',
        });
      }
      await rate(c.env.DB, {
        ...body,
        boardId: head.id,
        cardId: card.id,
        accountId: reader.accountId,
        at: new Date().toISOString(),
      });
      return c.json((await stateOf(c.env.DB, head.id, reader)) satisfies z.input<typeof boardState>);
    },
  );
