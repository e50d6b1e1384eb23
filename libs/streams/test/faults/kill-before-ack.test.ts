import { describe, expect, it } from 'vitest';
import { spawnBroker, spawnStallingBroker } from '../support/broker-process.js';
import { BROKER_PROCESS_OPTIONS, brokerProcessFixture } from '../support/broker-process-fixture.js';
import { consumeAll, expectDenseOffsets } from '../support/consumed-records.js';
import { bootstrapOf, createTopic, kafkaClient } from '../support/kafkajs-clients.js';

describe.each(['file', 's3'] as const)(
  'kill -9 of a broker process frozen before acknowledging, kafkajs, on %s',
  (kind) => {
    const fixture = brokerProcessFixture();

    it.each([
      ['its segment was written', 'segments/', 3],
      ['a partition head was committed', '/head.json', 5],
    ])(
      "before it acknowledged (%s): the idempotent producer's retries through a new broker on the same port create no duplicates",
      async (_, keyIncludes, nth) => {
        const place = await fixture.place(kind, 'kill-unacked');
        const first = fixture.started(
          await spawnStallingBroker(place, BROKER_PROCESS_OPTIONS, { keyIncludes, nth }),
        );
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
          const second = fixture.started(
            await spawnBroker(place, { ...BROKER_PROCESS_OPTIONS, port: first.port }),
          );
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
  },
);
