/**
 * Workers Static Assets serves a path as a plain file unless wrangler.toml names it in
 * `run_worker_first`: a signed-in page missing there would be handed to anyone, publicly
 * cacheable, without the worker's role check (worker/src/pages.ts). Every page the
 * navigation offers by role, and every board, must be on that list.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { STAFF_PAGES } from '../../src/domain/navigation';

const config = parse(readFileSync(new URL('../../../wrangler.toml', import.meta.url), 'utf8')) as {
  assets?: { run_worker_first?: string[] };
};

describe('the pages the worker guards', () => {
  it('are all run through the worker first, not served as plain files', () => {
    const first = config.assets?.run_worker_first ?? [];
    for (const path of [...STAFF_PAGES.map((page) => page.path), '/board/', '/api/']) {
      expect(first, path).toContain(`${path}*`);
    }
  });
});
