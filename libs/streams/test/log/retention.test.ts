import { afterEach, describe, expect, inject, it } from 'vitest';
import { emptyHead, type IndexEntry, type PartitionHead } from '../../src/log/partition-head.js';
import { type RetentionPolicy, retainedLogStart, retentionPolicyOf } from '../../src/log/retention.js';
import { StreamLog, type StreamLogOptions } from '../../src/log/stream-log.js';
import { batchesFrom, storedHead } from '../support/partition-heads.js';
import { batchOf, recordsOf } from '../support/test-batches.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/test-stores.js';

const HOUR = 60 * 60 * 1000;

describe('retention policy and log start', () => {
  it('reads retention.ms / retention.bytes over the defaults, and none for a compact-only topic', () => {
    const defaults: RetentionPolicy = { retentionMs: 1000, retentionBytes: -1 };
    expect(retentionPolicyOf({}, defaults)).toEqual(defaults);
    expect(retentionPolicyOf({ 'retention.ms': '-1', 'retention.bytes': '2048' }, defaults)).toEqual({
      retentionMs: -1,
      retentionBytes: 2048,
    });
    expect(retentionPolicyOf({ 'retention.ms': 'soon', 'retention.bytes': '-7' }, defaults)).toEqual(
      defaults,
    );
    expect(retentionPolicyOf({ 'cleanup.policy': 'compact' }, defaults)).toBeUndefined();
    expect(retentionPolicyOf({ 'cleanup.policy': 'compact,delete' }, defaults)).toEqual(defaults);
    expect(retentionPolicyOf({})).toEqual({ retentionMs: 7 * 24 * HOUR, retentionBytes: -1 });
  });

  /** A head of entries of 100 bytes and two offsets each, with these largest timestamps; the first `chunked` in a chunk. */
  const logOf = (timestamps: number[], chunked = 0) => {
    const entries: IndexEntry[] = timestamps.map((maxTimestamp, i) => ({
      baseOffset: 2 * i,
      lastOffset: 2 * i + 1,
      segmentKey: `s${i}`,
      byteOffset: 8,
      byteLength: 100,
      maxTimestamp,
    }));
    const inChunk = entries.slice(0, chunked);
    const chunk = {
      key: 'c',
      baseOffset: 0,
      lastOffset: 2 * chunked - 1,
      maxTimestamp: Math.max(...timestamps.slice(0, chunked)),
    };
    const head: PartitionHead = {
      ...emptyHead(),
      nextOffset: 2 * timestamps.length,
      entries: entries.slice(chunked),
      chunks: chunked ? [chunk] : [],
    };
    return { head, readChunk: async () => ({ entries: inChunk }) };
  };

  it('drops the longest expired prefix of entries, by their largest timestamp, through chunks', async () => {
    const now = 10 * HOUR;
    // The third entry is new, so the fourth (old again) is kept: retention stops at the first kept entry.
    for (const chunked of [0, 2, 3]) {
      const { head, readChunk } = logOf([1, 2, now, 3, now], chunked);
      expect(await retainedLogStart(head, { retentionMs: HOUR, retentionBytes: -1 }, now, readChunk)).toBe(4);
    }
    const all = logOf([1, 2]);
    expect(
      await retainedLogStart(all.head, { retentionMs: HOUR, retentionBytes: -1 }, now, all.readChunk),
    ).toBe(4);
    expect(
      await retainedLogStart(all.head, { retentionMs: -1, retentionBytes: -1 }, now, all.readChunk),
    ).toBe(0);
  });

  it('keeps at least retention.bytes, dropping whole entries only, and never moves back', async () => {
    const { head, readChunk } = logOf([1, 1, 1, 1, 1], 2);
    const start = (retentionBytes: number, logStartOffset = 0) =>
      retainedLogStart({ ...head, logStartOffset }, { retentionMs: -1, retentionBytes }, 0, readChunk);
    expect(await start(250)).toBe(4); // 300 bytes kept, 200 would be too few
    expect(await start(300)).toBe(4);
    expect(await start(301)).toBe(2);
    expect(await start(0)).toBe(10);
    expect(await start(10_000, 5)).toBe(5);
  });
});

const FAST: StreamLogOptions = { flushWindowMs: 5, pollIntervalMs: 20 };

