/**
 * A JSON Schema (as the worker's OpenAPI document writes it) as a TypeScript-like type, for
 * the API reference page (pages/api-reference.astro): `string | null`, `"a" | "b"`,
 * `Record<string, T>`, `[number, number]`, objects one property a line with `name?:` for an
 * optional one, and constraints as a short trailing comment (`integer /* 1–100 *\/`).
 *
 * The answer is a list of segments: text, and `{ ref }` where the schema names a component
 * (`$ref`), so the page can link it; `plainText` joins them for reading and for tests.
 */

/** The parts of a JSON Schema 2020-12 object the document uses. */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  items?: Schema | boolean;
  prefixItems?: Schema[];
  additionalProperties?: Schema | boolean;
  propertyNames?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  description?: string;
}

export type Segment = string | { ref: string };

/** One-line unions longer than this print one member a line. */
const WIDTH = 72;
const INDENT = '  ';

/** The component a `$ref` names: `#/components/schemas/Board` is `Board`. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** The type of a schema, as segments. */
export function formatType(schema: Schema | boolean): Segment[] {
  return merge(render(schema, '', true));
}

/** Segments as text, a reference by its component's name. */
export function plainText(segments: readonly Segment[]): string {
  return segments.map((segment) => (typeof segment === 'string' ? segment : segment.ref)).join('');
}

/** The type of a schema, as text. */
export function typeText(schema: Schema | boolean): string {
  return plainText(formatType(schema));
}

function merge(segments: Segment[]): Segment[] {
  const merged: Segment[] = [];
  for (const segment of segments) {
    const last = merged.at(-1);
    if (typeof segment === 'string' && typeof last === 'string') merged[merged.length - 1] = last + segment;
    else if (segment !== '') merged.push(segment);
  }
  return merged;
}

const multiLine = (segments: Segment[]) => plainText(segments).includes('\n');

/** A schema that says nothing about its value. */
function isAny(schema: Schema): boolean {
  return Object.keys(schema).filter((key) => key !== 'description' && key !== 'default').length === 0;
}

/**
 * `indent` is the indentation of the line the type starts on; `top` is the whole answer (a long
 * union then starts on its first line). `inline` keeps a union on one line (a record's keys).
 */
function render(schema: Schema | boolean, indent: string, top = false, inline = false): Segment[] {
  if (schema === true) return ['unknown'];
  if (schema === false) return ['never'];
  const note = constraints(schema);
  const core = isAny(schema) ? ['unknown'] : renderCore(schema, indent, top, inline);
  return note ? [...core, ` /* ${note} */`] : core;
}

function renderCore(schema: Schema, indent: string, top: boolean, inline: boolean): Segment[] {
  if (schema.$ref) return [{ ref: refName(schema.$ref) }];
  if ('const' in schema) return [literal(schema.const)];
  if (schema.enum)
    return union(
      schema.enum.map((value) => [literal(value)]),
      indent,
      top,
      inline,
    );
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives)
    return union(
      alternatives.map((member) => render(member, indent)),
      indent,
      top,
      inline,
    );
  if (schema.allOf) {
    return join(
      schema.allOf.map((member) => {
        const rendered = render(member, indent);
        return isUnion(member) ? ['(', ...rendered, ')'] : rendered;
      }),
      ' & ',
    );
  }
  if (Array.isArray(schema.type)) {
    return union(
      schema.type.map((type) => renderCore({ ...schema, type }, indent, false, inline)),
      indent,
      top,
      inline,
    );
  }
  switch (schema.type) {
    case 'object':
      return object(schema, indent);
    case 'array':
      return array(schema, indent);
    case undefined:
      return schema.properties || schema.additionalProperties ? object(schema, indent) : ['unknown'];
    default:
      return [schema.type];
  }
}

function isUnion(schema: Schema): boolean {
  return Boolean(
    schema.anyOf ||
      schema.oneOf ||
      (schema.enum && schema.enum.length > 1) ||
      (Array.isArray(schema.type) && schema.type.length > 1),
  );
}

function literal(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined';
}

function join(parts: Segment[][], separator: string): Segment[] {
  return parts.flatMap((part, index) => (index === 0 ? part : [separator, ...part]));
}

