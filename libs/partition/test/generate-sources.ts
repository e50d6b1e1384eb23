// Vitest global setup: the sources generated at build time (the laz-perf WebAssembly module as
// base64) exist before any test imports them, also when the tests run without a build.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export default async function setup(): Promise<void> {
  await promisify(execFile)(process.execPath, [
    join(import.meta.dirname, '../scripts/embed-laz-perf-wasm.mjs'),
  ]);
}
