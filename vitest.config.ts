import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { compiledWasm } from './site/integrations/compiled-wasm';

/**
 * Three projects: `worker` runs route and query tests inside workerd with a real local
 * D1 (the schema comes from the same migrations wrangler applies, handed to a setup
 * file as TEST_MIGRATIONS); `domain` runs the pure modules and content checks in Node;
 * `e2e` drives real Chromium against the app as `npm start` serves it.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations('worker/migrations');
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              // The tests read sign-in mail from the local outbox and build links at the local
              // address, as `npm start` does; and, like the benchmarks, play many callers by the
              // CF-Connecting-IP they send (worker/src/auth/limits.ts).
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  DEV_OUTBOX: 'on',
                  PUBLIC_ORIGIN: 'http://127.0.0.1:8787',
                  SIMULATED_CALLERS: 'on',
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['worker/test/*.test.ts'],
            setupFiles: ['worker/test/apply-migrations.ts'],
          },
        },
        {
          plugins: [compiledWasm],
          test: {
            name: 'domain',
            environment: 'node',
            include: ['worker/test/domain/*.test.ts'],
            // Through the plugin above, not Node's loader, which has no .wasm modules.
            server: { deps: { inline: [/\.wasm$/] } },
          },
        },
        { test: { name: 'site', environment: 'node', include: ['site/test/*.test.ts'] } },
        {
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['e2e/*.test.ts'],
            globalSetup: ['e2e/app.ts'],
            testTimeout: 60_000,
            hookTimeout: 60_000,
            // A page that waits on the worker may take seconds on a busy CI machine; a check with its
            // own time bound (the boards' two seconds) passes that bound explicitly.
            expect: { poll: { timeout: 10_000 } },
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
