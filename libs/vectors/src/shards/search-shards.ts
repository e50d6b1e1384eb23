import type { Executor } from '@isthmus/faas';
import { InvalidArgumentError } from '../errors.js';
import { taskConnection } from '../indexes/task-connection.js';
import { embedQuery } from '../search/query-embedder.js';
import { byScoreThenId } from '../search/reciprocal-rank-fusion.js';
import { checkedK, checkedQuery, type SearchHit, type SearchOptions } from '../search/search-options.js';
import { centroidsBySimilarity } from './kmeans.js';
import type * as ShardFunctions from './shard-functions.js';
import { type SearchShardInput, searchShard } from './shard-functions.js';
import { readShardSet, type ShardSet } from './shard-set.js';

/** Options of `searchShards`: those of `search` (vector mode only), plus where the shards are searched. */
export interface SearchShardsOptions extends SearchOptions {
  /** Search shards as `searchShard` functions on this executor's backend; in this process when absent. */
  executor?: Executor<typeof ShardFunctions>;
  /** k-means shards: probe the shards of the nearest `probeShards` centroids (default ⌈√shards⌉). Blocks: all. */
  probeShards?: number;
}

/**
 * Searches a sharded table (a `ShardSet`, or the URL of the table `shardTable` sharded) for
 * `query` by vector: the query is embedded once, fanned out to the shards (all of them for
 * blocks, the nearest centroids' for k-means) and their top-k merged. Exhaustive shards searched
 * in full give exactly the unsharded table's exhaustive top-k.
 * @throws {InvalidArgumentError} k < 1, an empty query, a mode other than `vector`, no manifest.
 * @throws {DimensionMismatchError} / {EmbedderMismatchError} the embedder is not the table's model.
 */
export async function searchShards(
  shards: ShardSet | string,
  query: string,
  options: SearchShardsOptions = {},
): Promise<SearchHit[]> {
  const k = checkedK(options.k);
  checkedQuery(query);
  if ((options.mode ?? 'vector') !== 'vector') {
    throw new InvalidArgumentError(`sharded search ranks by vector only, not ${options.mode}`);
  }
  const set = typeof shards === 'string' ? await readShardSet(shards, options.s3) : shards;
  const vector = await embedQuery(set.table, set.embedder, query, options.embedder);
  return searchShardsByVector(set, vector, { ...options, k });
}

/** `searchShards` for a query already embedded (vectors of the shard set's model). */
export async function searchShardsByVector(
  set: ShardSet,
  vector: Float32Array,
  options: Omit<SearchShardsOptions, 'mode' | 'embedder'> = {},
): Promise<SearchHit[]> {
  const k = checkedK(options.k);
  const connection = taskConnection(options.s3);
  const inputs = probedShards(set, vector, options.probeShards).map(
    (index): SearchShardInput => ({
      table: set.shards[index]!.url,
      vector: Array.from(vector),
      k,
      ...(options.filter ? { filter: options.filter } : {}),
      ...(options.tuning ? { tuning: options.tuning } : {}),
      ...(connection ? { s3: connection } : {}),
    }),
  );
  const { executor } = options;
  const perShard = executor
    ? await Promise.all(executor.map('searchShard', inputs).map((future) => future.result()))
    : await Promise.all(inputs.map((input) => searchShard({ ...input, s3: options.s3 })));
  return perShard.flat().sort(byScoreThenId).slice(0, k);
}

/** The shards a query goes to: all for blocks; for k-means, those of the `probe` most similar centroids. */
export function probedShards(set: ShardSet, vector: Float32Array, probe?: number): number[] {
  const all = set.shards.map((_, index) => index);
  if (set.by === 'blocks') return all;
  const count = probe ?? Math.ceil(Math.sqrt(set.shards.length));
  if (!Number.isInteger(count) || count < 1) {
    throw new InvalidArgumentError(`probeShards must be an integer ≥ 1, got ${probe}`);
  }
  const dimension = set.embedder.dimension;
  const centroids = new Float32Array(set.shards.length * dimension);
  for (const [index, shard] of set.shards.entries()) centroids.set(shard.centroid ?? [], index * dimension);
  return centroidsBySimilarity(centroids, dimension, vector).slice(0, count);
}
