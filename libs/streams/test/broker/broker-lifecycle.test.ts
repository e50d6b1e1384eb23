import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKey } from '../../src/protocol/api-keys.js';
import { encodeBatch } from '../../src/protocol/record-batch.js';
import { spawnBroker } from '../support/broker-process.js';
import { startBrokers } from '../support/started-brokers.js';
import { type StorePlace, storePlace } from '../support/store-places.js';
import { WireClient } from '../support/wire-client.js';

describe('broker lifecycle', () => {
  let place: StorePlace;

  beforeAll(async () => {
    place = await storePlace('file', inject('s3'), 'lifecycle');
  });
  afterAll(async () => {
    await place?.dispose();
  });

  const brokerIds = async (client: WireClient) =>
    (
      (await client.request(ApiKey.Metadata, 12, { topics: null, includeTopicAuthorizedOperations: false }))
        .brokers as {
        nodeId: number;
      }[]
    )
      .map((broker) => broker.nodeId)
      .sort();

  it('two brokers on one store list each other; a stopped broker leaves Metadata', async () => {
    const first = await startBrokers(place, 1);
    const second = await startBrokers(place, 1);
    const [one, two] = [first.brokers[0]!, second.brokers[0]!];
    expect(one.nodeId).not.toBe(two.nodeId);
    const client = await WireClient.connect(one.address.port);
    try {
      expect(await brokerIds(client)).toEqual([one.nodeId, two.nodeId].sort());
      await second.stop();
      await expect.poll(() => brokerIds(client), { timeout: 10_000 }).toEqual([one.nodeId]);
    } finally {
      client.destroy();
      await first.stop();
    }
  });

  it.each(['file', 's3'] as const)(
    'a broker killed with SIGKILL drops out of Metadata when its lease expires, its acknowledged records stay (%s)',
    async (kind) => {
      const where = kind === 'file' ? place : await storePlace('s3', inject('s3'), 'lease');
      const survivor = await startBrokers(where, 1, { leaseMs: 1500 });
      const doomed = await spawnBroker(where, { leaseMs: 1500, flushWindowMs: 20 });
      const client = await WireClient.connect(survivor.brokers[0]!.address.port);
      const victim = await WireClient.connect(doomed.port);
      try {
        expect(await brokerIds(client)).toEqual([survivor.brokers[0]!.nodeId, doomed.nodeId].sort());
        await victim.request(ApiKey.CreateTopics, 7, {
          topics: [
            { name: 'outlived', numPartitions: 1, replicationFactor: -1, assignments: [], configs: [] },
          ],
          timeoutMs: 5000,
          validateOnly: false,
        });
        const records = await encodeBatch({ records: [{ value: new TextEncoder().encode('acknowledged') }] });
        const produced = await victim.request(ApiKey.Produce, 9, {
          transactionalId: null,
          acks: -1,
          timeoutMs: 5000,
          topicData: [{ name: 'outlived', partitionData: [{ index: 0, records }] }],
        });
        type Partition = { errorCode: number };
        expect(
          (produced.responses as { partitionResponses: Partition[] }[])[0]!.partitionResponses[0]!.errorCode,
        ).toBe(0);
        await doomed.kill();
        const killedAt = Date.now();
        await expect
          .poll(() => brokerIds(client), { timeout: 10_000, interval: 200 })
          .toEqual([survivor.brokers[0]!.nodeId]);
        expect(Date.now() - killedAt).toBeLessThan(6_000);
        const offsets = await client.request(ApiKey.ListOffsets, 6, {
          replicaId: -1,
          isolationLevel: 0,
          topics: [
            { name: 'outlived', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] },
          ],
        });
        expect((offsets.topics as { partitions: { offset: bigint }[] }[])[0]!.partitions[0]!.offset).toBe(1n);
      } finally {
        client.destroy();
        victim.destroy();
        await survivor.stop();
        if (where !== place) await where.dispose();
      }
    },
  );

  it('stop flushes what is buffered and answers it before closing', async () => {
    const started = await startBrokers(place, 1, { flushWindowMs: 60_000 });
    const broker = started.brokers[0]!;
    const client = await WireClient.connect(broker.address.port);
    await client.request(ApiKey.CreateTopics, 7, {
      topics: [
        { name: 'flushed-on-stop', numPartitions: 1, replicationFactor: -1, assignments: [], configs: [] },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    const records = await encodeBatch({ records: [{ value: new TextEncoder().encode('kept') }] });
    const answer = client.request(ApiKey.Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [{ name: 'flushed-on-stop', partitionData: [{ index: 0, records }] }],
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopping = Date.now();
    await started.stop();
    expect(Date.now() - stopping).toBeLessThan(10_000);
    const body = await answer;
    type Partition = { errorCode: number; baseOffset: bigint };
    expect((body.responses as { partitionResponses: Partition[] }[])[0]!.partitionResponses[0]).toMatchObject(
      {
        errorCode: 0,
        baseOffset: 0n,
      },
    );
    const again = await startBrokers(place, 1);
    const reader = await WireClient.connect(again.brokers[0]!.address.port);
    const offsets = await reader.request(ApiKey.ListOffsets, 6, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: 'flushed-on-stop',
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }],
        },
      ],
    });
    expect((offsets.topics as { partitions: { offset: bigint }[] }[])[0]!.partitions[0]!.offset).toBe(1n);
    reader.destroy();
    await again.stop();
  });
});