/** `A | B`, or, when that is long, one member a line each after a `|`. */
function union(members: Segment[][], indent: string, top: boolean, inline: boolean): Segment[] {
  const oneLine = join(members, ' | ');
  if (members.length === 1) return oneLine;
  if (inline || members.some(multiLine) || indent.length + plainText(oneLine).length <= WIDTH) return oneLine;
  const lineIndent = top ? indent : indent + INDENT;
  return members.flatMap((member, index) => [index === 0 && top ? '' : `\n${lineIndent}`, '| ', ...member]);
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function object(schema: Schema, indent: string): Segment[] {
  const properties = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  const hasExtra = extra !== undefined && extra !== false;
  if (properties.length === 0) {
    if (!hasExtra) return ['{}'];
    const keys = schema.propertyNames?.enum
      ? union(
          schema.propertyNames.enum.map((value) => [literal(value)]),
          indent,
          false,
          true,
        )
      : ['string'];
    return ['Record<', ...keys, ', ', ...render(extra, indent), '>'];
  }
  const inner = indent + INDENT;
  const required = new Set(schema.required ?? []);
  const lines: Segment[] = ['{'];
  for (const [name, property] of properties) {
    if (typeof property === 'object' && property.description) {
      lines.push(`\n${inner}/** ${property.description} */`);
    }
    const type = render(property, inner);
    const startsOnNextLine = plainText(type).startsWith('\n');
    lines.push(`\n${inner}${key(name)}${required.has(name) ? '' : '?'}:${startsOnNextLine ? '' : ' '}`, ...type, ';');
  }
  if (hasExtra) lines.push(`\n${inner}[key: string]: `, ...render(extra, inner), ';');
  lines.push(`\n${indent}}`);
  return lines;
}

function array(schema: Schema, indent: string): Segment[] {
  if (schema.prefixItems) {
    const members = schema.prefixItems.map((member) => render(member, indent));
    const rest = schema.items && typeof schema.items === 'object' && !isAny(schema.items) ? schema.items : undefined;
    if (rest) members.push(['...', ...array({ type: 'array', items: rest }, indent)]);
    else if (schema.items === undefined || schema.items === true) members.push(['...unknown[]']);
    return ['[', ...join(members, ', '), ']'];
  }
  const item = render(schema.items ?? true, indent);
  const plain = plainText(item);
  if (/^[\w$]+$/.test(plain)) return [...item, '[]'];
  return ['Array<', ...item, '>'];
}

/** A number's bounds: `1–100`, `≥ 0`, `> 0`, `≤ 5`; the safe-integer limits zod writes are no bound. */
function bounds(low: number | undefined, high: number | undefined, exclusiveLow?: number, exclusiveHigh?: number) {
  const real = (value: number | undefined) =>
    value !== undefined && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;
  const [min, max, gt, lt] = [real(low), real(high), real(exclusiveLow), real(exclusiveHigh)];
  if (min !== undefined && max !== undefined) return min === max ? `${min}` : `${min}–${max}`;
  const parts = [
    min !== undefined ? `≥ ${min}` : '',
    gt !== undefined ? `> ${gt}` : '',
    max !== undefined ? `≤ ${max}` : '',
    lt !== undefined ? `< ${lt}` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** What a schema says of its value beyond its type, in a few words. */
function constraints(schema: Schema): string {
  const notes: string[] = [];
  const numbers = bounds(schema.minimum, schema.maximum, schema.exclusiveMinimum, schema.exclusiveMaximum);
  if (numbers) notes.push(numbers);
  const length = bounds(schema.minLength, schema.maxLength);
  if (length) notes.push(`${length} chars`);
  const fixedTuple =
    schema.prefixItems !== undefined &&
    schema.minItems === schema.prefixItems.length &&
    schema.maxItems === schema.prefixItems.length;
  const count = fixedTuple ? '' : bounds(schema.minItems, schema.maxItems);
  if (count) notes.push(`${count} items`);
  if (schema.format) notes.push(schema.format);
  // A format says what its pattern spells out.
  else if (schema.pattern) notes.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) notes.push(`default ${literal(schema.default)}`);
  return notes.join(', ');
}
