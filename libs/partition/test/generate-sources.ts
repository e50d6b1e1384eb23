// Vitest global setup: the sources generated at build time (the laz-perf WebAssembly module as
// base64) exist before any test imports them, also when the tests run without a build.
export default async function setup(): Promise<void> {
  await import('../scripts/embed-laz-perf-wasm.mjs');
}
