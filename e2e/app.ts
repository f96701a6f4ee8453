/**
 * Finds the Chromium the browser tests drive (or installs it, or stops with what to run),
 * then starts the app exactly as `npm start` does (build, migrations, demo seed, wrangler
 * dev), on its own port and with its own fresh data folder, and stops it after the tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureChromium } from '../scripts/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    stateDir: string;
    chromiumPath: string;
  }
}

// E2E_PORT: another port, when 8799 is taken on a shared machine.
const PORT = Number(process.env.E2E_PORT ?? 8799);
let app: ChildProcess | undefined;
let stateDir = '';

export default async function setup(project: TestProject) {
  // Before the minute the build takes: without a browser no test here can run.
  project.provide('chromiumPath', await ensureChromium());
  stateDir = mkdtempSync(join(tmpdir(), 'homegrown-e2e-'));
  const baseURL = `http://127.0.0.1:${PORT}`;
  app = spawn('tsx', ['scripts/start.ts'], {
    env: { ...process.env, PORT: String(PORT), HOMEGROWN_STATE: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // The app's terminal goes to a file too: tests read the sign-in links it prints there.
  const log = join(stateDir, 'app.log');
  let output = '';
  const record = (chunk: Buffer) => {
    output += chunk;
    appendFileSync(log, chunk);
  };
  app.stdout?.on('data', record);
  app.stderr?.on('data', record);
  const ready = await new Promise<boolean>((resolve) => {
    const deadline = setTimeout(() => resolve(false), 240_000);
    app?.on('exit', () => resolve(false));
    const poll = setInterval(() => {
      if (output.includes('Homegrown is running at')) {
        clearInterval(poll);
        clearTimeout(deadline);
        resolve(true);
      }
    }, 200);
  });
  if (!ready) {
    await teardown();
    throw new Error(`the app did not start:\n${output.slice(-4000)}`);
  }
  project.provide('baseURL', baseURL);
  project.provide('stateDir', stateDir);
  return teardown;
}

async function teardown() {
  const child = app;
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((resolve) => child.on('exit', resolve));
    process.kill(-child.pid, 'SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}
