import type { S3ConnectionOptions } from '@isthmus/storage';
import type { SearchHit, VectorSearchTuning } from '../search/search-options.js';
import { searchVector } from '../search/table-queries.js';
import { chunkSchema } from '../table/chunk-schema.js';
import { VectorTable } from '../table/vector-table.js';
import { ChunkColumnsCollector, chunkTable } from './chunk-columns.js';
import { nearestCentroid } from './kmeans.js';

/** Input of `writeShardBlock`: rows `[offset, offset + limit)` of a table version, and where they go. */
export interface ShardBlockInput {
  table: string;
  version: number;
  offset: number;
  limit: number;
  /** The shard tables (created, empty or being filled by other blocks). */
  shards: string[];
  /** Every row goes to this shard (blocks)… */
  shard?: number;
  /** …or to the shard of its nearest centroid: `shards.length` unit vectors, packed Float32 bytes (k-means). */
  centroids?: Uint8Array;
  /** Endpoint/region only; credentials come from the runtime's environment. */
  s3?: S3ConnectionOptions;
}

/**
 * Function: copies one block of a table's rows into its shard tables (one append per shard it
 * feeds) and returns the rows each shard got.
 */
export async function writeShardBlock(input: ShardBlockInput): Promise<number[]> {
  const source = await VectorTable.open(input.table, { s3: input.s3 });
  try {
    await source.lance.checkout(input.version);
    const { dimension } = source.embedder;
    const centroids = input.centroids && new Float32Array(new Uint8Array(input.centroids).buffer);
    const collector = new ChunkColumnsCollector(input.shards.length, dimension);
    const rows = source.lance.query().offset(input.offset).limit(input.limit);
    for await (const batch of rows) {
      collector.add(batch, (row, vectors) =>
        centroids ? nearestCentroid(centroids, dimension, vectors, row * dimension) : input.shard!,
      );
    }
    const schema = chunkSchema(source.embedder);
    const counts: number[] = [];
    for (const [index, url] of input.shards.entries()) {
      const columns = collector.columns(index);
      counts.push(columns.id.length);
      if (columns.id.length === 0) continue;
      const shard = await VectorTable.open(url, { s3: input.s3 });
      try {
        await shard.lance.add(chunkTable(schema, columns));
      } finally {
        shard.close();
      }
    }
    return counts;
  } finally {
    source.close();
  }
}

/** Input of `searchShard`. */
export interface SearchShardInput {
  /** The shard table. */
  table: string;
  /** The query's embedding. */
  vector: number[];
  k: number;
  filter?: string;
  tuning?: VectorSearchTuning;
  /** Endpoint/region only; credentials come from the runtime's environment. */
  s3?: S3ConnectionOptions;
}

/** Function: the `k` nearest rows of one shard (see `searchVector`). */
export async function searchShard(input: SearchShardInput): Promise<SearchHit[]> {
  const shard = await VectorTable.open(input.table, { s3: input.s3 });
  try {
    return await searchVector(shard, Float32Array.from(input.vector), input);
  } finally {
    shard.close();
  }
}
