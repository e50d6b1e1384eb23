// The vectors library's functions, for running ingest's work on any @isthmus/faas backend: build
// this module into a bundle with `vectorFunctionsBundle()`. Stores and tables are opened from the
// URLs in the inputs; S3 connection details come from the workers' AWS environment.
import {
  type CompactOptions,
  type CompactReport,
  compactTable as compactTableAt,
} from '../commit/compact-table.js';

export { type EmbedUnitRequest, embedUnit, type StagedBatch } from './embed-unit.js';
export * from './search-functions.js';

/** Input of the `compactTable` function. */
export interface CompactRequest extends Omit<CompactOptions, 's3' | 'lockStore' | 'signal' | 'lock'> {
  /** The table's URL. */
  table: string;
}

/** Compaction as a function (LanceDB `optimize()` under the table's commit lock): see `compactTable`. */
export async function compactTable(request: CompactRequest): Promise<CompactReport> {
  const { table, ...options } = request;
  return compactTableAt(table, options);
}
