import { afterEach, describe, expect, inject, it } from 'vitest';
import { segmentWrittenAtMs } from '../../src/log/compaction.js';
import type { MaintenanceOptions } from '../../src/log/log-maintenance.js';
import { StreamLog, type StreamLogOptions } from '../../src/log/stream-log.js';
import { HeldPutStore } from '../support/held-put-store.js';
import { LostAnswerStore } from '../support/lost-answer-store.js';
import { batchesFrom, storedHead } from '../support/partition-heads.js';
import { batchOf, recordsOf } from '../support/test-batches.js';
import { keysUnder, openTestStore, STORE_KINDS, type TestStore } from '../support/test-stores.js';

const FAST: StreamLogOptions = { flushWindowMs: 5, pollIntervalMs: 20 };
/** Compacts any run of two or more entries at once; no retention; nothing swept. */
const COMPACT_ALL: MaintenanceOptions = {
  compaction: { minAgeMs: 0, minEntries: 2 },
  retention: { retentionMs: -1 },
  sweepGraceMs: 60_000,
  leaseMs: false,
};

/** Every index entry of a partition (chunks' and head's), in offset order. */
async function indexOf(log: StreamLog, topic: string, partition: number) {
  const head = await storedHead(log, topic, partition);
  const chunks = await Promise.all(
    head.chunks.map(
      async (ref) => JSON.parse(new TextDecoder().decode(await log.store.get(ref.key))).entries,
    ),
  );
  return [...chunks.flat(), ...head.entries] as typeof head.entries;
}

it('reads the write time of a segment from its key', () => {
  expect(segmentWrittenAtMs('p/segments/2026120316/1796318400000-3-abc.seg')).toBe(1796318400000);
  expect(segmentWrittenAtMs('elsewhere/thing.json')).toBe(0);
});

