import { fileURLToPath } from 'node:url';

/**
 * The path of the module of functions the backend conformance suite runs (`square`, `sum`,
 * `fail`, `exitWorker`, `sleep`, `repeat`, `reverseBytes`, `gcInRange`), to build a bundle from:
 * `buildBundle({ entry: conformanceFunctionsEntry(), outDir })`. The TypeScript source when this
 * package runs from its sources, the built JavaScript when it is installed.
 */
export function conformanceFunctionsEntry(): string {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return fileURLToPath(new URL(`./conformance-functions.${extension}`, import.meta.url));
}
