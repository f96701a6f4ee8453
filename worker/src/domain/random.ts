/**
 * Mulberry32: a small, fast, well-mixed 32-bit generator, the same sequence on every
 * platform for a seed. What needs repeatable draws uses it: the disclosure audit's random
 * objectives (so the plan is the same on every run), the demo district, the simulations
 * and the benchmarks. Not for secrets: tokens come from crypto.getRandomValues.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
