import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bundles a test script (TypeScript, workspace sources) into one ESM file that plain `node` runs:
 * many processes then start without compiling TypeScript each. Written under this package's
 * `node_modules/.cache`, so the native packages left external resolve from there.
 */
export async function buildScript(script: string): Promise<string> {
  const outfile = join(
    PACKAGE_DIR,
    'node_modules',
    '.cache',
    'isthmus-vectors-tests',
    `${process.pid}-${Date.now()}.mjs`,
  );
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [script],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@isthmus/source'],
    external: ['@lancedb/lancedb'],
    banner: {
      js: "import { createRequire as __isthmusRequire } from 'node:module'; const require = __isthmusRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  return outfile;
}
