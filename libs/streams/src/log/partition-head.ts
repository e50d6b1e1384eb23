import { InvalidProducerEpochError, OutOfOrderSequenceError, type StreamsError } from '../errors.js';

/** Maps the offsets `[baseOffset, lastOffset]` of a partition to a byte range of a segment object. */
export interface IndexEntry {
  baseOffset: number;
  lastOffset: number;
  segmentKey: string;
  byteOffset: number;
  byteLength: number;
  /** Largest record timestamp of the range (ms since the epoch). */
  maxTimestamp: number;
}

/** An immutable chunk object holding older index entries, as the head refers to it. */
export interface IndexChunkRef {
  key: string;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

/** The contents of an index chunk object. */
export interface IndexChunk {
  entries: IndexEntry[];
}

/** One of the last batches an idempotent producer wrote to the partition. */
export interface ProducerBatch {
  firstSequence: number;
  lastSequence: number;
  baseOffset: number;
  lastOffset: number;
}

/** What a partition remembers of one idempotent producer. */
export interface ProducerState {
  epoch: number;
  /** The latest batches, oldest first (at most `PRODUCER_BATCHES_KEPT`). */
  batches: ProducerBatch[];
  lastSeenMs: number;
}

/**
 * The head document of a partition, rewritten by compare-and-swap at every commit. Offsets and
 * timestamps are JSON numbers (exact up to 2^53).
 */
export interface PartitionHead {
  version: 1;
  /** The offset the next record gets: the high watermark. */
  nextOffset: number;
  logStartOffset: number;
  /** The newest index entries, in offset order. */
  entries: IndexEntry[];
  /** Chunks of older entries, in offset order, all before `entries`. */
  chunks: IndexChunkRef[];
  /** Idempotent producers' states by producer id. */
  producers: Record<string, ProducerState>;
}

/** The head of a partition nothing was ever written to. */
export function emptyHead(): PartitionHead {
  return { version: 1, nextOffset: 0, logStartOffset: 0, entries: [], chunks: [], producers: {} };
}

/** How many recent batches per producer are kept to recognise retries (as Kafka does). */
export const PRODUCER_BATCHES_KEPT = 5;

/** A producer not seen for this long is forgotten (Kafka's `producer.id.expiration.ms` default). */
export const PRODUCER_EXPIRY_MS = 24 * 60 * 60 * 1000;

/**
 * Most producers a head remembers: beyond that the least recently seen are forgotten, so that the
 * head (rewritten at every commit) stays small. A forgotten producer's next batch is accepted as
 * from a new producer; only a retry of a batch it sent before being forgotten would be stored twice.
 */
export const MAX_PRODUCERS_PER_PARTITION = 256;

/** The header fields of a v2 batch the log needs to place it. */
export interface BatchHeader {
  lastOffsetDelta: number;
  maxTimestamp: bigint | number;
  producerId: bigint | number;
  producerEpoch: number;
  baseSequence: number;
}

/** One batch to commit: where its bytes went and what its header says. */
export interface PendingBatch {
  segmentKey: string;
  byteOffset: number;
  byteLength: number;
  header: BatchHeader;
}

/** What became of one batch at commit. */
export type CommitOutcome =
  | { kind: 'appended'; baseOffset: number }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'rejected'; error: StreamsError };

/**
 * Applies the batches of a commit, in order, to a head: assigns dense offsets, checks idempotent
 * producers' epochs and sequences (a retried batch is a duplicate with its first offset, a gap is
 * `OutOfOrderSequenceError`, an old epoch `InvalidProducerEpochError`), and merges byte-adjacent
 * batches of one segment into one index entry. Pure: `head` is not modified.
 */
export function applyBatches(
  head: PartitionHead,
  batches: PendingBatch[],
  nowMs: number,
): { head: PartitionHead; outcomes: CommitOutcome[] } {
  const next: PartitionHead = {
    ...head,
    entries: [...head.entries],
    producers: forgetExpiredProducers(head.producers, nowMs),
  };
  const outcomes = batches.map((batch): CommitOutcome => {
    const baseOffset = next.nextOffset;
    const lastOffset = baseOffset + batch.header.lastOffsetDelta;
    const admitted = admitProducerBatch(next.producers, batch.header, baseOffset, lastOffset, nowMs);
    if (admitted) return admitted;
    next.nextOffset = lastOffset + 1;
    appendEntry(next.entries, {
      baseOffset,
      lastOffset,
      segmentKey: batch.segmentKey,
      byteOffset: batch.byteOffset,
      byteLength: batch.byteLength,
      maxTimestamp: Number(batch.header.maxTimestamp),
    });
    return { kind: 'appended', baseOffset };
  });
  return { head: next, outcomes };
}

/**
 * Moves the oldest entries into a chunk when the head holds more than `limit`, keeping the newest
 * half of `limit`. Returns the new head and the chunk to write (under `keyOf(base, last)`) first.
 */
