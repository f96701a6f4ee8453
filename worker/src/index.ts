/**
 * The Homegrown worker: serves the static site (Workers Static Assets) and the API under
 * /api. Reading order: this file composes middleware, route groups and the one error
 * handler; routes/ parse and validate; domain/ holds the product's logic (pure); db/
 * holds every SQL statement.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError, type ErrorBody } from './errors';
import { campaigns } from './routes/campaigns';
import { framework } from './routes/framework';
import { insights } from './routes/insights';
import { respondent } from './routes/respondent';

const api = new Hono<{ Bindings: Env }>()
  // For uptime checks (and the benchmark's baseline): answers without touching storage.
  .get('/health', (c) => c.json({ ok: true }))
  .route('/framework', framework)
  .route('/campaigns', campaigns)
  .route('/campaigns', respondent)
  .route('/campaigns', insights);

const app = new Hono<{ Bindings: Env }>().route('/api', api);

app.onError((error, c) => {
  if (error instanceof ApiError) {
    const body: ErrorBody = {
      error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
    };
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
