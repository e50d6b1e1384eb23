import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
      expect(await brokerIds(client)).toEqual([one.nodeId]);
    } finally {
      client.destroy();
      await first.stop();
    }
  });

  it('a long poll on one broker wakes up for a produce through another', async () => {
    const started = await startBrokers(place, 2);
    const [writer, reader] = await Promise.all(
      started.brokers.map((broker) => WireClient.connect(broker.address.port)),
    );
    try {
      await writer!.request(ApiKey.CreateTopics, 7, {
        topics: [{ name: 'across', numPartitions: 1, replicationFactor: -1, assignments: [], configs: [] }],
        timeoutMs: 5000,
        validateOnly: false,
      });
      const polling = reader!.request(ApiKey.Fetch, 12, {
        replicaId: -1,
        maxWaitMs: 20_000,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          { topic: 'across', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] },
        ],
        forgottenTopicsData: [],
        rackId: '',
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const records = await encodeBatch({ records: [{ value: new TextEncoder().encode('hello') }] });
      const producedAt = Date.now();
      await writer!.request(ApiKey.Produce, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 5000,
        topicData: [{ name: 'across', partitionData: [{ index: 0, records }] }],
      });
      const fetched = await polling;
      expect(Date.now() - producedAt).toBeLessThan(3000);
      type Partition = { errorCode: number; highWatermark: bigint; records: Uint8Array };
      const partition = (fetched.responses as { partitions: Partition[] }[])[0]!.partitions[0]!;
      expect(partition).toMatchObject({ errorCode: 0, highWatermark: 1n });
      expect(partition.records.length).toBeGreaterThan(0);
    } finally {
      writer?.destroy();
      reader?.destroy();
      await started.stop();
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

  it('a prefix keeps the broker state under it, with or without its trailing slash', async () => {
    for (const prefix of ['under/here', 'under/there/']) {
      const started = await startBrokers(place, 1, { prefix });
      const client = await WireClient.connect(started.brokers[0]!.address.port);
      await client.request(ApiKey.CreateTopics, 7, {
        topics: [{ name: 'prefixed', numPartitions: 1, replicationFactor: -1, assignments: [], configs: [] }],
        timeoutMs: 5000,
        validateOnly: false,
      });
      client.destroy();
      await started.stop();
    }
    const root = fileURLToPath(place.url);
    expect(await readdir(join(root, 'under'))).toEqual(expect.arrayContaining(['here', 'there']));
    expect(await readdir(join(root, 'under', 'here'))).toContain('topics');
  });

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
