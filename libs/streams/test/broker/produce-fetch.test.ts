import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKey } from '../../src/protocol/api-keys.js';
import { KafkaErrorCode } from '../../src/protocol/kafka-error-codes.js';
import {
  computeBatchCrc,
  decodeRecords,
  encodeBatch,
  parseBatches,
} from '../../src/protocol/record-batch.js';
import { type StartedBrokers, startBrokers } from '../support/started-brokers.js';
import { type StorePlace, storePlace } from '../support/store-places.js';
import { WireClient } from '../support/wire-client.js';

const MAX_MESSAGE_BYTES = 16 * 1024;
const text = new TextEncoder();

/** A v2 batch of `values` (as a plain, or an idempotent, producer writes it). */
function batch(values: string[], producer?: { id: bigint; sequence: number }): Promise<Uint8Array> {
  return encodeBatch({
    records: values.map((value) => ({ value: text.encode(value) })),
    ...(producer ? { producerId: producer.id, producerEpoch: 0, baseSequence: producer.sequence } : {}),
  });
}

type PartitionAnswer = { errorCode: number; baseOffset: bigint; index: number };

describe('produce, fetch and offsets over the wire', () => {
  let place: StorePlace;
  let started: StartedBrokers;
  let client: WireClient;

  const produce = async (
    topic: string,
    records: Uint8Array,
    options: { acks?: number; partition?: number; version?: number } = {},
  ) => {
    const body = await client.request(ApiKey.Produce, options.version ?? 9, {
      transactionalId: null,
      acks: options.acks ?? -1,
      timeoutMs: 5000,
      topicData: [{ name: topic, partitionData: [{ index: options.partition ?? 0, records }] }],
    });
    return (body.responses as { partitionResponses: PartitionAnswer[] }[])[0]!.partitionResponses[0]!;
  };
  const fetch = async (
    topic: string,
    offset: bigint,
    options: { maxWaitMs?: number; on?: WireClient } = {},
  ) => {
    const body = await (options.on ?? client).request(ApiKey.Fetch, 12, {
      replicaId: -1,
      maxWaitMs: options.maxWaitMs ?? 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [],
      rackId: '',
    });
    expect(body.errorCode).toBe(0);
    type Answer = {
      errorCode: number;
      highWatermark: bigint;
      logStartOffset: bigint;
      records: Uint8Array | null;
    };
    return (body.responses as { partitions: Answer[] }[])[0]!.partitions[0]!;
  };
  const values = async (records: Uint8Array | null) => {
    const out: string[] = [];
    for (const view of parseBatches(records ?? new Uint8Array(0))) {
      for (const record of await decodeRecords(view))
        out.push(`${record.offset}:${new TextDecoder().decode(record.value!)}`);
    }
    return out;
  };
  const createTopic = (name: string, numPartitions = 1) =>
    client.request(ApiKey.CreateTopics, 7, {
      topics: [{ name, numPartitions, replicationFactor: -1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });

  beforeAll(async () => {
    place = await storePlace('file', inject('s3'), 'produce-fetch');
    started = await startBrokers(place, 1, { maxMessageBytes: MAX_MESSAGE_BYTES });
    client = await WireClient.connect(started.brokers[0]!.address.port);
  });
  afterAll(async () => {
    client?.destroy();
    await started?.stop();
    await place?.dispose();
  });

  it('appends batches at dense offsets and fetches them back with their offsets (v9 and v3 produce, v12 fetch)', async () => {
    await createTopic('dense');
    expect(await produce('dense', await batch(['a', 'b', 'c']))).toMatchObject({
      errorCode: 0,
      baseOffset: 0n,
    });
    expect(await produce('dense', await batch(['d', 'e']), { version: 3 })).toMatchObject({
      errorCode: 0,
      baseOffset: 3n,
    });
    const read = await fetch('dense', 0n);
    expect(read).toMatchObject({ errorCode: 0, highWatermark: 5n, logStartOffset: 0n });
    expect(await values(read.records)).toEqual(['0:a', '1:b', '2:c', '3:d', '4:e']);
    const tail = await fetch('dense', 3n);
    expect((await values(tail.records)).filter((entry) => Number(entry.split(':')[0]) >= 3)).toEqual([
      '3:d',
      '4:e',
    ]);
  });

  it('a fetch shares its maxBytes between partitions in order; the first batch comes whole', async () => {
    await createTopic('shared', 2);
    const big = await batch(['p'.repeat(3000)]);
    await produce('shared', big, { partition: 0 });
    await produce('shared', await batch(['q'.repeat(3000)]), { partition: 1 });
    const body = await client.request(ApiKey.Fetch, 12, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 100,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 'shared',
          partitions: [0, 1].map((partition) => ({ partition, fetchOffset: 0n, partitionMaxBytes: 1 << 20 })),
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    type Answer = { partitionIndex: number; highWatermark: bigint; records: Uint8Array };
    const [first, second] = (body.responses as { partitions: Answer[] }[])[0]!.partitions;
    expect(first!.records.length).toBe(big.length);
    expect(second).toMatchObject({ partitionIndex: 1, highWatermark: 1n });
    expect(second!.records.length).toBe(0);
  });

  it('answers per partition: CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, UNSUPPORTED_COMPRESSION_TYPE, UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await createTopic('guarded');
    const corrupt = await batch(['x']);
    corrupt[corrupt.length - 1]! ^= 0xff;
    expect((await produce('guarded', corrupt)).errorCode).toBe(KafkaErrorCode.CORRUPT_MESSAGE);
    const large = await batch(['y'.repeat(MAX_MESSAGE_BYTES)]);
    expect((await produce('guarded', large)).errorCode).toBe(KafkaErrorCode.MESSAGE_TOO_LARGE);
    const unknownCodec = await batch(['z']);
    const view = new DataView(unknownCodec.buffer, unknownCodec.byteOffset);
    view.setInt16(21, 6); // attributes: compression codec 6
    view.setUint32(17, computeBatchCrc(unknownCodec));
    expect((await produce('guarded', unknownCodec)).errorCode).toBe(
      KafkaErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    );
    expect((await produce('no-such-topic', await batch(['w']))).errorCode).toBe(
      KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect((await produce('guarded', await batch(['w']), { partition: 7 })).errorCode).toBe(
      KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect((await produce('guarded', await batch(['w']), { acks: 2 })).errorCode).toBe(
      KafkaErrorCode.INVALID_REQUIRED_ACKS,
    );
    expect((await fetch('guarded', 0n)).highWatermark).toBe(0n);
  });

  it('acks=0 gets no response, and the records still land', async () => {
    await createTopic('fire-and-forget');
    const { bytes } = client.encode(ApiKey.Produce, 9, {
      transactionalId: null,
      acks: 0,
      timeoutMs: 5000,
      topicData: [
        { name: 'fire-and-forget', partitionData: [{ index: 0, records: await batch(['quiet']) }] },
      ],
    });
    client.write(bytes);
    // the next response on the connection is the next request's
    await expect(
      client.request(ApiKey.Metadata, 12, { topics: null, includeTopicAuthorizedOperations: false }),
    ).resolves.toBeDefined();
    await expect
      .poll(async () => (await fetch('fire-and-forget', 0n)).highWatermark, { timeout: 5000 })
      .toBe(1n);
  });

  it('long-polls: a fetch at the end waits for a produce from another client, or for maxWaitMs', async () => {
    await createTopic('polled');
    const poller = await WireClient.connect(started.brokers[0]!.address.port);
    const waited = Date.now();
    const empty = await fetch('polled', 0n, { maxWaitMs: 300, on: poller });
    expect(Date.now() - waited).toBeGreaterThanOrEqual(280);
    expect(empty.records?.length ?? 0).toBe(0);
    const polling = fetch('polled', 0n, { maxWaitMs: 20_000, on: poller });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const producedAt = Date.now();
    await produce('polled', await batch(['wake up']));
    const woken = await polling;
    expect(Date.now() - producedAt).toBeLessThan(5000);
    expect(await values(woken.records)).toEqual(['0:wake up']);
    poller.destroy();
  });

  it('a fetch past the high watermark is OFFSET_OUT_OF_RANGE; ListOffsets answers earliest, latest and by time', async () => {
    await createTopic('ranged');
    await produce('ranged', await encodeBatch({ records: [{ value: text.encode('t1'), timestamp: 1000n }] }));
    await produce('ranged', await encodeBatch({ records: [{ value: text.encode('t5'), timestamp: 5000n }] }));
    expect((await fetch('ranged', 9n)).errorCode).toBe(KafkaErrorCode.OFFSET_OUT_OF_RANGE);
    const body = await client.request(ApiKey.ListOffsets, 6, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: 'ranged',
          partitions: [-2n, -1n, 3000n, 9000n].map((timestamp) => ({
            partitionIndex: 0,
            currentLeaderEpoch: -1,
            timestamp,
          })),
        },
      ],
    });
    const answers = (
      body.topics as { partitions: { errorCode: number; offset: bigint; timestamp: bigint }[] }[]
    )[0]!.partitions;
    expect(answers.map((answer) => [answer.errorCode, answer.offset])).toEqual([
      [0, 0n],
      [0, 2n],
      [0, 1n],
      [0, -1n],
    ]);
    expect(answers[2]!.timestamp).toBe(5000n);
  });

  it('an idempotent producer: a retried batch gets its first offset, a sequence gap OUT_OF_ORDER_SEQUENCE_NUMBER', async () => {
    await createTopic('idempotent');
    const init = await client.request(ApiKey.InitProducerId, 4, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
      producerId: -1n,
      producerEpoch: -1,
    });
    expect(init.errorCode).toBe(0);
    const id = init.producerId as bigint;
    expect(id).toBeGreaterThanOrEqual(0n);
    const first = await batch(['p0', 'p1'], { id, sequence: 0 });
    expect(await produce('idempotent', first)).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(await produce('idempotent', first)).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect((await produce('idempotent', await batch(['p9'], { id, sequence: 9 }))).errorCode).toBe(
      KafkaErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    expect(await produce('idempotent', await batch(['p2'], { id, sequence: 2 }))).toMatchObject({
      errorCode: 0,
      baseOffset: 2n,
    });
    expect((await fetch('idempotent', 0n)).highWatermark).toBe(3n);
  });

  it('Metadata answers UNKNOWN_TOPIC_OR_PARTITION for unknown topics unless the broker auto-creates them', async () => {
    const body = await client.request(ApiKey.Metadata, 12, {
      topics: [{ name: 'never-created', topicId: '00000000-0000-0000-0000-000000000000' }],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    });
    expect((body.topics as { errorCode: number }[])[0]!.errorCode).toBe(
      KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    const creating = await startBrokers(place, 1, { autoCreateTopics: true, defaultPartitions: 2 });
    try {
      const other = await WireClient.connect(creating.brokers[0]!.address.port);
      const created = await other.request(ApiKey.Metadata, 12, {
        topics: [{ name: 'auto-created', topicId: '00000000-0000-0000-0000-000000000000' }],
        allowAutoTopicCreation: true,
        includeTopicAuthorizedOperations: false,
      });
      const topic = (created.topics as { errorCode: number; partitions: unknown[] }[])[0]!;
      expect(topic.errorCode).toBe(0);
      expect(topic.partitions).toHaveLength(2);
      other.destroy();
    } finally {
      await creating.stop();
    }
  });

  it('DescribeConfigs describes topics and this broker; OffsetForLeaderEpoch ends epoch 0 at the high watermark', async () => {
    await client.request(ApiKey.CreateTopics, 7, {
      topics: [
        {
          name: 'configured',
          numPartitions: 1,
          replicationFactor: -1,
          assignments: [],
          configs: [{ name: 'retention.ms', value: '60000' }],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    await produce('configured', await batch(['one', 'two']));
    const described = await client.request(ApiKey.DescribeConfigs, 4, {
      resources: [
        { resourceType: 2, resourceName: 'configured', configurationKeys: null },
        {
          resourceType: 4,
          resourceName: String(started.brokers[0]!.nodeId),
          configurationKeys: ['message.max.bytes'],
        },
        { resourceType: 2, resourceName: 'absent', configurationKeys: null },
      ],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    type Result = { errorCode: number; configs: { name: string; value: string }[] };
    const [topic, broker, absent] = described.results as Result[];
    expect(topic!.configs).toContainEqual(expect.objectContaining({ name: 'retention.ms', value: '60000' }));
    expect(broker!.configs).toEqual([
      expect.objectContaining({ name: 'message.max.bytes', value: String(MAX_MESSAGE_BYTES) }),
    ]);
    expect(absent!.errorCode).toBe(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const epochs = await client.request(ApiKey.OffsetForLeaderEpoch, 4, {
      replicaId: -1,
      topics: [
        { topic: 'configured', partitions: [{ partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0 }] },
      ],
    });
    expect((epochs.topics as { partitions: unknown[] }[])[0]!.partitions[0]).toMatchObject({
      errorCode: 0,
      leaderEpoch: 0,
      endOffset: 2n,
    });
  });
});
