import { CorruptSegmentError, OffsetOutOfRangeError } from '../errors.js';
import {
  decodeRecords,
  parseBatch,
  parseBatches,
  withBaseOffset,
  withBaseOffsets,
} from '../protocol/record-batch.js';
import type { HeadStore } from './head-store.js';
import type { IndexEntry, PartitionHead } from './partition-head.js';
import type { SegmentRanges } from './segment-ranges.js';
import type { TopicInfo } from './topic-catalog.js';

/** What a read returns: whole batches with their offsets set, and the partition's bounds. */
export interface ReadResult {
  batches: Uint8Array[];
  highWatermark: number;
  logStartOffset: number;
}

/** One read of `readMany`. */
export interface ReadRequest {
  topic: TopicInfo;
  partition: number;
  offset: number;
  maxBytes: number;
}

/** Kafka's ListOffsets sentinels: the high watermark, the log start, the record with the largest timestamp. */
const LATEST_TIMESTAMP = -1;
const EARLIEST_TIMESTAMP = -2;
const MAX_TIMESTAMP = -3;

/**
 * The fetch path: head → the index entries covering the offsets asked for (from the head, or from
 * an index chunk for older offsets) → ranged GETs of segments (through `SegmentRanges`, coalesced
 * and cached) → whole batches, their base offsets rewritten to the offsets the head assigned.
 */
export class LogReader {
  readonly #heads: HeadStore;
  readonly #ranges: SegmentRanges;
  readonly #headCacheMs: number;

  constructor(heads: HeadStore, ranges: SegmentRanges, headCacheMs: number) {
    this.#heads = heads;
    this.#ranges = ranges;
    this.#headCacheMs = headCacheMs;
  }

  /**
   * Batches from the one holding `offset` on, up to about `maxBytes` but at least one batch when
   * there is data; `offset` equal to the high watermark reads nothing. Throws
   * `OffsetOutOfRangeError` below the log start or above the high watermark (checked against a
   * fresh head before failing, so a stale cache never sends a client back to the start).
   */
  async read(topic: TopicInfo, partition: number, offset: number, maxBytes: number): Promise<ReadResult> {
    const [result] = await this.readMany([{ topic, partition, offset, maxBytes }]);
    if (result!.status === 'rejected') throw result!.reason;
    return result!.value;
  }

