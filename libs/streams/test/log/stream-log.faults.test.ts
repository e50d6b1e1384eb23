import { FaultInjectingProxy } from '@isthmus/services';
import type { RetryPolicy } from '@isthmus/storage';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { StreamLog, type StreamLogOptions } from '../../src/log/stream-log.js';
import { LostAnswerStore } from '../support/lost-answer-store.js';
import { batchOf, recordsOf } from '../support/test-batches.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/test-stores.js';

const FAST: StreamLogOptions = { flushWindowMs: 20, pollIntervalMs: 20 };
const FAST_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 20 };

/** Every record of a partition as `offset:value`, read by a fresh log. */
async function everything(log: StreamLog, topic: string, partition: number): Promise<string[]> {
  return recordsOf((await log.read(topic, partition, 0n, 64 << 20)).batches);
}

/** Asserts that the records are exactly `values`, once each, at offsets 0, 1, 2, …. */
function expectDenseOnce(records: string[], values: string[]): void {
  expect(records.map((record) => Number(record.split(':')[0]))).toEqual(records.map((_, i) => i));
  expect(records.map((record) => record.split(':')[1]).sort()).toEqual([...values].sort());
}

describe('StreamLog under S3 faults (real RGW behind a fault-injecting proxy)', () => {
  let proxy: FaultInjectingProxy;
  let place: TestStore;
  const logs: StreamLog[] = [];

  beforeAll(async () => {
    proxy = await FaultInjectingProxy.start(inject('s3').endpoint);
  });
  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    proxy.clearFaults();
    proxy.seen.length = 0;
    await place?.dispose();
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it('loses nothing and duplicates nothing through throttling, lost answers and broken reads', async () => {
    place = await openTestStore('s3', inject('s3'), 'faults');
    const faulty = await StreamLog.open(place.open({ endpoint: proxy.endpoint, retry: FAST_RETRY }), FAST);
    const direct = await StreamLog.open(place.open(), FAST);
    logs.push(faulty, direct);
    await direct.createTopic('t', { partitions: 3 });
    const values: string[][] = [[], [], []];
    const sends: Promise<unknown>[] = [];
    for (let wave = 0; wave < 6; wave++) {
      // A few faults per wave, so that no single request meets more than its retries can absorb.
      proxy.inject(
        'PUT',
        wave % 2 ? { kind: 'swallow', status: 500 } : { kind: 'status', status: 503, code: 'SlowDown' },
      );
      proxy.inject(
        'GET',
        wave % 2 ? { kind: 'cut', afterBytes: 10 } : { kind: 'status', status: 503, code: 'SlowDown' },
      );
      for (let partition = 0; partition < 3; partition++) {
        for (const [name, log] of [
          ['f', faulty],
          ['d', direct],
        ] as const) {
          const value = `${name}${wave}-${partition}`;
          values[partition]!.push(value);
          sends.push(batchOf([value]).then((batch) => log.append('t', partition, batch)));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await Promise.all(sends);
    expect(proxy.seen.filter((request) => request.fault).length).toBeGreaterThanOrEqual(10);
    const reader = await StreamLog.open(place.open(), FAST);
    logs.push(reader);
    for (let partition = 0; partition < 3; partition++) {
      expectDenseOnce(await everything(reader, 't', partition), values[partition]!);
    }
    // Reads through the faulty endpoint see the same.
    proxy.inject('GET', { kind: 'cut', afterBytes: 30 }, 2);
    const viaProxy = await StreamLog.open(place.open({ endpoint: proxy.endpoint, retry: FAST_RETRY }), FAST);
    logs.push(viaProxy);
    expectDenseOnce(await everything(viaProxy, 't', 1), values[1]!);
  });

  it('reads the partitions of one flush with one ranged GET of its segment, and its own appends with none', async () => {
    place = await openTestStore('s3', inject('s3'), 'coalesce');
    const writer = await StreamLog.open(place.open({ endpoint: proxy.endpoint }), {
      ...FAST,
      flushWindowMs: 100,
    });
    logs.push(writer);
    await writer.createTopic('t', { partitions: 3 });
    await Promise.all(
      [0, 1, 2].map(async (partition) => writer.append('t', partition, await batchOf([`p${partition}`]))),
    );
    await Promise.all([0, 1, 2].map((partition) => writer.read('t', partition, 0n, 1 << 20)));
    const segmentGets = () =>
      proxy.seen.filter((request) => request.method === 'GET' && request.path.includes('/segments/'));
    expect(segmentGets()).toEqual([]);

    const reader = await StreamLog.open(place.open({ endpoint: proxy.endpoint }), FAST);
    logs.push(reader);
    const reads = await reader.readMany(
      [0, 1, 2].map((partition) => ({ topic: 't', partition, offset: 0n, maxBytes: 1 << 20 })),
    );
    const values = await Promise.all(
      reads.map((read) => (read.status === 'fulfilled' ? recordsOf(read.value.batches) : [])),
    );
    expect(values).toEqual([['0:p0'], ['0:p1'], ['0:p2']]);
    expect(segmentGets()).toHaveLength(1);
    expect(segmentGets()[0]!.range).toMatch(/^bytes=\d+-\d+$/);
  });

  it('fails appends whose segment cannot be written, and writes nothing a reader would see', async () => {
    place = await openTestStore('s3', inject('s3'), 'faults-down');
    const faulty = await StreamLog.open(place.open({ endpoint: proxy.endpoint, retry: FAST_RETRY }), FAST);
    logs.push(faulty);
    await faulty.createTopic('t', { partitions: 1 });
    proxy.inject('PUT', { kind: 'status', status: 503, code: 'SlowDown' }, FAST_RETRY.maxAttempts);
    await expect(faulty.append('t', 0, await batchOf(['lost']))).rejects.toMatchObject({
      code: 'ERR_STORAGE_UNAVAILABLE',
    });
    expect((await faulty.append('t', 0, await batchOf(['kept']))).baseOffset).toBe(0n);
    expect(await everything(faulty, 't', 0)).toEqual(['0:kept']);
  });
});

describe.each(STORE_KINDS)('StreamLog when a head commit lands but its answer is lost, on %s', (kind) => {
  let place: TestStore;

  afterEach(async () => {
    await place?.dispose();
  });

  it('recognises its own landed commit and does not append the batches twice', async () => {
    place = await openTestStore(kind, inject('s3'), 'lost-answer');
    const store = new LostAnswerStore(place.open());
    const log = await StreamLog.open(store, FAST);
    await log.createTopic('t', { partitions: 1 });
    await log.append('t', 0, await batchOf(['first']));
    store.loseAnswers(1, (key) => key.endsWith('/head.json'));
    const results = await Promise.all([
      log.append('t', 0, await batchOf(['plain-a'])),
      log.append('t', 0, await batchOf(['plain-b'])),
    ]);
    expect(results.map((result) => result.baseOffset)).toEqual([1n, 2n]);
    expect((await log.append('t', 0, await batchOf(['after']))).baseOffset).toBe(3n);
    await log.close();
    const reader = await StreamLog.open(place.open(), FAST);
    expect(await everything(reader, 't', 0)).toEqual(['0:first', '1:plain-a', '2:plain-b', '3:after']);
    await reader.close();
  });
});
