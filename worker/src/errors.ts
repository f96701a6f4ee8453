/** An error a client can act on: an HTTP status, a stable SCREAMING_SNAKE_CASE code, a sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly extra?: { rows?: RowError[]; violations?: string[]; retryAfterSeconds?: number; current?: unknown },
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A problem in one cell of an uploaded file: the row as a spreadsheet numbers it. */
export interface RowError {
  row: number;
  /** '' when the problem is the whole row or file rather than one cell. */
  column: string;
  message: string;
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    fields?: Record<string, string>;
    rows?: RowError[];
    violations?: string[];
    /** On a 409 VERSION_CONFLICT: the object as it is now, for the client to re-apply its change to. */
    current?: unknown;
  };
}
