/** Request plumbing shared by the route groups: JSON-only bodies, size limits, validation, origin checks. */
import type { MiddlewareHandler, TypedResponse, ValidationTargets } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { validator } from 'hono-openapi';
import Papa from 'papaparse';
import { type ZodType, z } from 'zod';
import { ApiError } from './errors';

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/**
 * A write route's body: at most `maxBytes`, parsed here once, so a body that is not JSON
 * is a 400 with its own code before any validator sees it (the Content-Type was already
 * checked for every write by `sameOriginWrites`).
 */
export function jsonBody(maxBytes: number): MiddlewareHandler {
  const limit = sizeLimit(maxBytes);
  return (c, next) =>
    limit(c, async () => {
      try {
        await c.req.json();
      } catch {
        throw new ApiError(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
      }
      await next();
    });
}

function sizeLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `The request body is over ${maxBytes / 1024} KB.`);
    },
  });
}

/** A DELETE reads no body; one that sends a large one anyway is refused like any oversized write. */
export const noBody = sizeLimit(1024);

/** The body of a write that needs no input: `{}`, and nothing else. */
export const emptyBody = z.strictObject({});

/**
 * zod validation whose failures answer 422 with the failing fields named. The same schema
 * documents the route's input in the OpenAPI document (`openapi.ts`).
 */
export function valid<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return validator(target, schema, (result) => {
    if (!result.success) {
      const fields: Record<string, string> = {};
      for (const issue of result.error) {
        const path = (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part));
        fields[path.join('.') || target] ??= issue.message;
      }
      throw new ApiError(422, 'INVALID_INPUT', 'Some fields are not valid.', fields);
    }
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery, refused before any handler runs. Browsers send
 * Sec-Fetch-Site and Origin with every unsafe request; one that comes from another site
 * is refused whatever it carries. Requests from programs (no such headers) carry no
 * ambient cookie to abuse. With the session cookie SameSite=Lax, POST and PATCH bodies
 * that must be application/json (a cross-site form cannot send that without a CORS
 * preflight this API never grants), this is defence in depth, not the only wall.
 */
export const sameOriginWrites: MiddlewareHandler = async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    const site = c.req.header('Sec-Fetch-Site');
    const origin = c.req.header('Origin');
    if ((site && site !== 'same-origin' && site !== 'none') || (origin && origin !== new URL(c.req.url).origin)) {
      throw new ApiError(403, 'CROSS_SITE', 'This request came from another site and was refused.');
    }
    if (c.req.method !== 'DELETE' && !JSON_MEDIA_TYPE.test(c.req.header('Content-Type') ?? '')) {
      throw new ApiError(400, 'UNSUPPORTED_CONTENT_TYPE', 'Send the body as application/json.');
    }
  }
  await next();
};

const SECURITY_HEADERS: NonNullable<Parameters<typeof secureHeaders>[0]> = {
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
  crossOriginResourcePolicy: 'same-origin',
};

/**
 * Headers on everything the Worker answers itself (the static pages get theirs from the
 * _headers file the site build writes). HSTS for a year, not Hono's 180-day default; API
 * answers are data, so their policy allows nothing to load or frame them.
 */
export const apiSecurityHeaders = secureHeaders(SECURITY_HEADERS);

/**
 * The same headers on what the Worker answers for a guarded page: the redirect to sign in
 * (no body, so the API's policy suits it) and the page or the 403 page it fetches from the
 * static files. A header the page's `_headers` rules already gave it is kept, so a page keeps
 * its own Content-Security-Policy; anything they left out is added.
 */
export const pageSecurityHeaders = secureHeaders({ ...SECURITY_HEADERS, overwrite: false });

/**
 * Every /api answer, errors included, depends on who asks or on live data (a roster, an
 * account, a dashboard, a CSV export, a survey's state), so no browser or shared cache may
 * keep one: set after the route, over anything it said.
 */
export const privateAnswers: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Cache-Control', 'private, no-store');
};

type CsvRow = Record<string, string | number | boolean | null | undefined>;

/**
 * A CSV download: the columns in this order, cells quoted as spreadsheets expect. Typed as
 * text, so the typed client still knows the JSON answer of a route that can send either.
 */
export function csv(
  filename: string,
  columns: readonly string[],
  rows: CsvRow[],
): Response & TypedResponse<string, 200, 'text'> {
  // A cell starting with = + - @ is quoted so that a spreadsheet never runs it as a formula.
  return new Response(Papa.unparse(rows, { columns: [...columns], escapeFormulae: true }), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
    },
  }) as Response & TypedResponse<string, 200, 'text'>;
}
