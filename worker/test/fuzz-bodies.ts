/**
 * Generators for fuzz.test.ts: hostile values, hostile path ids, mutations of a valid body,
 * and how a request is sent (Content-Type, malformed JSON, keys). Everything here is data:
 * a generated case describes what to do, and fuzz.test.ts applies it to the fixture at run
 * time, so a counterexample fast-check prints reads as "drop the field at path 3", not as
 * a fixture id that no longer exists.
 */
import fc from 'fast-check';

/** Strings that have broken parsers, databases, spreadsheets and pages elsewhere. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  ' \t\n\r ',
  '\u0000',
  'a\u0000b',
  'x'.repeat(10_000),
  "=cmd|' /C calc'!A0",
  '+1+1',
  '@SUM(A1)',
  '<script>alert(1)</script>',
  "'; DROP TABLE accounts; --",
  '" OR ""="',
  '../../../etc/passwd',
  '%00',
  'null',
  'undefined',
  'NaN',
  '0',
  '-1',
  '1e309',
  '\u202eevil',
  'Ünïcödé 名前 🙂',
  '\ud83d',
  '\uffff',
  '__proto__',
  'constructor',
  'formative-assessment ',
  'FORMATIVE-ASSESSMENT',
];

/** Numbers at the edges: zero, negatives, fractions, beyond safe integers, beyond 32 and 64 bits. */
export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -1,
  1,
  0.5,
  -0.5,
  5,
  6,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 64,
  -(2 ** 63),
  1e308,
  -1e308,
  1e-300,
];

/** JSON values of every other shape, including a `__proto__` own key (JSON.parse makes one). */
export const HOSTILE_STRUCTURES: readonly unknown[] = [
  null,
  true,
  false,
  [],
  {},
  [null],
  [[]],
  [''],
  { '': '' },
  JSON.parse('{"__proto__":{"admin":true}}'),
  Array.from({ length: 300 }, (_, i) => `id-${i}`),
];

const hostileString = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
);

/** A value to put where a field was: hostile strings, edge numbers, other shapes, random JSON. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 3 },
  { arbitrary: fc.constantFrom(...HOSTILE_STRUCTURES), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);

/** Ids for path parameters that are not real: empty-ish, long, unicode, traversal, SQL quotes, numbers. */
export const HOSTILE_IDS: readonly string[] = [
  '',
  ' ',
  'x'.repeat(2_000),
  '💥',
  '名前',
  '..',
  '../..',
  '../',
  "'",
  "' OR '1'='1",
  '"; DROP TABLE boards; --',
  '0',
  '-1',
  '9'.repeat(40),
  'null',
  '%',
  '%00',
  '\u0000',
  'a/b',
  '?x=1',
  '#frag',
  '.',
  '00000000-0000-4000-8000-000000000000',
];

/** How a path parameter is filled: one of the fixture's real ids (mostly the first), or a hostile one. */
export type ParamChoice = { real: number } | { hostile: string; raw: boolean };

export const paramChoice: fc.Arbitrary<ParamChoice> = fc.oneof(
  { arbitrary: fc.constant({ real: 0 }), weight: 7 },
  { arbitrary: fc.nat({ max: 9 }).map((real) => ({ real })), weight: 2 },
  {
    arbitrary: fc.record({
      hostile: fc.oneof(
        { arbitrary: fc.constantFrom(...HOSTILE_IDS), weight: 3 },
        { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
      ),
      // Raw: put in the URL as it is (so `..` is normalized away); else percent-encoded.
      raw: fc.boolean(),
    }),
    weight: 2,
  },
);

/** One change to a valid body, at the `at`-th path of its tree (counted modulo the number of paths). */
export type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'retype'; at: number }
  | { op: 'empty'; at: number }
  | { op: 'extra'; at: number; key: string; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('drop' as const), at: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: hostileValue }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('retype' as const), at: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('empty' as const), at: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({
      op: fc.constant('extra' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom('extra', 'id', 'admin', 'role', '__proto__', ''), fc.string({ maxLength: 8 })),
      value: hostileValue,
    }),
    weight: 1,
  },
);

/** What the body is: the route's valid one, that one mutated, or unrelated JSON. */
export type BodyChoice =
  | { kind: 'valid' }
  | { kind: 'mutated'; mutations: Mutation[] }
  | { kind: 'json'; value: unknown }
  | { kind: 'none' };

