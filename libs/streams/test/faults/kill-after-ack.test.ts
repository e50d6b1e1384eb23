import { describe, expect, it } from 'vitest';
import { spawnBroker } from '../support/broker-process.js';
import { BROKER_PROCESS_OPTIONS, brokerProcessFixture } from '../support/broker-process-fixture.js';
import { consumeAll, expectDenseOffsets, expectNoDuplicateValues } from '../support/consumed-records.js';
import { bootstrapOf, createTopic, kafkaClient } from '../support/kafkajs-clients.js';

describe.each(['file', 's3'] as const)('kill -9 of a broker process on %s', (kind) => {
  const fixture = brokerProcessFixture();

  it('after it acknowledged: a new broker on the store serves every acknowledged record once, where it was acknowledged', async () => {
    const place = await fixture.place(kind, 'kill-acked');
    const first = fixture.started(await spawnBroker(place, BROKER_PROCESS_OPTIONS));
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
    while (acknowledged.length < 12) await new Promise((resolve) => setTimeout(resolve, 5));
    killed = true;
    await first.kill();
    await Promise.all(loops);
    expect(failures).toHaveLength(3);

    const second = fixture.started(await spawnBroker(place, BROKER_PROCESS_OPTIONS));
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
});
