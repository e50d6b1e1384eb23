import type { Executor } from '@isthmus/faas';
import type { S3ConnectionOptions } from '@isthmus/storage';
import { connect } from '@lancedb/lancedb';
import { InvalidArgumentError } from '../errors.js';
import { buildIndexesHere } from '../indexes/build-indexes-here.js';
import type * as IndexFunctions from '../indexes/index-functions.js';
import { taskConnection } from '../indexes/task-connection.js';
import type { VectorIndexKind } from '../indexes/vector-index-plan.js';
import { chunkSchema } from '../table/chunk-schema.js';
import { locateTable } from '../table/table-location.js';
import { VectorTable } from '../table/vector-table.js';
import { packedVectors } from './chunk-rows.js';
import { trainKMeans } from './kmeans.js';
import type * as ShardFunctions from './shard-functions.js';
import { type ShardBlockInput, writeShardBlock } from './shard-functions.js';
import {
  SHARD_SET_FORMAT,
  type ShardingKind,
  type ShardSet,
  shardTableUrl,
  writeShardSet,
} from './shard-set.js';

/** Options of `shardTable`. */
export interface ShardTableOptions {
  /** Shards to make (≥ 1). */
  shards: number;
  /** Nearest k-means centroid (queries then probe only the nearest shards) or contiguous blocks (exhaustive). */
  by: ShardingKind;
  /** Build this vector index on each shard (default `none`: shards are searched exhaustively). */
  vector?: VectorIndexKind;
  /** Copy blocks (and build shard indexes) as functions on this executor; in this process when absent. */
  executor?: Executor<typeof ShardFunctions & typeof IndexFunctions>;
  /** Rows a block copies at most (default 200,000): bounds a function's memory. */
  blockRows?: number;
  /** Rows k-means is trained on at most (default 25,000, drawn at random). */
  sampleRows?: number;
  /** S3 settings; functions get them without credentials (their runtime's environment provides those). */
  s3?: S3ConnectionOptions;
}

/**
 * Splits the table at `table` into `shards` tables beside it (`<table>-shard-000`, …, replacing
 * earlier ones) and records them with their k-means centroids in `<table>.shards.json`. Rows are
 * copied block by block (as `writeShardBlock` functions on `executor`'s backend when given); a
 * block sends each row to its shard (its own for `blocks`, the nearest centroid's for `kmeans`).
 * @throws {InvalidArgumentError} shards < 1, or more shards than rows.
 */
export async function shardTable(table: string, options: ShardTableOptions): Promise<ShardSet> {
  const { shards: count, by, executor, s3 } = options;
  if (!Number.isInteger(count) || count < 1) {
    throw new InvalidArgumentError(`shards must be an integer ≥ 1, got ${count}`);
  }
  if (by !== 'kmeans' && by !== 'blocks') {
    throw new InvalidArgumentError(`shard by 'kmeans' or 'blocks', not ${JSON.stringify(by)}`);
  }
  const source = await VectorTable.open(table, { s3 });
  let version: number;
  let rows: number;
  let centroids: Float32Array | undefined;
  try {
    version = await source.lance.version();
    rows = await source.lance.countRows();
    if (rows < count) throw new InvalidArgumentError(`${rows} rows cannot fill ${count} shards`);
    if (by === 'kmeans') centroids = await kmeansCentroids(source, rows, count, options.sampleRows ?? 25_000);
  } finally {
    source.close();
  }
  const location = locateTable(table, { s3 });
  const urls = Array.from({ length: count }, (_, index) => shardTableUrl(location.url, index));
  await createShardTables(location.url, urls, source.embedder, s3);

  const connection = taskConnection(s3);
  const blocks = planBlocks(rows, count, by, options.blockRows ?? 200_000).map(
    (block): ShardBlockInput => ({
      table: location.url,
      version,
      shards: urls,
      ...block,
      ...(centroids ? { centroids: new Uint8Array(centroids.buffer) } : {}),
      ...(connection ? { s3: connection } : {}),
    }),
  );
  const written = executor
    ? await Promise.all(executor.map('writeShardBlock', blocks).map((future) => future.result()))
    : await inSequence(blocks, (block) => writeShardBlock({ ...block, s3 }));
  const shardRows = urls.map((_, index) => written.reduce((sum, counts) => sum + counts[index]!, 0));

  const vector = options.vector ?? 'none';
  if (vector !== 'none') {
    const inputs = urls.map((url) => ({
      table: url,
      vector,
      fts: false,
      ...(connection ? { s3: connection } : {}),
    }));
    if (executor)
      await Promise.all(executor.map('buildTableIndexes', inputs).map((future) => future.result()));
    else await inSequence(urls, (url) => buildIndexesHere(url, { vector, fts: false, s3 }));
  }

  const set: ShardSet = {
    format: SHARD_SET_FORMAT,
    table: location.url,
    version,
    by,
    embedder: source.embedder,
    rows: shardRows.reduce((sum, value) => sum + value, 0),
    shards: urls.map((url, index) => ({
      url,
      rows: shardRows[index]!,
      ...(centroids ? { centroid: Array.from(centroidAt(centroids, source.embedder.dimension, index)) } : {}),
    })),
  };
  await writeShardSet(set, s3);
  return set;
}

