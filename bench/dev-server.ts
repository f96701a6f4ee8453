/**
 * What the benchmarks (bench/run.ts, bench/boards.ts) share, imported as `import * as dev
 * from './dev-server'`: a temporary copy of the app, `wrangler dev` serving it, and stopping
 * both whatever happens (errors, Ctrl+C, exit). One benchmark a process:
 * - `openBench()` changes to the project root, makes the temporary folder and from then on
 *   cleans up on exit, SIGINT and SIGTERM;
 * - `snapshotApp(folder.app)` copies what the Worker is built from into it;
 * - `startServer(folder, port, vars)` starts `wrangler dev` on 127.0.0.1:<port> (callers told apart by the
 *   CF-Connecting-IP they send) and waits for `/api/health`;
 * - `isStopping()` tells the request loops to stop; `serverPid()` names wrangler dev's process group (CPU figures);
 * - `cleanup()` stops the server and removes the folder (once, however often it is called);
 * - `run`, `seconds`, `codeVersion`, `machine`, `reloads` and `writeResults` help with the rest and the report.
 * Importing it starts nothing: only `openBench()` does.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = resolve(import.meta.dirname, '..');
const SERVER_START_TIMEOUT_MS = 90_000;

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
};

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a command (node_modules/.bin first on the PATH); resolves with its output, rejects with its tail. */
export function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0
        ? done(output)
        : fail(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`)),
    );
  });
}

// ---------------------------------------------------------------------------------------
// Lifecycle: everything started here is stopped here, whatever happens.

/** The temporary folder: `app/` (a copy of what the Worker is built from), `state/` (D1), the wrangler log. */
export interface BenchFolder {
  dir: string;
  app: string;
  state: string;
  log: string;
}

let stateDir: string | undefined;
let server: ChildProcess | undefined;
let stopping = false;
let cleaning: Promise<void> | undefined;
let beforeStop: (() => Promise<void>) | undefined;
let opened = false;

/** True once the clean-up has begun (on Ctrl+C too): loops stop sending. */
export const isStopping = () => stopping;

/** wrangler dev's pid, which leads its process group (wrangler, workerd, esbuild); undefined when it is not running. */
export const serverPid = () => server?.pid;

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Whether a process group still has a process in it. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** wrangler dev ignores SIGTERM: SIGINT to its process group, then SIGKILL if it lingers. */
async function stopServer(): Promise<void> {
  const child = server;
  if (!child?.pid) return;
  const pid = child.pid;
  const exited = alive(child) ? new Promise<void>((done) => child.once('exit', () => done())) : Promise.resolve();
  if (groupAlive(pid)) {
    try {
      process.kill(-pid, 'SIGINT');
    } catch {}
  }
  await Promise.race([exited, sleep(10_000, undefined, { ref: false })]);
  for (let attempt = 0; attempt < 20 && groupAlive(pid); attempt++) await sleep(100);
  if (groupAlive(pid)) {
    console.error('wrangler dev did not stop on SIGINT within 12 s: sending SIGKILL to its process group.');
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
    await Promise.race([exited, sleep(5_000, undefined, { ref: false })]);
  }
  server = undefined;
}

/** Stops the server and removes the temporary folder; every call gets the same promise. */
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    stopping = true;
    await beforeStop?.();
    await stopServer();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    stateDir = undefined;
  })();
  return cleaning;
}

/**
 * Makes the run's temporary folder (its name starts with `prefix`) and, from now on, stops
 * everything on exit, SIGINT and SIGTERM. `folderLabel` is what the message on a signal
 * calls the folder; `beforeStop` runs first in the clean-up (e.g. to let go of the database).
 */
export function openBench(options: {
  prefix: string;
  folderLabel: string;
  beforeStop?: () => Promise<void>;
}): BenchFolder {
  if (opened) throw new Error('openBench: one benchmark a process');
  opened = true;
  beforeStop = options.beforeStop;
  process.chdir(ROOT);
  // Last resort if Node exits some other way: nothing of ours outlives the process.
  process.on('exit', () => {
    if (server?.pid && groupAlive(server.pid)) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {}
    }
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping wrangler dev and removing the ${options.folderLabel}…`);
      void cleanup().finally(() => process.exit(code));
    });
  }
  const dir = mkdtempSync(join(tmpdir(), options.prefix));
  stateDir = dir;
  console.log(`Temporary folder: ${dir}`);
  return { dir, app: join(dir, 'app'), state: join(dir, 'state'), log: join(dir, 'wrangler-dev.log') };
}

