import type { S3ConnectionOptions } from '@isthmus/storage';
import { Broker } from '@isthmus/streams';
import { Kafka, logLevel } from 'kafkajs';

/** The topic the demo's events go to. */
export const DEMO_TOPIC = 'demo-events';
const PARTITIONS = 3;
const READ_BACK_TIMEOUT_MS = 60_000;

/** What the streams step did. */
export interface StreamsDemoReport {
  /** The store URL holding the streams' whole state. */
  store: string;
  /** Node ids of the broker that took the writes and of the fresh one that served the reads. */
  brokers: [number, number];
  produced: number;
  /** Records of this run read back through the second broker. */
  readBack: number;
  /** Records in the topic, every run's. */
  inTopic: number;
}

/** One event per step of the demo's run, as a Kafka record's key and value. */
export interface DemoEvent {
  key: string;
  value: Record<string, unknown>;
}

/**
 * A diskless Kafka-compatible broker, end to end: a broker on `storeUrl` takes the run's events
 * from an idempotent kafkajs producer and stops; a fresh broker on the same store (brokers hold no
 * state) serves them to a kafkajs consumer group, which reads every partition to its end.
 */
export async function streamsDemo(
  storeUrl: string,
  s3: S3ConnectionOptions | undefined,
  run: number,
  events: DemoEvent[],
): Promise<StreamsDemoReport> {
  const first = await Broker.start({ store: storeUrl, s3, maintenance: false, report: () => {} });
  try {
    const kafka = client(first);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: DEMO_TOPIC, numPartitions: PARTITIONS }] });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic: DEMO_TOPIC,
      acks: -1,
      messages: events.map(({ key, value }) => ({ key, value: JSON.stringify({ run, ...value }) })),
    });
    await producer.disconnect();
  } finally {
    await first.stop();
  }

  const second = await Broker.start({ store: storeUrl, s3, maintenance: false, report: () => {} });
  try {
    const { readBack, inTopic } = await readToEnd(client(second), run);
    return {
      store: storeUrl,
      brokers: [first.nodeId, second.nodeId],
      produced: events.length,
      readBack,
      inTopic,
    };
  } finally {
    await second.stop();
  }
}

function client(broker: Broker): Kafka {
  const { host, port } = broker.address;
  return new Kafka({ clientId: 'isthmus-demo', brokers: [`${host}:${port}`], logLevel: logLevel.NOTHING });
}

/** Reads the topic from the beginning to the end offsets of now; counts the records of `run`. */
async function readToEnd(kafka: Kafka, run: number): Promise<{ readBack: number; inTopic: number }> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(DEMO_TOPIC)).map(({ partition, high }) => [partition, BigInt(high)]),
  );
  await admin.disconnect();
  const remaining = new Set([...ends].filter(([, end]) => end > 0n).map(([partition]) => partition));
  let inTopic = 0;
  let readBack = 0;
  const consumer = kafka.consumer({ groupId: `isthmus-demo-run-${run}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: DEMO_TOPIC, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the demo's events were not all read back within ${READ_BACK_TIMEOUT_MS} ms`)),
        READ_BACK_TIMEOUT_MS,
      );
      if (remaining.size === 0) resolve();
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            inTopic++;
            if ((JSON.parse(message.value?.toString() ?? '{}') as { run?: number }).run === run) readBack++;
            if (BigInt(message.offset) + 1n >= (ends.get(partition) ?? 0n)) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return { readBack, inTopic };
}
