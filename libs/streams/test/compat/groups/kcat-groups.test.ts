import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kcat } from '../../support/kcat.js';
import { type StartedBrokers, startBrokers } from '../../support/started-brokers.js';
import { type StorePlace, storePlace } from '../../support/store-places.js';

describe.each(['file', 's3'] as const)('kcat -G (librdkafka 2.0.2 balanced consumer) on %s', (kind) => {
  let place: StorePlace;
  let started: StartedBrokers;

  beforeAll(async () => {
    place = await storePlace(kind, inject('s3'), 'groups-kcat');
    started = await startBrokers(place, 1);
  });
  afterAll(async () => {
    await started?.stop();
    await place?.dispose();
  });

  const produce = async (lines: string[]) => {
    // Keyed, so the records spread over the partitions (librdkafka sticks unkeyed ones to one).
    const keyed = lines.map((line) => `${line}:${line}`);
    const produced = await kcat(started.bootstrap, ['-P', '-K:', '-t', 'lines'], `${keyed.join('\n')}\n`);
    expect(produced.code).toBe(0);
  };
  /**
   * One kcat group member that reads to the end of its partitions, commits and leaves (`-o beginning`
   * would override the committed offsets: a group starts at the earliest offset by `auto.offset.reset`).
   */
  const consume = async () => {
    const consumed = await kcat(started.bootstrap, [
      '-G',
      'kcat-readers',
      '-X',
      'auto.offset.reset=earliest',
      '-e',
      '-q',
      '-f',
      '%s\\n',
      '-X',
      'session.timeout.ms=6000',
      '-X',
      'heartbeat.interval.ms=300',
      'lines',
    ]);
    expect(consumed.code).toBe(0);
    return consumed.stdout.split('\n').filter((line) => line !== '');
  };

  it('consumes as a group member, commits, and the next member resumes after the committed offsets', async () => {
    const admin = new Kafka({
      clientId: 'kcat-groups',
      brokers: [started.bootstrap],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'lines', numPartitions: 3 }] });
      const first = Array.from({ length: 30 }, (_, index) => `first-${index}`);
      await produce(first);
      expect((await consume()).sort()).toEqual([...first].sort());

      const committed = await admin.fetchOffsets({ groupId: 'kcat-readers', topics: ['lines'] });
      const highWatermarks = await admin.fetchTopicOffsets('lines');
      const committedOf = (partition: number) =>
        committed[0]?.partitions.find((entry) => entry.partition === partition)?.offset;
      // A partition the member consumed nothing from has no commit (-1): its high watermark is 0.
      expect(
        highWatermarks.map((entry) => [
          entry.partition,
          committedOf(entry.partition) === '-1' ? '0' : committedOf(entry.partition),
        ]),
      ).toEqual(highWatermarks.map((entry) => [entry.partition, entry.high]));
      expect(highWatermarks.filter((entry) => entry.high !== '0').length).toBeGreaterThan(1);

      const second = Array.from({ length: 12 }, (_, index) => `second-${index}`);
      await produce(second);
      expect((await consume()).sort()).toEqual([...second].sort());
      expect((await admin.describeGroups(['kcat-readers'])).groups[0]).toMatchObject({
        state: 'Empty',
        protocolType: 'consumer',
      });
    } finally {
      await admin.disconnect();
    }
  });

  it('a static member (group.instance.id) restarted takes its place back at once, without waiting for its old session to expire', async () => {
    const admin = new Kafka({
      clientId: 'kcat-groups',
      brokers: [started.bootstrap],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'static-lines', numPartitions: 2 }] });
      const produceTo = async (lines: string[]) => {
        const keyed = lines.map((line) => `${line}:${line}`);
        const produced = await kcat(
          started.bootstrap,
          ['-P', '-K:', '-t', 'static-lines'],
          `${keyed.join('\n')}\n`,
        );
        expect(produced.code).toBe(0);
      };
      const consumeStatic = async () => {
        const consumed = await kcat(started.bootstrap, [
          '-G',
          'kcat-static',
          '-X',
          'group.instance.id=reader-1',
          '-X',
          'auto.offset.reset=earliest',
          '-X',
          // Long enough that waiting for the old session would show.
          'session.timeout.ms=20000',
          '-e',
          '-q',
          '-f',
          '%s\\n',
          'static-lines',
        ]);
        expect(consumed.code).toBe(0);
        return consumed.stdout.split('\n').filter((line) => line !== '');
      };
      const first = Array.from({ length: 10 }, (_, index) => `first-${index}`);
      await produceTo(first);
      expect((await consumeStatic()).sort()).toEqual([...first].sort());

      // A static member sends no LeaveGroup: it is still in the group when it comes back.
      const second = Array.from({ length: 6 }, (_, index) => `second-${index}`);
      await produceTo(second);
      const startedAt = Date.now();
      expect((await consumeStatic()).sort()).toEqual([...second].sort());
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      const described = (await admin.describeGroups(['kcat-static'])).groups[0];
      expect(described).toMatchObject({ state: 'Stable', protocolType: 'consumer' });
      expect(described?.members).toHaveLength(1);
    } finally {
      await admin.disconnect();
    }
  });
});
