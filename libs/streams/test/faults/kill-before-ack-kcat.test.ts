import { describe, expect, it } from 'vitest';
import { spawnBroker, spawnStallingBroker } from '../support/broker-process.js';
import { BROKER_PROCESS_OPTIONS, brokerProcessFixture } from '../support/broker-process-fixture.js';
import { consumeAll, expectDenseOffsets } from '../support/consumed-records.js';
import { bootstrapOf, createTopic } from '../support/kafkajs-clients.js';
import { kcat } from '../support/kcat.js';

describe.each(['file', 's3'] as const)(
  'kill -9 of a broker process frozen before acknowledging, kcat, on %s',
  (kind) => {
    const fixture = brokerProcessFixture();

    it("before it acknowledged: kcat's idempotent producer (librdkafka) retries through a new broker on the same port without duplicates", async () => {
      const place = await fixture.place(kind, 'kill-kcat');
      const first = fixture.started(
        await spawnStallingBroker(place, BROKER_PROCESS_OPTIONS, { keyIncludes: '/head.json', nth: 4 }),
      );
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
      const second = fixture.started(
        await spawnBroker(place, { ...BROKER_PROCESS_OPTIONS, port: first.port }),
      );
      const produced = await producing;
      expect(produced.code, produced.stderr).toBe(0);
      expect(produced.stderr).not.toMatch(/Delivery failed/);
      const records = (await consumeAll(bootstrapOf(second), 'kcat-idempotent')).get(0) ?? [];
      expectDenseOffsets(records);
      expect(records.map((record) => record.value)).toEqual(values);
    });
  },
);
