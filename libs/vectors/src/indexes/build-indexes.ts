import type { Executor } from '@isthmus/faas';
import { buildIndexesHere, type IndexReport, type IndexSettings } from './build-indexes-here.js';
import type * as IndexFunctions from './index-functions.js';
import { taskConnection } from './task-connection.js';

/** Options of `buildIndexes`. */
export interface BuildIndexesOptions extends IndexSettings {
  /** Run the build as a function (`buildTableIndexes`) on this executor's backend; in this process when absent. */
  executor?: Executor<typeof IndexFunctions>;
}

/**
 * Builds the vector index (cosine distance; parameters from `planVectorIndex` for the row count)
 * and the BM25 full-text index on `text` of the table at `table`, replacing older ones. A table
 * with fewer than `MIN_INDEXED_ROWS` rows gets no vector index: the report says so. On an
 * executor, the function gets the S3 settings without credentials (its runtime's environment
 * provides those).
 */
export async function buildIndexes(table: string, options: BuildIndexesOptions = {}): Promise<IndexReport> {
  const { executor, ...settings } = options;
  if (!executor) return buildIndexesHere(table, settings);
  const started = performance.now();
  const report = await executor
    .call('buildTableIndexes', {
      table,
      vector: settings.vector ?? 'ivf_hnsw_sq',
      fts: settings.fts ?? true,
      s3: taskConnection(settings.s3),
    })
    .result();
  return { ...report, ms: performance.now() - started };
}
