import { afterEach, describe, expect, inject, it } from 'vitest';
import { StreamLog, type StreamLogOptions } from '../../src/log/stream-log.js';
import { parseBatch } from '../../src/protocol/record-batch.js';
import { batchOf, recordsOf } from '../support/test-batches.js';
import { keysUnder, openTestStore, STORE_KINDS, type TestStore } from '../support/test-stores.js';

const FAST: StreamLogOptions = { flushWindowMs: 20, pollIntervalMs: 20 };

describe.each(STORE_KINDS)('StreamLog read path on %s', (kind) => {
  let place: TestStore;
  const logs: StreamLog[] = [];
  const openLog = async (options: StreamLogOptions = {}) => {
    const log = await StreamLog.open(place.open(), { ...FAST, ...options });
    logs.push(log);
    return log;
  };
  /** Appends one batch per value list, one after another. */
  const appendAll = async (log: StreamLog, topic: string, partition: number, batches: string[][]) => {
    for (const values of batches) await log.append(topic, partition, await batchOf(values));
  };

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await place?.dispose();
  });

  it('reads from an offset inside a batch, honours maxBytes with at least one batch, and stops at the end', async () => {
    place = await openTestStore(kind, inject('s3'), 'read-bounds');
    const log = await openLog();
    await log.createTopic('t', { partitions: 1 });
    await appendAll(log, 't', 0, [['a', 'b', 'c'], ['d'], ['e', 'f']]);
    const middle = await log.read('t', 0, 1n, 1 << 20);
    // The batch holding offset 1 starts at 0: it is returned whole.
    expect(await recordsOf(middle.batches)).toEqual(['0:a', '1:b', '2:c', '3:d', '4:e', '5:f']);
    expect(middle.batches.map((batch) => parseBatch(batch).baseOffset)).toEqual([0n, 3n, 4n]);
    const tiny = await log.read('t', 0, 3n, 1);
    expect(await recordsOf(tiny.batches)).toEqual(['3:d']);
    const end = await log.read('t', 0, 6n, 1 << 20);
    expect(end).toEqual({ batches: [], highWatermark: 6n, logStartOffset: 0n });
    await expect(log.read('t', 0, 7n, 1 << 20)).rejects.toMatchObject({
      code: 'ERR_STREAMS_OFFSET_OUT_OF_RANGE',
    });
  });

  it('settles each read of readMany on its own', async () => {
    place = await openTestStore(kind, inject('s3'), 'read-many');
    const log = await openLog();
    await log.createTopic('t', { partitions: 2 });
    await appendAll(log, 't', 1, [['x']]);
    const [missing, outOfRange, empty, data] = await log.readMany([
      { topic: 'nope', partition: 0, offset: 0n, maxBytes: 100 },
      { topic: 't', partition: 0, offset: 5n, maxBytes: 100 },
      { topic: 't', partition: 0, offset: 0n, maxBytes: 100 },
      { topic: 't', partition: 1, offset: 0n, maxBytes: 100 },
    ]);
    expect(missing).toMatchObject({ status: 'rejected', reason: { code: 'ERR_STREAMS_UNKNOWN_TOPIC' } });
    expect(outOfRange).toMatchObject({
      status: 'rejected',
      reason: { code: 'ERR_STREAMS_OFFSET_OUT_OF_RANGE' },
    });
    expect(empty).toEqual({
      status: 'fulfilled',
      value: { batches: [], highWatermark: 0n, logStartOffset: 0n },
    });
    expect(data?.status === 'fulfilled' && (await recordsOf(data.value.batches))).toEqual(['0:x']);
  });

  it('sees another log’s appends past its own cached head instead of answering out of range', async () => {
    place = await openTestStore(kind, inject('s3'), 'read-stale');
    const writer = await openLog();
    const reader = await openLog({ headCacheMs: 60_000 });
    await writer.createTopic('t', { partitions: 1 });
    await appendAll(writer, 't', 0, [['a']]);
    expect((await reader.read('t', 0, 0n, 1 << 20)).highWatermark).toBe(1n);
    await appendAll(writer, 't', 0, [['b'], ['c']]);
    // Offset 2 lies past the cached high watermark (1): the reader looks again instead of failing.
    const read = await reader.read('t', 0, 2n, 1 << 20);
    expect(await recordsOf(read.batches)).toEqual(['2:c']);
    expect(read.highWatermark).toBe(3n);
    // offsets() (ListOffsets) never answers from the cache.
    await appendAll(writer, 't', 0, [['d']]);
    expect(await reader.offsets('t', 0)).toEqual({ logStartOffset: 0n, highWatermark: 4n });
  });

  it('rolls old index entries into chunk objects and still reads every offset', async () => {
    place = await openTestStore(kind, inject('s3'), 'rolling');
    const log = await openLog({ headEntriesLimit: 4 });
    await log.createTopic('t', { partitions: 1 });
    const batches = Array.from({ length: 14 }, (_, i) => [`v${i}a`, `v${i}b`]);
    await appendAll(log, 't', 0, batches);
    const topic = await log.describeTopic('t');
    const chunks = await keysUnder(place.store, log.layout.topicData('t', topic.id));
    expect(chunks.filter((key) => key.includes('/index/')).length).toBeGreaterThanOrEqual(3);
    const fresh = await openLog();
    const expected = batches.flatMap((values, i) => values.map((value, j) => `${2 * i + j}:${value}`));
    expect(await recordsOf((await fresh.read('t', 0, 0n, 1 << 20)).batches)).toEqual(expected);
    for (const offset of [0, 5, 13, 27]) {
      const read = await fresh.read('t', 0, BigInt(offset), 1);
      expect(await recordsOf(read.batches)).toEqual(
        expected.slice(offset - (offset % 2), offset - (offset % 2) + 2),
      );
    }
  });

  it('finds offsets by timestamp, record by record', async () => {
    place = await openTestStore(kind, inject('s3'), 'timestamps');
    const log = await openLog({ headEntriesLimit: 2 });
    await log.createTopic('t', { partitions: 1 });
    for (let i = 0; i < 6; i++)
      await log.append('t', 0, await batchOf([`x${i}`, `y${i}`], undefined, BigInt(1000 * (i + 1))));
    expect(await log.offsetForTimestamp('t', 0, 0n)).toEqual({ offset: 0n, timestampMs: 1000n });
    expect(await log.offsetForTimestamp('t', 0, 2500n)).toEqual({ offset: 4n, timestampMs: 3000n });
    expect(await log.offsetForTimestamp('t', 0, 6000n)).toEqual({ offset: 10n, timestampMs: 6000n });
    expect(await log.offsetForTimestamp('t', 0, 6001n)).toBeUndefined();
    expect(await log.offsetForTimestamp('t', 0, -1n)).toEqual({ offset: 12n, timestampMs: -1n });
    expect(await log.offsetForTimestamp('t', 0, -2n)).toEqual({ offset: 0n, timestampMs: -1n });
    await log.append('t', 0, await batchOf(['late', 'latest', 'back'], undefined, 9000n));
    await log.append('t', 0, await batchOf(['older'], undefined, 500n));
    expect(await log.offsetForTimestamp('t', 0, -3n)).toEqual({ offset: 12n, timestampMs: 9000n });
  });

  it('deletes records before an offset: reads below it are out of range, chunks wholly before it go', async () => {
    place = await openTestStore(kind, inject('s3'), 'delete-records');
    const log = await openLog({ headEntriesLimit: 2 });
    await log.createTopic('t', { partitions: 1 });
    await appendAll(log, 't', 0, [['a'], ['b'], ['c'], ['d'], ['e'], ['f'], ['g']]);
    const topic = await log.describeTopic('t');
    const chunkCount = async () =>
      (await keysUnder(place.store, log.layout.topicData('t', topic.id))).filter((key) =>
        key.includes('/index/'),
      ).length;
    const before = await chunkCount();
    expect(await log.deleteRecordsBefore('t', 0, 5n)).toBe(5n);
    expect(await chunkCount()).toBeLessThan(before);
    await expect(log.read('t', 0, 4n, 1 << 20)).rejects.toMatchObject({
      code: 'ERR_STREAMS_OFFSET_OUT_OF_RANGE',
    });
    const read = await (await openLog()).read('t', 0, 5n, 1 << 20);
    expect(await recordsOf(read.batches)).toEqual(['5:f', '6:g']);
    expect(read.logStartOffset).toBe(5n);
    expect(await log.deleteRecordsBefore('t', 0, 2n)).toBe(5n);
    await expect(log.deleteRecordsBefore('t', 0, 8n)).rejects.toMatchObject({
      code: 'ERR_STREAMS_OFFSET_OUT_OF_RANGE',
    });
    expect(await log.deleteRecordsBefore('t', 0, -1n)).toBe(7n);
    expect((await log.append('t', 0, await batchOf(['h']))).logStartOffset).toBe(7n);
  });

  it('wakes a waiter at once on its own commit, by polling on another log’s, and at the timeout otherwise', async () => {
    place = await openTestStore(kind, inject('s3'), 'wait');
    const own = await openLog({ pollIntervalMs: 60_000 });
    const other = await openLog();
    await own.createTopic('t', { partitions: 2 });
    let started = Date.now();
    await own.waitForData([{ topic: 't', partition: 0, offset: 0n }], 200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    started = Date.now();
    const ownWait = own.waitForData([{ topic: 't', partition: 0, offset: 0n }], 30_000);
    await own.append('t', 0, await batchOf(['mine']));
    await ownWait;
    expect(Date.now() - started).toBeLessThan(5_000);

    const watcher = await openLog({ pollIntervalMs: 30 });
    started = Date.now();
    const polled = watcher.waitForData(
      [
        { topic: 't', partition: 0, offset: 1n },
        { topic: 't', partition: 1, offset: 0n },
      ],
      30_000,
    );
    await other.append('t', 1, await batchOf(['theirs']));
    await polled;
    expect(Date.now() - started).toBeLessThan(5_000);

    // Data already there: no wait at all; an aborted wait resolves too.
    await watcher.waitForData([{ topic: 't', partition: 1, offset: 0n }], 30_000);
    const abort = new AbortController();
    const aborted = watcher.waitForData([{ topic: 't', partition: 1, offset: 1n }], 30_000, abort.signal);
    abort.abort();
    await aborted;
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
