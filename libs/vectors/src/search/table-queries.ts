import type { VectorQuery } from '@lancedb/lancedb';
import { DimensionMismatchError, MissingIndexError } from '../errors.js';
import { ivfPqPartitions } from '../indexes/vector-index-plan.js';
import type { VectorTable } from '../table/vector-table.js';
import type { SearchHit, VectorSearchTuning } from './search-options.js';

/** A query run against one open table: `k` hits, optionally prefiltered. */
export interface TableQueryOptions {
  k: number;
  filter?: string;
  tuning?: VectorSearchTuning;
}

const HIT_COLUMNS = ['id', 'text', 'source', 'chunk', 'heading'];

/**
 * The `k` rows nearest to `vector` by cosine distance, best first, `score` = cosine similarity.
 * Uses the table's vector index when there is one (with recall-minded probe/refine settings), an
 * exact scan otherwise. A zero vector is similar to nothing: no hits.
 * @throws {DimensionMismatchError} the vector's length is not the table's dimension.
 */
export async function searchVector(
  table: VectorTable,
  vector: Float32Array,
  options: TableQueryOptions,
): Promise<SearchHit[]> {
  if (vector.length !== table.embedder.dimension) {
    throw new DimensionMismatchError(
      `a ${vector.length}-dimensional query against ${table.location.url} of ${table.embedder.dimension}-dimensional vectors`,
    );
  }
  if (!vector.some((value) => value !== 0)) return [];
  let query = table.lance
    .vectorSearch(vector)
    .distanceType('cosine')
    .select([...HIT_COLUMNS, '_distance'])
    .limit(options.k);
  query = await tuned(table, query, options);
  if (options.filter) query = query.where(options.filter);
  const rows = (await query.toArray()) as (HitRow & { _distance: number })[];
  return rows.map((row) => toHit(row, 1 - row._distance));
}

/**
 * The `k` rows whose `text` ranks best by BM25 for `query`, `score` = the BM25 score.
 * @throws {MissingIndexError} the table has no full-text index (`buildIndexes` makes one).
 */
export async function searchText(
  table: VectorTable,
  query: string,
  options: TableQueryOptions,
): Promise<SearchHit[]> {
  const indexes = await table.lance.listIndices();
  if (!indexes.some((index) => index.indexType === 'FTS' && index.columns.includes('text'))) {
    throw new MissingIndexError(
      `${table.location.url} has no full-text index on text: run buildIndexes(table, { fts: true }) first`,
    );
  }
  let search = table.lance
    .query()
    .fullTextSearch(query, { columns: ['text'] })
    .select([...HIT_COLUMNS, '_score']); // naming _score keeps LanceDB from warning that it adds it
  if (options.filter) search = search.where(options.filter);
  const rows = (await search.limit(options.k).toArray()) as (HitRow & { _score: number })[];
  return rows.map((row) => toHit(row, row._score));
}

type HitRow = Omit<SearchHit, 'score'>;

function toHit(row: HitRow, score: number): SearchHit {
  return {
    id: row.id,
    text: row.text,
    source: row.source,
    heading: row.heading,
    chunk: Number(row.chunk),
    score,
  };
}

/** Applies probe/refine/ef settings fitting the table's vector index, if it has one. */
async function tuned(
  table: VectorTable,
  query: VectorQuery,
  options: TableQueryOptions,
): Promise<VectorQuery> {
  const tuning = options.tuning ?? {};
  if (tuning.exact) return query.bypassVectorIndex();
  const index = (await table.lance.listIndices()).find((config) => config.columns.includes('vector'));
  if (!index) return query;
  // listIndices names types `IvfPq`, `IvfHnswSq`; indexStats `IVF_PQ`, `IVF_HNSW_SQ`.
  const type = index.indexType.replace(/_/g, '').toLowerCase();
  if (type === 'ivfpq') {
    const stats = await table.lance.indexStats(index.name);
    const partitions = ivfPqPartitions(stats?.numIndexedRows ?? 0);
    return query
      .nprobes(tuning.nprobes ?? Math.max(20, Math.ceil(partitions / 10)))
      .refineFactor(tuning.refineFactor ?? 10);
  }
  if (type.includes('hnsw')) {
    // Few partitions (one graph per 500k rows): LanceDB's default 20 probes cover them all.
    query = query.ef(tuning.ef ?? Math.max(100, 4 * options.k));
    if (tuning.nprobes) query = query.nprobes(tuning.nprobes);
    if (tuning.refineFactor) query = query.refineFactor(tuning.refineFactor);
  }
  return query;
}
