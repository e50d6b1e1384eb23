import { Kafka, logLevel, type RetryOptions } from 'kafkajs';
import { expect } from 'vitest';

/** A quiet kafkajs 2.2.4 client bootstrapped to `bootstrap`, with the given client retries. */
export function kafkaClient(bootstrap: string, retry: RetryOptions = { retries: 3 }): Kafka {
  return new Kafka({ clientId: 'faults', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry });
}

/** The `host:port` a client bootstraps to for a broker listening at `address`. */
export function bootstrapOf(address: { host: string; port: number }): string {
  return `${address.host}:${address.port}`;
}

/** Creates `topic` with `partitions` partitions through kafkajs' admin client. */
export async function createTopic(bootstrap: string, topic: string, partitions: number): Promise<void> {
  const admin = kafkaClient(bootstrap).admin();
  await admin.connect();
  try {
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] })).toBe(true);
  } finally {
    await admin.disconnect();
  }
}
