/**
 * The API's OpenAPI document as GET /api/openapi.json serves it: every route that declares
 * an audience with `allow(...)` is in it with that audience, every operation says what it
 * answers, and every refusal is the one Error body with the one list of codes. (That it is
 * valid OpenAPI 3.1 is checked in Node, domain/openapi.test.ts, where the validator runs.)
 */
import type { OpenAPIV3_1 } from 'openapi-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors';
import app from '../src/index';
import { audiences, openApiPath } from '../src/openapi';
import { api } from './helpers';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
/** Where the API is mounted: the document's one server. */
const API_BASE = '/api';
const DOCUMENT_ROUTE = `GET ${API_BASE}/openapi.json`;
const ERROR_REF = { $ref: '#/components/schemas/Error' };
/** Answers with no body: nothing to describe but the status. */
const NO_BODY = new Set(['204', '302', '303']);

let document: OpenAPIV3_1.Document;

/** Each operation by `METHOD /path`, the path as the document writes it. */
function operations(): Array<[string, OpenAPIV3_1.OperationObject]> {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item?.[method];
      return operation ? [[`${method.toUpperCase()} ${path}`, operation] as [string, OpenAPIV3_1.OperationObject]] : [];
    }),
  );
}

function responsesOf(operation: OpenAPIV3_1.OperationObject): Array<[string, OpenAPIV3_1.ResponseObject]> {
  return Object.entries(operation.responses ?? {}) as Array<[string, OpenAPIV3_1.ResponseObject]>;
}

beforeAll(async () => {
  const res = await api(`${API_BASE}/openapi.json`, {}, 'nobody');
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  document = await res.json();
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 for the API at /api', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: API_BASE }]);
  });

  it('has every route that declares an audience, with that audience as x-audience', () => {
    const declared = [...audiences(app)]
      .filter(([key]) => key !== DOCUMENT_ROUTE)
      .map(([key, audience]) => [key.split(' '), [...audience]] as const)
      .filter(([[, route = '']]) => route.startsWith(`${API_BASE}/`))
      .map(([[method, route = ''], audience]) => [`${method} ${openApiPath(route.slice(API_BASE.length))}`, audience]);
    const published = operations().map(([key, operation]) => [
      key,
      (operation as { 'x-audience'?: unknown })['x-audience'],
    ]);
    expect(Object.fromEntries(published)).toEqual(Object.fromEntries(declared));
  });

  it('documents a successful answer of every operation: its schema, or its media type', () => {
    const problems = operations().flatMap(([key, operation]) => {
      const answers = responsesOf(operation).filter(([status]) => /^[23]\d\d$/.test(status));
      if (answers.length === 0) return [`${key} documents no successful answer`];
      return answers.flatMap(([status, answer]) => {
        const media = Object.entries(answer.content ?? {});
        if (NO_BODY.has(status)) return media.length === 0 ? [] : [`${key} ${status} has a body`];
        if (media.length === 0) return [`${key} ${status} names no media type`];
        return media
          .filter(([type, { schema }]) => type === 'application/json' && !hasSchema(schema))
          .map(([type]) => `${key} ${status} ${type} has no schema`);
      });
    });
    expect(problems).toEqual([]);
  });

  it('answers every refusal with the Error body', () => {
    const problems = operations().flatMap(([key, operation]) => {
      const refusals = responsesOf(operation).filter(([status]) => /^[45]/.test(status));
      if (refusals.length === 0) return [`${key} documents no refusal`];
      return refusals
        .filter(
          ([, refusal]) =>
            JSON.stringify(refusal.content) !== JSON.stringify({ 'application/json': { schema: ERROR_REF } }),
        )
        .map(([status]) => `${key} ${status} is not the Error body`);
    });
    expect(problems).toEqual([]);
  });

  it('gives the Error body exactly the codes of ERROR_CODES', () => {
    const error = document.components?.schemas?.Error as OpenAPIV3_1.SchemaObject | undefined;
    const code = (error?.properties?.error as OpenAPIV3_1.SchemaObject | undefined)?.properties?.code as
      | OpenAPIV3_1.SchemaObject
      | undefined;
    expect(code?.enum).toEqual([...ERROR_CODES]);
  });
});

/** A JSON schema that says something about the body (an empty one allows anything). */
function hasSchema(schema: unknown): boolean {
  return (
    typeof schema === 'object' &&
    schema !== null &&
    ['$ref', 'type', 'anyOf', 'oneOf', 'allOf', 'const', 'enum'].some((word) => word in schema)
  );
}
