/**
 * Lighthouse scores of every page (a measurement, not a CI test): `npm run bench:pages`
 * from the project root. See "Pages" in bench/README.md.
 *
 * In one run it
 * 1. starts the app as `npm start` does (scripts/start.ts: the site built if stale, the demo
 *    district seeded into a fresh data folder of its own) on 127.0.0.1:8794;
 * 2. signs in the demo admin, director and facilitator the way a person does (sign-in link,
 *    the local outbox, the session route) and keeps each one's session cookie;
 * 3. runs Lighthouse 12.2.3 (its default mobile profile: a mid-range phone, 4× CPU slowdown,
 *    slow 4G) `RUNS` times on each page, as the role the page is for: the session cookie
 *    goes with every request the page makes (`--extra-headers`); public pages signed out;
 * 4. writes the medians of each page's performance, accessibility and best-practices
 *    scores, LCP, TBT, CLS and the script bytes transferred to bench/pages-results.md.
 * BENCH_PAGES=leaders,pilot-groups measures only those pages and prints the table without
 * writing the file; BENCH_PAGES_REPORTS=<folder> keeps every Lighthouse report (JSON) there. The app is stopped and its folder removed at the end, on errors and on
 * Ctrl+C. Only 127.0.0.1 is contacted, apart from fetching Lighthouse itself (below).
 *
 * Lighthouse is not one of the project's packages: it is run through `npx -y
 * lighthouse@12.2.3`, which takes it from npm's cache or fetches that exact version once.
 * CHROME_PATH names the Chromium it drives (default /usr/bin/chromium, as the browser tests).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROMIUM_FLAGS } from '../scripts/chromium';
import { DEMO_ACCOUNTS, FALL_CAMPAIGN_ID, SPRING_CAMPAIGN_ID } from '../scripts/demo/district';
import { DEMO_BOARD_ID } from '../scripts/demo/seed';
import { codeVersion, groupAlive, machine, ROOT, writeResults } from './dev-server';

const LIGHTHOUSE = '12.2.3';
/** Not 8787 (`npm start`), 8791/8793/8797 (the other benchmarks) or 8799 (the browser tests). */
const PORT = Number(process.env.BENCH_PAGES_PORT ?? 8794);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const RUNS = Number(process.env.BENCH_PAGES_RUNS ?? 3);
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = CHROMIUM_FLAGS.join(' ');

type Role = 'admin' | 'director' | 'facilitator';

interface Page {
  name: string;
  path: string;
  /** Signed in with this role; public pages are measured signed out. */
  as?: Role;
}

/** Every page of the site, as the role it is for (worker/src/pages.ts guards the staff pages). */
const PAGES: Page[] = [
  { name: 'home', path: '/' },
  { name: 'framework', path: '/framework/' },
  { name: 'sign-in', path: '/sign-in/' },
  { name: 'survey', path: `/survey/?c=${SPRING_CAMPAIGN_ID}` },
  { name: 'api-reference', path: '/api-reference/' },
  { name: 'dashboard', path: `/dashboard/?c=${FALL_CAMPAIGN_ID}`, as: 'director' },
  { name: 'comments', path: `/comments/?c=${FALL_CAMPAIGN_ID}`, as: 'director' },
  { name: 'pilot-groups', path: `/pilot-groups/?c=${FALL_CAMPAIGN_ID}`, as: 'director' },
  { name: 'leaders', path: `/leaders/?c=${FALL_CAMPAIGN_ID}`, as: 'director' },
  { name: 'boards', path: '/boards/', as: 'facilitator' },
  { name: 'board', path: `/board/?b=${DEMO_BOARD_ID}`, as: 'facilitator' },
  { name: 'board-plan', path: `/board/plan/?b=${DEMO_BOARD_ID}`, as: 'facilitator' },
  { name: 'admin', path: '/admin/', as: 'admin' },
];

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CHROME_PATH: CHROME };

// ---------------------------------------------------------------------------------------
// The app, and stopping it whatever happens

let app: ChildProcess | undefined;
let folder: string | undefined;

