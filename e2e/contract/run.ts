/**
 * One contract and fuzz run: Portman turns the app's OpenAPI document into a Postman
 * collection (contract tests on every documented operation, fuzzed variations of every
 * request body and query), newman sends it to the running app, and what newman reports is
 * read into what failed and why. Everything is written to a temp folder that is removed
 * afterwards: Portman writes its working files under the folder it runs in.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HERE = import.meta.dirname;
/** A request the app does not answer in this long fails. */
const REQUEST_TIMEOUT_MS = 20_000;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
/** The variation in portman-config.json that sends a JSON array where an object belongs. */
const WRONG_BODY = 'body not an object';

/** The signed-in roles whose sessions the collection carries. */
export type Role = 'admin' | 'director' | 'facilitator';

interface Operation {
  responses: Record<string, unknown>;
  requestBody?: unknown;
  security?: unknown[];
  'x-audience'?: string[];
}

export interface OpenApiDocument {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { securitySchemes: { session: { name: string } } };
}

export interface Finding {
  request: string;
  status: number | undefined;
  problem: string;
}

export interface Report {
  operations: number;
  requests: number;
  assertions: number;
  failures: Finding[];
  durationMs: number;
}

/** What newman's run emits, as far as this reads it (newman ships no types). */
interface Item {
  id: string;
  name: string;
}
interface Summary {
  run: {
    stats: { requests: { total: number }; assertions: { total: number } };
    timings: { started: number; completed: number };
  };
}
interface NewmanRun {
  on(
    event: 'request',
    listener: (error: Error | null, args: { item: Item; request: SentRequest; response?: Answer }) => void,
  ): this;
  on(event: 'assertion', listener: (error: Error | null, args: { item: Item; assertion: string }) => void): this;
  on(event: 'script', listener: (error: Error | null, args: { item: Item }) => void): this;
  on(event: 'exception', listener: (error: null, args: { error: Error }) => void): this;
}
interface SentRequest {
  method: string;
  url: { getPath(): string };
}
interface Answer {
  code: number;
}
const newman = createRequire(import.meta.url)('newman') as {
  run(options: object, done: (error: Error | null, summary: Summary) => void): NewmanRun;
};

/**
 * Who calls an operation: a board's routes are for its members, so they go as the
 * facilitator, who opens the run's board; any other the first role its audience names
 * (an admin for `account`).
 */
function callerOf(path: string, audience: string[]): Role {
  if (path.startsWith('/boards')) return 'facilitator';
  const named = audience.find(
    (role): role is Role => role === 'admin' || role === 'director' || role === 'facilitator',
  );
  return named ?? 'admin';
}

/**
 * The order requests run in, deletes last: portman-config.json places those that need one
 * (what a request creates, a later one uses; a restore follows its delete), an operation it
 * does not place runs before the first delete it places, and one it does not place that is
 * a delete runs after everything.
 */
function ordered(placed: string[], operations: string[]): string[] {
  const isDelete = (operation: string) => operation.startsWith('DELETE::');
  const firstDelete = placed.findIndex(isDelete);
  const cut = firstDelete === -1 ? placed.length : firstDelete;
  const unplaced = operations.filter((operation) => !placed.includes(operation));
  return [
    ...placed.slice(0, cut),
    ...unplaced.filter((operation) => !isDelete(operation)),
    ...placed.slice(cut),
    ...unplaced.filter(isDelete),
  ];
}

/**
 * A test that the answer's status is one the operation documents: Portman's own checks
 * take any 2xx for a success, and a 4xx in `4XX`.
 */
function documentedStatus(target: string, operation: Operation): string {
  const statuses = Object.keys(operation.responses);
  const codes = statuses.filter((status) => /^\d{3}$/.test(status)).map(Number);
  const classes = statuses.filter((status) => /^\dXX$/.test(status)).map((status) => Number(status[0]));
  const name = JSON.stringify(`${target} - status is one the document names`);
  const documented = `${JSON.stringify(codes)}.includes(code) || ${JSON.stringify(classes)}.includes(Math.floor(code / 100))`;
  const why = JSON.stringify(` is not among ${statuses.join(', ')}`);
  return `pm.test(${name}, () => { const code = pm.response.code; pm.expect(${documented}, code + ${why}).to.equal(true); });`;
}

/**
 * The Portman config: e2e/contract's, with the session cookie on every operation that has
 * `security`, a check of its status against those it documents, the variation whose body
 * is not an object kept to operations that read one, and every operation in order.
 */
