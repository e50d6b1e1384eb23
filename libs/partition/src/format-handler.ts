import type { RecordBatch } from 'apache-arrow';
import type { DatasetSource } from './dataset-source.js';
import type { JsonObject } from './json.js';
import type { Partition, PartitionFile, PartitionPlan } from './partition.js';
import type { Strategy, StrategyDefinition } from './strategy.js';

/** What detection looks at: the object's name and first bytes, or a directory's first entries. */
export interface FormatProbe {
  /** The dataset's key. */
  key: string;
  /** The first bytes of the object (up to 64 KiB); empty for a directory. */
  head: Uint8Array;
  /** The object's size; undefined for a directory. */
  size: number | undefined;
  /** For a directory dataset (a prefix): the keys under it, relative to it (the first 1000). */
  children: string[] | undefined;
}

/** What every format index says about the whole dataset (for `isthmus partition index`). */
export interface IndexSummary {
  /** Records in the dataset, in the format's own unit (reads, variants, spectra, points, tiles, chunks). */
  records: number;
  /** The name of that unit, plural (e.g. `reads`). */
  unit: string;
  /** Bytes of data the records span. */
  bytes: number;
  /** Format-specific facts worth showing (references, dimensions, CRS, …). */
  details?: JsonObject;
}

/**
 * A format plug-in: detection, the index pass, planning, and reading partitions. Indexes are
 * JSON (stored in the sidecar); partitions are JSON (sent to functions). Built-in formats are one
 * file each under `formats/<family>/`; any format, built in or not, joins with `registerFormat`.
 */
export interface FormatHandler<
  TIndex extends JsonObject = JsonObject,
  TRecord = unknown,
  TStrategy extends Strategy = Strategy,
> {
  /** The format's name as users write it (`--format`), e.g. `fastq`, `bam`, `cog`. */
  readonly name: string;
  /** Its family (`genomics`, `raster`, …, or a third party's own): what it is listed under. */
  readonly family: string;
  /** One line for people. */
  readonly description: string;
  /** Bumped whenever the index layout changes: older sidecar indexes are rebuilt. */
  readonly indexVersion: number;
  /** The strategies `plan` accepts: the generic three (`GENERIC_STRATEGIES`) and the format's own. */
  readonly strategies: readonly StrategyDefinition<TStrategy>[];
  /** Whether the probe is in this format (magic bytes first, the name only where there are none). */
  detect(probe: FormatProbe): boolean;
  /** The index pass: reads what it needs once, read-only, and returns a JSON index. */
  index(source: DatasetSource): Promise<TIndex>;
  /** The numbers every index reports. */
  summarize(index: TIndex): IndexSummary;
  /** Partitions for one of `strategies` (already validated by its definition). */
  plan(index: TIndex, strategy: TStrategy): PartitionPlan[];
  /** The partition's records, in file order. */
  read(partition: Partition, source: DatasetSource): AsyncIterable<TRecord>;
  /** The partition's records as Arrow record batches, where a columnar form is natural. */
  readBatches?(partition: Partition, source: DatasetSource): AsyncIterable<RecordBatch>;
  /** A stand-alone file (or the files of a set, main first) in the same format holding the partition. */
  toFile(partition: Partition, source: DatasetSource): Promise<PartitionFile[]>;
}

/** A handler whose index and record types are not known statically. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds handlers of every index and strategy type
export type AnyFormatHandler = FormatHandler<any, unknown, any>;