describe.each(STORE_KINDS)('compaction of small segments on %s', (kind) => {
  let place: TestStore;
  const logs: StreamLog[] = [];
  const openLog = async (options: StreamLogOptions = {}, store = place.open()) => {
    const log = await StreamLog.open(store, { ...FAST, ...options });
    logs.push(log);
    return log;
  };
  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await place?.dispose();
  });

  it('rewrites many flush-sized entries (head and chunks) into few, with byte-identical reads', async () => {
    place = await openTestStore(kind, inject('s3'), 'compact');
    const log = await openLog({ headEntriesLimit: 6, maintenance: COMPACT_ALL });
    await log.createTopic('t', { partitions: 2 });
    const stamp = BigInt(Date.now() - 1000);
    for (let i = 0; i < 14; i++) {
      // Two partitions per flush: each segment object holds both partitions' data.
      await Promise.all([
        log.append('t', 0, await batchOf([`a${i}`, `b${i}`], undefined, stamp + BigInt(i))),
        log.append('t', 1, await batchOf([`x${i}`])),
      ]);
    }
    const before = await indexOf(log, 't', 0);
    expect(before.length).toBe(14);
    expect((await storedHead(log, 't', 0)).chunks.length).toBeGreaterThan(0);
    const reads = await Promise.all([0n, 5n, 13n, 27n].map((offset) => batchesFrom(log, 't', 0, offset)));
    const timestamps = await log.offsetForTimestamp('t', 0, stamp + 7n);

    const report = await log.maintain();
    expect(report.failures).toEqual([]);
    expect(report.refused).toBe(0);
    const after = await indexOf(log, 't', 0);
    // One entry per container (each chunk and the head) instead of one per flush.
    const containers = (await storedHead(log, 't', 0)).chunks.length + 1;
    expect(after.length).toBe(containers);
    expect(new Set(after.map((entry) => entry.segmentKey)).size).toBeLessThan(
      new Set(before.map((entry) => entry.segmentKey)).size,
    );
    expect(after[0]!.baseOffset).toBe(0);
    expect(after[after.length - 1]!.lastOffset).toBe(27);
    // A fresh log (no caches) reads the same bytes, offsets and timestamps.
    const fresh = await openLog();
    expect(await Promise.all([0n, 5n, 13n, 27n].map((offset) => batchesFrom(fresh, 't', 0, offset)))).toEqual(
      reads,
    );
    expect(await recordsOf(reads[0]!)).toHaveLength(28);
    expect(await fresh.offsetForTimestamp('t', 0, stamp + 7n)).toEqual(timestamps);
    expect(await recordsOf(await batchesFrom(fresh, 't', 1, 0n))).toEqual(
      Array.from({ length: 14 }, (_, i) => `${i}:x${i}`),
    );
    // Nothing left to compact; then new small entries are compacted among themselves, not into the big one.
    expect((await log.maintain()).compacted).toBe(0);
    const big = (await storedHead(log, 't', 0)).entries;
    for (let i = 0; i < 3; i++) await log.append('t', 0, await batchOf([`late${i}`]));
    expect((await log.maintain()).compacted).toBe(1);
    const entries = (await storedHead(log, 't', 0)).entries;
    expect(entries.slice(0, big.length)).toEqual(big);
    expect(entries.slice(big.length).map((entry) => [entry.baseOffset, entry.lastOffset])).toEqual([
      [28, 30],
    ]);
    // another fresh log: `fresh` may still hold the head it read before the late appends (its head cache)
    expect(await recordsOf(await batchesFrom(await openLog(), 't', 0, 28n))).toEqual([
      '28:late0',
      '29:late1',
      '30:late2',
    ]);
  });

  it('keeps an append committed while a compaction is under way', async () => {
    place = await openTestStore(kind, inject('s3'), 'compact-race');
    const held = new HeldPutStore(place.open());
    const writer = await openLog();
    const compactor = await openLog({ maintenance: COMPACT_ALL }, held);
    await writer.createTopic('t', { partitions: 1 });
    for (let i = 0; i < 4; i++) await writer.append('t', 0, await batchOf([`v${i}`]));
    const segments = await keysUnder(place.store, 'segments/');
    const hold = held.holdNext((key) => key.endsWith('.seg'));
    const pass = compactor.maintain();
    const compactedKey = await hold.reached;
    // The head changes between the compactor's read and its swap.
    await writer.append('t', 0, await batchOf(['late']));
    hold.release();
    expect(await pass).toMatchObject({ compacted: 1, refused: 0 });
    const entries = (await storedHead(writer, 't', 0)).entries;
    expect(
      entries.map((entry) => [entry.baseOffset, entry.lastOffset, entry.segmentKey === compactedKey]),
    ).toEqual([
      [0, 3, true],
      [4, 4, false],
    ]);
    expect(segments).not.toContain(compactedKey);
    expect(await recordsOf(await batchesFrom(writer, 't', 0, 0n))).toEqual([
      '0:v0',
      '1:v1',
      '2:v2',
      '3:v3',
      '4:late',
    ]);
  });

  it('refuses the swap when another compaction replaced the entries first, and drops its new segment', async () => {
    place = await openTestStore(kind, inject('s3'), 'compact-refused');
    const held = new HeldPutStore(place.open());
    const slow = await openLog({ maintenance: COMPACT_ALL }, held);
    const quick = await openLog({ maintenance: COMPACT_ALL });
    await quick.createTopic('t', { partitions: 1 });
    for (let i = 0; i < 3; i++) await quick.append('t', 0, await batchOf([`v${i}`]));
    const hold = held.holdNext((key) => key.endsWith('.seg'));
    const slowPass = slow.maintain();
    const slowKey = await hold.reached;
    expect(await quick.maintain()).toMatchObject({ compacted: 1 });
    hold.release();
    expect(await slowPass).toMatchObject({ compacted: 0, refused: 1 });
    const entries = (await storedHead(quick, 't', 0)).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]!.segmentKey).not.toBe(slowKey);
    expect(await keysUnder(place.store, 'segments/')).not.toContain(slowKey);
    expect(await recordsOf(await batchesFrom(slow, 't', 0, 0n))).toEqual(['0:v0', '1:v1', '2:v2']);
  });

  it('recognises its own swap when the answer to it was lost, and keeps the new segment', async () => {
    place = await openTestStore(kind, inject('s3'), 'compact-lost');
    const lossy = new LostAnswerStore(place.open());
    const log = await openLog();
    const compactor = await openLog({ maintenance: COMPACT_ALL }, lossy);
    await log.createTopic('t', { partitions: 1 });
    for (let i = 0; i < 3; i++) await log.append('t', 0, await batchOf([`v${i}`]));
    const before = await batchesFrom(log, 't', 0, 0n);
    lossy.loseAnswers(1, (key) => key.endsWith('/head.json'));
    expect(await compactor.maintain()).toMatchObject({ compacted: 1, refused: 0, failures: [] });
    const [entry, ...rest] = (await storedHead(log, 't', 0)).entries;
    expect(rest).toEqual([]);
    expect(await keysUnder(place.store, 'segments/')).toContain(entry!.segmentKey);
    expect(await batchesFrom(await openLog(), 't', 0, 0n)).toEqual(before);
  });

  it('leaves entries alone that are young, large, or too few', async () => {
    place = await openTestStore(kind, inject('s3'), 'compact-skip');
    const log = await openLog();
    await log.createTopic('t', { partitions: 1 });
    for (let i = 0; i < 3; i++) await log.append('t', 0, await batchOf([`v${i}`]));
    const settings = [
      { minAgeMs: 60_000, minEntries: 2 },
      { minAgeMs: 0, minEntries: 4 },
      { minAgeMs: 0, minEntries: 2, smallEntryBytes: 10 },
    ];
    for (const compaction of settings) {
      const other = await openLog({ maintenance: { ...COMPACT_ALL, compaction } });
      expect((await other.maintain()).compacted).toBe(0);
    }
    expect((await storedHead(log, 't', 0)).entries).toHaveLength(3);
  });
});
