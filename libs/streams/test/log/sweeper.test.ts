import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { MaintenanceOptions } from '../../src/log/log-maintenance.js';
import { StreamLog, type StreamLogOptions } from '../../src/log/stream-log.js';
import { batchesFrom, storedHead } from '../support/partition-heads.js';
import { batchOf, recordsOf } from '../support/test-batches.js';
import { keysUnder, openTestStore, STORE_KINDS, type TestStore } from '../support/test-stores.js';

const FAST: StreamLogOptions = { flushWindowMs: 5, pollIntervalMs: 20 };
const GRACE_MS = 300;
const MAINTAIN: MaintenanceOptions = {
  compaction: { minAgeMs: 0, minEntries: 2 },
  retention: { retentionMs: -1 },
  sweepGraceMs: GRACE_MS,
  leaseMs: false,
};
const HOUR = 60 * 60 * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads each offset of a partition on its own and returns what the batch holding it says. */
async function readEachOffset(log: StreamLog, topic: string, partition: number): Promise<string[]> {
  const { logStartOffset, highWatermark } = await log.offsets(topic, partition);
  const offsets = Array.from(
    { length: Number(highWatermark - logStartOffset) },
    (_, i) => logStartOffset + BigInt(i),
  );
  return Promise.all(
    offsets.map(async (offset) => {
      const records = await recordsOf((await log.read(topic, partition, offset, 1)).batches);
      return records.find((record) => record.startsWith(`${offset}:`))!;
    }),
  );
}

/** Every segment and chunk key the heads of a topic refer to at or after their log start. */
async function referencedKeys(log: StreamLog, topic: string): Promise<string[]> {
  const { partitions } = await log.describeTopic(topic);
  const keys: string[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    const head = await storedHead(log, topic, partition);
    const live = (entry: { lastOffset: number }) => entry.lastOffset >= head.logStartOffset;
    keys.push(...head.entries.filter(live).map((entry) => entry.segmentKey));
    for (const ref of head.chunks) {
      keys.push(ref.key);
      const { entries } = JSON.parse(new TextDecoder().decode(await log.store.get(ref.key)));
      keys.push(...entries.filter(live).map((entry: { segmentKey: string }) => entry.segmentKey));
    }
  }
  return keys;
}

