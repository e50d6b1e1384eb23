import type { S3ConnectionOptions } from '@isthmus/storage';
import { searchVector } from '../search/table-queries.js';
import { VectorTable } from '../table/vector-table.js';
import { type SearchShardsOptions, searchShardsByVector } from './search-shards.js';
import type { ShardSet } from './shard-set.js';

/** What `shardRecall` measured. */
export interface ShardRecall {
  /** Mean over the queries of |sharded top-k ∩ exact top-k| / k. */
  recall: number;
  k: number;
  queries: number;
}

/**
 * Recall@k of sharded search against an exact (exhaustive) search of the unsharded table, over
 * the given query vectors: how much of the true top-k the probed shards find.
 */
export async function shardRecall(
  set: ShardSet,
  queries: readonly Float32Array[],
  options: Omit<SearchShardsOptions, 'mode' | 'embedder' | 'tuning'> & {
    k: number;
    s3?: S3ConnectionOptions;
  },
): Promise<ShardRecall> {
  const table = await VectorTable.open(set.table, { s3: options.s3 });
  let found = 0;
  try {
    await table.lance.checkout(set.version);
    for (const query of queries) {
      const exact = await searchVector(table, query, {
        k: options.k,
        filter: options.filter,
        tuning: { exact: true },
      });
      const sharded = await searchShardsByVector(set, query, options);
      const ids = new Set(sharded.map((hit) => hit.id));
      found += exact.filter((hit) => ids.has(hit.id)).length;
    }
  } finally {
    table.close();
  }
  return { recall: found / (queries.length * options.k), k: options.k, queries: queries.length };
}