export const bodyChoice: fc.Arbitrary<BodyChoice> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'valid' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('mutated' as const),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
    }),
    weight: 10,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('json' as const),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.dictionary(fc.string({ maxLength: 12 }), hostileValue, { maxKeys: 4 }),
        hostileValue,
        // fc.anything, made JSON: Maps, Sets, Dates, typed arrays and undefined as JSON.stringify writes them.
        fc
          .anything({ maxDepth: 2, withBigInt: false })
          .map((value) => JSON.parse(JSON.stringify(value) ?? 'null') as unknown),
      ),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
);

/** How the body travels: mostly as JSON; sometimes malformed, padded past every limit, or mislabelled. */
export type Transport = {
  contentType: 'json' | 'json-charset' | 'json-upper' | 'text' | 'form' | 'missing' | 'jsonx';
  text: 'json' | 'truncated' | 'trailing' | 'padded' | { constant: number };
  /** Idempotency-Key, for routes that take one. */
  key: 'fresh' | 'missing' | 'not-a-uuid' | 'upper' | 'reused';
  /** A personal link, for routes that take one. */
  link: 'right' | 'missing' | 'garbage' | 'not-bearer' | 'used';
  crossSite: 'no' | 'origin' | 'fetch-site' | 'same-origin';
  /** The caller's address (rate-limit key): mostly a new one per case, sometimes one shared by all. */
  address: number | 'shared';
};

export const MALFORMED_TEXTS: readonly string[] = [
  '',
  '{',
  '{"a":',
  '[1,',
  "{'a':1}",
  'undefined',
  'NaN',
  '\u0000',
  '{"a":1}{"b":2}',
  '\ufeff{}',
  '{"a":"\\ud800"}',
  '{"answers":{"school":"maple-elementary","role":"classroom-teacher"},}',
  '1e999999',
];

const pick = <T>(weighted: Array<[T, number]>) =>
  fc.oneof(...weighted.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

export const transport: fc.Arbitrary<Transport> = fc.record({
  contentType: pick<Transport['contentType']>([
    ['json', 20],
    ['json-charset', 2],
    ['json-upper', 1],
    ['text', 1],
    ['form', 1],
    ['missing', 1],
    ['jsonx', 1],
  ]),
  text: fc.oneof(
    { arbitrary: fc.constant('json' as const), weight: 24 },
    { arbitrary: fc.constantFrom('truncated' as const, 'trailing' as const, 'padded' as const), weight: 3 },
    { arbitrary: fc.nat({ max: MALFORMED_TEXTS.length - 1 }).map((constant) => ({ constant })), weight: 2 },
  ),
  key: pick<Transport['key']>([
    ['fresh', 20],
    ['missing', 1],
    ['not-a-uuid', 1],
    ['upper', 1],
    ['reused', 2],
  ]),
  link: pick<Transport['link']>([
    ['right', 20],
    ['missing', 1],
    ['garbage', 1],
    ['not-bearer', 1],
    ['used', 1],
  ]),
  crossSite: pick<Transport['crossSite']>([
    ['no', 30],
    ['origin', 1],
    ['fetch-site', 1],
    ['same-origin', 1],
  ]),
  address: fc.oneof({ arbitrary: fc.nat(), weight: 9 }, { arbitrary: fc.constant('shared' as const), weight: 1 }),
});

export const CONTENT_TYPES: Record<Transport['contentType'], string | null> = {
  json: 'application/json',
  'json-charset': 'application/json; charset=utf-8',
  'json-upper': 'APPLICATION/JSON',
  text: 'text/plain',
  form: 'application/x-www-form-urlencoded',
  missing: null,
  jsonx: 'application/jsonx',
};

/** The body as text, as the transport says to send it (undefined: no body at all). */
export function bodyText(body: unknown, how: Transport['text']): string | undefined {
  if (typeof how === 'object') return MALFORMED_TEXTS[how.constant] ?? '';
  if (body === undefined) return how === 'padded' ? ' '.repeat(70 * 1024) : undefined;
  const json = JSON.stringify(body);
  switch (how) {
    case 'json':
      return json;
    case 'truncated':
      return json.slice(0, Math.max(0, json.length - 1));
    case 'trailing':
      return `${json} x`;
    case 'padded':
      // Valid JSON, over the 64 KB most routes allow (under the roster's 4 MB).
      return `${json}${' '.repeat(70 * 1024)}`;
  }
}

/** Every path into a JSON tree (not the root itself), depth first. */
export function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const children: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  return children.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function parentOf(root: unknown, path: Array<string | number>): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  return node;
}