describe.each(STORE_KINDS)('the sweeper on %s', (kind) => {
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

  it('deletes orphans, compacted-away and retained-away objects past the grace periods, and nothing referenced', async () => {
    place = await openTestStore(kind, inject('s3'), 'sweep');
    // S3's Last-Modified has a resolution of one second: objects may look up to a second older.
    const grace = kind === 's3' ? 2000 : GRACE_MS;
    const log = await openLog({ headEntriesLimit: 2, maintenance: { ...MAINTAIN, sweepGraceMs: grace } });
    await log.createTopic('compacted', { partitions: 1 });
    await log.createTopic('retained', { partitions: 1, config: { 'retention.ms': String(HOUR) } });
    for (let i = 0; i < 4; i++) await log.append('compacted', 0, await batchOf([`c${i}`]));
    for (let i = 0; i < 4; i++)
      await log.append('retained', 0, await batchOf([`old${i}`], undefined, BigInt(Date.now() - 2 * HOUR)));
    for (let i = 0; i < 2; i++) await log.append('retained', 0, await batchOf([`new${i}`]));
    // Chunks wholly before offset 4, where retention will move the log start.
    const expiredChunks = (await storedHead(log, 'retained', 0)).chunks
      .filter((ref) => ref.lastOffset < 4)
      .map((ref) => ref.key);
    expect(expiredChunks.length).toBeGreaterThan(0);
    // Leftovers: a crashed flush's segment, a chunk no head names, a deleted topic's head.
    const { id } = await log.describeTopic('compacted');
    const orphans = [
      log.layout.segment(new Date(Date.now() - HOUR), '9', randomUUID()),
      log.layout.indexChunk('compacted', id, 0, 0, 1, randomUUID()),
      log.layout.partitionHead('gone', randomUUID(), 0),
    ];
    const segmentsBefore = await keysUnder(place.store, 'segments/');
    const expected = {
      compacted: await readEachOffset(log, 'compacted', 0),
      retained: (await readEachOffset(log, 'retained', 0)).slice(4),
    };

    for (const key of orphans) await place.store.put(key, '{}');
    const first = await log.maintain();
    expect(first.failures).toEqual([]);
    expect(first.logStarts).toEqual([{ topic: 'retained', partition: 0, before: 0, after: 4 }]);
    expect(first.compacted).toBeGreaterThan(0);
    expect(first.swept).toMatchObject({ deleted: [] });
    expect(first.swept!.waiting).toBeGreaterThanOrEqual(orphans.length + 4);

    // The orphans are old enough now, but only just seen unreferenced: kept a grace period more.
    await sleep(grace);
    // A flush under way: its segment is written, its head commit not yet.
    const inFlight = log.layout.segment(new Date(), '8', randomUUID());
    await place.store.put(inFlight, 'pending');
    const second = await log.maintain();
    expect(second.swept!.deleted.filter((key) => orphans.includes(key))).toEqual([]);
    await sleep(grace);
    // Seen unreferenced for a grace period now, but younger than two: still kept.
    const third = await log.maintain();
    const deleted = [...second.swept!.deleted, ...third.swept!.deleted];
    expect(deleted).toEqual(expect.arrayContaining(orphans));
    expect(deleted).toEqual(expect.arrayContaining(expiredChunks));
    expect(deleted).not.toContain(inFlight);
    expect(third.swept!.waiting).toBe(1);

    const referenced = [
      ...(await referencedKeys(log, 'compacted')),
      ...(await referencedKeys(log, 'retained')),
    ];
    expect(deleted.filter((key) => referenced.includes(key))).toEqual([]);
    const segmentsAfter = await keysUnder(place.store, 'segments/');
    expect(segmentsAfter.sort()).toEqual(
      [...new Set([...referenced.filter((key) => key.startsWith('segments/')), inFlight])].sort(),
    );
    // Every segment of the old records is gone: compacted away or below the log start.
    expect(segmentsBefore.filter((key) => segmentsAfter.includes(key))).toEqual([]);
    const fresh = await openLog();
    expect(await readEachOffset(fresh, 'compacted', 0)).toEqual(expected.compacted);
    expect(await readEachOffset(fresh, 'retained', 0)).toEqual(expected.retained);
  });

  it('two maintainers at once, while a producer appends, lose and damage nothing', async () => {
    place = await openTestStore(kind, inject('s3'), 'sweep-twice');
    const writer = await openLog({ headEntriesLimit: 4 });
    const maintainers = [await openLog({ maintenance: MAINTAIN }), await openLog({ maintenance: MAINTAIN })];
    await writer.createTopic('t', { partitions: 2 });
    const values = Array.from({ length: 16 }, (_, i) => `v${i}`);
    let producing = true;
    const producer = (async () => {
      for (const [i, value] of values.entries()) await writer.append('t', i % 2, await batchOf([value]));
      producing = false;
    })();
    let deleted = 0;
    while (producing) {
      const reports = await Promise.all(maintainers.map((log) => log.maintain()));
      expect(reports.flatMap((report) => report.failures)).toEqual([]);
      deleted += reports.reduce((sum, report) => sum + report.swept!.deleted.length, 0);
      await sleep(GRACE_MS / 2 + 20);
    }
    await producer;
    for (let round = 0; round < 2; round++) {
      await sleep(GRACE_MS);
      for (const report of await Promise.all(maintainers.map((log) => log.maintain()))) {
        deleted += report.swept!.deleted.length;
      }
    }
    expect(deleted).toBeGreaterThan(0);
    const records = [...(await readEachOffset(writer, 't', 0)), ...(await readEachOffset(writer, 't', 1))];
    expect(records.map((record) => record.split(':')[1]).sort()).toEqual([...values].sort());
    for (const partition of [0, 1]) {
      const own = await readEachOffset(writer, 't', partition);
      expect(own.map((record) => Number(record.split(':')[0]))).toEqual(own.map((_, i) => i));
      expect(await recordsOf(await batchesFrom(writer, 't', partition, 0n))).toEqual(own);
    }
    const segments = await keysUnder(place.store, 'segments/');
    for (const key of await referencedKeys(writer, 't'))
      if (key.startsWith('segments/')) expect(segments).toContain(key);
  });

  it('with a lease, one log of the store maintains at a time; closing hands it over', async () => {
    place = await openTestStore(kind, inject('s3'), 'sweep-lease');
    const leased: MaintenanceOptions = { ...MAINTAIN, leaseMs: 60_000 };
    const [a, b] = [await openLog({ maintenance: leased }), await openLog({ maintenance: leased })];
    const reports = await Promise.all([a.maintain(), b.maintain()]);
    expect(reports.map((report) => report.ran).sort()).toEqual([false, true]);
    const [holder, other] = reports[0]!.ran ? [a, b] : [b, a];
    expect((await holder.maintain()).ran).toBe(true);
    expect((await other.maintain()).ran).toBe(false);
    await holder.close();
    expect((await other.maintain()).ran).toBe(true);
  });
});
