import type { RecordBatch } from 'apache-arrow';
import { chunkBatch } from '../../src/table/chunk-batch.js';
import type { ChunkRow, TableEmbedderInfo } from '../../src/table/chunk-schema.js';

/** The model recorded on tables of commit tests: their rows are made here, not embedded. */
export const TEST_ROWS_MODEL: TableEmbedderInfo = { modelId: 'commit-test-rows', dimension: 8 };

/** Rows `chunk-<n>` for n in [from, from + count): each id's row is always the same. */
export function testRows(from: number, count: number): ChunkRow[] {
  return Array.from({ length: count }, (_, at) => {
    const n = from + at;
    return {
      id: `chunk-${n}`,
      text: `text of chunk ${n}`,
      source: `file:///docs/${n % 7}.txt`,
      chunk: n,
      heading: '',
      vector: Float32Array.from({ length: TEST_ROWS_MODEL.dimension }, (_, d) => Math.sin(n + d)),
    };
  });
}

/** `testRows` as one Arrow batch of the table schema. */
export function testBatch(from: number, count: number): RecordBatch {
  return chunkBatch(testRows(from, count), TEST_ROWS_MODEL);
}
