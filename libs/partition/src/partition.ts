import type { JsonObject } from './json.js';
import type { Strategy } from './strategy.js';

/** Bytes of one object of the dataset that a partition reads. */
export interface PartitionRange {
  /** The object's key, relative to the dataset's store. */
  key: string;
  /** First byte. */
  offset: number;
  /** Number of bytes. */
  length: number;
}

/**
 * One piece of a dataset, as plain JSON: where its bytes are and what a worker needs besides them
 * (header, decoder state, records to skip, …). Any function on any backend reads it with
 * `read(partition)` without the index.
 */
export interface Partition {
  /** The format handler that reads it. */
  format: string;
  /** The dataset: its store's URL and its key in that store. */
  dataset: { storeUrl: string; key: string };
  /** Position of this partition among those of the same plan (0-based). */
  index: number;
  /** Number of partitions in the plan. */
  total: number;
  /** The strategy that made the plan. */
  strategy: Strategy;
  /** The byte ranges to fetch. */
  ranges: PartitionRange[];
  /** Versions (etags) of the objects the plan was made from; reads fail if they changed. */
  etags: Record<string, string>;
  /** Number of records the partition holds, when the index knows it. */
  records?: number;
  /** A short human description (e.g. `chr2:1-50000`, `tile 3,4`, `records 0–999`). */
  label: string;
  /** Format-specific data the reader needs (header bytes, decoder checkpoint, skip counts, …). */
  meta: JsonObject;
}

/** What a format handler plans for one partition; the dataset adds identity and versions. */
export type PartitionPlan = Pick<Partition, 'ranges' | 'records' | 'label' | 'meta'>;

/** A stand-alone file made from a partition (`name` is relative, e.g. `part-00003.bam`). */
export interface PartitionFile {
  name: string;
  data: Uint8Array;
}

/** The total number of bytes a partition fetches. */
export function partitionBytes(partition: Pick<Partition, 'ranges'>): number {
  return partition.ranges.reduce((total, range) => total + range.length, 0);
}
