import { createServer } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Broker } from '../../src/broker/broker.js';
import { ApiKey } from '../../src/protocol/api-keys.js';
import { consumeAll, expectDenseOffsets, expectNoDuplicateValues } from '../support/consumed-records.js';
import { bootstrapOf, createTopic, kafkaClient } from '../support/kafkajs-clients.js';
import { type StartedBrokers, startBrokers } from '../support/started-brokers.js';
import { type StorePlace, storePlace } from '../support/store-places.js';
import { batchOf } from '../support/test-batches.js';
import { WireClient } from '../support/wire-client.js';

describe.each(['file', 's3'] as const)('clients that vanish mid-request on %s', (kind) => {
  let place: StorePlace | undefined;
  let started: StartedBrokers | undefined;

  afterEach(async () => {
    await started?.stop();
    await place?.dispose();
  });

  it('do not disturb a producer that keeps producing to the same partition', async () => {
    place = await storePlace(kind, inject('s3'), 'vanish');
    started = await startBrokers(place, 1, { flushWindowMs: 40 });
    const { port } = started.brokers[0]!.address;
    const bootstrap = bootstrapOf(started.brokers[0]!.address);
    await createTopic(bootstrap, 'vanish', 1);

    const producer = kafkaClient(bootstrap, { retries: 0 }).producer();
    await producer.connect();
    const sent: string[] = [];
    const producing = (async () => {
      for (let send = 0; send < 15; send++) {
        const values = [`kept-${send}-a`, `kept-${send}-b`];
        sent.push(...values);
        const [result] = await producer.send({
          topic: 'vanish',
          acks: -1,
          messages: values.map((value) => ({ partition: 0, value })),
        });
        expect(result!.errorCode).toBe(0);
      }
    })();
    // Meanwhile: clients that send a whole Produce request and leave before its answer (their
    // batch is buffered when they go), and clients that leave halfway through a Produce frame.
    const ghosts: string[] = [];
    for (let ghost = 0; ghost < 10; ghost++) {
      const client = await WireClient.connect(port);
      const value = `ghost-${ghost}`;
      const { bytes } = client.encode(ApiKey.Produce, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 5_000,
        topicData: [{ name: 'vanish', partitionData: [{ index: 0, records: await batchOf([value]) }] }],
      });
      if (ghost % 2 === 0) {
        client.write(bytes);
        ghosts.push(value);
      } else {
        client.write(bytes.subarray(0, bytes.length - 7));
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      client.destroy();
    }
    await producing;
    await producer.disconnect();

    const records = (await consumeAll(bootstrap, 'vanish')).get(0) ?? [];
    expectDenseOffsets(records);
    expectNoDuplicateValues(records);
    const values = records.map((record) => record.value);
    expect(values.filter((value) => value.startsWith('kept-'))).toEqual(sent);
    // A half-sent request never lands; a whole one lands at most once.
    expect(
      values.filter((value) => value.startsWith('ghost-')).every((value) => ghosts.includes(value)),
    ).toBe(true);
    // The broker still serves new clients.
    const late = await WireClient.connect(port);
    const metadata = await late.request(ApiKey.Metadata, 1, { topics: null });
    expect(metadata.brokers).toHaveLength(1);
    late.destroy();
  });
});

describe('a store that is unreachable at start', () => {
  it('makes Broker.start fail soon with an error that names the failure, and leaves nothing listening', async () => {
    const [storePort, brokerPort] = await closedPorts(2);
    const began = Date.now();
    const starting = Broker.start({
      store: 's3://unreachable/streams',
      s3: { ...inject('s3'), endpoint: `http://127.0.0.1:${storePort}` },
      port: brokerPort,
      report: () => {},
    });
    await expect(starting).rejects.toMatchObject({
      code: 'ERR_STORAGE_UNAVAILABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(Date.now() - began).toBeLessThan(15_000);
    await expect(WireClient.connect(brokerPort!)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('makes Broker.start fail with an error saying the bucket does not exist', async () => {
    await expect(
      Broker.start({ store: 's3://isthmus-no-such-bucket/streams', s3: inject('s3'), report: () => {} }),
    ).rejects.toThrow(/the bucket does not exist/);
  });
});

/** `count` distinct ports nothing listens on (ones the OS just handed out and took back). */
async function closedPorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