/**
 * Copies what the Worker is built from into the run's folder, so that `wrangler dev` (which
 * watches its sources and the assets) serves the code as it was when the run started, even
 * if someone edits or rebuilds the project meanwhile. node_modules is linked, not copied.
 * Without a build of the site, an empty dist/ stands in (enough for a run that only asks the API).
 */
export function snapshotApp(app: string): void {
  for (const entry of ['wrangler.toml', 'package.json', 'tsconfig.json', 'worker', 'content', 'surveys']) {
    cpSync(join(ROOT, entry), join(app, entry), { recursive: true });
  }
  if (existsSync(join(ROOT, 'dist'))) cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
  else mkdirSync(join(app, 'dist'));
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function tail(path: string, lines = 40): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Serves the folder's copy with `wrangler dev` on 127.0.0.1:<port>, each of `vars` passed as
 * `--var` (NAME:value), its output in the folder's log; resolves with the milliseconds until
 * `/api/health` answered.
 */
export async function startServer(folder: BenchFolder, port: number, vars: string[] = []): Promise<number> {
  const origin = `http://127.0.0.1:${port}`;
  if (await answers(`${origin}/api/health`)) throw new Error(`something already answers on ${origin}; stop it first`);
  const fd = openSync(folder.log, 'w');
  const begin = performance.now();
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', folder.state];
  // Links the Worker mails or hands out point at this copy (a deployment sets its own). The
  // benchmarks play many callers (schools, members) by the CF-Connecting-IP they send, which
  // wrangler dev keeps and the Worker takes only with SIMULATED_CALLERS (worker/src/auth/limits.ts).
  const allVars = [`PUBLIC_ORIGIN:${origin}`, 'SIMULATED_CALLERS:on', ...vars];
  args.push('--show-interactive-dev-session=false', ...allVars.flatMap((value) => ['--var', value]));
  server = spawn('wrangler', args, { cwd: folder.app, env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const child = server;
  while (performance.now() - begin < SERVER_START_TIMEOUT_MS) {
    if (stopping) throw new Error('interrupted');
    if (!alive(child)) throw new Error(`wrangler dev stopped before it was ready:\n${tail(folder.log)}`);
    if (await answers(`${origin}/api/health`)) return performance.now() - begin;
    await sleep(250);
  }
  throw new Error(`wrangler dev did not answer within ${SERVER_START_TIMEOUT_MS / 1000} s:\n${tail(folder.log)}`);
}

/** How often wrangler dev reloaded: the copy is not edited, so anything but 0 means mixed code versions. */
export function reloads(folder: BenchFolder): number {
  return (readFileSync(folder.log, 'utf8').match(/Reloading local server|Detected changes/g) ?? []).length;
}

// ---------------------------------------------------------------------------------------
// What a report says about the run

/** Which code is measured: the commit, and whether the Worker's sources differ from it. */
export function codeVersion(folders: string[] = ['worker', 'content', 'surveys']): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', ...folders, 'wrangler.toml');
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ` plus uncommitted changes in ${folders.join('/')}` : ''}`;
  } catch {
    return 'unknown commit';
  }
}

export function machine() {
  let cores = String(availableParallelism());
  try {
    cores = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {}
  let cpu = 'unknown CPU';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {}
  const wrangler = (
    JSON.parse(readFileSync(join(ROOT, 'node_modules/wrangler/package.json'), 'utf8')) as { version: string }
  ).version;
  return { cores, cpu, node: process.version, wrangler };
}

/** Writes bench/<file> under a heading, laid out as the project's formatter wants it (so `npm run check` stays clean). */
export async function writeResults(file: string, heading: string, markdown: string): Promise<void> {
  writeFileSync(join(ROOT, 'bench', file), `# ${heading}\n\n${markdown}`);
  await run('biome', ['format', '--write', `bench/${file}`], ROOT).catch((error: unknown) =>
    console.error(`biome could not format bench/${file}: ${error instanceof Error ? error.message : error}`),
  );
}
