import type { Plugin } from 'vitest/config';

/**
 * A `.wasm` import as a compiled WebAssembly.Module, as wrangler's default CompiledWasm rule
 * makes it in a Worker. The site's build needs it because the API reference renders the
 * worker's own OpenAPI document (pages/api-reference.astro), which imports the worker and with
 * it the LP solver's `.wasm` (worker/src/domain/lp.ts, instantiated only when the solver is
 * used); the domain tests need it to load the app in Node (vitest.config.ts).
 */
export const compiledWasm: Plugin = {
  name: 'compiled-wasm',
  enforce: 'pre',
  load(id) {
    if (!id.endsWith('.wasm')) return null;
    return `import { readFileSync } from 'node:fs';
export default new WebAssembly.Module(readFileSync(${JSON.stringify(id)}));`;
  },
};
