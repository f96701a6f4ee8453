/**
 * Every code the API answers a refusal with: one list, so the pages switch on a type and a
 * misspelled code fails to compile. An answer that breaks the survey's rules carries the
 * rule's code (`AnswerErrorCode`, a subset of these).
 */
export const ERROR_CODES = [
  'ACCOUNT_DISABLED',
  'ACCOUNT_EXISTS',
  'ACCOUNT_NOT_FOUND',
  'ANONYMOUS_CAMPAIGN',
  'BAD_REQUEST',
  'BOARD_LOCKED',
  'BOARD_NOT_FOUND',
  'CAMPAIGN_CLOSED',
  'CAMPAIGN_NOT_FOUND',
  'CARD_NOT_FOUND',
  'CARD_NOT_VISIBLE',
  'CARD_VOTE_LIMIT',
  'CLUSTER_NOT_FOUND',
  'COMMENT_NOT_FOUND',
  'CROSS_SITE',
  'DUPLICATE_CHOICE',
  'EMAIL_NOT_CONFIGURED',
  'EMAIL_NOT_SENT',
  'FACILITATORS_ONLY',
  'FOCUS_NOT_PRIORITIZED',
  'FORBIDDEN',
  'IDEMPOTENCY_KEY_REUSED',
  'INCOMPLETE_RATING',
  'INTERNAL',
  'INVALID_ANSWERS',
  'INVALID_CSV',
  'INVALID_CURSOR',
  'INVALID_IDEMPOTENCY_KEY',
  'INVALID_INPUT',
  'INVALID_WEIGHTS',
  'INVITATION_EXPIRED',
  'INVITATION_INVALID',
  'INVITATION_NOT_FOUND',
  'INVITATION_REQUIRED',
  'INVITATION_USED',
  'LAST_ADMIN',
  'LAST_FACILITATOR',
  'MALFORMED_JSON',
  'MEMBER_NOT_FOUND',
  'MISSING_IDEMPOTENCY_KEY',
  'NOT_AN_OBJECT',
  'NOT_A_MEMBER',
  'NOT_FOUND',
  'NOT_IN_THIS_CAMPAIGN',
  'NOT_YOURS',
  'NO_FOCUSES',
  'NO_VOTE',
  'OUT_OF_RANGE',
  'PAYLOAD_TOO_LARGE',
  'PILOT_CONSTRAINTS',
  'PLAN_NOT_FOUND',
  'PUBLIC_ORIGIN_NOT_CONFIGURED',
  'RATE_LIMITED',
  'READ_ONLY',
  'REQUIRED',
  'ROSTER_INVALID',
  'SELF_NOMINATION',
  'SIGNED_OUT',
  'SIGN_IN_FIRST',
  'SIGN_IN_LINK_INVALID',
  'SSO_NOT_CONFIGURED',
  'TOO_LONG',
  'TOO_MANY_CHOICES',
  'UNKNOWN_CARD',
  'UNKNOWN_CLUSTER',
  'UNKNOWN_COLUMN',
  'UNKNOWN_ID',
  'UNKNOWN_QUESTION',
  'UNSUPPORTED_CONTENT_TYPE',
  'VERSION_CONFLICT',
  'VOTES_REVEALED',
  'VOTE_BUDGET_SPENT',
  'WRONG_ACCOUNT',
  'WRONG_TEMPLATE',
  'WRONG_TYPE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
/** Some of the codes, each checked to be on the list. */
export type CodesOf<Codes extends ErrorCode> = Codes;

/** An error a client can act on: an HTTP status, a stable SCREAMING_SNAKE_CASE code, a sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503,
    readonly code: ErrorCode,
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
    code: ErrorCode;
    message: string;
    fields?: Record<string, string>;
    rows?: RowError[];
    violations?: string[];
    /** On a 409 VERSION_CONFLICT: the object as it is now, for the client to re-apply its change to. */
    current?: unknown;
  };
}
