import { describe, expect, it } from 'vitest';
import {
  applyBatches,
  type BatchHeader,
  emptyHead,
  MAX_PRODUCERS_PER_PARTITION,
  type PendingBatch,
  PRODUCER_BATCHES_KEPT,
  PRODUCER_EXPIRY_MS,
  rollHead,
  truncateHead,
} from '../../src/log/partition-head.js';

const plain = (records: number): BatchHeader => ({
  lastOffsetDelta: records - 1,
  maxTimestamp: 1000n,
  producerId: -1n,
  producerEpoch: -1,
  baseSequence: -1,
});
const idempotent = (producerId: bigint, epoch: number, sequence: number, records = 1): BatchHeader => ({
  ...plain(records),
  producerId,
  producerEpoch: epoch,
  baseSequence: sequence,
});
const at = (segmentKey: string, byteOffset: number, header: BatchHeader, byteLength = 100): PendingBatch => ({
  segmentKey,
  byteOffset,
  byteLength,
  header,
});

describe('partition head', () => {
  it('assigns dense offsets and merges byte-adjacent batches of one segment into one entry', () => {
    const { head, outcomes } = applyBatches(
      emptyHead(),
      [at('s1', 8, plain(3)), at('s1', 108, plain(1)), at('s2', 8, plain(2))],
      0,
    );
    expect(outcomes).toEqual([
      { kind: 'appended', baseOffset: 0 },
      { kind: 'appended', baseOffset: 3 },
      { kind: 'appended', baseOffset: 4 },
    ]);
    expect(head.nextOffset).toBe(6);
    expect(head.entries).toEqual([
      { baseOffset: 0, lastOffset: 3, segmentKey: 's1', byteOffset: 8, byteLength: 200, maxTimestamp: 1000 },
      { baseOffset: 4, lastOffset: 5, segmentKey: 's2', byteOffset: 8, byteLength: 100, maxTimestamp: 1000 },
    ]);
  });

  it('answers a retried batch with its first offset and leaves it out of the index', () => {
    const first = applyBatches(emptyHead(), [at('s1', 8, idempotent(7n, 0, 0, 2))], 0).head;
    const { head, outcomes } = applyBatches(
      first,
      [
        at('s2', 8, idempotent(7n, 0, 0, 2)),
        at('s2', 108, idempotent(7n, 0, 2)),
        at('s2', 208, idempotent(7n, 0, 2)),
      ],
      0,
    );
    expect(outcomes).toEqual([
      { kind: 'duplicate', baseOffset: 0 },
      { kind: 'appended', baseOffset: 2 },
      { kind: 'duplicate', baseOffset: 2 },
    ]);
    // Only the batch at byte 108 is indexed: the duplicate before it is skipped.
    expect(head.entries.map((entry) => [entry.segmentKey, entry.byteOffset, entry.baseOffset])).toEqual([
      ['s1', 8, 0],
      ['s2', 108, 2],
    ]);
  });

  it('keeps the last batches of a producer, wraps sequences, and forgets silent producers', () => {
    let head = emptyHead();
    for (let i = 0; i < 8; i++)
      head = applyBatches(head, [at('s', 8 + 100 * i, idempotent(1n, 0, i))], 0).head;
    expect(head.producers['1']!.batches.map((batch) => batch.firstSequence)).toEqual([3, 4, 5, 6, 7]);
    expect(head.producers['1']!.batches).toHaveLength(PRODUCER_BATCHES_KEPT);
    const old = applyBatches(head, [at('t', 8, idempotent(1n, 0, 1))], 0).outcomes[0]!;
    expect(old).toMatchObject({ kind: 'rejected', error: { code: 'ERR_STREAMS_OUT_OF_ORDER_SEQUENCE' } });

    let wrapping = applyBatches(emptyHead(), [at('w', 8, idempotent(2n, 0, 2 ** 31 - 2, 2))], 0).head;
    wrapping = applyBatches(wrapping, [at('w', 108, idempotent(2n, 0, 0))], 0).head;
    expect(wrapping.nextOffset).toBe(3);

    const later = applyBatches(head, [at('x', 8, plain(1))], PRODUCER_EXPIRY_MS + 1).head;
    expect(later.producers).toEqual({});

    let crowded = emptyHead();
    for (let id = 0; id < MAX_PRODUCERS_PER_PARTITION + 10; id++) {
      crowded = applyBatches(crowded, [at('c', 8 + 100 * id, idempotent(BigInt(id), 0, 0))], id).head;
    }
    const remembered = Object.keys(crowded.producers).map(Number);
    expect(remembered).toHaveLength(MAX_PRODUCERS_PER_PARTITION);
    expect(Math.min(...remembered)).toBe(10); // the least recently seen went first
  });

  it('rolls the oldest entries into a chunk and truncates whole chunks and entries', () => {
    let head = emptyHead();
    for (let i = 0; i < 9; i++) head = applyBatches(head, [at(`s${i}`, 8, plain(2))], 0).head;
    const rolled = rollHead(head, 6, (base, last) => `chunk-${base}-${last}`);
    expect(rolled.chunk?.key).toBe('chunk-0-11');
    expect(rolled.chunk?.contents.entries).toHaveLength(6);
    expect(rolled.head.entries.map((entry) => entry.baseOffset)).toEqual([12, 14, 16]);
    expect(rolled.head.chunks).toEqual([
      { key: 'chunk-0-11', baseOffset: 0, lastOffset: 11, maxTimestamp: 1000 },
    ]);
    expect(rollHead(rolled.head, 6, () => 'unused').chunk).toBeUndefined();

    const cut = truncateHead(rolled.head, 14);
    expect(cut.dropped.map((chunk) => chunk.key)).toEqual(['chunk-0-11']);
    expect(cut.head.entries.map((entry) => entry.baseOffset)).toEqual([14, 16]);
    expect(cut.head.logStartOffset).toBe(14);
    expect(truncateHead(cut.head, 3).head.logStartOffset).toBe(14);
    expect(truncateHead(cut.head, 99).head.logStartOffset).toBe(18);
  });
});
