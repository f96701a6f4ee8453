/**
 * The Homegrown worker: serves the static site (Workers Static Assets) and the API under
 * /api. Reading order: this file composes middleware, route groups and the one error
 * handler; auth/ says who is calling and what they may do; routes/ parse and validate;
 * domain/ holds the product's logic (pure); db/ holds every SQL statement; pages.ts
 * guards the signed-in pages.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { allow } from './auth/access';
import { type AppEnv, loadSession } from './auth/session';
import { ApiError, type ErrorBody } from './errors';
import { apiSecurityHeaders, privateAnswers, sameOriginWrites } from './http';
import { documented, openApiDocument } from './openapi';
import { pages } from './pages';
import { accounts } from './routes/accounts';
import { audit } from './routes/audit';
import { auth } from './routes/auth';
import { boards } from './routes/boards';
import { campaigns } from './routes/campaigns';
import { comments } from './routes/comments';
import { focuses } from './routes/focuses';
import { framework } from './routes/framework';
import { leaders } from './routes/leaders';
import { pilots } from './routes/pilots';
import { responses } from './routes/responses';
import { roster } from './routes/roster';

/** The API mounted at /api; exported so the site renders its reference from the same document (api-reference.astro). */
export const api = new Hono<AppEnv>()
  .use(apiSecurityHeaders, privateAnswers, sameOriginWrites, loadSession)
  // For uptime checks (and the benchmark's baseline): answers without touching storage.
  .get(
    '/health',
    allow('public'),
    documented({
      summary: 'Is the worker up',
      tags: ['health'],
      responses: { 200: { schema: z.object({ ok: z.literal(true) }) } },
    }),
    (c) => c.json({ ok: true as const }),
  )
  .route('/auth', auth)
  .route('/accounts', accounts)
  .route('/roster', roster)
  .route('/audit', audit)
  .route('/framework', framework)
  .route('/campaigns', campaigns)
  .route('/campaigns', responses)
  .route('/campaigns', focuses)
  .route('/campaigns', pilots)
  .route('/campaigns', leaders)
  .route('/campaigns', comments)
  .route('/boards', boards);

// The contract, generated from the routes themselves (openapi.ts); not part of AppType.
let document: ReturnType<typeof openApiDocument> | undefined;
api.get('/openapi.json', allow('public'), async (c) => {
  document ??= openApiDocument(api);
  return c.json(await document);
});

const app = new Hono<AppEnv>().route('/api', api).route('/', pages);

app.onError((error, c) => {
  if (error instanceof ApiError) {
    const body: ErrorBody = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.fields ? { fields: error.fields } : {}),
        ...(error.extra?.rows ? { rows: error.extra.rows } : {}),
        ...(error.extra?.violations ? { violations: error.extra.violations } : {}),
        ...(error.extra?.current !== undefined ? { current: error.extra.current } : {}),
      },
    };
    if (error.extra?.retryAfterSeconds) c.header('Retry-After', String(error.extra.retryAfterSeconds));
    return c.json(body, error.status);
  }
  if (error instanceof HTTPException && error.status < 500) {
    const body: ErrorBody = { error: { code: 'BAD_REQUEST', message: error.message } };
    return c.json(body, error.status);
  }
  console.error(error);
  const body: ErrorBody = {
    error: { code: 'INTERNAL', message: 'Something went wrong on our side; please try again.' },
  };
  return c.json(body, 500);
});

app.notFound((c) => {
  const body: ErrorBody = { error: { code: 'NOT_FOUND', message: `No API route ${c.req.method} ${c.req.path}.` } };
  return c.json(body, 404);
});

export type AppType = typeof api;
export default app;
