import svelte from '@astrojs/svelte';
import { defineConfig } from 'astro/config';
import securityHeaders from './integrations/security-headers';

/**
 * The API reference renders the worker's own OpenAPI document at build time
 * (pages/api-reference.astro), which imports the worker, and with it the LP solver's
 * `.wasm` (worker/src/domain/lp.ts). Wrangler makes that import a compiled
 * WebAssembly.Module; so does this, for the build (the solver is only instantiated when used).
 */
const compiledWasm = {
  name: 'compiled-wasm',
  enforce: 'pre',
  load(id) {
    if (!id.endsWith('.wasm')) return null;
    return `import { readFileSync } from 'node:fs';
export default new WebAssembly.Module(readFileSync(${JSON.stringify(id)}));`;
  },
};

// A fully static site: the Worker serves dist/ as assets and answers /api itself.
export default defineConfig({
  outDir: '../dist',
  output: 'static',
  integrations: [svelte(), securityHeaders()],
  build: { inlineStylesheets: 'never' },
  vite: { plugins: [compiledWasm], server: { fs: { allow: ['..'] } } },
});
