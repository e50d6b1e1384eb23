import type { S3ConnectionOptions } from '@isthmus/storage';
import { Index } from '@lancedb/lancedb';
import { retryingConflicts } from '../commit/commit-chunks.js';
import { VectorTable } from '../table/vector-table.js';
import {
  lanceVectorIndex,
  MIN_INDEXED_ROWS,
  planVectorIndex,
  type VectorIndexKind,
} from './vector-index-plan.js';

/** Which indexes to build. */
export interface IndexSettings {
  /** The vector index (default `ivf_hnsw_sq`); `none` leaves vector search exhaustive. */
  vector?: VectorIndexKind;
  /** Build the full-text (BM25) index on `text` that `fts` and `hybrid` search need (default true). */
  fts?: boolean;
  /** S3 settings for `s3://` tables (default: the AWS environment). */
  s3?: S3ConnectionOptions;
}

/** An index `buildIndexes` built. */
export interface BuiltIndex {
  /** LanceDB's name of the index. */
  name: string;
  column: 'vector' | 'text';
  type: 'IVF_HNSW_SQ' | 'IVF_PQ' | 'FTS';
  /** IVF partitions (vector indexes). */
  partitions?: number;
  /** PQ sub-vectors (IVF_PQ). */
  subVectors?: number;
  /** Build time. */
  ms: number;
}

/** An index `buildIndexes` was asked for and did not build, and why (e.g. too few rows to train it). */
export interface SkippedIndex {
  column: 'vector' | 'text';
  kind: string;
  reason: string;
}

/** What `buildIndexes` did. */
export interface IndexReport {
  /** The table URL. */
  table: string;
  /** Rows of the table version indexed. */
  rows: number;
  indexes: BuiltIndex[];
  skipped: SkippedIndex[];
  /** Wall time, including the function call when run on an executor. */
  ms: number;
}

/** `buildIndexes` in this process: what the `buildTableIndexes` function runs. */
export async function buildIndexesHere(url: string, settings: IndexSettings = {}): Promise<IndexReport> {
  const started = performance.now();
  const table = await VectorTable.open(url, { s3: settings.s3 });
  try {
    const rows = await table.countRows();
    const indexes: BuiltIndex[] = [];
    const skipped: SkippedIndex[] = [];
    const kind = settings.vector ?? 'ivf_hnsw_sq';
    if (kind !== 'none' && rows < MIN_INDEXED_ROWS) {
      skipped.push({
        column: 'vector',
        kind,
        reason: `${rows} rows: a vector index needs at least ${MIN_INDEXED_ROWS}; search stays exhaustive (exact)`,
      });
    } else if (kind !== 'none') {
      const plan = planVectorIndex(kind, rows, table.embedder.dimension);
      const begun = performance.now();
      await createIndexRetryingConflicts(table, 'vector', lanceVectorIndex(plan));
      indexes.push({
        name: 'vector_idx',
        column: 'vector',
        type: kind === 'ivf_pq' ? 'IVF_PQ' : 'IVF_HNSW_SQ',
        partitions: plan.partitions,
        ...(plan.subVectors ? { subVectors: plan.subVectors } : {}),
        ms: performance.now() - begun,
      });
    }
    if (settings.fts ?? true) {
      const begun = performance.now();
      await createIndexRetryingConflicts(table, 'text', fullTextIndex());
      indexes.push({ name: 'text_idx', column: 'text', type: 'FTS', ms: performance.now() - begun });
    }
    return { table: table.location.url, rows, indexes, skipped, ms: performance.now() - started };
  } finally {
    table.close();
  }
}

/**
 * Builds (or replaces) an index at the table's latest version. Index builds take no commit lock
 * (they can be long, and appends do not conflict with them); a conflict with a concurrent
 * compaction is retried like any commit's.
 */
async function createIndexRetryingConflicts(
  table: VectorTable,
  column: string,
  config: Index,
): Promise<void> {
  await retryingConflicts(table, {}, async () => {
    await table.lance.checkoutLatest();
    await table.lance.createIndex(column, { config, replace: true });
    return {};
  });
}

/** BM25 over English words: lower-cased, stemmed, stop words and accents removed. */
function fullTextIndex(): Index {
  return Index.fts({
    baseTokenizer: 'simple',
    language: 'English',
    lowercase: true,
    stem: true,
    removeStopWords: true,
    asciiFolding: true,
    withPosition: false,
  });
}