  /**
   * Several reads at once, each settling on its own: all heads and index entries are looked up
   * first, then every segment range is asked for in the same tick, so the ranges one flush wrote
   * for several partitions come from one GET.
   */
  async readMany(requests: ReadRequest[]): Promise<PromiseSettledResult<ReadResult>[]> {
    const plans = await Promise.allSettled(requests.map((request) => this.#plan(request)));
    return Promise.allSettled(
      plans.map(async (plan, i) => {
        if (plan.status === 'rejected') throw plan.reason;
        const { entries, highWatermark, logStartOffset } = plan.value;
        const contents = await Promise.all(entries.map((entry) => this.#ranges.read(entry)));
        const { offset, maxBytes } = requests[i]!;
        const kept: Array<{ bytes: Uint8Array; baseOffset: bigint }> = [];
        let bytes = 0;
        const placed = entries.flatMap((entry, j) => placedBatches(entry, contents[j]!));
        for (const { bytes: batch, baseOffset, lastOffset } of placed) {
          if (lastOffset < offset) continue;
          if (kept.length > 0 && bytes + batch.byteLength > maxBytes) break;
          kept.push({ bytes: batch, baseOffset: BigInt(baseOffset) });
          bytes += batch.byteLength;
        }
        return { batches: withBaseOffsets(kept), highWatermark, logStartOffset };
      }),
    );
  }

  /** The bounds of a read and the index entries it needs (about `maxBytes` of them, one at least). */
  async #plan({ topic, partition, offset, maxBytes }: ReadRequest) {
    let head = (await this.#heads.get(topic, partition, this.#headCacheMs)).value;
    if (offset > head.nextOffset || offset < head.logStartOffset) {
      head = (await this.#heads.get(topic, partition, 0)).value;
    }
    if (offset > head.nextOffset || offset < head.logStartOffset) {
      throw new OffsetOutOfRangeError(
        `offset ${offset} of ${topic.name}-${partition} is outside [${head.logStartOffset}, ${head.nextOffset}]`,
      );
    }
    const entries: IndexEntry[] = [];
    let bytes = 0;
    for await (const entry of this.#entries(head, offset)) {
      if (entries.length > 0 && bytes + entry.byteLength > maxBytes) break;
      entries.push(entry);
      bytes += entry.byteLength;
    }
    return { entries, highWatermark: head.nextOffset, logStartOffset: head.logStartOffset };
  }

  /**
   * The earliest offset whose record has a timestamp at or after `timestampMs`, with that record's
   * timestamp; `undefined` when every record is older. Kafka's -1 (latest) and -2 (earliest) give
   * the high watermark and the log start, with timestamp -1; -3 (max timestamp) the first record
   * carrying the largest timestamp.
   */
  async offsetForTimestamp(
    topic: TopicInfo,
    partition: number,
    timestampMs: number,
  ): Promise<{ offset: number; timestampMs: number } | undefined> {
    const head = (await this.#heads.get(topic, partition, 0)).value;
    if (timestampMs === LATEST_TIMESTAMP) return { offset: head.nextOffset, timestampMs: -1 };
    if (timestampMs === EARLIEST_TIMESTAMP) return { offset: head.logStartOffset, timestampMs: -1 };
    if (timestampMs === MAX_TIMESTAMP) return this.#recordWithMaxTimestamp(head);
    const target = BigInt(timestampMs);
    for await (const entry of this.#entries(head, head.logStartOffset, timestampMs)) {
      if (entry.maxTimestamp < timestampMs) continue;
      const found = await this.#firstRecord(entry, head, (timestamp) => timestamp >= target);
      if (found) return found;
    }
    return undefined;
  }

  /** Kafka's MAX_TIMESTAMP lookup: the first record carrying the largest timestamp of the log. */
  async #recordWithMaxTimestamp(
    head: PartitionHead,
  ): Promise<{ offset: number; timestampMs: number } | undefined> {
    let best: IndexEntry | undefined;
    for await (const entry of this.#entries(head, head.logStartOffset)) {
      if (!best || entry.maxTimestamp > best.maxTimestamp) best = entry;
    }
    if (!best) return undefined;
    const max = BigInt(best.maxTimestamp);
    return this.#firstRecord(best, head, (timestamp) => timestamp === max);
  }

  /** The first record of an entry (at or after the log start) whose timestamp passes `accepts`. */
  async #firstRecord(
    entry: IndexEntry,
    head: PartitionHead,
    accepts: (timestamp: bigint) => boolean,
  ): Promise<{ offset: number; timestampMs: number } | undefined> {
    for (const { bytes, baseOffset } of placedBatches(entry, await this.#ranges.read(entry))) {
      const batch = parseBatch(withBaseOffset(bytes, BigInt(baseOffset)));
      for (const record of await decodeRecords(batch)) {
        if (accepts(record.timestamp) && record.offset >= BigInt(head.logStartOffset)) {
          return { offset: Number(record.offset), timestampMs: Number(record.timestamp) };
        }
      }
    }
    return undefined;
  }

  /**
   * The index entries from the one holding `offset` on, in offset order: those of index chunks
   * (read as reached; chunks whose records are all older than `minTimestampMs` are skipped
   * unread), then those of the head.
   */
  async *#entries(
    head: PartitionHead,
    offset: number,
    minTimestampMs = -Infinity,
  ): AsyncGenerator<IndexEntry> {
    if (offset >= head.nextOffset) return;
    for (const ref of head.chunks) {
      if (ref.lastOffset < offset || ref.maxTimestamp < minTimestampMs) continue;
      const { entries } = await this.#heads.readChunk(ref);
      yield* entries.slice(firstEndingAtOrAfter(entries, offset));
    }
    yield* head.entries.slice(firstEndingAtOrAfter(head.entries, offset));
  }
}
/** The batches of an entry's bytes, each with the base offset the head assigned it. */
function placedBatches(
  entry: IndexEntry,
  bytes: Uint8Array,
): Array<{ bytes: Uint8Array; baseOffset: number; lastOffset: number }> {
  if (bytes.byteLength !== entry.byteLength) {
    throw new CorruptSegmentError(
      `${entry.segmentKey}: expected ${entry.byteLength} bytes at ${entry.byteOffset}, got ${bytes.byteLength}`,
    );
  }
  let next = entry.baseOffset;
  const placed = parseBatches(bytes).map((batch) => {
    const baseOffset = next;
    next += batch.lastOffsetDelta + 1;
    return { bytes: batch.bytes, baseOffset, lastOffset: next - 1 };
  });
  if (next !== entry.lastOffset + 1) {
    throw new CorruptSegmentError(
      `${entry.segmentKey}: batches at ${entry.byteOffset} cover offsets up to ${next - 1}, the index says ${entry.lastOffset}`,
    );
  }
  return placed;
}

/** Index of the first entry whose last offset is at or after `offset` (binary search). */
function firstEndingAtOrAfter(entries: IndexEntry[], offset: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.lastOffset < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}
