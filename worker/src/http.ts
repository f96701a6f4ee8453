/** Request plumbing shared by the route groups: JSON-only bodies, size limits, validation. */
import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ZodType } from 'zod';
import { ApiError } from './errors';

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Unsafe methods take JSON only, parsed here once: a wrong Content-Type or a body that
 * is not JSON is a 400 with its own code, before any validator sees it.
 */
export function jsonBody(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `The request body is over ${maxBytes / 1024} KB.`);
    },
  });
  return (c, next) =>
    limit(c, async () => {
      if (!JSON_MEDIA_TYPE.test(c.req.header('Content-Type') ?? '')) {
        throw new ApiError(400, 'UNSUPPORTED_CONTENT_TYPE', 'Send the body as application/json.');
      }
      try {
        await c.req.json();
      } catch {
        throw new ApiError(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
      }
      await next();
    });
}

/** zod validation whose failures answer 422 with the failing fields named. */
export function valid<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const fields: Record<string, string> = {};
      for (const issue of result.error.issues) {
        fields[issue.path.join('.') || target] ??= issue.message;
      }
      throw new ApiError(422, 'INVALID_INPUT', 'Some fields are not valid.', fields);
    }
  });
}
