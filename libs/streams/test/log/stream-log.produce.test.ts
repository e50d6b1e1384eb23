import { afterEach, describe, expect, inject, it } from 'vitest';
import { StreamLog, type StreamLogOptions } from '../../src/log/stream-log.js';
import { batchOf, recordsOf } from '../support/test-batches.js';
import { keysUnder, openTestStore, STORE_KINDS, type TestStore } from '../support/test-stores.js';

const FAST: StreamLogOptions = { flushWindowMs: 20, pollIntervalMs: 20 };

describe.each(STORE_KINDS)('StreamLog produce path on %s', (kind) => {
  let place: TestStore;
  const logs: StreamLog[] = [];
  const openLog = async (options: StreamLogOptions = {}, store = place.store) => {
    const log = await StreamLog.open(store, { ...FAST, ...options });
    logs.push(log);
    return log;
  };

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await place?.dispose();
  });

  it('writes appends to several partitions in one window as exactly one segment object', async () => {
    place = await openTestStore(kind, inject('s3'), 'one-segment');
    const log = await openLog({ flushWindowMs: 100 });
    await log.createTopic('orders', { partitions: 3 });
    await log.createTopic('events', { partitions: 1 });
    const results = await Promise.all([
      log.append('orders', 0, await batchOf(['a0', 'a1'])),
      log.append('orders', 1, await batchOf(['b0'])),
      log.append('orders', 2, await batchOf(['c0'])),
      log.append('events', 0, await batchOf(['e0'])),
      log.append('orders', 0, await batchOf(['a2'])),
    ]);
    expect(results.map((result) => result.baseOffset)).toEqual([0n, 0n, 0n, 0n, 2n]);
    expect(await keysUnder(place.store, 'segments/')).toHaveLength(1);
    const read = await log.read('orders', 0, 0n, 1 << 20);
    expect(await recordsOf(read.batches)).toEqual(['0:a0', '1:a1', '2:a2']);
    expect(read.highWatermark).toBe(3n);
  });

  it('reads back what was appended, with dense offsets, from a fresh log on the same store', async () => {
    place = await openTestStore(kind, inject('s3'), 'dense');
    const writer = await openLog();
    await writer.createTopic('t', { partitions: 2 });
    const expected: string[] = [];
    let next = 0;
    for (let round = 0; round < 4; round++) {
      const values = Array.from({ length: round + 1 }, (_, i) => `r${round}-${i}`);
      const { baseOffset } = await writer.append('t', 1, await batchOf(values));
      expect(baseOffset).toBe(BigInt(next));
      for (const value of values) expected.push(`${next++}:${value}`);
    }
    const reader = await openLog();
    const read = await reader.read('t', 1, 0n, 1 << 20);
    expect(await recordsOf(read.batches)).toEqual(expected);
    expect(await reader.offsets('t', 1)).toEqual({ logStartOffset: 0n, highWatermark: BigInt(next) });
    expect(await reader.offsets('t', 0)).toEqual({ logStartOffset: 0n, highWatermark: 0n });
  });

  it('keeps offsets dense and unique when two logs append to one partition at once, each in its own order', async () => {
    place = await openTestStore(kind, inject('s3'), 'two-brokers');
    const a = await openLog({}, place.open());
    const b = await openLog({}, place.open());
    await a.createTopic('shared', { partitions: 1 });
    const sends = async (log: StreamLog, name: string) => {
      const offsets: bigint[] = [];
      for (let wave = 0; wave < 4; wave++) {
        const batches = await Promise.all([0, 1, 2].map((i) => batchOf([`${name}-${wave * 3 + i}`])));
        const results = await Promise.all(batches.map((batch) => log.append('shared', 0, batch)));
        offsets.push(...results.map((result) => result.baseOffset));
      }
      return offsets;
    };
    const [offsetsA, offsetsB] = await Promise.all([sends(a, 'a'), sends(b, 'b')]);
    const all = [...offsetsA, ...offsetsB].map(Number).sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 24 }, (_, i) => i));
    const records = await recordsOf((await (await openLog()).read('shared', 0, 0n, 1 << 20)).batches);
    expect(records).toHaveLength(24);
    for (const name of ['a', 'b']) {
      const mine = records.filter((record) => record.split(':')[1]!.startsWith(`${name}-`));
      expect(mine.map((record) => record.split(':')[1])).toEqual(
        Array.from({ length: 12 }, (_, i) => `${name}-${i}`),
      );
    }
  });

  it('keeps two idempotent producers on two logs in sequence across partitions under contention', async () => {
    place = await openTestStore(kind, inject('s3'), 'contention');
    const [a, b] = [await openLog({}, place.open()), await openLog({}, place.open())];
    await a.createTopic('busy', { partitions: 2 });
    const produce = async (log: StreamLog, name: string) => {
      const producerId = await log.allocateProducerId();
      const sequences = [0, 0];
      for (let wave = 0; wave < 6; wave++) {
        const sends = [];
        for (let i = 0; i < 5; i++) {
          const partition = i % 2;
          const batch = await batchOf([`${name}${wave}.${i}`], {
            producerId,
            producerEpoch: 0,
            baseSequence: sequences[partition]!++,
          });
          sends.push(log.append('busy', partition, batch));
        }
        await Promise.all(sends);
      }
    };
    await Promise.all([produce(a, 'a'), produce(b, 'b')]);
    const reader = await openLog();
    for (const partition of [0, 1]) {
      const records = await recordsOf((await reader.read('busy', partition, 0n, 1 << 20)).batches);
      expect(records.map((record) => Number(record.split(':')[0]))).toEqual(records.map((_, i) => i));
      expect(records).toHaveLength(partition === 0 ? 36 : 24);
      for (const name of ['a', 'b']) {
        const mine = records.map((record) => record.split(':')[1]!).filter((value) => value.startsWith(name));
        const sorted = [...mine].sort((x, y) => {
          const [wx, ix] = x.slice(1).split('.').map(Number);
          const [wy, iy] = y.slice(1).split('.').map(Number);
          return wx! - wy! || ix! - iy!;
        });
        expect(mine).toEqual(sorted);
      }
    }
  });

  it('answers an idempotent retry after a crash with the original offset and stores no duplicate', async () => {
    place = await openTestStore(kind, inject('s3'), 'idempotent');
    const first = await openLog();
    await first.createTopic('t', { partitions: 1 });
    const producerId = await first.allocateProducerId();
    const producer = (baseSequence: number) => ({ producerId, producerEpoch: 0, baseSequence });
    await first.append('t', 0, await batchOf(['x'])); // a plain producer's record first: offset 0
    const batch = await batchOf(['p0', 'p1'], producer(0));
    expect((await first.append('t', 0, batch)).baseOffset).toBe(1n);
    // The producer never saw the answer; a fresh broker gets the same batch again.
    const second = await openLog();
    expect((await second.append('t', 0, batch)).baseOffset).toBe(1n);
    expect((await second.append('t', 0, await batchOf(['p2'], producer(2)))).baseOffset).toBe(3n);
    const records = await recordsOf((await second.read('t', 0, 0n, 1 << 20)).batches);
    expect(records).toEqual(['0:x', '1:p0', '2:p1', '3:p2']);
  });

  it('rejects a sequence gap and a fenced epoch, and keeps the partition usable', async () => {
    place = await openTestStore(kind, inject('s3'), 'sequences');
    const log = await openLog();
    await log.createTopic('t', { partitions: 1 });
    const producerId = await log.allocateProducerId();
    await log.append('t', 0, await batchOf(['a'], { producerId, producerEpoch: 1, baseSequence: 0 }));
    await expect(
      log.append('t', 0, await batchOf(['gap'], { producerId, producerEpoch: 1, baseSequence: 5 })),
    ).rejects.toMatchObject({ code: 'ERR_STREAMS_OUT_OF_ORDER_SEQUENCE', kafkaErrorCode: 45 });
    await expect(
      log.append('t', 0, await batchOf(['old'], { producerId, producerEpoch: 0, baseSequence: 1 })),
    ).rejects.toMatchObject({ code: 'ERR_STREAMS_INVALID_PRODUCER_EPOCH', kafkaErrorCode: 47 });
    await expect(
      log.append(
        't',
        0,
        await batchOf(['new epoch, not from 0'], { producerId, producerEpoch: 2, baseSequence: 1 }),
      ),
    ).rejects.toMatchObject({ code: 'ERR_STREAMS_OUT_OF_ORDER_SEQUENCE' });
    expect(
      (await log.append('t', 0, await batchOf(['b'], { producerId, producerEpoch: 1, baseSequence: 1 })))
        .baseOffset,
    ).toBe(1n);
    expect(
      (await log.append('t', 0, await batchOf(['c'], { producerId, producerEpoch: 2, baseSequence: 0 })))
        .baseOffset,
    ).toBe(2n);
    const records = await recordsOf((await log.read('t', 0, 0n, 1 << 20)).batches);
    expect(records).toEqual(['0:a', '1:b', '2:c']);
  });

  it('rejects unknown topics and partitions and corrupt batches before buffering', async () => {
    place = await openTestStore(kind, inject('s3'), 'errors');
    const log = await openLog();
    await log.createTopic('t', { partitions: 2 });
    const batch = await batchOf(['v']);
    await expect(log.append('nope', 0, batch)).rejects.toMatchObject({ code: 'ERR_STREAMS_UNKNOWN_TOPIC' });
    await expect(log.append('t', 2, batch)).rejects.toMatchObject({ code: 'ERR_STREAMS_UNKNOWN_PARTITION' });
    const corrupt = batch.slice();
    corrupt[corrupt.length - 1]! ^= 0xff;
    await expect(log.append('t', 0, corrupt)).rejects.toMatchObject({ code: 'ERR_STREAMS_CORRUPT_BATCH' });
    expect(await keysUnder(place.store, 'segments/')).toHaveLength(0);
  });

  it('flushes buffered appends on close and refuses appends afterwards', async () => {
    place = await openTestStore(kind, inject('s3'), 'close');
    const log = await openLog({ flushWindowMs: 60_000 });
    await log.createTopic('t', { partitions: 1 });
    const pending = log.append('t', 0, await batchOf(['late']));
    await log.close();
    expect((await pending).baseOffset).toBe(0n);
    await expect(log.append('t', 0, await batchOf(['after']))).rejects.toMatchObject({
      code: 'ERR_STREAMS_CLOSED',
    });
    const other = await openLog();
    expect(await recordsOf((await other.read('t', 0, 0n, 1 << 20)).batches)).toEqual(['0:late']);
  });

  it('keeps everything under its prefix, so several logs can share one store', async () => {
    place = await openTestStore(kind, inject('s3'), 'prefix');
    const a = await openLog({ prefix: 'cluster-a/' });
    const b = await openLog({ prefix: 'cluster-b/' });
    await a.createTopic('t', { partitions: 1 });
    await a.append('t', 0, await batchOf(['in a']));
    await a.offsetsOf('g').commit([{ topic: 't', partition: 0, offset: 1n }]);
    await a.registry.register({ host: '127.0.0.1', port: 1 });
    await a.registry.deregister();
    expect(await b.listTopics()).toEqual([]);
    expect(await b.listGroups()).toEqual([]);
    const keys = await keysUnder(place.store, '');
    expect(keys.length).toBeGreaterThan(3);
    expect(keys.filter((key) => !key.startsWith('cluster-a/'))).toEqual([]);
    await expect(StreamLog.open(place.store, { prefix: 'no-slash' })).rejects.toMatchObject({
      code: 'ERR_STREAMS_INVALID_ARGUMENT',
    });
  });

  it('flushes at once when the buffered bytes reach flushBytes', async () => {
    place = await openTestStore(kind, inject('s3'), 'flush-bytes');
    const log = await openLog({ flushWindowMs: 60_000, flushBytes: 1 });
    await log.createTopic('t', { partitions: 1 });
    const started = Date.now();
    await log.append('t', 0, await batchOf(['big enough']));
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
