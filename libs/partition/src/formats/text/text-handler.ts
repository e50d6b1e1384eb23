import type { RecordBatch } from 'apache-arrow';
import type { DatasetSource } from '../../dataset-source.js';
import type { DataLocation } from '../../errors.js';
import type { FormatHandler, FormatProbe } from '../../format-handler.js';
import { GENERIC_STRATEGIES } from '../../generic-strategies.js';
import type { JsonObject } from '../../json.js';
import type { Partition } from '../../partition.js';
import type { GenericStrategy } from '../../strategy.js';
import type { ScannerFactory } from './record-scanner.js';
import { indexText, type TextIndex } from './text-index.js';
import {
  partitionLocator,
  partitionRecords,
  planText,
  type TextPartitionMeta,
  textPartitionFile,
} from './text-partition.js';

/** Turns one record's bytes into its value; `at` says where it is, for errors. */
export type RecordDecoder<TRecord> = (bytes: Uint8Array, at: DataLocation) => TRecord;

/** What differs between the record-per-line(s) text formats (lines, CSV, JSONL, FASTQ). */
export interface TextFormatSpec<TRecord> {
  name: string;
  family: string;
  description: string;
  /** The plural name of a record. */
  unit: string;
  /** The extension of partition files when the dataset's name has none (e.g. `.txt`). */
  extension: string;
  detect(probe: FormatProbe): boolean;
  scanner: ScannerFactory;
  /** Whether the first record is a header, kept in every partition (CSV). */
  header: boolean;
  /** Settings the index keeps from the dataset's key (e.g. the CSV delimiter). */
  settings(key: string): JsonObject;
  /** A decoder for one partition (given the header record's text, if any, and the settings). */
  decoder(header: string | null, settings: JsonObject, key: string): RecordDecoder<TRecord>;
  /** Decoded records as an Arrow batch. */
  batch(records: TRecord[], header: string | null, settings: JsonObject): RecordBatch;
}

/** Rows per Arrow batch. */
const BATCH_ROWS = 16_384;

/**
 * A format handler for records of one or more lines, in plain or gzip text: one streaming index
 * pass (gzip checkpoints and record checkpoints), the generic strategies, reads of only the
 * partition's bytes, files of the header and the partition's records.
 */
export function textHandler<TRecord>(
  spec: TextFormatSpec<TRecord>,
): FormatHandler<TextIndex, TRecord, GenericStrategy> {
  async function* read(partition: Partition, source: DatasetSource): AsyncIterable<TRecord> {
    const meta = partition.meta as TextPartitionMeta;
    const decode = spec.decoder(meta.header, meta.settings, partition.dataset.key);
    const locate = partitionLocator(partition);
    for await (const record of partitionRecords(partition, source, spec.scanner)) {
      yield decode(record.bytes, locate(record.offset));
    }
  }
  return {
    name: spec.name,
    family: spec.family,
    description: spec.description,
    indexVersion: 1,
    strategies: GENERIC_STRATEGIES,
    detect: spec.detect,
    index: (source) =>
      indexText(source, { scanner: spec.scanner, header: spec.header, settings: spec.settings(source.key) }),
    summarize: (index) => ({
      records: index.records,
      unit: spec.unit,
      bytes: index.end - index.start,
      details: {
        compression: index.compression,
        storedBytes: index.size,
        checkpoints: index.checkpoints.length / 2,
        ...(index.gzip
          ? { gzipMembers: index.gzip.members, gzipCheckpoints: index.gzip.checkpoints.length }
          : {}),
      },
    }),
    plan: planText,
    read,
    async *readBatches(partition, source) {
      const meta = partition.meta as TextPartitionMeta;
      let rows: TRecord[] = [];
      for await (const record of read(partition, source)) {
        rows.push(record);
        if (rows.length === BATCH_ROWS) {
          yield spec.batch(rows, meta.header, meta.settings);
          rows = [];
        }
      }
      if (rows.length > 0) yield spec.batch(rows, meta.header, meta.settings);
    },
    toFile: (partition, source) => textPartitionFile(partition, source, spec.scanner, spec.extension),
  };
}
