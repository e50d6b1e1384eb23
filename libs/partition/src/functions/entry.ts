import { fileURLToPath } from 'node:url';

/**
 * The path of the module of partition functions (`indexDataset`, `planDataset`, `countRecords`,
 * `total`), to build a faas bundle from: `buildBundle({ entry: partitionFunctionsEntry(), outDir })`.
 */
export function partitionFunctionsEntry(): string {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return fileURLToPath(new URL(`./partition-functions.${extension}`, import.meta.url));
}