describe.each(STORE_KINDS)('retention of a StreamLog on %s', (kind) => {
  let place: TestStore;
  const logs: StreamLog[] = [];
  const openLog = async (options: StreamLogOptions = {}) => {
    const log = await StreamLog.open(place.open(), { ...FAST, ...options });
    logs.push(log);
    return log;
  };
  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await place?.dispose();
  });

  it('by time: moves the log start past expired batches; below it is out of range, later reads unchanged', async () => {
    place = await openTestStore(kind, inject('s3'), 'retain-time');
    const log = await openLog();
    await log.createTopic('t', { partitions: 1, config: { 'retention.ms': String(HOUR) } });
    const old = BigInt(Date.now() - 2 * HOUR);
    for (const values of [['a', 'b'], ['c']]) await log.append('t', 0, await batchOf(values, undefined, old));
    for (const values of [['d'], ['e', 'f']]) await log.append('t', 0, await batchOf(values));
    const before = await batchesFrom(log, 't', 0, 3n);

    const report = await log.maintain();
    expect(report.logStarts).toEqual([{ topic: 't', partition: 0, before: 0, after: 3 }]);
    expect(await log.offsets('t', 0)).toEqual({ logStartOffset: 3n, highWatermark: 6n });
    for (const offset of [0n, 2n]) {
      await expect(log.read('t', 0, offset, 1 << 20)).rejects.toMatchObject({
        code: 'ERR_STREAMS_OFFSET_OUT_OF_RANGE',
      });
    }
    expect(await batchesFrom(log, 't', 0, 3n)).toEqual(before);
    expect(await recordsOf(before)).toEqual(['3:d', '4:e', '5:f']);
    // ListOffsets earliest follows; a second pass changes nothing.
    expect(await log.offsetForTimestamp('t', 0, -2n)).toEqual({ offset: 3n, timestampMs: -1n });
    expect((await log.maintain()).logStarts).toEqual([]);
  });

  it('by size: keeps at least retention.bytes of whole batches; a compact-only topic keeps everything', async () => {
    place = await openTestStore(kind, inject('s3'), 'retain-size');
    const log = await openLog();
    await log.createTopic('sized', { partitions: 1 });
    await log.createTopic('kept', {
      partitions: 1,
      config: { 'cleanup.policy': 'compact', 'retention.bytes': '0' },
    });
    for (let i = 0; i < 5; i++) {
      await log.append('sized', 0, await batchOf([`v${i}`]));
      await log.append('kept', 0, await batchOf([`v${i}`]));
    }
    const entries = (await storedHead(log, 'sized', 0)).entries;
    expect(entries).toHaveLength(5);
    const size = entries[0]!.byteLength;
    // Topic configs are read at each pass: set retention.bytes to just over two batches.
    await log.json.update(
      log.layout.topic('sized'),
      (info: { config: Record<string, string> } | undefined) => ({
        ...info!,
        config: { 'retention.bytes': String(2 * size + 1) },
      }),
    );
    const before = await batchesFrom(log, 'sized', 0, 2n);
    const report = await log.maintain();
    expect(report.logStarts).toEqual([{ topic: 'sized', partition: 0, before: 0, after: 2 }]);
    expect((await storedHead(log, 'sized', 0)).entries.map((entry) => entry.baseOffset)).toEqual([2, 3, 4]);
    await expect(log.read('sized', 0, 1n, 1 << 20)).rejects.toMatchObject({
      code: 'ERR_STREAMS_OFFSET_OUT_OF_RANGE',
    });
    expect(await batchesFrom(log, 'sized', 0, 2n)).toEqual(before);
    expect(await log.offsets('kept', 0)).toEqual({ logStartOffset: 0n, highWatermark: 5n });
  });

  it('runs in the background when the maintenance option is given', async () => {
    place = await openTestStore(kind, inject('s3'), 'retain-timer');
    const writer = await openLog();
    await writer.createTopic('t', { partitions: 1, config: { 'retention.ms': '1000' } });
    await writer.append('t', 0, await batchOf(['old'], undefined, BigInt(Date.now() - HOUR)));
    await writer.append('t', 0, await batchOf(['new']));
    await openLog({ maintenance: { intervalMs: 50 } });
    await expect.poll(async () => (await writer.offsets('t', 0)).logStartOffset, { timeout: 5000 }).toBe(1n);
  });
});
