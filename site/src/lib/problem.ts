/** How the pages read a refusal from the API: its code, its sentence and what it names. */
import type { RowError } from '../../../worker/src/errors';

/** A refusal as the page shows it: the API's own sentence, and what it names. */
export interface Problem {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
  rows?: RowError[];
  violations?: string[];
}

export const NETWORK_PROBLEM: Problem = {
  status: 0,
  code: 'NETWORK',
  message: 'The server could not be reached. Check your connection and try again.',
};

export interface ResponseLike<T> {
  ok: boolean;
  status: number;
  json(): Promise<T>;
}

/** What went wrong, in the API's words when it gave any. */
export async function problemFrom(res: { status: number; json(): Promise<unknown> }): Promise<Problem> {
  const body = (await res.json().catch(() => null)) as { error?: Partial<Problem> } | null;
  const error = body?.error;
  return {
    status: res.status,
    code: error?.code ?? `HTTP_${res.status}`,
    message: error?.message ?? `The server answered ${res.status}; please try again.`,
    ...(error?.fields ? { fields: error.fields } : {}),
    ...(error?.rows ? { rows: error.rows } : {}),
    ...(error?.violations ? { violations: error.violations } : {}),
  };
}

export type Outcome<T> = { ok: true; data: T } | { ok: false; problem: Problem };
