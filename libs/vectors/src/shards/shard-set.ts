import { NotFoundError, type S3ConnectionOptions } from '@isthmus/storage';
import { InvalidArgumentError } from '../errors.js';
import type { TableEmbedderInfo } from '../table/chunk-schema.js';
import { locateTable } from '../table/table-location.js';

/** How a table's rows were split: by nearest k-means centroid (Vexless), or into contiguous blocks. */
export type ShardingKind = 'kmeans' | 'blocks';

/** One shard: a table of its own beside the sharded one. */
export interface ShardInfo {
  /** The shard table's URL. */
  url: string;
  /** Rows written to it. */
  rows: number;
  /** Its k-means centroid (unit length), which queries are routed by. */
  centroid?: number[];
}

/** A sharded table, as recorded in its manifest (`<table>.shards.json` beside the table). */
export interface ShardSet {
  format: typeof SHARD_SET_FORMAT;
  /** The table that was sharded. */
  table: string;
  /** Its version that was sharded. */
  version: number;
  by: ShardingKind;
  /** The model and dimension of the vectors (the table's). */
  embedder: TableEmbedderInfo;
  /** Rows of all shards together. */
  rows: number;
  shards: ShardInfo[];
}

/** The manifest format this version writes and reads. */
export const SHARD_SET_FORMAT = 'isthmus.vectors.shards/1';

const MANIFEST_SUFFIX = '.shards.json';

/** The URL of table `i` of `count` shards of the table at `table` (`<db>/<name>-shard-<i>`). */
export function shardTableUrl(table: string, index: number): string {
  return `${table.replace(/\/+$/, '')}-shard-${String(index).padStart(3, '0')}`;
}

/** Writes the manifest of a shard set beside its table. */
export async function writeShardSet(set: ShardSet, s3?: S3ConnectionOptions): Promise<void> {
  const location = locateTable(set.table, { s3 });
  await location.store.put(`${location.name}${MANIFEST_SUFFIX}`, `${JSON.stringify(set, null, 2)}\n`);
}

/**
 * Reads a shard set given the sharded table's URL (its manifest beside it).
 * @throws {InvalidArgumentError} the table has no shard manifest, or one of another format.
 */
export async function readShardSet(table: string, s3?: S3ConnectionOptions): Promise<ShardSet> {
  const location = locateTable(table, { s3 });
  const key = `${location.name}${MANIFEST_SUFFIX}`;
  let text: string;
  try {
    text = new TextDecoder().decode(await location.store.get(key));
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new InvalidArgumentError(`${table} is not sharded (no ${key} beside it): run shardTable first`, {
      cause: error,
    });
  }
  const set = JSON.parse(text) as ShardSet;
  if (set.format !== SHARD_SET_FORMAT) {
    throw new InvalidArgumentError(
      `${key}: format ${JSON.stringify(set.format)}, expected ${SHARD_SET_FORMAT}`,
    );
  }
  return set;
}
