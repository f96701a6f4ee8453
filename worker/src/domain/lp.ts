/**
 * The linear-programming solver the disclosure audit runs (HiGHS compiled to WebAssembly).
 * In a Worker a .wasm import is already a compiled WebAssembly.Module (wrangler's default
 * CompiledWasm rule), so it is handed to the Emscripten loader through `instantiateWasm`
 * rather than fetched. It is instantiated once per isolate, on the first read whose
 * disclosure plan is not cached (db/disclosure.ts); a submission never calls it.
 */
import highsLoader, { type Highs } from 'highs';
import highsWasm from '../../../node_modules/highs/build/highs.wasm';

let loading: Promise<Highs> | undefined;

/** The isolate's solver, instantiated on first use (and tried again after a failed start). */
export function solver(): Promise<Highs> {
  loading ??= startWithoutNode().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Emscripten decides at its first synchronous step whether it runs in Node, by looking at
 * `process.versions.node`; with nodejs_compat a Worker has that, and the Node branch then
 * calls `createRequire(import.meta.url)`, which a bundled Worker cannot answer. The wasm
 * comes through `instantiateWasm` anyway, so the loader is started with `process` out of
 * sight and given it back before anything else runs (the check is synchronous).
 */
function startWithoutNode(): Promise<Highs> {
  const scope = globalThis as { process?: unknown };
  const process = scope.process;
  scope.process = undefined;
  try {
    return load();
  } finally {
    scope.process = process;
  }
}

function load(): Promise<Highs> {
  return highsLoader({
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) {
      receive(new WebAssembly.Instance(highsWasm, imports));
      return {};
    },
  } as Parameters<typeof highsLoader>[0]);
}
