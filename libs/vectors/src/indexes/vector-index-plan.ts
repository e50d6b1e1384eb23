import { Index } from '@lancedb/lancedb';

/** The vector index kinds `buildIndexes` makes: graph search over scalar-quantised vectors, product quantisation, or none. */
export type VectorIndexKind = 'ivf_hnsw_sq' | 'ivf_pq' | 'none';

/** Fewest rows a vector index is trained on (PQ needs 256 rows for its 8-bit codebooks); below it search stays exhaustive. */
export const MIN_INDEXED_ROWS = 256;

/** How a vector index is (or would be) built for a table of `rows` vectors of `dimension`. */
export interface VectorIndexPlan {
  kind: Exclude<VectorIndexKind, 'none'>;
  /** IVF partitions. */
  partitions: number;
  /** PQ sub-vectors (IVF_PQ only). */
  subVectors?: number;
}

/**
 * Chooses index parameters for `rows` vectors: IVF_PQ with about √rows partitions (at least 256
 * rows each) and sub-vectors of 4–8 dimensions (a divisor of the dimension); IVF_HNSW_SQ with one
 * HNSW graph per 500k rows (bounding the memory of its build).
 */
export function planVectorIndex(
  kind: Exclude<VectorIndexKind, 'none'>,
  rows: number,
  dimension: number,
): VectorIndexPlan {
  if (kind === 'ivf_hnsw_sq') return { kind, partitions: Math.max(1, Math.ceil(rows / 500_000)) };
  return { kind, partitions: ivfPqPartitions(rows), subVectors: subVectorsFor(dimension) };
}

/** IVF partitions of an IVF_PQ index over `rows` vectors; search derives its probe count from the same number. */
export function ivfPqPartitions(rows: number): number {
  return Math.max(1, Math.min(Math.round(Math.sqrt(rows)), Math.floor(rows / 256)));
}

/** The LanceDB index configuration of a plan (cosine distance). */
export function lanceVectorIndex(plan: VectorIndexPlan): Index {
  if (plan.kind === 'ivf_hnsw_sq') {
    return Index.hnswSq({ distanceType: 'cosine', numPartitions: plan.partitions });
  }
  return Index.ivfPq({
    distanceType: 'cosine',
    numPartitions: plan.partitions,
    numSubVectors: plan.subVectors,
  });
}

/** The number of sub-vectors that splits `dimension` into pieces of 8 (else 4, 5, 6, 2 …) values. */
function subVectorsFor(dimension: number): number {
  for (const width of [8, 16, 4, 5, 6, 10, 3, 2]) {
    if (dimension % width === 0) return dimension / width;
  }
  return dimension;
}
