/**
 * The Chromium the browser tests drive: `/usr/bin/chromium` (Debian's package), or whatever
 * CHROMIUM_PATH names. The e2e project's global setup asks for it before it starts the app,
 * so every way into the browser tests (`npm test`, `vitest run --project e2e …`, .ci/run)
 * either has a browser, installs Debian's package when it runs as root with apt-get, or
 * stops at once with the one command that fixes it. Nothing is ever downloaded otherwise.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The flags Chromium needs here: headless, as root, on a closed network (browser tests and bench/lighthouse.ts). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const NEEDED = 'Chromium is needed for the browser tests';

/** What the machine looks like, as far as finding or installing Chromium goes. */
export interface BrowserFacts {
  /** Where the tests would launch it from. */
  path: string;
  /** CHROMIUM_PATH named that path: then it is that browser or none, never an installed one. */
  chosen: boolean;
  exists: boolean;
  root: boolean;
  aptGet: boolean;
  sudo: boolean;
}

export type BrowserStep =
  | { kind: 'ready'; path: string }
  /** Commands to run in order, as root, after which the browser is at the path. */
  | { kind: 'install'; commands: string[][] }
  | { kind: 'stop'; message: string };

/** Debian's package, installed quietly and without questions, as CI does on a clean machine. */
const APT_INSTALL = [
  ['apt-get', 'update', '-qq'],
  ['apt-get', 'install', '-y', '-qq', 'chromium'],
];

export function browserStep(facts: BrowserFacts): BrowserStep {
  if (facts.exists) return { kind: 'ready', path: facts.path };
  if (facts.chosen) {
    return {
      kind: 'stop',
      message: `${NEEDED}, and CHROMIUM_PATH names ${facts.path}, where there is none: point it at a Chromium executable, or unset it to use ${DEFAULT_CHROMIUM}.`,
    };
  }
  if (!facts.aptGet) {
    return {
      kind: 'stop',
      message: `${NEEDED}: install it, then run \`CHROMIUM_PATH=/path/to/chromium npm test\`.`,
    };
  }
  if (facts.root) return { kind: 'install', commands: APT_INSTALL };
  return {
    kind: 'stop',
    message: facts.sudo
      ? `${NEEDED}: run \`sudo apt-get install chromium\`.`
      : `${NEEDED}: run \`apt-get install chromium\` as root.`,
  };
}

/** Refuses the browser tests with the sentence that says what to do, and nothing else to read. */
export class BrowserMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserMissing';
    this.stack = message;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((folder) => folder && isExecutable(join(folder, command)));
}

function factsOf(env: NodeJS.ProcessEnv, fallback: string): BrowserFacts {
  const path = env.CHROMIUM_PATH || fallback;
  return {
    path,
    chosen: Boolean(env.CHROMIUM_PATH),
    exists: isExecutable(path),
    root: process.getuid?.() === 0,
    aptGet: onPath('apt-get', env),
    sudo: onPath('sudo', env),
  };
}

function runQuietly(command: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [file = '', ...args] = command;
  return new Promise((done, fail) => {
    const child = spawn(file, args, {
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0
        ? done()
        : fail(
            new BrowserMissing(
              `${NEEDED}, and \`${command.join(' ')}\` failed (exit ${code}):\n${output.trim().slice(-2000)}`,
            ),
          ),
    );
  });
}

/**
 * The path of the Chromium to launch, installing Debian's package first where it may; else a
 * BrowserMissing. `fallback` is where Debian's package puts it (a test points it elsewhere).
 */
export async function ensureChromium(env = process.env, fallback = DEFAULT_CHROMIUM): Promise<string> {
  const facts = factsOf(env, fallback);
  const step = browserStep(facts);
  if (step.kind === 'ready') return step.path;
  if (step.kind === 'stop') throw new BrowserMissing(step.message);
  console.log(`${NEEDED}: installing Debian's chromium package (apt-get install chromium)…`);
  for (const command of step.commands) await runQuietly(command, env);
  if (!isExecutable(facts.path)) {
    throw new BrowserMissing(`${NEEDED}, and \`apt-get install chromium\` left none at ${facts.path}.`);
  }
  return facts.path;
}
