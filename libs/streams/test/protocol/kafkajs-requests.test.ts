import { describe, expect, it } from 'vitest';
import { decodeRequest, encodeRequest } from '../../src/protocol/frames.js';
import { decodeRecords, parseBatches } from '../../src/protocol/record-batch.js';
import { KafkajsLong, kafkajsApi, kafkajsFrame } from './support/kafkajs-internals.js';

/** One kafkajs API: the arguments its request builders take, and the fields our decoder must find. */
interface Case {
  readonly api: string;
  readonly args: unknown;
  expected(version: number): Record<string, unknown>;
}

const since = (version: number, from: number, fields: Record<string, unknown>) =>
  version >= from ? fields : {};
const buffer = (text: string) => new Uint8Array(Buffer.from(text));

const cases: Case[] = [
  {
    api: 'apiVersions',
    args: {},
    expected: () => ({}),
  },
  {
    api: 'metadata',
    args: { topics: ['orders', 'payments'], allowAutoTopicCreation: false },
    expected: (v) => ({
      topics: [{ name: 'orders' }, { name: 'payments' }],
      ...since(v, 4, { allowAutoTopicCreation: false }),
    }),
  },
  {
    api: 'produce',
    args: {
      acks: -1,
      timeout: 30000,
      transactionalId: 'tx-1',
      producerId: KafkajsLong.fromValue(5),
      producerEpoch: 2,
      topicData: [
        {
          topic: 'orders',
          partitions: [
            {
              partition: 3,
              firstSequence: 7,
              messages: [{ key: 'k', value: 'v', timestamp: 1_700_000_000_000 }],
            },
          ],
        },
      ],
    },
    expected: (v) => ({
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: 'orders', partitionData: [{ index: 3, records: expect.any(Uint8Array) }] }],
      ...since(v, 3, { transactionalId: 'tx-1' }),
    }),
  },
  {
    api: 'fetch',
    args: {
      replicaId: -1,
      maxWaitTime: 500,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      topics: [{ topic: 'orders', partitions: [{ partition: 2, fetchOffset: '42', maxBytes: 1024 }] }],
      rackId: 'rack-a',
    },
    expected: (v) => ({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      topics: [
        { topic: 'orders', partitions: [{ partition: 2, fetchOffset: 42n, partitionMaxBytes: 1024 }] },
      ],
      ...since(v, 3, { maxBytes: 1 << 20 }),
      ...since(v, 4, { isolationLevel: 0 }),
      ...since(v, 11, { rackId: 'rack-a' }),
    }),
  },
  {
    api: 'listOffsets',
    args: {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, timestamp: -2 }] }],
    },
    expected: (v) => ({
      replicaId: -1,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, timestamp: -2n }] }],
      ...since(v, 2, { isolationLevel: 1 }),
    }),
  },
  {
    api: 'offsetCommit',
    args: {
      groupId: 'group-1',
      groupGenerationId: 4,
      memberId: 'member-1',
      retentionTime: -1,
      topics: [{ topic: 'orders', partitions: [{ partition: 1, offset: '100', metadata: 'meta' }] }],
    },
    expected: (v) => ({
      groupId: 'group-1',
      topics: [
        {
          name: 'orders',
          partitions: [{ partitionIndex: 1, committedOffset: 100n, committedMetadata: 'meta' }],
        },
      ],
      ...since(v, 1, { generationIdOrMemberEpoch: 4, memberId: 'member-1' }),
    }),
  },
  {
    api: 'offsetFetch',
    args: {
      groupId: 'group-1',
      topics: [{ topic: 'orders', partitions: [{ partition: 0 }, { partition: 5 }] }],
    },
    expected: () => ({ groupId: 'group-1', topics: [{ name: 'orders', partitionIndexes: [0, 5] }] }),
  },
  {
    api: 'findCoordinator',
    args: { groupId: 'group-1', coordinatorType: 0 },
    expected: (v) => ({ key: 'group-1', ...since(v, 1, { keyType: 0 }) }),
  },
  {
    api: 'joinGroup',
    args: {
      groupId: 'group-1',
      sessionTimeout: 30000,
      rebalanceTimeout: 60000,
      memberId: '',
      protocolType: 'consumer',
      groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from('meta') }],
    },
    expected: (v) => ({
      groupId: 'group-1',
      sessionTimeoutMs: 30000,
      memberId: '',
      protocolType: 'consumer',
      protocols: [{ name: 'RoundRobinAssigner', metadata: buffer('meta') }],
      ...since(v, 1, { rebalanceTimeoutMs: 60000 }),
      ...since(v, 5, { groupInstanceId: null }),
    }),
  },
  {
    api: 'syncGroup',
    args: {
      groupId: 'group-1',
      generationId: 3,
      memberId: 'member-1',
      groupAssignment: [{ memberId: 'member-1', memberAssignment: Buffer.from('assignment') }],
    },
    expected: () => ({
      groupId: 'group-1',
      generationId: 3,
      memberId: 'member-1',
      assignments: [{ memberId: 'member-1', assignment: buffer('assignment') }],
    }),
  },
  {
    api: 'heartbeat',
    args: { groupId: 'group-1', groupGenerationId: 3, memberId: 'member-1', groupInstanceId: 'instance-1' },
    expected: (v) => ({
      groupId: 'group-1',
      generationId: 3,
      memberId: 'member-1',
      ...since(v, 3, { groupInstanceId: 'instance-1' }),
    }),
  },
  {
    api: 'leaveGroup',
    args: { groupId: 'group-1', memberId: 'member-1' },
    expected: (v) => ({
      groupId: 'group-1',
      ...(v < 3 ? { memberId: 'member-1' } : { members: [{ memberId: 'member-1', groupInstanceId: null }] }),
    }),
  },
  {
    api: 'describeGroups',
    args: { groupIds: ['group-1', 'group-2'] },
    expected: () => ({ groups: ['group-1', 'group-2'] }),
  },
  { api: 'listGroups', args: {}, expected: () => ({}) },
  { api: 'saslHandshake', args: { mechanism: 'PLAIN' }, expected: () => ({ mechanism: 'PLAIN' }) },
  {
    api: 'createTopics',
    args: {
      topics: [
        {
          topic: 'orders',
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
      timeout: 5000,
      validateOnly: true,
    },
    expected: (v) => ({
      topics: [
        {
          name: 'orders',
          numPartitions: 3,
          replicationFactor: 1,
          assignments: [],
          configs: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
      timeoutMs: 5000,
      ...since(v, 1, { validateOnly: true }),
    }),
  },
  {
    api: 'deleteTopics',
    args: { topics: ['orders'], timeout: 5000 },
    expected: () => ({ topicNames: ['orders'], timeoutMs: 5000 }),
  },
  {
    api: 'deleteRecords',
    args: { topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '12' }] }], timeout: 5000 },
    expected: () => ({
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, offset: 12n }] }],
      timeoutMs: 5000,
    }),
  },
  {
    api: 'initProducerId',
    args: { transactionalId: 'tx-1', transactionTimeout: 60000 },
    expected: () => ({ transactionalId: 'tx-1', transactionTimeoutMs: 60000 }),
  },
  {
    api: 'describeConfigs',
    args: { resources: [{ type: 2, name: 'orders', configNames: ['retention.ms'] }], includeSynonyms: true },
    expected: (v) => ({
      resources: [{ resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms'] }],
      ...since(v, 1, { includeSynonyms: true }),
    }),
  },
  {
    api: 'createPartitions',
    args: {
      topicPartitions: [{ topic: 'orders', count: 6, assignments: [[1], [2]] }],
      timeout: 5000,
      validateOnly: false,
    },
    expected: () => ({
      topics: [{ name: 'orders', count: 6, assignments: [{ brokerIds: [1] }, { brokerIds: [2] }] }],
      timeoutMs: 5000,
      validateOnly: false,
    }),
  },
  {
    api: 'deleteGroups',
    args: ['group-1', 'group-2'],
    expected: () => ({ groupsNames: ['group-1', 'group-2'] }),
  },
];

describe('requests kafkajs 2.2.4 encodes', () => {
  for (const { api, args, expected } of cases) {
    it(`decode field by field and re-encode to the same bytes: ${api}, every version kafkajs has`, async () => {
      const { versions, protocol } = kafkajsApi(api);
      expect(versions.length).toBeGreaterThan(0);
      for (const version of versions.map(Number)) {
        const { request } = protocol({ version })(args);
        const frame = await kafkajsFrame(request, 1000 + version, 'kafkajs-client');
        const decoded = decodeRequest(new Uint8Array(frame).subarray(4));
        expect(decoded.header, `${api} v${version}`).toMatchObject({
          apiKey: request.apiKey,
          apiVersion: version,
          correlationId: 1000 + version,
          clientId: 'kafkajs-client',
        });
        expect(decoded.body, `${api} v${version}`).toMatchObject(expected(version));
        expect(
          Buffer.from(encodeRequest(decoded.header, decoded.body)).equals(frame),
          `${api} v${version} bytes`,
        ).toBe(true);
      }
    });
  }

  it('carry produce batches our record batch reader decodes (v3+)', async () => {
    const { request } = kafkajsApi('produce').protocol({ version: 7 })(cases[2]?.args);
    const frame = await kafkajsFrame(request, 1, 'kafkajs-client');
    const { body } = decodeRequest(new Uint8Array(frame).subarray(4));
    const records = (body as { topicData: Array<{ partitionData: Array<{ records: Uint8Array }> }> })
      .topicData[0]?.partitionData[0]?.records as Uint8Array;
    const [batch] = parseBatches(records);
    if (!batch) throw new Error('no batch');
    expect(batch).toMatchObject({ producerId: 5n, producerEpoch: 2, baseSequence: 7, isTransactional: true });
    const [record] = await decodeRecords(batch);
    expect(Buffer.from(record?.value ?? []).toString()).toBe('v');
    expect(record?.timestamp).toBe(1_700_000_000_000n);
  });
});