function centroidAt(centroids: Float32Array, dimension: number, index: number): Float32Array {
  return centroids.subarray(index * dimension, (index + 1) * dimension);
}

/** Row ranges to copy: for blocks, each shard's contiguous range in pieces; for k-means, the table in pieces. */
function planBlocks(
  rows: number,
  shards: number,
  by: ShardingKind,
  blockRows: number,
): { offset: number; limit: number; shard?: number }[] {
  const ranges = (start: number, end: number, shard?: number) => {
    const pieces = Math.max(1, Math.ceil((end - start) / blockRows));
    const size = Math.ceil((end - start) / pieces);
    return Array.from({ length: pieces }, (_, piece) => {
      const offset = start + piece * size;
      return { offset, limit: Math.min(size, end - offset), ...(shard === undefined ? {} : { shard }) };
    }).filter((range) => range.limit > 0);
  };
  if (by === 'kmeans') return ranges(0, rows);
  return Array.from({ length: shards }, (_, shard) =>
    ranges(Math.floor((shard * rows) / shards), Math.floor(((shard + 1) * rows) / shards), shard),
  ).flat();
}

/** Centroids of `count` clusters trained on up to `sampleRows` rows drawn at random. */
async function kmeansCentroids(
  table: VectorTable,
  rows: number,
  count: number,
  sampleRows: number,
): Promise<Float32Array> {
  const { dimension } = table.embedder;
  const offsets = sampleOffsets(rows, Math.min(rows, Math.max(sampleRows, count)));
  const sample = new Float32Array(offsets.length * dimension);
  let filled = 0;
  for (let start = 0; start < offsets.length; start += 10_000) {
    const taken = await table.lance
      .takeOffsets(offsets.slice(start, start + 10_000))
      .select(['vector'])
      .toArrow();
    for (const batch of taken.batches) {
      const vectors = packedVectors(batch, dimension);
      sample.set(vectors, filled);
      filled += vectors.length;
    }
  }
  return trainKMeans(sample, dimension, { k: count });
}

/** `size` distinct offsets below `rows`, ascending, drawn by a fixed-seed hash sequence (reproducible). */
function sampleOffsets(rows: number, size: number): number[] {
  const chosen = new Set<number>();
  let seed = 0x9e3779b9;
  while (chosen.size < size) {
    seed = (Math.imul(seed ^ (seed >>> 16), 0x45d9f3b) + 1) >>> 0;
    chosen.add(seed % rows);
  }
  return [...chosen].sort((a, b) => a - b);
}

/** Creates (or empties) the shard tables with the source table's schema. */
async function createShardTables(
  table: string,
  urls: string[],
  embedder: VectorTable['embedder'],
  s3: S3ConnectionOptions | undefined,
): Promise<void> {
  const location = locateTable(table, { s3 });
  const db = await connect(location.databaseUri, { storageOptions: location.storageOptions });
  try {
    for (const url of urls) {
      const shard = await db.createEmptyTable(locateTable(url, { s3 }).name, chunkSchema(embedder), {
        mode: 'overwrite',
      });
      shard.close();
    }
  } finally {
    db.close();
  }
}

async function inSequence<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await run(item));
  return results;
}
