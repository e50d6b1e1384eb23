import { afterEach, describe, expect, inject, it } from 'vitest';
import { type BrokerProcess, spawnBroker } from '../support/broker-process.js';
import { consumeAll, expectDenseOffsets, expectNoDuplicateValues } from '../support/consumed-records.js';
import { bootstrapOf, createTopic, kafkaClient } from '../support/kafkajs-clients.js';
import { kcat } from '../support/kcat.js';
import { spawnStallingBroker } from '../support/stalling-broker-process.js';
import { type StorePlace, storePlace } from '../support/store-places.js';

const FLUSH_WINDOW_MS = 30;
const LEASE_MS = 3_000;

describe.each(['file', 's3'] as const)('kill -9 of a broker process on %s', (kind) => {
  let place: StorePlace | undefined;
  const processes: BrokerProcess[] = [];

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((broker) => broker.kill()));
    await place?.dispose();
  });

  const OPTIONS = { flushWindowMs: FLUSH_WINDOW_MS, leaseMs: LEASE_MS };
  const started = <T extends BrokerProcess>(broker: T): T => {
    processes.push(broker);
    return broker;
  };

  it('after it acknowledged: a new broker on the store serves every acknowledged record once, where it was acknowledged', async () => {
    place = await storePlace(kind, inject('s3'), 'kill-acked');
    const first = started(await spawnBroker(place, OPTIONS));
    await createTopic(bootstrapOf(first), 'acked', 3);
    // One sequential producer per partition (no client retries: a failed send is not resent), so
    // each partition's send order is known; the broker dies while every loop has a send in flight.
    const acknowledged: Array<{ partition: number; baseOffset: number; values: string[] }> = [];
    const failures: unknown[] = [];
    let killed = false;
    const loops = [0, 1, 2].map(async (partition) => {
      const producer = kafkaClient(bootstrapOf(first), { retries: 0 }).producer();
      await producer.connect();
      for (let send = 0; !killed; send++) {
        const values = Array.from({ length: 4 }, (_, index) => `p${partition}-s${send}-r${index}`);
        try {
          const [result] = await producer.send({
            topic: 'acked',
            acks: -1,
            messages: values.map((value) => ({ partition, value })),
          });
          expect(result!.errorCode).toBe(0);
          acknowledged.push({ partition, baseOffset: Number(result!.baseOffset), values });
        } catch (error) {
          failures.push(error);
          break;
        }
      }
      await producer.disconnect().catch(() => undefined);
    });
    while (acknowledged.length < 24) await new Promise((resolve) => setTimeout(resolve, 5));
    killed = true;
    await first.kill();
    await Promise.all(loops);
    expect(failures).toHaveLength(3);

    const second = started(await spawnBroker(place, OPTIONS));
    const consumed = await consumeAll(bootstrapOf(second), 'acked');
    for (const partition of [0, 1, 2]) {
      const records = consumed.get(partition) ?? [];
      expectDenseOffsets(records);
      expectNoDuplicateValues(records);
      // Order: the sends of one partition appear in the order they were made.
      const sendNumbers = records.map((record) => Number(/-s(\d+)-/.exec(record.value)![1]));
      expect(sendNumbers).toEqual([...sendNumbers].sort((a, b) => a - b));
      for (const ack of acknowledged.filter((entry) => entry.partition === partition)) {
        expect(records.slice(ack.baseOffset, ack.baseOffset + ack.values.length).map((r) => r.value)).toEqual(
          ack.values,
        );
      }
    }
  });

  it.each([
    ['its segment was written', 'segments/', 3],
    ['a partition head was committed', '/head.json', 5],
  ])(
    "before it acknowledged (%s): the idempotent producer's retries through a new broker on the same port create no duplicates",
    async (_, keyIncludes, nth) => {
      place = await storePlace(kind, inject('s3'), 'kill-unacked');
      const first = started(await spawnStallingBroker(place, OPTIONS, { keyIncludes, nth }));
      await createTopic(bootstrapOf(first), 'idempotent', 2);
      const producer = kafkaClient(bootstrapOf(first), {
        retries: 20,
        initialRetryTime: 100,
        maxRetryTime: 1_000,
      }).producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const sends = 10;
      const valuesOf = (send: number) => ({
        0: [`p0-s${send}-a`, `p0-s${send}-b`],
        1: [`p1-s${send}-a`],
      });
      let killedAtMs = Number.POSITIVE_INFINITY;
      const acknowledgedAtMs: number[] = [];
      let inFlight = -1;
      const producing = (async () => {
        for (let send = 0; send < sends; send++) {
          inFlight = send;
          const values = valuesOf(send);
          await producer.send({
            topic: 'idempotent',
            acks: -1,
            messages: [0, 1].flatMap((partition) =>
              values[partition as 0 | 1].map((value) => ({ partition, value })),
            ),
          });
          acknowledgedAtMs.push(Date.now());
        }
      })();
      try {
        const stalledOn = await Promise.race([first.stalled, producing.then(() => 'never stalled')]);
        expect(stalledOn).toContain(keyIncludes);
        const stalledSend = inFlight;
        await first.kill();
        killedAtMs = Date.now();
        const second = started(await spawnBroker(place, { ...OPTIONS, port: first.port }));
        await producing;
        // The send in flight when the broker froze was answered after the kill: by the new broker (a retry).
        expect(acknowledgedAtMs[stalledSend]).toBeGreaterThan(killedAtMs);
        const consumed = await consumeAll(bootstrapOf(second), 'idempotent');
        for (const partition of [0, 1] as const) {
          const records = consumed.get(partition) ?? [];
          expectDenseOffsets(records);
          expect(records.map((record) => record.value)).toEqual(
            Array.from({ length: sends }, (_, send) => valuesOf(send)[partition]).flat(),
          );
        }
      } finally {
        await producer.disconnect();
      }
    },
  );

  it("before it acknowledged: kcat's idempotent producer (librdkafka) retries through a new broker on the same port without duplicates", async () => {
    place = await storePlace(kind, inject('s3'), 'kill-kcat');
    const first = started(await spawnStallingBroker(place, OPTIONS, { keyIncludes: '/head.json', nth: 4 }));
    await createTopic(bootstrapOf(first), 'kcat-idempotent', 1);
    const values = Array.from({ length: 300 }, (_, index) => `k${index}`);
    const producing = kcat(
      bootstrapOf(first),
      [
        '-P',
        '-E', // kcat otherwise exits when its only broker is down for a moment
        '-t',
        'kcat-idempotent',
        '-p',
        '0',
        '-X',
        'enable.idempotence=true',
        '-X',
        'batch.num.messages=10',
        '-X',
        'linger.ms=1',
        '-X',
        'reconnect.backoff.max.ms=200',
      ],
      `${values.join('\n')}\n`,
    );
    const stalledOn = await Promise.race([first.stalled, producing.then(() => 'never stalled')]);
    expect(stalledOn).toContain('/head.json');
    await first.kill();
    const second = started(await spawnBroker(place, { ...OPTIONS, port: first.port }));
    const produced = await producing;
    expect(produced.code, produced.stderr).toBe(0);
    expect(produced.stderr).not.toMatch(/Delivery failed/);
    const records = (await consumeAll(bootstrapOf(second), 'kcat-idempotent')).get(0) ?? [];
    expectDenseOffsets(records);
    expect(records.map((record) => record.value)).toEqual(values);
  });
});
