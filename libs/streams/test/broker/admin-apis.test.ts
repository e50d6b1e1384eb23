import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKey } from '../../src/protocol/api-keys.js';
import { KafkaErrorCode } from '../../src/protocol/kafka-error-codes.js';
import { encodeBatch } from '../../src/protocol/record-batch.js';
import { type StartedBrokers, startBrokers } from '../support/started-brokers.js';
import { type StorePlace, storePlace } from '../support/store-places.js';
import { WireClient } from '../support/wire-client.js';

const NULL_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

type TopicResult = { name: string; topicId: string; errorCode: number; numPartitions: number };

describe('admin APIs over the wire, flexible versions included', () => {
  let place: StorePlace;
  let started: StartedBrokers;
  let client: WireClient;

  const createTopics = async (
    topics: Array<{ name: string; numPartitions: number }>,
    validateOnly = false,
  ) => {
    const body = await client.request(ApiKey.CreateTopics, 7, {
      topics: topics.map((topic) => ({ ...topic, replicationFactor: -1, assignments: [], configs: [] })),
      timeoutMs: 5000,
      validateOnly,
    });
    return body.topics as TopicResult[];
  };
  const metadataOf = async (name: string) => {
    const body = await client.request(ApiKey.Metadata, 12, {
      topics: [{ name, topicId: NULL_TOPIC_ID }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    });
    return (body.topics as { errorCode: number; topicId: string; partitions: unknown[] }[])[0]!;
  };

  beforeAll(async () => {
    place = await storePlace('file', inject('s3'), 'admin-apis');
    started = await startBrokers(place, 1, { defaultPartitions: 3 });
    client = await WireClient.connect(started.brokers[0]!.address.port);
  });
  afterAll(async () => {
    client?.destroy();
    await started?.stop();
    await place?.dispose();
  });

  it('CreateTopics v7: ids and counts, the default count for -1, TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, validateOnly', async () => {
    const [made, defaulted, bad, none] = await createTopics([
      { name: 'made', numPartitions: 2 },
      { name: 'defaulted', numPartitions: -1 },
      { name: 'bad/name', numPartitions: 1 },
      { name: 'no-partitions', numPartitions: 0 },
    ]);
    expect(made).toMatchObject({ errorCode: 0, numPartitions: 2 });
    expect(made!.topicId).not.toBe(NULL_TOPIC_ID);
    expect(defaulted).toMatchObject({ errorCode: 0, numPartitions: 3 });
    expect(bad!.errorCode).toBe(KafkaErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(none!.errorCode).toBe(KafkaErrorCode.INVALID_PARTITIONS);
    expect((await createTopics([{ name: 'made', numPartitions: 2 }]))[0]!.errorCode).toBe(
      KafkaErrorCode.TOPIC_ALREADY_EXISTS,
    );
    expect((await createTopics([{ name: 'only-validated', numPartitions: 1 }], true))[0]!.errorCode).toBe(0);
    expect((await metadataOf('only-validated')).errorCode).toBe(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await metadataOf('made')).topicId).toBe(made!.topicId);
    expect((await metadataOf('bad/name')).errorCode).toBe(KafkaErrorCode.INVALID_TOPIC_EXCEPTION);
  });

  it('CreatePartitions v3 grows a topic and refuses to shrink it', async () => {
    await createTopics([{ name: 'growing', numPartitions: 1 }]);
    const body = await client.request(ApiKey.CreatePartitions, 3, {
      topics: [
        { name: 'growing', count: 4, assignments: null },
        { name: 'made', count: 1, assignments: null },
        { name: 'absent', count: 2, assignments: null },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect((body.results as { errorCode: number }[]).map((result) => result.errorCode)).toEqual([
      0,
      KafkaErrorCode.INVALID_PARTITIONS,
      KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    expect((await metadataOf('growing')).partitions).toHaveLength(4);
  });

  it('DeleteRecords v2 moves the log start (-1: to the high watermark); past it: OFFSET_OUT_OF_RANGE', async () => {
    await createTopics([{ name: 'trimmed', numPartitions: 1 }]);
    const records = await encodeBatch({
      records: ['a', 'b', 'c'].map((value) => ({ value: new TextEncoder().encode(value) })),
    });
    await client.request(ApiKey.Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [{ name: 'trimmed', partitionData: [{ index: 0, records }] }],
    });
    const trim = async (offset: bigint) => {
      const body = await client.request(ApiKey.DeleteRecords, 2, {
        topics: [{ name: 'trimmed', partitions: [{ partitionIndex: 0, offset }] }],
        timeoutMs: 5000,
      });
      return (body.topics as { partitions: { errorCode: number; lowWatermark: bigint }[] }[])[0]!
        .partitions[0]!;
    };
    expect(await trim(9n)).toMatchObject({ errorCode: KafkaErrorCode.OFFSET_OUT_OF_RANGE });
    expect(await trim(-1n)).toMatchObject({ errorCode: 0, lowWatermark: 3n });
  });

  it('DeleteTopics v6 deletes by name and by id; unknown ones: UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID', async () => {
    const [byName, byId] = await createTopics([
      { name: 'doomed-a', numPartitions: 1 },
      { name: 'doomed-b', numPartitions: 1 },
    ]);
    const body = await client.request(ApiKey.DeleteTopics, 6, {
      topics: [
        { name: byName!.name, topicId: NULL_TOPIC_ID },
        { name: null, topicId: byId!.topicId },
        { name: 'never-was', topicId: NULL_TOPIC_ID },
        { name: null, topicId: '11111111-2222-3333-4444-555555555555' },
      ],
      timeoutMs: 5000,
    });
    expect(
      (body.responses as { name: string | null; errorCode: number }[]).map((entry) => [
        entry.name,
        entry.errorCode,
      ]),
    ).toEqual([
      ['doomed-a', 0],
      ['doomed-b', 0],
      ['never-was', KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      [null, KafkaErrorCode.UNKNOWN_TOPIC_ID],
    ]);
    expect((await metadataOf('doomed-b')).errorCode).toBe(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const old = await client.request(ApiKey.DeleteTopics, 1, { topicNames: ['made'], timeoutMs: 5000 });
    expect((old.responses as { errorCode: number }[])[0]!.errorCode).toBe(0);
  });

  it('InitProducerId gives distinct ids; a transactional id is refused (transactions are not served)', async () => {
    const init = (transactionalId: string | null) =>
      client.request(ApiKey.InitProducerId, 4, {
        transactionalId,
        transactionTimeoutMs: 60_000,
        producerId: -1n,
        producerEpoch: -1,
      });
    const [one, two] = [await init(null), await init(null)];
    expect(one.producerId).not.toBe(two.producerId);
    expect((await init('tx-1')).errorCode).toBe(KafkaErrorCode.INVALID_REQUEST);
  });
});