export function rollHead(
  head: PartitionHead,
  limit: number,
  keyOf: (baseOffset: number, lastOffset: number) => string,
): { head: PartitionHead; chunk?: { key: string; contents: IndexChunk } } {
  if (head.entries.length <= limit) return { head };
  const keep = Math.max(1, Math.floor(limit / 2));
  const rolled = head.entries.slice(0, head.entries.length - keep);
  const first = rolled[0]!;
  const last = rolled[rolled.length - 1]!;
  const key = keyOf(first.baseOffset, last.lastOffset);
  const ref: IndexChunkRef = {
    key,
    baseOffset: first.baseOffset,
    lastOffset: last.lastOffset,
    maxTimestamp: Math.max(...rolled.map((entry) => entry.maxTimestamp)),
  };
  return {
    head: { ...head, entries: head.entries.slice(rolled.length), chunks: [...head.chunks, ref] },
    chunk: { key, contents: { entries: rolled } },
  };
}

/**
 * Moves the log start to `offset` (never backwards, never past the high watermark): drops entries
 * and chunks wholly before it. Returns the new head and the chunks no longer referenced.
 */
export function truncateHead(
  head: PartitionHead,
  offset: number,
): { head: PartitionHead; dropped: IndexChunkRef[] } {
  const logStartOffset = Math.min(Math.max(head.logStartOffset, offset), head.nextOffset);
  return {
    head: {
      ...head,
      logStartOffset,
      entries: head.entries.filter((entry) => entry.lastOffset >= logStartOffset),
      chunks: head.chunks.filter((chunk) => chunk.lastOffset >= logStartOffset),
    },
    dropped: head.chunks.filter((chunk) => chunk.lastOffset < logStartOffset),
  };
}

/** Sequence numbers are int32 and wrap to 0 after 2^31 - 1. */
function sequenceAfter(sequence: number, delta: number): number {
  return (sequence + delta) % 2 ** 31;
}

/** Checks an idempotent batch; `undefined` admits it (and records it), else the outcome instead. */
function admitProducerBatch(
  producers: Record<string, ProducerState>,
  header: BatchHeader,
  baseOffset: number,
  lastOffset: number,
  nowMs: number,
): CommitOutcome | undefined {
  const producerId = BigInt(header.producerId);
  if (producerId < 0n) return undefined;
  const id = String(producerId);
  const firstSequence = header.baseSequence;
  const lastSequence = sequenceAfter(firstSequence, header.lastOffsetDelta);
  const state = producers[id];
  if (state && header.producerEpoch < state.epoch) {
    return reject(
      new InvalidProducerEpochError(
        `producer ${id} wrote with epoch ${header.producerEpoch}, but epoch ${state.epoch} is current`,
      ),
    );
  }
  if (state && header.producerEpoch === state.epoch) {
    const original = state.batches.find(
      (batch) => batch.firstSequence === firstSequence && batch.lastSequence === lastSequence,
    );
    if (original) return { kind: 'duplicate', baseOffset: original.baseOffset };
    const latest = state.batches[state.batches.length - 1];
    if (latest && firstSequence !== sequenceAfter(latest.lastSequence, 1)) {
      return reject(
        new OutOfOrderSequenceError(
          `producer ${id} sent sequence ${firstSequence}, expected ${sequenceAfter(latest.lastSequence, 1)}`,
        ),
      );
    }
  } else if (state && firstSequence !== 0) {
    return reject(
      new OutOfOrderSequenceError(
        `producer ${id} starts epoch ${header.producerEpoch} at sequence ${firstSequence}, not 0`,
      ),
    );
  }
  const kept = state && state.epoch === header.producerEpoch ? state.batches : [];
  producers[id] = {
    epoch: header.producerEpoch,
    batches: [...kept, { firstSequence, lastSequence, baseOffset, lastOffset }].slice(-PRODUCER_BATCHES_KEPT),
    lastSeenMs: nowMs,
  };
  return undefined;
}

function reject(error: StreamsError): CommitOutcome {
  return { kind: 'rejected', error };
}

function appendEntry(entries: IndexEntry[], entry: IndexEntry): void {
  const previous = entries[entries.length - 1];
  if (
    previous &&
    previous.segmentKey === entry.segmentKey &&
    previous.byteOffset + previous.byteLength === entry.byteOffset &&
    previous.lastOffset + 1 === entry.baseOffset
  ) {
    entries[entries.length - 1] = {
      ...previous,
      lastOffset: entry.lastOffset,
      byteLength: previous.byteLength + entry.byteLength,
      maxTimestamp: Math.max(previous.maxTimestamp, entry.maxTimestamp),
    };
    return;
  }
  entries.push(entry);
}

function forgetExpiredProducers(
  producers: Record<string, ProducerState>,
  nowMs: number,
): Record<string, ProducerState> {
  const kept = Object.entries(producers).filter(
    ([, state]) => nowMs - state.lastSeenMs <= PRODUCER_EXPIRY_MS,
  );
  // Trimmed before a commit adds its own producers: a head may briefly hold a few more.
  kept.sort(([, a], [, b]) => b.lastSeenMs - a.lastSeenMs).splice(MAX_PRODUCERS_PER_PARTITION - 1);
  return Object.fromEntries(kept);
}
