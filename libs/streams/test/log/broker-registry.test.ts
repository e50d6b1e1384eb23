import { afterEach, describe, expect, inject, it } from 'vitest';
import { StreamLog } from '../../src/log/stream-log.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/test-stores.js';

describe.each(STORE_KINDS)('broker registry and producer ids on %s', (kind) => {
  let place: TestStore;
  const logs: StreamLog[] = [];
  const openLog = async (leaseMs: number) => {
    const log = await StreamLog.open(place.open(), { leaseMs });
    logs.push(log);
    return log;
  };

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await place?.dispose();
  });

  it('gives each broker its own node id, keeps heartbeating leases live, and drops a silent one when its lease expires', async () => {
    place = await openTestStore(kind, inject('s3'), 'registry');
    const [a, b, c] = await Promise.all([openLog(500), openLog(500), openLog(500)]);
    const ids = await Promise.all([
      a.registry.register({ host: '127.0.0.1', port: 9092 }),
      b.registry.register({ host: '127.0.0.1', port: 9093, rack: 'r1' }),
      c.registry.register({ host: '127.0.0.1', port: 9094 }),
    ]);
    expect([...ids].sort()).toEqual([0, 1, 2]);
    expect(await a.registry.live()).toEqual(
      [
        { nodeId: ids[0], host: '127.0.0.1', port: 9092, rack: null },
        { nodeId: ids[1], host: '127.0.0.1', port: 9093, rack: 'r1' },
        { nodeId: ids[2], host: '127.0.0.1', port: 9094, rack: null },
      ].sort((x, y) => x.nodeId - y.nodeId),
    );
    await expect(a.registry.register({ host: 'h', port: 1 })).rejects.toMatchObject({
      code: 'ERR_STREAMS_INVALID_ARGUMENT',
    });

    b.registry.stopHeartbeat(); // b "crashes": its lease is left to expire
    await c.registry.deregister(); // c leaves cleanly: gone at once
    expect((await a.registry.live()).map((broker) => broker.nodeId)).toEqual([ids[0], ids[1]].sort());
    await new Promise((resolve) => setTimeout(resolve, 1200)); // > 2 leases; a heartbeats every ~170 ms
    expect((await a.registry.live()).map((broker) => broker.nodeId)).toEqual([ids[0]]);

    // A restarted broker gets a new node id.
    const d = await openLog(500);
    expect(await d.registry.register({ host: '127.0.0.1', port: 9092 })).toBe(3);
  });

  it('hands out distinct producer ids across brokers', async () => {
    place = await openTestStore(kind, inject('s3'), 'producer-ids');
    const [a, b] = await Promise.all([openLog(1000), openLog(1000)]);
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).allocateProducerId()));
    expect(new Set(ids).size).toBe(10);
    expect([...ids].sort((x, y) => Number(x - y))).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
  });
});
