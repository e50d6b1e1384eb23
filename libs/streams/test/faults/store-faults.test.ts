import { type Fault, FaultInjectingProxy } from '@isthmus/services';
import { type ObjectStore, openStore, type RetryPolicy } from '@isthmus/storage';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { Broker } from '../../src/broker/broker.js';
import { consumeAll, expectDenseOffsets } from '../support/consumed-records.js';
import { bootstrapOf, createTopic, kafkaClient } from '../support/kafkajs-clients.js';
import { type StorePlace, storePlace } from '../support/store-places.js';

const FAST_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 40 };
const PARTITIONS = 3;
const SENDS = 20;

/** The faults injected in turn: throttling, lost answers (the write lands) and broken reads. */
const FAULTS: Array<[method: string, fault: Fault]> = [
  ['PUT', { kind: 'status', status: 503, code: 'SlowDown' }],
  ['GET', { kind: 'status', status: 503, code: 'SlowDown' }],
  ['PUT', { kind: 'swallow', status: 500 }],
  ['GET', { kind: 'cut', afterBytes: 10 }],
  ['PUT', { kind: 'status', status: 500, code: 'InternalError' }],
];

describe('brokers whose store is the real S3 server behind a fault-injecting proxy', () => {
  let proxy: FaultInjectingProxy;
  let place: StorePlace | undefined;
  const brokers: Broker[] = [];
  const stores: ObjectStore[] = [];

  beforeAll(async () => {
    proxy = await FaultInjectingProxy.start(inject('s3').endpoint);
  });
  afterEach(async () => {
    proxy.clearFaults();
    await Promise.all(brokers.splice(0).map((broker) => broker.stop()));
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await place?.dispose();
  });
  afterAll(async () => {
    await proxy?.stop();
  });

  /** A broker on the place's bucket, reaching S3 through the proxy (or directly). */
  const startBroker = async (through: 'proxy' | 'direct') => {
    const store = openStore(place!.url, {
      s3: {
        ...inject('s3'),
        ...(through === 'proxy' ? { endpoint: proxy.endpoint, retry: FAST_RETRY } : {}),
      },
    });
    stores.push(store);
    const broker = await Broker.start({ store, flushWindowMs: 20, report: () => {} });
    brokers.push(broker);
    return bootstrapOf(broker.address);
  };

  /** Faults the proxy has applied so far. */
  const applied = () => proxy.seen.filter((request) => request.fault !== undefined);

  it('an idempotent producer and a consumer group complete through throttling, lost answers and resets: no loss, no duplicate offsets', async () => {
    place = await storePlace('s3', inject('s3'), 'store-faults');
    const producing = await startBroker('proxy');
    const consuming = await startBroker('proxy');
    await createTopic(producing, 'faults', PARTITIONS);
    proxy.seen.length = 0;

    // One fault at a time, the next once the last was applied, so that no single request meets
    // more faults in a row than the store's retries absorb.
    let injected = 0;
    let injecting = true;
    const injector = (async () => {
      while (injecting) {
        if (applied().length === injected) {
          const [method, fault] = FAULTS[injected % FAULTS.length]!;
          proxy.inject(method, fault);
          injected++;
        }
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();

    const consumed = new Map<string, string>();
    const consumer = kafkaClient(consuming).consumer({
      groupId: 'faults',
      sessionTimeout: 6_000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: 'faults', fromBeginning: true });
    const conflicting: string[] = [];
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const key = `${partition}:${message.offset}`;
        const value = message.value!.toString();
        // Redelivery after a rebalance is allowed; another value at a seen offset is not.
        if (consumed.has(key) && consumed.get(key) !== value) conflicting.push(key);
        consumed.set(key, value);
      },
    });

    const producer = kafkaClient(producing, {
      retries: 10,
      initialRetryTime: 50,
      maxRetryTime: 500,
    }).producer({
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const sent: string[][] = Array.from({ length: PARTITIONS }, () => []);
    try {
      for (let send = 0; send < SENDS; send++) {
        const messages = Array.from({ length: PARTITIONS * 2 }, (_, index) => ({
          partition: index % PARTITIONS,
          value: `s${send}-r${index}`,
        }));
        for (const message of messages) sent[message.partition]!.push(message.value);
        await producer.send({ topic: 'faults', acks: -1, messages });
      }
      const total = PARTITIONS * 2 * SENDS;
      const deadline = Date.now() + 20_000;
      while (consumed.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      injecting = false;
      await injector;
      await producer.disconnect();
      await consumer.disconnect();
    }

    expect(conflicting).toEqual([]);
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const byOffset = [...consumed]
        .filter(([key]) => key.startsWith(`${partition}:`))
        .map(([key, value]) => ({ offset: Number(key.split(':')[1]), value }))
        .sort((a, b) => a.offset - b.offset);
      expectDenseOffsets(byOffset);
      expect(byOffset.map((record) => record.value)).toEqual(sent[partition]);
    }
    const kinds = new Set(applied().map((request) => `${request.method} ${request.fault}`));
    expect(applied().length).toBeGreaterThanOrEqual(10);
    expect([...kinds].sort()).toEqual(['GET cut', 'GET status', 'PUT status', 'PUT swallow']);

    // What a broker straight on the bucket serves agrees.
    const direct = await startBroker('direct');
    const stored = await consumeAll(direct, 'faults');
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const records = stored.get(partition) ?? [];
      expectDenseOffsets(records);
      expect(records.map((record) => record.value)).toEqual(sent[partition]);
    }
  });

  it("a store outage longer than the store's retries fails the flush with an error the producer retries", async () => {
    place = await storePlace('s3', inject('s3'), 'store-outage');
    const bootstrap = await startBroker('proxy');
    await createTopic(bootstrap, 'outage', 1);
    const producer = kafkaClient(bootstrap, {
      retries: 5,
      initialRetryTime: 100,
      maxRetryTime: 500,
    }).producer({
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      await producer.send({ topic: 'outage', acks: -1, messages: [{ value: 'before' }] });
      proxy.seen.length = 0;
      // Every attempt of the next segment PUT is throttled: that flush fails.
      proxy.inject('PUT', { kind: 'status', status: 503, code: 'SlowDown' }, FAST_RETRY.maxAttempts);
      await producer.send({ topic: 'outage', acks: -1, messages: [{ value: 'during' }] });
      expect(applied()).toHaveLength(FAST_RETRY.maxAttempts);
      await producer.send({ topic: 'outage', acks: -1, messages: [{ value: 'after' }] });
    } finally {
      await producer.disconnect();
    }
    const records = (await consumeAll(bootstrap, 'outage')).get(0) ?? [];
    expectDenseOffsets(records);
    expect(records.map((record) => record.value)).toEqual(['before', 'during', 'after']);
  });
});
