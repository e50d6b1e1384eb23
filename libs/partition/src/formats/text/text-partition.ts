import { gzipSync } from 'node:zlib';
import type { GzipStart } from '../../codecs/gzip-random-access.js';
import { checkpointBefore, gzipRange, inflateGzipRange } from '../../codecs/gzip-random-access.js';
import type { DatasetSource } from '../../dataset-source.js';
import { TruncatedDataError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import type { Partition, PartitionFile, PartitionPlan } from '../../partition.js';
import { checkpointSpan, planRecordIntervals } from '../../record-intervals.js';
import type { GenericStrategy } from '../../strategy.js';
import type { Locate, ScannerFactory } from './record-scanner.js';
import { type TextIndex, textLayout } from './text-index.js';

/** What a text partition's reader needs besides its byte range. */
export type TextPartitionMeta = {
  /** The text offsets the partition's reading starts at (a record start) and may stop at. */
  text: { start: number; end: number };
  /** Records to skip after `text.start`, then records to take. */
  skip: number;
  take: number;
  /** The header record (CSV), written first by `toFile`. */
  header: string | null;
  settings: JsonObject;
  /** For gzip: the checkpoint the range starts at and its decompressed offset. */
  gzip: (GzipStart & { out: number }) | null;
};

/** Plans the partitions of a text dataset for a generic strategy. */
export function planText(index: TextIndex, strategy: GenericStrategy): PartitionPlan[] {
  const layout = textLayout(index);
  const key = index.key;
  return planRecordIntervals(layout, strategy).map((interval) => {
    const span = checkpointSpan(layout, interval);
    const text = { start: span.from.byte, end: span.endByte };
    let range = { key, offset: text.start, length: text.end - text.start };
    let gzip: TextPartitionMeta['gzip'] = null;
    if (index.gzip) {
      const start = checkpointBefore(index.gzip.checkpoints, text.start);
      range = gzipRange(key, index.gzip, start, text.end);
      gzip = {
        in: start.in,
        bits: start.bits,
        out: start.out,
        memberEnd: start.memberEnd,
        window: start.window,
      };
    }
    const meta: TextPartitionMeta = {
      text,
      skip: span.skip,
      take: span.take,
      header: index.header,
      settings: index.settings,
      gzip,
    };
    return {
      ranges: [range],
      records: interval.end - interval.first,
      label: interval.end > interval.first ? `records ${interval.first}–${interval.end - 1}` : 'no records',
      meta,
    };
  });
}

/** The text of a partition from `text.start`, decompressed when gzip, ending at or before `text.end`. */
async function* partitionText(partition: Partition, source: DatasetSource): AsyncIterable<Uint8Array> {
  const meta = partition.meta as TextPartitionMeta;
  const range = partition.ranges[0]!;
  if (range.length === 0) return;
  if (!meta.gzip) {
    yield* source.stream(range.key, range.offset, range.length);
    return;
  }
  let skip = meta.text.start - meta.gzip.out;
  let left = meta.text.end - meta.text.start;
  for await (const chunk of inflateGzipRange(source, range, meta.gzip)) {
    const piece = chunk.subarray(Math.min(skip, chunk.length), Math.min(chunk.length, skip + left));
    skip = Math.max(0, skip - chunk.length);
    left -= piece.length;
    if (piece.length > 0) yield piece;
    if (left === 0) return;
  }
}

/** Where a partition's text offsets are, for error messages. */
export function partitionLocator(partition: Partition): Locate {
  const meta = partition.meta as TextPartitionMeta;
  return (offset) => ({ key: partition.dataset.key, offset: meta.gzip ? meta.gzip.in : offset });
}

/** One record's bytes (terminator included) and the text offset it starts at. */
export interface RawRecord {
  bytes: Uint8Array;
  offset: number;
}

/** The records of a partition as bytes, split by the format's scanner, in file order. */
export async function* partitionRecords(
  partition: Partition,
  source: DatasetSource,
  scanner: ScannerFactory,
): AsyncIterable<RawRecord> {
  const meta = partition.meta as TextPartitionMeta;
  if (meta.take === 0) return;
  const locate = partitionLocator(partition);
  let seen = 0;
  for await (const record of splitRecords(partitionText(partition, source), meta.text, scanner(locate))) {
    if (seen++ < meta.skip) continue;
    yield record;
    if (seen === meta.skip + meta.take) return;
  }
  throw new TruncatedDataError(
    locate(meta.text.end),
    `expected ${meta.skip + meta.take} records from text byte ${meta.text.start}, found ${seen}`,
  );
}

async function* splitRecords(
  chunks: AsyncIterable<Uint8Array>,
  text: { start: number; end: number },
  scanner: ReturnType<ScannerFactory>,
): AsyncIterable<RawRecord> {
  let pending: Uint8Array[] = [];
  let recordStart = text.start;
  let offset = text.start;
  const ends: number[] = [];
  for await (const chunk of chunks) {
    ends.length = 0;
    scanner.scan(chunk, offset, (end) => ends.push(end));
    for (const end of ends) {
      const tail = chunk.subarray(Math.max(0, recordStart - offset), end - offset);
      const bytes = pending.length > 0 ? Buffer.concat([...pending, tail]) : tail;
      pending = [];
      yield { bytes, offset: recordStart };
      recordStart = end;
    }
    const rest = chunk.subarray(Math.max(0, recordStart - offset));
    if (rest.length > 0) pending.push(rest);
    offset += chunk.length;
  }
  if (offset === text.end && scanner.finish(offset) && recordStart < offset) {
    yield { bytes: Buffer.concat(pending), offset: recordStart };
  }
}

/** The name of a partition's file: `part-00003` and the dataset's extension (`.csv.gz`, `.fastq`). */
export function partitionFileName(partition: Partition, fallbackExtension: string): string {
  const name = partition.dataset.key.split('/').at(-1)!.toLowerCase();
  const extension = /(\.[a-z0-9]+)?(\.gz)?$/.exec(name)?.[0] || fallbackExtension;
  return `part-${String(partition.index).padStart(5, '0')}${extension}`;
}

/** A partition as a stand-alone file: the header and the records' own bytes, gzip-compressed for gzip datasets. */
export async function textPartitionFile(
  partition: Partition,
  source: DatasetSource,
  scanner: ScannerFactory,
  fallbackExtension: string,
): Promise<PartitionFile[]> {
  const meta = partition.meta as TextPartitionMeta;
  const parts: Uint8Array[] = meta.header === null ? [] : [Buffer.from(meta.header, 'utf8')];
  for await (const record of partitionRecords(partition, source, scanner)) parts.push(record.bytes);
  const text = Buffer.concat(parts);
  return [{ name: partitionFileName(partition, fallbackExtension), data: meta.gzip ? gzipSync(text) : text }];
}
