import { afterEach, describe, expect, inject, it } from 'vitest';
import { StreamLog } from '../../src/log/stream-log.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/test-stores.js';

describe.each(STORE_KINDS)('committed offsets of consumer groups on %s', (kind) => {
  let place: TestStore;
  const logs: StreamLog[] = [];
  const openLog = async () => {
    const log = await StreamLog.open(place.open());
    logs.push(log);
    return log;
  };

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await place?.dispose();
  });

  it('merges commits from several brokers, fetches, deletes, and lists groups', async () => {
    place = await openTestStore(kind, inject('s3'), 'offsets');
    const [a, b] = await Promise.all([openLog(), openLog()]);
    await Promise.all([
      a.offsetsOf('group-1').commit([{ topic: 't', partition: 0, offset: 5n, metadata: 'm' }]),
      b.offsetsOf('group-1').commit([
        { topic: 't', partition: 1, offset: 7n, leaderEpoch: 0 },
        { topic: 'u', partition: 0, offset: 1n },
      ]),
      a.offsetsOf('group-1').commit([{ topic: 'u', partition: 3, offset: 2n }]),
    ]);
    const fetched = await b.offsetsOf('group-1').fetch([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
      { topic: 't', partition: 2 },
    ]);
    expect(fetched).toMatchObject([
      { topic: 't', partition: 0, offset: 5n, metadata: 'm', leaderEpoch: -1 },
      { topic: 't', partition: 1, offset: 7n, metadata: null, leaderEpoch: 0 },
      { topic: 't', partition: 2, offset: -1n, metadata: null },
    ]);
    expect(
      (await a.offsetsOf('group-1').fetch())
        .map((entry) => `${entry.topic}-${entry.partition}:${entry.offset}`)
        .sort(),
    ).toEqual(['t-0:5', 't-1:7', 'u-0:1', 'u-3:2']);
    await a.offsetsOf('group-1').commit([{ topic: 't', partition: 0, offset: 6n }]);
    expect((await b.offsetsOf('group-1').fetch([{ topic: 't', partition: 0 }]))[0]!.offset).toBe(6n);

    await a.offsetsOf('group-1').delete([
      { topic: 'u', partition: 0 },
      { topic: 'u', partition: 3 },
    ]);
    expect((await a.offsetsOf('group-1').fetch()).map((entry) => entry.topic)).toEqual(['t', 't']);

    const odd = ['.', '..', '', 'a/b c', 'ü.%'];
    for (const group of odd) await b.offsetsOf(group).commit([{ topic: 't', partition: 0, offset: 1n }]);
    expect((await a.listGroups()).sort()).toEqual(['group-1', ...odd].sort());
    expect((await a.offsetsOf('a/b c').fetch())[0]!.offset).toBe(1n);

    await a.offsetsOf('group-1').delete();
    expect(await a.offsetsOf('group-1').fetch()).toEqual([]);
    expect(await a.listGroups()).not.toContain('group-1');
  });
});
