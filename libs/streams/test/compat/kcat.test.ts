import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kcat } from '../support/kcat.js';
import { type StartedBrokers, startBrokers } from '../support/started-brokers.js';
import { type StorePlace, storePlace } from '../support/store-places.js';

/** kcat -L -J's metadata. */
interface KcatMetadata {
  brokers: { id: number; name: string }[];
  topics: { topic: string; partitions: { partition: number; leader: number }[] }[];
}

describe.each([
  ['file', 1],
  ['file', 2],
  ['s3', 1],
  ['s3', 2],
] as const)('kcat (librdkafka 2.0.2) against brokers on %s (%i broker(s))', (kind, count) => {
  let place: StorePlace;
  let started: StartedBrokers;
  let first: string;
  let last: string;

  const createTopic = async (topic: string, numPartitions: number) => {
    const admin = new Kafka({ clientId: 'compat', brokers: [first], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions }] });
    await admin.disconnect();
  };

  beforeAll(async () => {
    place = await storePlace(kind, inject('s3'), `kcat-${count}`);
    started = await startBrokers(place, count);
    const addresses = started.bootstrap.split(',');
    first = addresses[0]!;
    last = addresses.at(-1)!;
  });
  afterAll(async () => {
    await started?.stop();
    await place?.dispose();
  });

  it('-L lists every live broker and each topic with its partitions, led by the broker asked', async () => {
    await createTopic('listed', 2);
    const listed = await kcat(last, ['-L', '-J']);
    expect(listed.code).toBe(0);
    const metadata = JSON.parse(listed.stdout) as KcatMetadata;
    expect(metadata.brokers.map((broker) => broker.id).sort()).toEqual(
      started.brokers.map((broker) => broker.nodeId).sort(),
    );
    const topic = metadata.topics.find((entry) => entry.topic === 'listed');
    expect(topic?.partitions.map((partition) => partition.partition).sort()).toEqual([0, 1]);
    expect(new Set(topic?.partitions.map((partition) => partition.leader))).toEqual(
      new Set([started.brokers.at(-1)!.nodeId]),
    );
  });

  it('-P with keys (-K:) and headers (-H) through one broker, -C -o beginning -e through the other', async () => {
    await createTopic('keyed', 1);
    const lines = Array.from({ length: 50 }, (_, index) => `key-${index}:value-${index}`);
    const produced = await kcat(
      first,
      ['-P', '-t', 'keyed', '-p', '0', '-K:', '-H', 'source=kcat', '-H', 'n=1'],
      `${lines.join('\n')}\n`,
    );
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await kcat(last, [
      '-C',
      '-t',
      'keyed',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%o %k %s %h\\n',
    ]);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toEqual(
      lines.map((line, index) => `${index} ${line.replace(':', ' ')} source=kcat,n=1`),
    );
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'])(
    '-P -z %s: compressed batches are stored and read back',
    async (codec) => {
      const topic = `codec-${codec}`;
      await createTopic(topic, 1);
      const lines = Array.from(
        { length: 200 },
        (_, index) => `${codec} record ${index} ${'x'.repeat(index % 50)}`,
      );
      const produced = await kcat(first, ['-P', '-t', topic, '-z', codec], `${lines.join('\n')}\n`);
      expect(produced.code, produced.stderr).toBe(0);
      const consumed = await kcat(last, ['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\\n']);
      expect(consumed.stdout.trim().split('\n')).toEqual(lines);
    },
  );

  it('-C -o beginning -e on an empty topic ends with no records', async () => {
    await createTopic('empty', 1);
    const consumed = await kcat(last, ['-C', '-t', 'empty', '-o', 'beginning', '-e', '-q']);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toBe('');
  });
});
