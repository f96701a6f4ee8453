/**
 * The API's contract as an OpenAPI 3.1 document, generated from the code: request schemas
 * from the same zod validators the routes run (`valid` in http.ts), answer schemas from
 * the zod schemas each route names with `documented`, and each operation's audience
 * (`x-audience`) from its `allow(...)` check. Served at /api/openapi.json; the API
 * reference page and the contract tests read it.
 */
import type { Hono } from 'hono';
import { describeRoute, generateSpecs, resolver } from 'hono-openapi';
import type { OpenAPIV3_1 } from 'openapi-types';
import { type ZodType, z } from 'zod';
import type { AccessCheck, Audience } from './auth/access';
import { type AppEnv, SESSION_COOKIE } from './auth/session';
import { ERROR_CODES } from './errors';

const rowError = z.object({ row: z.number().int(), column: z.string(), message: z.string() });

/** Every refusal: a code from the one list, a sentence, and what it names. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
      rows: z.array(rowError).optional(),
      violations: z.array(z.string()).optional(),
      current: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

const refusal = {
  description: 'Refused: the error code and a sentence saying why.',
  content: { 'application/json': { schema: resolver(errorBody) } },
};

type Media = 'json' | 'csv' | 'markdown' | 'html';

interface Answer {
  /** The schema of a 2xx answer's body (for a CSV, its columns in order). */
  schema?: ZodType;
  media?: Media;
  description?: string;
  /** The CSV's header row, for `media: 'csv'`. */
  columns?: readonly string[];
  /** The same answer in other media types, chosen by the request (e.g. `?format=csv`). */
  also?: Omit<Answer, 'also' | 'description'>[];
}

export interface RouteDoc {
  summary: string;
  description?: string;
  tags: [string, ...string[]];
  /** The answers by status, e.g. `{ 200: { schema } }` or `{ 201: { schema } }`; 204 needs none. */
  responses: Partial<Record<200 | 201 | 202 | 204 | 302 | 303, Answer>>;
}

const MEDIA_TYPES: Record<Media, string> = {
  json: 'application/json',
  csv: 'text/csv',
  markdown: 'text/markdown',
  html: 'text/html',
};

/**
 * A route's entry in the OpenAPI document: what it is for and what it answers. Put it right
 * after `allow(...)`; any refusal is documented as the one error body.
 */
export function documented(doc: RouteDoc) {
  const responses: Record<string, OpenAPIV3_1.ResponseObject | typeof refusal> = {};
  for (const [status, answer] of Object.entries(doc.responses)) {
    const content = Object.fromEntries(
      [answer, ...(answer.also ?? [])].map((each) => {
        const media = each.media ?? 'json';
        const schema =
          media === 'json' && each.schema ? resolver(each.schema) : { type: 'string' as const, ...csvHeader(each) };
        return [MEDIA_TYPES[media], { schema }];
      }),
    );
    responses[status] = {
      description: answer.description ?? 'Done.',
      ...(status === '204' || status === '302' || status === '303' ? {} : { content }),
    } as OpenAPIV3_1.ResponseObject;
  }
  responses['4XX'] = refusal;
  return describeRoute({
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: doc.tags,
    responses: responses as never,
  });
}

function csvHeader(answer: Pick<Answer, 'columns'>) {
  return answer.columns ? { description: `CSV whose header row is: ${answer.columns.join(',')}` } : {};
}

/** The OpenAPI path of a Hono path: `/campaigns/:id` is `/campaigns/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The methods an OpenAPI path item can hold operations under, as the routes use them. */
export const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** The audience each (method, path) declares with `allow(...)`, read off the app's routes. */
export function audiences(app: Hono<AppEnv>): Map<string, readonly Audience[]> {
  const found = new Map<string, readonly Audience[]>();
  for (const route of app.routes) {
    const check = route.handler as Partial<AccessCheck>;
    if (check.audience) found.set(`${route.method} ${route.path}`, check.audience);
  }
  return found;
}

/** The whole document, for the API mounted at /api. */
export async function openApiDocument(app: Hono<AppEnv>): Promise<OpenAPIV3_1.Document> {
  const spec = (await generateSpecs(app, {
    documentation: {
      openapi: '3.1.0',
      info: {
        title: 'Homegrown API',
        version: '1',
        description:
          'Every route names its audience in `x-audience`: `public` (anyone), `respondent` (anyone with the ' +
          "campaign's link), `account` (any signed-in account) or district roles (`admin`, `director`, " +
          '`facilitator`, any of those listed). Signed-in calls carry the session cookie. ' +
          'Every refusal is the `Error` body with a code from one list.',
      },
      servers: [{ url: '/api' }],
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: `__Host-${SESSION_COOKIE}` } },
      },
    },
    exclude: ['/openapi.json'],
    // Validation failures are our 422 error body (`valid` in http.ts), covered by the 4XX entry.
    defaultValidationErrorResponse: false,
  })) as OpenAPIV3_1.Document;
  const byRoute = audiences(app);
  const undocumented = [...byRoute.keys()].filter((key) => {
    const [method = '', path = ''] = key.split(' ');
    return !spec.paths?.[openApiPath(path)]?.[method.toLowerCase() as 'get'] && path !== '/openapi.json';
  });
  if (undocumented.length > 0) throw new Error(`Routes missing from the OpenAPI document: ${undocumented.join(', ')}`);
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      const honoPath = path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
      const audience = byRoute.get(`${method.toUpperCase()} ${honoPath}`);
      if (!audience) throw new Error(`${method.toUpperCase()} ${honoPath} names no audience with allow(...)`);
      const open = audience.includes('public') || audience.includes('respondent');
      Object.assign(operation, { 'x-audience': [...audience], ...(open ? {} : { security: [{ session: [] }] }) });
    }
  }
  return spec;
}