async function stopApp(): Promise<void> {
  const pid = app?.pid;
  app = undefined;
  if (pid && groupAlive(pid)) {
    // As scripts/start.ts is stopped: SIGINT to its process group (it stops wrangler dev's own).
    process.kill(-pid, 'SIGINT');
    for (let waited = 0; waited < 15_000 && groupAlive(pid); waited += 100) await sleep(100);
    if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  }
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
}

process.on('SIGINT', () => void stopApp().finally(() => process.exit(130)));

async function startApp(state: string): Promise<void> {
  app = spawn('npx', ['tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: String(PORT), HOMEGROWN_STATE: state },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const child = app;
  await new Promise<void>((done, fail) => {
    const timeout = setTimeout(
      () => fail(new Error(`the app did not start in 300 s:\n${output.slice(-3000)}`)),
      300_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Homegrown is running at')) {
        clearTimeout(timeout);
        done();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => fail(new Error(`the app stopped (${code}):\n${output.slice(-3000)}`)));
  });
}

// ---------------------------------------------------------------------------------------
// Signing in, as a person does

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Origin: ORIGIN },
    body: JSON.stringify(body),
  });
}

/** The `name=value` of the session cookie the session route set for this account. */
async function signIn(email: string): Promise<string> {
  const asked = await post('/api/auth/sign-in-link', { email, next: '/' });
  if (asked.status !== 202) throw new Error(`sign-in link for ${email}: ${asked.status} ${await asked.text()}`);
  // The local outbox lists mail newest first; the link's token travels in its fragment.
  let token: string | undefined;
  for (let attempt = 0; attempt < 50 && !token; attempt++) {
    const outbox = await (await fetch(`${ORIGIN}/dev/outbox`)).text();
    const newest = outbox.split('<article>').find((mail) => mail.includes(email));
    token = newest && /sign-in\/complete\/#token=([A-Za-z0-9_-]{43})/.exec(newest)?.[1];
    if (!token) await sleep(100);
  }
  if (!token) throw new Error(`no sign-in link for ${email} in the local outbox`);
  const session = await post('/api/auth/session', { token });
  const cookie = session.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.includes('homegrown_session=') && pair.split('=')[1]);
  if (session.status !== 200 || !cookie) throw new Error(`session for ${email}: ${session.status}`);
  return cookie;
}

// ---------------------------------------------------------------------------------------
// Lighthouse

interface Run {
  performance: number;
  accessibility: number;
  bestPractices: number;
  lcp: number;
  tbt: number;
  cls: number;
  scriptBytes: number;
  /** The final address, to tell a page from a redirect to sign in. */
  url: string;
}

interface Report {
  finalDisplayedUrl: string;
  runtimeError?: { message: string };
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { numericValue?: number; details?: { items?: Array<Record<string, unknown>> } }>;
}

/** The `lighthouse` command: node_modules/.bin if it is this exact version, otherwise `npx -y lighthouse@12.2.3`. */
function lighthouseCommand(): string[] {
  try {
    const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules/lighthouse/package.json'), 'utf8')) as {
      version: string;
    };
    if (installed.version === LIGHTHOUSE) return ['npx', '--no-install', 'lighthouse'];
  } catch {}
  return ['npx', '-y', `lighthouse@${LIGHTHOUSE}`];
}

function lighthouse(page: Page, cookie: string | undefined, out: string): Run {
  const [command = 'npx', ...head] = lighthouseCommand();
  const args = [
    ...head,
    `${ORIGIN}${page.path}`,
    '--output=json',
    `--output-path=${out}`,
    '--only-categories=performance,accessibility,best-practices',
    `--chrome-flags=${CHROME_FLAGS}`,
    '--quiet',
  ];
  if (cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
  // Lighthouse now and then fails to record a trace (NO_NAVSTART): such a run is tried again, twice at most.
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      console.error(`${page.name}: Lighthouse failed (${String(error).split('\n')[1] ?? error}); trying again`);
    }
  }
  const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
  if (report.runtimeError) throw new Error(`${page.name}: ${report.runtimeError.message}`);
  const score = (id: string) => Math.round((report.categories[id]?.score ?? 0) * 100);
  const value = (id: string) => report.audits[id]?.numericValue ?? Number.NaN;
  const scripts = report.audits['resource-summary']?.details?.items?.find((item) => item.resourceType === 'script');
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    lcp: value('largest-contentful-paint'),
    tbt: value('total-blocking-time'),
    cls: value('cumulative-layout-shift'),
    scriptBytes: Number(scripts?.transferSize ?? Number.NaN),
    url: report.finalDisplayedUrl,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

