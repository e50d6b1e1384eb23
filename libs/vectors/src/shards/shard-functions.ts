import type { S3ConnectionOptions } from '@isthmus/storage';
import { Table } from 'apache-arrow';
import type { SearchHit, VectorSearchTuning } from '../search/search-options.js';
import { searchVector } from '../search/table-queries.js';
import { chunkBatch } from '../table/chunk-batch.js';
import type { ChunkRow } from '../table/chunk-schema.js';
import { VectorTable } from '../table/vector-table.js';
import { chunkRowsOf } from './chunk-rows.js';
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
    const perShard: ChunkRow[][] = input.shards.map(() => []);
    for await (const batch of source.lance.query().offset(input.offset).limit(input.limit)) {
      for (const row of chunkRowsOf(batch, dimension)) {
        perShard[centroids ? nearestCentroid(centroids, dimension, row.vector, 0) : input.shard!]!.push(row);
      }
    }
    for (const [index, rows] of perShard.entries()) {
      if (rows.length === 0) continue;
      const shard = await VectorTable.open(input.shards[index]!, { s3: input.s3 });
      try {
        await shard.lance.add(new Table(chunkBatch(rows, source.embedder)));
      } finally {
        shard.close();
      }
    }
    const counts = perShard.map((rows) => rows.length);
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
