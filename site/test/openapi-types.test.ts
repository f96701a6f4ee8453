import { describe, expect, it } from 'vitest';
import { formatType, type Schema, typeText } from '../src/lib/openapi-types';

const SAFE = 9007199254740991;

describe('a JSON Schema as a TypeScript-like type', () => {
  it('names the plain types, and null', () => {
    expect(['string', 'integer', 'number', 'boolean', 'null'].map((type) => typeText({ type }))).toEqual([
      'string',
      'integer',
      'number',
      'boolean',
      'null',
    ]);
    expect(typeText({})).toBe('unknown');
    expect(typeText(true)).toBe('unknown');
  });

  it('writes a nullable type as a union with null', () => {
    expect(typeText({ type: ['string', 'null'] })).toBe('string | null');
    expect(typeText({ anyOf: [{ type: 'integer', minimum: 0, maximum: SAFE }, { type: 'null' }] })).toBe(
      'integer /* ≥ 0 */ | null',
    );
  });

  it('writes an enum as a union of literals, numbers unquoted', () => {
    expect(typeText({ type: 'string', enum: ['open', 'closed'] })).toBe('"open" | "closed"');
    expect(typeText({ type: 'integer', enum: [1, 2, 3] })).toBe('1 | 2 | 3');
    expect(typeText({ type: 'boolean', const: true })).toBe('true');
  });

  it('puts a long union one member a line', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        code: { type: 'string', enum: ['ACCOUNT_DISABLED', 'ACCOUNT_EXISTS', 'ACCOUNT_NOT_FOUND', 'BAD_REQUEST'] },
      },
      required: ['code'],
    };
    expect(typeText(schema)).toBe(
      '{\n  code:\n    | "ACCOUNT_DISABLED"\n    | "ACCOUNT_EXISTS"\n    | "ACCOUNT_NOT_FOUND"\n    | "BAD_REQUEST";\n}',
    );
  });

  it('writes a nested object one property a line, optional ones with ?', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: {
            message: { type: 'string' },
            rows: {
              type: 'array',
              items: {
                type: 'object',
                properties: { row: { type: 'integer', minimum: -SAFE, maximum: SAFE }, column: { type: 'string' } },
                required: ['row', 'column'],
              },
            },
            current: {},
          },
          required: ['message'],
        },
      },
      required: ['error'],
      additionalProperties: false,
    };
    expect(typeText(schema)).toBe(
      [
        '{',
        '  error: {',
        '    message: string;',
        '    rows?: Array<{',
        '      row: integer;',
        '      column: string;',
        '    }>;',
        '    current?: unknown;',
        '  };',
        '}',
      ].join('\n'),
    );
  });

  it('writes a map as a Record, its keys from propertyNames', () => {
    expect(
      typeText({ type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } }),
    ).toBe('Record<string, string>');
    expect(typeText({ type: 'object', additionalProperties: {} })).toBe('Record<string, unknown>');
    expect(
      typeText({
        type: 'object',
        propertyNames: { type: 'string', enum: ['need', 'fit'] },
        additionalProperties: {
          type: 'object',
          properties: { score: { type: 'integer', minimum: 1, maximum: 5 } },
          required: ['score'],
        },
      }),
    ).toBe('Record<"need" | "fit", {\n  score: integer /* 1–5 */;\n}>');
  });

  it('writes prefixItems as a tuple, its fixed length no note', () => {
    expect(
      typeText({
        type: 'array',
        prefixItems: [{ type: 'number' }, { type: 'number' }],
        items: false,
        minItems: 2,
        maxItems: 2,
      }),
    ).toBe('[number, number]');
    expect(typeText({ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'integer' } })).toBe(
      '[string, ...integer[]]',
    );
  });

  it('answers a $ref as a segment of its own, to link', () => {
    expect(formatType({ $ref: '#/components/schemas/Board' })).toEqual([{ ref: 'Board' }]);
    expect(
      formatType({
        type: 'object',
        properties: { board: { $ref: '#/components/schemas/Board' } },
        required: ['board'],
      }),
    ).toEqual(['{\n  board: ', { ref: 'Board' }, ';\n}']);
    expect(typeText({ type: 'array', items: { $ref: '#/components/schemas/Comment' } })).toBe('Comment[]');
  });

  it('writes anyOf as a union and a null member as null', () => {
    expect(
      formatType({
        anyOf: [{ $ref: '#/components/schemas/Campaign' }, { type: 'null' }],
      }),
    ).toEqual([{ ref: 'Campaign' }, ' | null']);
    expect(
      typeText({
        anyOf: [
          { type: 'object', properties: { ok: { type: 'boolean', const: true } }, required: ['ok'] },
          { type: 'null' },
        ],
      }),
    ).toBe('{\n  ok: true;\n} | null');
  });

  it('writes allOf as an intersection, a union in it in brackets', () => {
    expect(
      typeText({
        allOf: [{ $ref: '#/components/schemas/Account' }, { anyOf: [{ type: 'string' }, { type: 'null' }] }],
      }),
    ).toBe('Account & (string | null)');
  });

  it('says constraints in a short trailing comment', () => {
    expect(typeText({ type: 'integer', minimum: 1, maximum: 100 })).toBe('integer /* 1–100 */');
    expect(typeText({ type: 'integer', exclusiveMinimum: 0, maximum: SAFE })).toBe('integer /* > 0 */');
    expect(typeText({ type: 'string', maxLength: 254, format: 'email', pattern: '^.+@.+$' })).toBe(
      'string /* ≤ 254 chars, email */',
    );
    expect(typeText({ type: 'string', pattern: '^[0-9a-f]{32}$' })).toBe('string /* pattern ^[0-9a-f]{32}$ */');
    expect(typeText({ type: 'string', minLength: 1, maxLength: 200, default: '' })).toBe(
      'string /* 1–200 chars, default "" */',
    );
    expect(typeText({ type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 8 })).toBe(
      'string[] /* 1–8 items */',
    );
    expect(typeText({ type: 'array', items: { type: 'integer', minimum: 1, maximum: 5 }, maxItems: 3 })).toBe(
      'Array<integer /* 1–5 */> /* ≤ 3 items */',
    );
  });
});