function row(page: Page, runs: Run[]): string {
  const of = (key: keyof Omit<Run, 'url'>) => median(runs.map((run) => run[key]));
  const performance = runs.map((run) => run.performance);
  const range = `${Math.min(...performance)}–${Math.max(...performance)}`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  return `| ${page.name} | \`${page.path}\` | ${page.as ?? 'signed out'} | ${(of('performance') / 100).toFixed(2)} (${range}) | ${(of('accessibility') / 100).toFixed(2)} | ${(of('bestPractices') / 100).toFixed(2)} | ${(of('lcp') / 1000).toFixed(2)} s | ${Math.round(of('tbt'))} ms | ${of('cls').toFixed(3)} | ${kb(of('scriptBytes'))} |`;
}

async function main() {
  const only = process.env.BENCH_PAGES?.split(',').map((name) => name.trim());
  const pages = only ? PAGES.filter((page) => only.includes(page.name)) : PAGES;
  if (only && pages.length !== only.length) {
    throw new Error(`BENCH_PAGES names pages that do not exist; the pages are ${PAGES.map((p) => p.name).join(', ')}`);
  }
  folder = mkdtempSync(join(tmpdir(), 'homegrown-bench-pages-'));
  const started = new Date();
  await startApp(join(folder, 'state'));
  const reports = process.env.BENCH_PAGES_REPORTS ? resolve(process.env.BENCH_PAGES_REPORTS) : folder;
  mkdirSync(reports, { recursive: true });
  const cookies = new Map<Role, string>();
  for (const account of DEMO_ACCOUNTS) {
    const role = account.roles[0] as Role;
    if (pages.some((page) => page.as === role)) cookies.set(role, await signIn(account.email));
  }
  const rows: string[] = [];
  for (const page of pages) {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = lighthouse(page, page.as && cookies.get(page.as), join(reports, `${page.name}-${i + 1}.json`));
      // A staff page that sent us to sign in would measure the sign-in page instead.
      if (new URL(run.url).pathname !== new URL(`${ORIGIN}${page.path}`).pathname) {
        throw new Error(`${page.name}: Lighthouse ended on ${run.url}, not ${page.path}`);
      }
      runs.push(run);
      console.error(`${page.name} ${i + 1}/${RUNS}: performance ${run.performance}, CLS ${run.cls.toFixed(3)}`);
    }
    rows.push(row(page, runs));
  }
  const { cores, cpu, node } = machine();
  const markdown = [
    `Run ${started.toISOString()} on ${cores} cores (${cpu}), Node ${node}, Lighthouse ${LIGHTHOUSE} (mobile profile, simulated throttling), ${RUNS} runs a page; command \`npm run bench:pages\`${only ? ` with BENCH_PAGES=${only.join(',')}` : ''}. Code: ${codeVersion(['site', 'worker', 'content', 'surveys'])}.`,
    '',
    'Medians of the runs (the performance range in brackets). Script bytes: JavaScript transferred (compressed as served).',
    '',
    '| page | address | as | performance | accessibility | best practices | LCP | TBT | CLS | script bytes |',
    '| ---- | ------- | -- | ----------: | ------------: | -------------: | --: | --: | --: | -----------: |',
    ...rows,
    '',
  ].join('\n');
  console.log(markdown);
  if (!only) await writeResults('pages-results.md', 'Lighthouse: every page', markdown);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => stopApp());