/** The same kind of thing in the wrong type: a string for a number, a list for an object… */
function retyped(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? 0 : Number.isNaN(Number(value)) ? [value] : Number(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (value === null) return 'null';
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, index) => [index, item]));
  return Object.values(value as object);
}

function emptied(value: unknown): unknown {
  if (typeof value === 'string') return '';
  if (typeof value === 'number') return 0;
  if (Array.isArray(value)) return [];
  if (value !== null && typeof value === 'object') return {};
  return null;
}

/** The valid body with these mutations applied in order (a fresh copy; the valid body is not touched). */
export function mutate(valid: unknown, mutations: Mutation[]): unknown {
  let root: unknown = valid === undefined ? {} : structuredClone(valid);
  for (const m of mutations) {
    const paths = pathsOf(root);
    if (paths.length === 0) {
      // Nothing inside to change: the change applies to the body itself.
      if (m.op === 'extra')
        root = Object.defineProperty({}, m.key, {
          value: structuredClone(m.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else if (m.op === 'set') root = structuredClone(m.value);
      else if (m.op === 'retype') root = retyped(root);
      else root = m.op === 'drop' ? undefined : emptied(root);
      if (root === undefined) root = {};
      continue;
    }
    const path = paths[m.at % paths.length] as Array<string | number>;
    const parent = parentOf(root, path);
    const key = path.at(-1) as string | number;
    switch (m.op) {
      case 'drop':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        break;
      case 'set':
        parent[key] = structuredClone(m.value);
        break;
      case 'retype':
        parent[key] = retyped(parent[key]);
        break;
      case 'empty':
        parent[key] = emptied(parent[key]);
        break;
      case 'extra': {
        const target = parent[key];
        const value = structuredClone(m.value);
        // defineProperty, so that a key such as `__proto__` becomes an own field that JSON.stringify writes.
        const own = { value, enumerable: true, writable: true, configurable: true };
        if (Array.isArray(target)) target.push(value);
        else if (target !== null && typeof target === 'object') Object.defineProperty(target, m.key, own);
        else if (Array.isArray(parent)) parent.push(value);
        else Object.defineProperty(parent, m.key, own);
        break;
      }
    }
  }
  return root;
}

/**
 * Every single mutation of a valid body that has found bugs elsewhere, one case each: at
 * each field, drop it, null it, empty it, give it the wrong type, and an edge value of its
 * own type; plus an unknown field beside the top-level ones. Paths into later elements of
 * a list repeat the first element's, so only first elements are swept (the random cases
 * reach the rest).
 */
export function sweep(valid: unknown): Mutation[][] {
  const paths = pathsOf(valid);
  const cases: Mutation[][] = [[{ op: 'extra', at: 0, key: 'unexpected', value: 'x' }]];
  paths.forEach((path, at) => {
    if (path.some((key) => typeof key === 'number' && key > 0)) return;
    let value: unknown = valid;
    for (const key of path) value = (value as Record<string | number, unknown>)[key];
    cases.push([{ op: 'drop', at }], [{ op: 'set', at, value: null }], [{ op: 'empty', at }], [{ op: 'retype', at }]);
    if (typeof value === 'number') cases.push([{ op: 'set', at, value: -1 }], [{ op: 'set', at, value: 1e308 }]);
    if (typeof value === 'string')
      cases.push([{ op: 'set', at, value: ' ' }], [{ op: 'set', at, value: 'x'.repeat(10_000) }]);
  });
  return cases;
}

/** A request as a case sent it, for failure messages and the known-bug list's tests. */
export interface SentRequest {
  route: string;
  method: string;
  path: string;
  as: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A sent body as JSON ({} when it is not a JSON object), for the known-bug list's tests. */
export function bodyOf(request: SentRequest): Record<string, unknown> & { answers?: Record<string, unknown> } {
  try {
    const body = JSON.parse(request.body ?? 'null') as unknown;
    return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
