/**
 * Whether `npm start` must build the site again. After a successful build it writes a stamp
 * (`.wrangler/site-build.json`): a hash of everything the build reads (site/, content/,
 * surveys/, worker/src/ which the pages import from, the lockfile and the shared tsconfig)
 * and a listing of what it wrote in dist/ (each file's path, size and modification time).
 * The next start builds again only when either differs: a changed, added or removed source
 * file, a changed dependency, or a dist/ that was deleted or written by something else.
 * The stamp is removed before a build begins, so a build that fails or is stopped leaves none.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** What the site build reads, relative to the project root: folders whole, files alone. */
export const SITE_INPUTS = ['site', 'content', 'surveys', 'worker/src', 'package-lock.json', 'tsconfig.json'];
/** Inside those folders, what the build writes or caches itself, not what it reads. */
const NOT_INPUTS = new Set(['node_modules', '.astro']);

export interface SiteBuild {
  /** The project root. */
  root: string;
  /** The build's output folder (dist/). */
  out: string;
  /** Where the stamp is kept. */
  stamp: string;
}

export function siteBuild(root: string): SiteBuild {
  return { root, out: join(root, 'dist'), stamp: join(root, '.wrangler', 'site-build.json') };
}

interface Stamp {
  inputs: string;
  output: string;
}

/** Every file under `path` (or `path` itself), sorted, skipping NOT_INPUTS folders; none if it is missing. */
function files(path: string, skip: Set<string> = new Set()): string[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => !skip.has(entry.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => files(join(path, entry.name), skip));
}

const posix = (path: string) => path.split(sep).join('/');

/** A hash of the build's inputs: each file's path and contents. */
export function inputsHash(build: SiteBuild, inputs: string[] = SITE_INPUTS): string {
  const hash = createHash('sha256');
  for (const input of inputs) {
    for (const file of files(join(build.root, input), NOT_INPUTS)) {
      const contents = readFileSync(file);
      hash.update(`${posix(relative(build.root, file))}\0${contents.length}\0`);
      hash.update(contents);
    }
  }
  return hash.digest('hex');
}

/** A listing of dist/ (path, size, modification time of each file); empty when there is none. */
export function outputListing(build: SiteBuild): string {
  const hash = createHash('sha256');
  const found = files(build.out);
  for (const file of found) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${posix(relative(build.out, file))}\0${size}\0${mtimeMs}\n`);
  }
  return found.length === 0 ? '' : hash.digest('hex');
}

function readStamp(build: SiteBuild): Stamp | undefined {
  try {
    const stamp = JSON.parse(readFileSync(build.stamp, 'utf8')) as Partial<Stamp>;
    return typeof stamp.inputs === 'string' && typeof stamp.output === 'string'
      ? { inputs: stamp.inputs, output: stamp.output }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Why the site must be built again, or undefined when dist/ is what the sources as they are now build. */
export function staleBecause(build: SiteBuild, inputs: string = inputsHash(build)): string | undefined {
  const stamp = readStamp(build);
  if (!stamp) return 'no record of a finished build';
  if (stamp.inputs !== inputs) return 'its sources changed since the last build';
  const output = outputListing(build);
  if (output === '') return 'there is no dist/';
  if (stamp.output !== output) return 'dist/ changed since the last build';
  return undefined;
}

/**
 * Runs `build` only when dist/ is stale; returns whether it ran. The inputs are hashed
 * before the build begins, so a file edited while it runs makes the next start build again.
 */
export async function buildSiteIfStale(
  build: SiteBuild,
  run: () => Promise<void>,
  say: (line: string) => void = console.log,
): Promise<boolean> {
  const inputs = inputsHash(build);
  const reason = staleBecause(build, inputs);
  if (reason === undefined) {
    say('The site is built already: nothing it is built from has changed.');
    return false;
  }
  say(`Building the site (${reason}).`);
  rmSync(build.stamp, { force: true });
  await run();
  mkdirSync(dirname(build.stamp), { recursive: true });
  writeFileSync(build.stamp, `${JSON.stringify({ inputs, output: outputListing(build) } satisfies Stamp)}\n`);
  return true;
}
