import { CorruptSegmentError, OffsetOutOfRangeError } from '../errors.js';
import { decodeRecords, parseBatch, parseBatches, withBaseOffset } from '../protocol/record-batch.js';
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

/** Kafka's ListOffsets sentinels: the high watermark, and the log start. */
const LATEST_TIMESTAMP = -1;
const EARLIEST_TIMESTAMP = -2;

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
    let head = (await this.#heads.get(topic, partition, this.#headCacheMs)).value;
    if (offset > head.nextOffset || offset < head.logStartOffset)
      head = (await this.#heads.get(topic, partition, 0)).value;
    if (offset > head.nextOffset || offset < head.logStartOffset) {
      throw new OffsetOutOfRangeError(
        `offset ${offset} of ${topic.name}-${partition} is outside [${head.logStartOffset}, ${head.nextOffset}]`,
      );
    }
    const bounds = { highWatermark: head.nextOffset, logStartOffset: head.logStartOffset };
    const batches: Uint8Array[] = [];
    let bytes = 0;
    const entries = await this.#entriesFrom(head, offset, maxBytes);
    const contents = await Promise.all(entries.map((entry) => this.#ranges.read(entry)));
    const placed = entries.flatMap((entry, i) => placedBatches(entry, contents[i]!));
    for (const { bytes: batch, baseOffset, lastOffset } of placed) {
      if (lastOffset < offset) continue;
      if (batches.length > 0 && bytes + batch.byteLength > maxBytes) break;
      batches.push(withBaseOffset(batch, BigInt(baseOffset)));
      bytes += batch.byteLength;
    }
    return { batches, ...bounds };
  }

  /**
   * The earliest offset whose record has a timestamp at or after `timestampMs`, with that record's
   * timestamp; `undefined` when every record is older. Kafka's -1 (latest) and -2 (earliest) give
   * the high watermark and the log start, with timestamp -1.
   */
  async offsetForTimestamp(
    topic: TopicInfo,
    partition: number,
    timestampMs: number,
  ): Promise<{ offset: number; timestampMs: number } | undefined> {
    const head = (await this.#heads.get(topic, partition, this.#headCacheMs)).value;
    if (timestampMs === LATEST_TIMESTAMP) return { offset: head.nextOffset, timestampMs: -1 };
    if (timestampMs === EARLIEST_TIMESTAMP) return { offset: head.logStartOffset, timestampMs: -1 };
    const entry = await this.#firstEntryReaching(head, timestampMs);
    if (!entry) return undefined;
    for (const { bytes, baseOffset } of placedBatches(entry, await this.#ranges.read(entry))) {
      const batch = parseBatch(withBaseOffset(bytes, BigInt(baseOffset)));
      if (batch.maxTimestamp < BigInt(timestampMs)) continue;
      for (const record of await decodeRecords(batch)) {
        if (record.timestamp >= BigInt(timestampMs) && record.offset >= BigInt(head.logStartOffset)) {
          return { offset: Number(record.offset), timestampMs: Number(record.timestamp) };
        }
      }
    }
    return undefined;
  }

  /** Index entries from the one holding `offset`, while their bytes fit `maxBytes` (one at least). */
  async #entriesFrom(head: PartitionHead, offset: number, maxBytes: number): Promise<IndexEntry[]> {
    if (offset >= head.nextOffset) return [];
    const picked: IndexEntry[] = [];
    let bytes = 0;
    const take = (entries: IndexEntry[]): boolean => {
      for (let i = firstEndingAtOrAfter(entries, offset); i < entries.length; i++) {
        const entry = entries[i]!;
        if (picked.length > 0 && bytes + entry.byteLength > maxBytes) return false;
        picked.push(entry);
        bytes += entry.byteLength;
      }
      return true;
    };
    const firstChunk = head.chunks.findIndex((chunk) => chunk.lastOffset >= offset);
    if (firstChunk >= 0) {
      for (const ref of head.chunks.slice(firstChunk)) {
        if (!take((await this.#heads.readChunk(ref)).entries)) return picked;
      }
    }
    take(head.entries);
    return picked;
  }

  async #firstEntryReaching(head: PartitionHead, timestampMs: number): Promise<IndexEntry | undefined> {
    const chunk = head.chunks.find((ref) => ref.maxTimestamp >= timestampMs);
    const entries = chunk ? (await this.#heads.readChunk(chunk)).entries : head.entries;
    return entries.find(
      (entry) => entry.maxTimestamp >= timestampMs && entry.lastOffset >= head.logStartOffset,
    );
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
