/**
 * How long `npm start` takes until it serves (a measurement, not a CI test):
 * `npm run bench:start` from the project root. See "npm start" in bench/README.md.
 *
 * With a fresh data folder of its own and on its own port, it times from running
 * `npm start` to the line "Homegrown is running at":
 * 1. a cold start: no dist/ and no record of a build (so the site is built), an empty
 *    database (so the migrations are applied and the demo seeded);
 * 2. then `RUNS` second starts with nothing changed, each after the previous one stopped.
 * It prints the figures with what each start said it did and writes nothing. The site is
 * built again by the cold start, so dist/ is left as `npm start` leaves it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { siteBuild } from '../scripts/site-build';
import { groupAlive, ROOT } from './dev-server';

/** Not 8787 (`npm start`), 8791/8797 (the other benchmarks), 8794 (bench/lighthouse.ts) or 8799 (the browser tests). */
const PORT = Number(process.env.BENCH_START_PORT ?? 8793);
const RUNS = Number(process.env.BENCH_START_RUNS ?? 3);
const READY = 'Homegrown is running at';

let current: ChildProcess | undefined;

/** Whether the port can be taken: wrangler dev and its workerd have let go of it. */
function portFree(): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(PORT, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

/**
 * Stops a start as Ctrl+C does: SIGINT to npm's process group, which scripts/start.ts passes
 * on to wrangler dev's own group before it exits; resolves once the group is gone (SIGKILL
 * after 15 s) and the port is free again.
 */
async function stop(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (!pid) return;
  if (groupAlive(pid)) process.kill(-pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && groupAlive(pid); waited += 100) await sleep(100);
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  for (let waited = 0; waited < 15_000 && !(await portFree()); waited += 100) await sleep(100);
}

/** Runs `npm start` until it says it is running; returns the seconds that took and what it printed before. */
function timeStart(state: string): Promise<{ seconds: number; said: string[] }> {
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(PORT), HOMEGROWN_STATE: state, WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  current = child;
  let output = '';
  return new Promise((done, fail) => {
    const timeout = setTimeout(() => fail(new Error(`no "${READY}" after 300 s:\n${output.slice(-3000)}`)), 300_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(READY)) {
        clearTimeout(timeout);
        const seconds = (performance.now() - started) / 1000;
        // npm start says what it holds twice (before serving and with the addresses): once here.
        const said = [
          ...new Set(
            output
              .split('\n')
              .map((line) => line.trim())
              .filter((line) =>
                /^(Building the site|The site is built|Migrations to be applied|✅|The demo district)/.test(line),
              ),
          ),
        ];
        stop(child).then(() => done({ seconds, said }));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => {
      if (!output.includes(READY)) fail(new Error(`npm start exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
}

async function main() {
  const state = mkdtempSync(join(tmpdir(), 'homegrown-bench-start-'));
  const cleanup = async () => {
    if (current) await stop(current);
    rmSync(state, { recursive: true, force: true });
  };
  process.on('SIGINT', () => cleanup().then(() => process.exit(130)));
  try {
    const build = siteBuild(ROOT);
    rmSync(build.stamp, { force: true });
    rmSync(build.out, { recursive: true, force: true });
    const rows: string[] = [];
    const cold = await timeStart(state);
    rows.push(`| cold (no dist/, empty database) | ${cold.seconds.toFixed(1)} s | ${cold.said.join('; ')} |`);
    const seconds: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const again = await timeStart(state);
      seconds.push(again.seconds);
      rows.push(`| second, nothing changed (${i + 1}) | ${again.seconds.toFixed(1)} s | ${again.said.join('; ')} |`);
    }
    const sorted = [...seconds].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    console.log(
      [
        `Run ${new Date().toISOString()} on ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; command \`npm run bench:start\`.`,
        '',
        '| start | until "Homegrown is running at" | what it said |',
        '| ----- | ------------------------------: | ------------ |',
        ...rows,
        '',
        `Second start, median of ${RUNS}: ${median.toFixed(1)} s (goal ≤ 5 s: ${median <= 5 ? 'PASS' : 'MISS'}).`,
      ].join('\n'),
    );
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
