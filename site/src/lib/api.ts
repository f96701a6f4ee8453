/**
 * The one way the pages talk to the API: the typed client, whose routes, inputs and answers
 * come from the worker's own types (`AppType`), and `call`, which turns what came back into
 * either the answer or a refusal the page can show. Nothing else in the site calls `fetch`
 * on /api.
 */
import { hc } from 'hono/client';
import type { ErrorBody, ErrorCode, RowError } from '../../../worker/src/errors';
import type { AppType } from '../../../worker/src/index';

/** The typed API client. */
export const api = hc<AppType>('/api');

/** What a page knows when the API did not answer as asked. */
export type ProblemCode = ErrorCode | 'NETWORK' | 'UNREADABLE' | `HTTP_${number}`;

/** A refusal as the page shows it: the API's own sentence, and what it names. */
export interface Problem {
  status: number;
  code: ProblemCode;
  message: string;
  fields?: Record<string, string>;
  rows?: RowError[];
  violations?: string[];
  /** On a 409 VERSION_CONFLICT: the object as it is now. */
  current?: unknown;
  /** How long the server asked to wait before asking again (a 429's Retry-After), in ms. */
  retryAfterMs?: number;
}

export type Outcome<T> = { ok: true; data: T } | { ok: false; problem: Problem };

export const NETWORK_PROBLEM: Problem = {
  status: 0,
  code: 'NETWORK',
  message: 'The server could not be reached. Check your connection and try again.',
};

const UNREADABLE: Problem = {
  status: 0,
  code: 'UNREADABLE',
  message: 'The server sent an answer this page cannot read.',
};

/** Where to sign in and come back to `next` (by default, this very page and its query). */
export function signInUrl(next: string = location.pathname + location.search): string {
  return `/sign-in/?next=${encodeURIComponent(next)}`;
}

/**
 * The address of an API route for what the browser asks for itself rather than through
 * `call` (a download, a single sign-on redirect, SurveyJS's choices), from the typed client's
 * own path: `apiHref(api.campaigns[':id'].focuses.$path({ param: { id }, query }))`.
 */
export function apiHref(path: string): string {
  return `/api${path}`;
}

/** Retry-After as seconds or an HTTP date, in milliseconds; 0 when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

/** Whether a refusal means the page should offer to try again (nothing was wrong with the request). */
export function retryable(problem: Problem): boolean {
  return problem.status === 0 || problem.status >= 500 || problem.code === 'RATE_LIMITED';
}

/** What the typed client answers; errors never appear in it, since the worker throws them. */
interface Answer<T> {
  ok: boolean;
  status: number;
  headers: Headers;
  json(): Promise<T>;
}

export interface CallOptions {
  /**
   * On 401 SIGNED_OUT, go to sign in and come back here (the default for signed-in pages),
   * or just report it (a page that handles being signed out itself).
   */
  signedOut?: 'sign-in' | 'report';
}

let leaving = false;

/**
 * Sends one request through the typed client and reads either its answer or its refusal:
 * `await call(() => api.campaigns[':id'].$get({ param: { id } }))`.
 */
export async function call<T>(send: () => Promise<Answer<T>>, options: CallOptions = {}): Promise<Outcome<T>> {
  let res: Answer<T>;
  try {
    res = await send();
  } catch {
    return { ok: false, problem: NETWORK_PROBLEM };
  }
  if (!res.ok) {
    const problem = await problemFrom(res);
    if (problem.code === 'SIGNED_OUT' && (options.signedOut ?? 'sign-in') === 'sign-in' && !leaving) {
      leaving = true;
      location.assign(signInUrl());
    }
    return { ok: false, problem };
  }
  try {
    return { ok: true, data: await res.json() };
  } catch {
    return { ok: false, problem: UNREADABLE };
  }
}

/** What went wrong, in the API's words when it gave any. */
async function problemFrom(res: { status: number; headers: Headers; json(): Promise<unknown> }): Promise<Problem> {
  // The body of a refusal is the worker's ErrorBody (see worker/src/errors.ts), or nothing
  // readable when something between us and the worker answered.
  const body = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
  const error = body?.error;
  const wait = retryAfterMs(res.headers.get('Retry-After'));
  return {
    status: res.status,
    code: error?.code ?? `HTTP_${res.status}`,
    message: error?.message ?? `The server answered ${res.status}; please try again.`,
    ...(error?.fields ? { fields: error.fields } : {}),
    ...(error?.rows ? { rows: error.rows } : {}),
    ...(error?.violations ? { violations: error.violations } : {}),
    ...(error?.current !== undefined ? { current: error.current } : {}),
    ...(wait > 0 ? { retryAfterMs: wait } : {}),
  };
}
