import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSiteIfStale, type SiteBuild, siteBuild, staleBecause } from '../../../scripts/site-build';

/** A project root in a temporary folder, with a page, a survey and a lockfile. */
let build: SiteBuild;
let builds = 0;

function write(path: string, text: string) {
  const file = join(build.root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

/** Stands in for `astro build`: writes dist/ from the page, as a build does. */
const astroBuild = async () => {
  builds++;
  rmSync(build.out, { recursive: true, force: true });
  mkdirSync(build.out, { recursive: true });
  writeFileSync(join(build.out, 'index.html'), `<h1>build ${builds}</h1>`);
};

const start = () => buildSiteIfStale(build, astroBuild, () => {});

beforeEach(() => {
  build = siteBuild(mkdtempSync(join(tmpdir(), 'homegrown-site-build-')));
  builds = 0;
  write('site/src/pages/index.astro', '<h1>Home</h1>');
  write('site/node_modules/.vite/cache.json', '{}');
  write('surveys/needs-assessment.json', '{}');
  write('package-lock.json', '{"lockfileVersion":3}');
});

afterEach(() => rmSync(build.root, { recursive: true, force: true }));

describe('npm start builds the site only when dist/ is stale', () => {
  it('builds the first time, then not again while nothing changed', async () => {
    expect(staleBecause(build)).toBe('no record of a finished build');
    expect(await start()).toBe(true);
    expect(staleBecause(build)).toBeUndefined();
    expect(await start()).toBe(false);
    expect(builds).toBe(1);
  });

  it('builds again when a page, a survey or the lockfile changes, or a source file is added or removed', async () => {
    await start();
    for (const change of [
      () => write('site/src/pages/index.astro', '<h1>Home, edited</h1>'),
      () => write('surveys/needs-assessment.json', '{"title":"new"}'),
      () => write('package-lock.json', '{"lockfileVersion":3,"packages":{}}'),
      () => write('content/framework.yaml', 'new: file'),
      () => rmSync(join(build.root, 'content/framework.yaml')),
      () => write('worker/src/domain/labels.ts', 'export const x = 1;'),
    ]) {
      change();
      expect(staleBecause(build)).toBe('its sources changed since the last build');
      expect(await start()).toBe(true);
      expect(await start()).toBe(false);
    }
    expect(builds).toBe(7);
  });

  it("ignores what the build caches for itself, but not a file's new contents with the same size", async () => {
    await start();
    write('site/node_modules/.vite/cache.json', '{"changed":true}');
    write('site/.astro/types.d.ts', 'export {};');
    expect(await start()).toBe(false);
    write('site/src/pages/index.astro', '<h1>Hoem</h1>');
    expect(await start()).toBe(true);
  });

  it('builds again when dist/ was deleted or written by something else', async () => {
    await start();
    rmSync(build.out, { recursive: true });
    expect(staleBecause(build)).toBe('there is no dist/');
    expect(await start()).toBe(true);
    writeFileSync(join(build.out, 'index.html'), '<h1>someone else</h1>');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(build.out, 'index.html'), later, later);
    expect(staleBecause(build)).toBe('dist/ changed since the last build');
    expect(await start()).toBe(true);
    expect(builds).toBe(3);
  });

  it('leaves no record when the build fails, so the next start builds again', async () => {
    await start();
    write('site/src/pages/index.astro', '<h1>broken');
    await expect(
      buildSiteIfStale(
        build,
        async () => {
          throw new Error('astro build exited with 1');
        },
        () => {},
      ),
    ).rejects.toThrow('exited with 1');
    expect(staleBecause(build)).toBe('no record of a finished build');
    expect(await start()).toBe(true);
  });
});
