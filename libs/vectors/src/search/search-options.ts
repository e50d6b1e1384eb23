import type { S3ConnectionOptions } from '@isthmus/storage';
import type { Embedder } from '../embedders/embedder.js';
import type { EmbedderSpec } from '../embedders/embedder-spec.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * How `search` ranks: `vector` by cosine similarity of the query's embedding, `fts` by BM25 over
 * `text`, `hybrid` by reciprocal-rank fusion of both.
 */
export type SearchMode = 'vector' | 'fts' | 'hybrid';

/** Every search mode. */
export const SEARCH_MODES: readonly SearchMode[] = ['vector', 'fts', 'hybrid'];

/** Knobs of an indexed vector query; defaults are chosen per index kind for recall@10 ≥ 0.95. */
export interface VectorSearchTuning {
  /** IVF partitions searched (IVF_PQ default: max(20, 10 % of the partitions); IVF_HNSW_SQ: all). */
  nprobes?: number;
  /** Candidates re-ranked by exact distance, as a multiple of k (IVF_PQ default 10). */
  refineFactor?: number;
  /** HNSW candidate list length (default max(100, 4·k)). */
  ef?: number;
  /** Ignore the index and scan every row (exact; the ground truth recall is measured against). */
  exact?: boolean;
}

/** Options of `search` and `searchShards`. */
export interface SearchOptions {
  /** Hits wanted (default 10); must be ≥ 1. */
  k?: number;
  /** Default `vector`. */
  mode?: SearchMode;
  /** An SQL predicate over `id`, `source`, `heading`, `chunk`, applied before ranking (prefilter). */
  filter?: string;
  /**
   * The embedder for the query (default `{ kind: 'word-vectors' }`): a spec, or a loaded embedder
   * (kept open). Checked against the model and dimension the table records.
   */
  embedder?: EmbedderSpec | Embedder;
  /** Index search knobs for `vector` and `hybrid`. */
  tuning?: VectorSearchTuning;
  /** S3 settings for `s3://` tables (default: the AWS environment). */
  s3?: S3ConnectionOptions;
}

/** One result: a chunk and how well it matches. */
export interface SearchHit {
  id: string;
  text: string;
  source: string;
  heading: string;
  chunk: number;
  /**
   * Higher is better. `vector`: cosine similarity (1 − cosine distance, in [−1, 1]); `fts`: the BM25
   * score; `hybrid`: the reciprocal-rank-fusion score Σ 1/(60 + rank) over both rankings.
   */
  score: number;
}

/** The default number of hits. */
export const DEFAULT_K = 10;

/** `k` as given or the default, checked. @throws {InvalidArgumentError} k is not an integer ≥ 1. */
export function checkedK(k: number | undefined): number {
  const value = k ?? DEFAULT_K;
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`k must be an integer ≥ 1, got ${k}`);
  }
  return value;
}

/** The query text, checked. @throws {InvalidArgumentError} an empty or blank query. */
export function checkedQuery(query: string): string {
  if (typeof query !== 'string' || query.trim() === '') {
    throw new InvalidArgumentError('the query is empty');
  }
  return query;
}