function configFor(document: OpenApiDocument) {
  const config = JSON.parse(readFileSync(join(HERE, 'portman-config.json'), 'utf8'));
  const cookie = document.components.securitySchemes.session.name;
  const operations: string[] = [];
  const bodiless: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const target = `${method.toUpperCase()}::${path}`;
      operations.push(target);
      if (!operation.requestBody) bodiless.push(target);
      config.tests.extendTests.push({ openApiOperation: target, tests: [documentedStatus(target, operation)] });
      if (!operation.security) continue;
      const role = callerOf(path, operation['x-audience'] ?? []);
      config.overwrites.push({
        openApiOperation: target,
        overwriteRequestSecurity: { apiKey: { key: 'Cookie', value: `${cookie}={{${role}Session}}`, in: 'header' } },
      });
    }
  }
  for (const test of config.tests.variationTests) {
    if (test.variations.some((variation: { name: string }) => variation.name === WRONG_BODY)) {
      test.excludeForOperations = bodiless;
    }
  }
  config.globals.orderOfOperations = ordered(config.globals.orderOfOperations, operations);
  return config;
}

/** portman.env.template with each `${name}` replaced by that variable; a name without a value is a mistake. */
function envFile(variables: Record<string, string>): string {
  const template = readFileSync(join(HERE, 'portman.env.template'), 'utf8');
  return template.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`portman.env.template names \${${name}}, which the run does not set`);
    return value;
  });
}

/**
 * The document as newman checks answers against it (ajv 6, JSON Schema draft-07), and
 * strictly: a tuple, `prefixItems` closed by `items: false` in OpenAPI 3.1, is `items: [...]`
 * closed by `additionalItems: false` in draft-07 (read the 3.1 way, draft-07 refuses every
 * item); and an object that names its properties has no others, so a field the worker sends
 * that the document does not name fails as surely as a missing one.
 */
function strictDraft07(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strictDraft07);
  if (!value || typeof value !== 'object') return value;
  const { prefixItems, ...rest } = value as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, inner]) => [key, strictDraft07(inner)]));
  if ('properties' in rest && !('additionalProperties' in rest)) converted.additionalProperties = false;
  if (!Array.isArray(prefixItems)) return converted;
  return { ...converted, items: strictDraft07(prefixItems), additionalItems: rest.items ?? true };
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

function countOperations(document: OpenApiDocument): number {
  return Object.values(document.paths).reduce((sum, item) => sum + METHODS.filter((method) => item[method]).length, 0);
}

/** Converts the document, sends every request to `apiURL`, and says what failed. */
export async function runContract(
  document: OpenApiDocument,
  apiURL: string,
  variables: Record<string, string>,
): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'homegrown-contract-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(strictDraft07(document)));
    writeFileSync(join(dir, 'portman-config.json'), JSON.stringify(configFor(document)));
    writeFileSync(join(dir, 'portman.env'), envFile(variables));
    const converted = await run(
      'portman',
      [
        ...['--local', 'openapi.json', '--baseUrl', apiURL, '--output', 'collection.json'],
        ...['--portmanConfigFile', 'portman-config.json', '--envFile', 'portman.env'],
        ...['--logAssignVariables', 'false', '--warn', 'false'],
      ],
      dir,
    );
    if (converted.code !== 0) throw new Error(`Portman could not convert the document:\n${converted.output}`);
    const collection = JSON.parse(readFileSync(join(dir, 'collection.json'), 'utf8'));
    return { operations: countOperations(document), ...(await send(collection)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sends the collection; redirects are answers to check, not to follow. */
function send(collection: unknown): Promise<Omit<Report, 'operations'>> {
  const failures: Finding[] = [];
  const answered = new Map<string, { request: string; status: number | undefined }>();
  const finding = (item: Item, problem: string) =>
    failures.push({ request: item.name, status: undefined, ...answered.get(item.id), problem });
  return new Promise((resolve, reject) => {
    newman
      .run({ collection, ignoreRedirects: true, timeoutRequest: REQUEST_TIMEOUT_MS }, (error, summary) => {
        if (error) return reject(error);
        const { stats, timings } = summary.run;
        resolve({
          requests: stats.requests.total,
          assertions: stats.assertions.total,
          failures,
          durationMs: timings.completed - timings.started,
        });
      })
      .on('request', (error, { item, request, response }) => {
        answered.set(item.id, {
          request: `${request.method} ${request.url.getPath()} (${item.name})`,
          status: response?.code,
        });
        if (error) finding(item, error.message);
      })
      .on('assertion', (error, { item, assertion }) => {
        if (error) finding(item, `${assertion}: ${error.message}`);
      })
      .on('script', (error, { item }) => {
        if (error) finding(item, `a test script failed: ${error.message}`);
      })
      .on('exception', (_, { error }) => {
        failures.push({ request: 'the run', status: undefined, problem: error.message });
      });
  });
}
