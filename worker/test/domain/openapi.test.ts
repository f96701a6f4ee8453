/**
 * The API's OpenAPI document is valid OpenAPI 3.1, by a maintained validator, and each of
 * its schemas is valid JSON Schema 2020-12 (the validator checks the document's structure,
 * not the schemas inside). In Node, because the validator compiles code at run time, which
 * workerd forbids; what the document says about each route is ../openapi.test.ts.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020';
import type { OpenAPIV3_1 } from 'openapi-types';
import { expect, it } from 'vitest';

/**
 * The worker, imported by a path the type checker does not follow: its types need workerd's
 * globals (Env, D1Database), which this Node project leaves out. Only its `request` is used.
 */
const WORKER = '../../src/index';
type Worker = { request(path: string, init: RequestInit, env: object): Promise<Response> };

it('is a valid OpenAPI 3.1 document whose schemas are valid JSON Schema', async () => {
  const { default: app }: { default: Worker } = await import(WORKER);
  // The document needs no storage: it is generated from the routes.
  const res = await app.request('/api/openapi.json', {}, { DB: null });
  expect(res.status).toBe(200);
  const document = (await res.json()) as OpenAPIV3_1.Document;
  // The validator resolves every $ref in place, so it gets a copy.
  await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
  const ajv = new Ajv2020({ strict: false });
  const invalid = schemasOf(document).filter(([, schema]) => !ajv.validateSchema(schema));
  expect(invalid.map(([where]) => where)).toEqual([]);
});

/** Every schema in the document, with where it is. */
function schemasOf(document: OpenAPIV3_1.Document): Array<[string, object]> {
  const found: Array<[string, object]> = Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => [
    `#/components/schemas/${name}`,
    schema,
  ]);
  const visit = (where: string, node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'schema' && typeof value === 'object' && value !== null) found.push([`${where}/schema`, value]);
      else visit(`${where}/${key}`, value);
    }
  };
  visit('#/paths', document.paths);
  return found;
}
