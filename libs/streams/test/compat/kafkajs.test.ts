import { CompressionTypes, ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kcat } from '../support/kcat.js';
import { type StartedBrokers, startBrokers } from '../support/started-brokers.js';
import { type StorePlace, storePlace } from '../support/store-places.js';

/** kcat's consumer output format: partition, offset, key, value, headers. */
const CONSUMED = '%p|%o|%k|%s|%h\\n';

describe.each([
  ['file', 1],
  ['file', 2],
  ['s3', 1],
  ['s3', 2],
] as const)('kafkajs 2.2.4 against brokers on %s (%i broker(s))', (kind, count) => {
  let place: StorePlace;
  let started: StartedBrokers;
  /** The first broker's address: clients produce through it. */
  let first: string;
  /** The last broker's address: kcat consumes through it (the other broker when there are two). */
  let last: string;

  const kafka = (bootstrap: string) =>
    new Kafka({
      clientId: 'compat',
      brokers: [bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 3 },
    });

  beforeAll(async () => {
    place = await storePlace(kind, inject('s3'), `kafkajs-${count}`);
    started = await startBrokers(place, count);
    const addresses = started.bootstrap.split(',');
    first = addresses[0]!;
    last = addresses.at(-1)!;
  });
  afterAll(async () => {
    await started?.stop();
    await place?.dispose();
  });

  it('admin creates, lists, describes and deletes topics; Metadata lists every live broker', async () => {
    const admin = kafka(first).admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'admin-a', numPartitions: 3 }] })).toBe(true);
      expect(await admin.createTopics({ topics: [{ topic: 'admin-a', numPartitions: 3 }] })).toBe(false);
      expect(await admin.listTopics()).toContain('admin-a');
      const metadata = await admin.fetchTopicMetadata({ topics: ['admin-a'] });
      expect(metadata.topics[0]!.partitions.map((partition) => partition.partitionId).sort()).toEqual([
        0, 1, 2,
      ]);
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map((broker) => broker.nodeId).sort()).toEqual(
        started.brokers.map((broker) => broker.nodeId).sort(),
      );
      const configs = await admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: 'admin-a' }],
        includeSynonyms: false,
      });
      expect(configs.resources[0]!.configEntries.map((entry) => entry.configName)).toContain(
        'max.message.bytes',
      );
      await admin.createPartitions({ topicPartitions: [{ topic: 'admin-a', count: 5 }] });
      expect((await admin.fetchTopicOffsets('admin-a')).length).toBe(5);
      await admin.deleteTopics({ topics: ['admin-a'] });
      expect(await admin.listTopics()).not.toContain('admin-a');
    } finally {
      await admin.disconnect();
    }
  });

  it('a plain producer writes keys, values and headers that kcat reads back, in order per partition', async () => {
    const admin = kafka(first).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'plain', numPartitions: 3 }] });
    const producer = kafka(first).producer();
    await producer.connect();
    try {
      for (let round = 0; round < 3; round += 1) {
        await producer.send({
          topic: 'plain',
          acks: -1,
          messages: Array.from({ length: 10 }, (_, index) => ({
            partition: index % 3,
            key: `k${round}-${index}`,
            value: `v${round}-${index}`,
            headers: { round: String(round) },
          })),
        });
      }
      const offsets = await admin.fetchTopicOffsets('plain');
      expect(offsets.map((entry) => [entry.partition, entry.low, entry.high]).sort()).toEqual([
        [0, '0', '12'],
        [1, '0', '9'],
        [2, '0', '9'],
      ]);
      const read = await kcat(last, ['-C', '-t', 'plain', '-o', 'beginning', '-e', '-q', '-f', CONSUMED]);
      expect(read.code).toBe(0);
      const lines = read.stdout.trim().split('\n');
      expect(lines).toHaveLength(30);
      for (const partition of [0, 1, 2]) {
        const ofPartition = lines.filter((line) => line.startsWith(`${partition}|`));
        const expected = [0, 1, 2].flatMap((round) =>
          Array.from({ length: 10 }, (_, index) => index)
            .filter((index) => index % 3 === partition)
            .map((index) => `k${round}-${index}|v${round}-${index}|round=${round}`),
        );
        expect(ofPartition.map((line) => line.split('|').slice(2).join('|'))).toEqual(expected);
        expect(ofPartition.map((line) => Number(line.split('|')[1]))).toEqual(
          expected.map((_, offset) => offset),
        );
      }
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('a gzip-compressing producer writes batches kcat decompresses', async () => {
    const admin = kafka(first).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'gzipped', numPartitions: 1 }] });
    const producer = kafka(first).producer();
    await producer.connect();
    try {
      const values = Array.from({ length: 100 }, (_, index) => `compressed ${index} ${'z'.repeat(index)}`);
      await producer.send({
        topic: 'gzipped',
        compression: CompressionTypes.GZIP,
        messages: values.map((value) => ({ value })),
      });
      const read = await kcat(last, ['-C', '-t', 'gzipped', '-o', 'beginning', '-e', '-q', '-f', '%s\\n']);
      expect(read.stdout.trim().split('\n')).toEqual(values);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('an idempotent producer gets dense offsets without duplicates', async () => {
    const admin = kafka(first).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'idempotent', numPartitions: 1 }] });
    const producer = kafka(first).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const baseOffsets: string[] = [];
      for (let batch = 0; batch < 5; batch += 1) {
        const [result] = await producer.send({
          topic: 'idempotent',
          messages: Array.from({ length: 4 }, (_, index) => ({ value: `m${batch * 4 + index}` })),
        });
        expect(result!.errorCode).toBe(0);
        baseOffsets.push(result!.baseOffset!);
      }
      expect(baseOffsets).toEqual(['0', '4', '8', '12', '16']);
      const read = await kcat(last, ['-C', '-t', 'idempotent', '-o', 'beginning', '-e', '-q', '-f', '%s\\n']);
      expect(read.stdout.trim().split('\n')).toEqual(Array.from({ length: 20 }, (_, index) => `m${index}`));
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('ListOffsets by timestamp finds the first offset at or after a time; DeleteRecords moves the log start', async () => {
    const admin = kafka(first).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'times', numPartitions: 1 }] });
    const producer = kafka(first).producer();
    await producer.connect();
    try {
      await producer.send({ topic: 'times', messages: [{ value: 'old', timestamp: '1000' }] });
      await producer.send({ topic: 'times', messages: [{ value: 'new', timestamp: '5000' }] });
      expect(await admin.fetchTopicOffsetsByTimestamp('times', 3000)).toEqual([
        { partition: 0, offset: '1' },
      ]);
      // none at or after: kafkajs answers the high watermark for Kafka's -1
      expect(await admin.fetchTopicOffsetsByTimestamp('times', 9000)).toEqual([
        { partition: 0, offset: '2' },
      ]);
      await admin.deleteTopicRecords({ topic: 'times', partitions: [{ partition: 0, offset: '1' }] });
      expect(await admin.fetchTopicOffsets('times')).toEqual([
        { partition: 0, offset: '2', high: '2', low: '1' },
      ]);
      const read = await kcat(last, ['-C', '-t', 'times', '-o', 'beginning', '-e', '-q', '-f', '%o %s\\n']);
      expect(read.stdout).toBe('1 new\n');
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
