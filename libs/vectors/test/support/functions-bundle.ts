import { fileURLToPath } from 'node:url';
import { type Bundle, buildBundle } from '@isthmus/faas';

const ENTRY = fileURLToPath(new URL('../../src/functions/vector-functions.ts', import.meta.url));

/**
 * The vectors functions module bundled with the native LanceDB package (and the Arrow it shares
 * with it) left external: built under the package's `node_modules/.cache`, so Node resolves them
 * from its node_modules (and the layering check does not read it). Stands in for the ingest
 * helper's `vectorFunctionsBundle()` until it lands.
 */
export function testFunctionsBundle(name: string): Promise<Bundle> {
  return buildBundle({
    entry: ENTRY,
    outDir: fileURLToPath(new URL(`../../node_modules/.cache/isthmus-bundles/${name}`, import.meta.url)),
    external: ['@lancedb/lancedb', 'apache-arrow'],
  });
}
