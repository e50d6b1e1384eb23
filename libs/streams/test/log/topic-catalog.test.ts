import { afterEach, describe, expect, inject, it } from 'vitest';
import { StreamLog } from '../../src/log/stream-log.js';
import { batchOf, recordsOf } from '../support/test-batches.js';
import { keysUnder, openTestStore, STORE_KINDS, type TestStore } from '../support/test-stores.js';

describe.each(STORE_KINDS)('topic catalog on %s', (kind) => {
  let place: TestStore;
  const logs: StreamLog[] = [];
  const openLog = async () => {
    const log = await StreamLog.open(place.open(), { flushWindowMs: 20 });
    logs.push(log);
    return log;
  };

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await place?.dispose();
  });

  it('creates, describes, lists, grows and deletes topics; every broker sees the same', async () => {
    place = await openTestStore(kind, inject('s3'), 'catalog');
    const a = await openLog();
    const b = await openLog();
    const created = await a.createTopic('orders.v1', { partitions: 2, config: { 'retention.ms': '1000' } });
    expect(created).toMatchObject({ name: 'orders.v1', partitions: 2, config: { 'retention.ms': '1000' } });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await a.createTopic('audit_log-2', { partitions: 1 });
    expect(await b.describeTopic('orders.v1')).toEqual(created);
    expect((await b.listTopics()).map((topic) => topic.name)).toEqual(['audit_log-2', 'orders.v1']);
    await expect(b.createTopic('orders.v1', { partitions: 1 })).rejects.toMatchObject({
      code: 'ERR_STREAMS_TOPIC_EXISTS',
      kafkaErrorCode: 36,
    });

    // Another broker grows the topic: appends to the new partition work at once (cache miss → reread).
    await a.append('orders.v1', 1, await batchOf(['before']));
    expect((await b.addPartitions('orders.v1', 4)).partitions).toBe(4);
    expect((await a.append('orders.v1', 3, await batchOf(['new partition']))).baseOffset).toBe(0n);
    await expect(a.addPartitions('orders.v1', 3)).rejects.toMatchObject({
      code: 'ERR_STREAMS_INVALID_ARGUMENT',
    });

    await b.deleteTopic('orders.v1');
    await expect(a.describeTopic('orders.v1')).rejects.toMatchObject({ code: 'ERR_STREAMS_UNKNOWN_TOPIC' });
    await expect(a.deleteTopic('orders.v1')).rejects.toMatchObject({ code: 'ERR_STREAMS_UNKNOWN_TOPIC' });
    expect(await keysUnder(place.store, a.layout.topicData('orders.v1', created.id))).toEqual([]);
    expect((await a.listTopics()).map((topic) => topic.name)).toEqual(['audit_log-2']);

    // Created again: a new id, and empty partitions.
    const again = await a.createTopic('orders.v1', { partitions: 2 });
    expect(again.id).not.toBe(created.id);
    expect(await recordsOf((await b.read('orders.v1', 1, 0n, 1 << 20)).batches)).toEqual([]);
  });

  it('refuses names and partition counts Kafka refuses', async () => {
    place = await openTestStore(kind, inject('s3'), 'catalog-names');
    const log = await openLog();
    for (const name of ['', '.', '..', 'a/b', 'spa ce', 'ü', 'x'.repeat(250), '.isthmus-x']) {
      await expect(log.createTopic(name, { partitions: 1 }), name).rejects.toMatchObject({
        code: 'ERR_STREAMS_INVALID_ARGUMENT',
      });
    }
    for (const partitions of [0, -1, 1.5, 10_001]) {
      await expect(log.createTopic('ok', { partitions })).rejects.toMatchObject({
        code: 'ERR_STREAMS_INVALID_ARGUMENT',
      });
    }
    expect((await log.createTopic('x'.repeat(249), { partitions: 1 })).name).toHaveLength(249);
    expect(await log.listTopics()).toHaveLength(1);
  });
});
