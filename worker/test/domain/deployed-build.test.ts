/**
 * What a deployment uploads: the Worker bundle `wrangler deploy` builds (here with
 * --dry-run, which builds exactly that and uploads nothing). The demo district is seeded by
 * `npm start` in Node (scripts/demo/), so none of it may be in the bundle: a deployed Worker
 * cannot seed demo staff, accounts or campaigns into a district's database.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const outdir = mkdtempSync(join(tmpdir(), 'homegrown-bundle-'));
let bundle = '';

beforeAll(async () => {
  // The bundle serves the built site as its assets: `npm test` on a fresh clone builds it first.
  if (!existsSync('dist/index.html')) {
    await promisify(execFile)(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--root', 'site']);
  }
  await promisify(execFile)(
    process.execPath,
    ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', outdir],
    { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  bundle = readFileSync(join(outdir, 'index.js'), 'utf8');
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the deployed Worker', () => {
  it('is the app: its routes are in the bundle', () => {
    expect(bundle).toContain('/:id/responses');
    expect(bundle.length).toBeGreaterThan(100_000);
  });

  it('holds nothing of the demo district: no seeding code, no demo campaign, account or school', () => {
    // Text of scripts/demo/ (checked to be there, so a rename cannot make this pass unseen).
    const source = ['district.ts', 'seed.ts'].map((file) => readFileSync(join('scripts/demo', file), 'utf8')).join('');
    const demo = [
      'seedDemoDistrict',
      'generateDemoDistrict',
      'demo-fall-2026',
      'demo-spring-2027',
      'admin@district.example',
      'director@district.example',
      'facilitator@district.example',
      'Alder Creek Elementary',
      'Birchwood Elementary',
    ];
    expect(demo.filter((text) => !source.includes(text))).toEqual([]);
    expect(demo.filter((text) => bundle.includes(text))).toEqual([]);
  });
});
