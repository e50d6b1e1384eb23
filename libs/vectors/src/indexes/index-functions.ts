import type { S3ConnectionOptions } from '@isthmus/storage';
import { buildIndexesHere, type IndexReport } from './build-indexes-here.js';
import type { VectorIndexKind } from './vector-index-plan.js';

/** Input of the `buildTableIndexes` function. */
export interface BuildTableIndexesInput {
  table: string;
  vector: VectorIndexKind;
  fts: boolean;
  /** Endpoint/region only; credentials come from the runtime's environment. */
  s3?: S3ConnectionOptions;
}

/** Function: builds a table's vector and full-text indexes where it runs (see `buildIndexes`). */
export async function buildTableIndexes(input: BuildTableIndexesInput): Promise<IndexReport> {
  return buildIndexesHere(input.table, { vector: input.vector, fts: input.fts, s3: input.s3 });
}
