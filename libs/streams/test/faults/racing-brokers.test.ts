import type { Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { spawnBroker } from '../support/broker-process.js';
import { BROKER_PROCESS_OPTIONS, brokerProcessFixture } from '../support/broker-process-fixture.js';
import { consumeAll, expectDenseOffsets } from '../support/consumed-records.js';
import { bootstrapOf, createTopic, kafkaClient } from '../support/kafkajs-clients.js';

const SENDS = 12;
const RECORDS_PER_SEND = 2;

describe.each(['file', 's3'] as const)(
  'two broker processes racing commits on one partition on %s',
  (kind) => {
    const fixture = brokerProcessFixture();

    it('keep offsets dense and unique, and each producer in its own order', async () => {
      const place = await fixture.place(kind, 'race');
      const [first, second] = (await Promise.all(
        [0, 1].map(async () =>
          bootstrapOf(fixture.started(await spawnBroker(place, BROKER_PROCESS_OPTIONS))),
        ),
      )) as [string, string];
      await createTopic(first, 'race', 1);
      // An idempotent producer through one broker, a plain one without client retries (a failed
      // send would fail the test, never be resent) through the other.
      const producers: Array<[name: string, producer: Producer]> = [
        ['a', kafkaClient(first).producer({ idempotent: true, maxInFlightRequests: 1 })],
        ['b', kafkaClient(second, { retries: 0 }).producer()],
      ];
      const acknowledged = new Map<number, string[]>();
      try {
        await Promise.all(
          producers.map(async ([name, producer]) => {
            await producer.connect();
            for (let send = 0; send < SENDS; send++) {
              const values = Array.from(
                { length: RECORDS_PER_SEND },
                (_, index) => `${name}-${send}-${index}`,
              );
              const [result] = await producer.send({
                topic: 'race',
                acks: -1,
                messages: values.map((value) => ({ partition: 0, value })),
              });
              acknowledged.set(Number(result!.baseOffset), values);
            }
          }),
        );
      } finally {
        await Promise.all(producers.map(([, producer]) => producer.disconnect()));
      }

      const records = (await consumeAll(second, 'race')).get(0) ?? [];
      expectDenseOffsets(records);
      expect(records).toHaveLength(2 * SENDS * RECORDS_PER_SEND);
      for (const [baseOffset, values] of acknowledged) {
        expect(records.slice(baseOffset, baseOffset + values.length).map((record) => record.value)).toEqual(
          values,
        );
      }
      const offsetsOf = (name: string) =>
        records.filter((record) => record.value.startsWith(`${name}-`)).map((record) => record.offset);
      for (const name of ['a', 'b']) {
        const own = records
          .filter((record) => record.value.startsWith(`${name}-`))
          .map((record) => record.value);
        expect(own).toEqual(
          Array.from({ length: SENDS }, (_, send) =>
            Array.from({ length: RECORDS_PER_SEND }, (_, index) => `${name}-${send}-${index}`),
          ).flat(),
        );
      }
      // The two producers really raced: their records interleave in the partition.
      expect(Math.min(...offsetsOf('a'))).toBeLessThan(Math.max(...offsetsOf('b')));
      expect(Math.min(...offsetsOf('b'))).toBeLessThan(Math.max(...offsetsOf('a')));
      // Both brokers report the same end of the partition.
      for (const bootstrap of [first, second]) {
        const admin = kafkaClient(bootstrap).admin();
        await admin.connect();
        expect(await admin.fetchTopicOffsets('race')).toEqual([
          { partition: 0, offset: String(records.length), high: String(records.length), low: '0' },
        ]);
        await admin.disconnect();
      }
    });
  },
);
