/**
 * One response body per API, in this library's field names, with distinctive values: the bodies the
 * kafkajs cross-check encodes at every version kafkajs reads (fields a version lacks are dropped).
 */
import { encodeBatch } from '../../../src/protocol/record-batch.js';

/** The records of the fetch response: one v2 batch at offset 99. */
export const fetchedBatch = await encodeBatch({
  records: [
    {
      key: new Uint8Array(Buffer.from('key')),
      value: new Uint8Array(Buffer.from('value')),
      timestamp: 1_700_000_000_000n,
    },
  ],
  baseOffset: 99n,
});

export const responseBodies: Record<string, object> = {
  apiVersions: {
    errorCode: 0,
    apiKeys: [
      { apiKey: 0, minVersion: 3, maxVersion: 9 },
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
    ],
    throttleTimeMs: 7,
  },
  metadata: {
    throttleTimeMs: 7,
    brokers: [{ nodeId: 1, host: 'broker-1', port: 9092, rack: 'rack-a' }],
    clusterId: 'cluster-1',
    controllerId: 1,
    topics: [
      {
        errorCode: 0,
        name: 'orders',
        topicId: '0b6e5d3c-7a45-4c1e-9f1a-2b3c4d5e6f70',
        isInternal: false,
        partitions: [
          {
            errorCode: 0,
            partitionIndex: 0,
            leaderId: 1,
            leaderEpoch: 5,
            replicaNodes: [1],
            isrNodes: [1],
            offlineReplicas: [],
          },
        ],
      },
    ],
  },
  produce: {
    responses: [
      {
        name: 'orders',
        partitionResponses: [
          { index: 3, errorCode: 0, baseOffset: 42n, logAppendTimeMs: -1n, logStartOffset: 10n },
        ],
      },
    ],
    throttleTimeMs: 7,
  },
  fetch: {
    throttleTimeMs: 7,
    errorCode: 0,
    sessionId: 0,
    responses: [
      {
        topic: 'orders',
        partitions: [
          {
            partitionIndex: 2,
            errorCode: 0,
            highWatermark: 100n,
            lastStableOffset: 100n,
            logStartOffset: 10n,
            abortedTransactions: [],
            preferredReadReplica: -1,
            records: fetchedBatch,
          },
        ],
      },
    ],
  },
  listOffsets: {
    throttleTimeMs: 7,
    topics: [
      {
        name: 'orders',
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            oldStyleOffsets: [55n],
            timestamp: -1n,
            offset: 55n,
            leaderEpoch: 0,
          },
        ],
      },
    ],
  },
  findCoordinator: {
    throttleTimeMs: 7,
    errorCode: 0,
    errorMessage: null,
    nodeId: 2,
    host: 'broker-2',
    port: 9093,
  },
  joinGroup: {
    throttleTimeMs: 7,
    errorCode: 0,
    generationId: 4,
    protocolName: 'RoundRobinAssigner',
    leader: 'member-1',
    memberId: 'member-1',
    members: [{ memberId: 'member-1', groupInstanceId: null, metadata: Uint8Array.of(9, 8) }],
  },
  syncGroup: { throttleTimeMs: 7, errorCode: 0, assignment: Uint8Array.of(4, 5, 6) },
  heartbeat: { throttleTimeMs: 7, errorCode: 0 },
  leaveGroup: {
    throttleTimeMs: 7,
    errorCode: 0,
    members: [{ memberId: 'member-1', groupInstanceId: null, errorCode: 0 }],
  },
  offsetCommit: {
    throttleTimeMs: 7,
    topics: [{ name: 'orders', partitions: [{ partitionIndex: 1, errorCode: 0 }] }],
  },
  offsetFetch: {
    throttleTimeMs: 7,
    topics: [
      {
        name: 'orders',
        partitions: [
          {
            partitionIndex: 1,
            committedOffset: 100n,
            committedLeaderEpoch: -1,
            metadata: 'meta',
            errorCode: 0,
          },
        ],
      },
    ],
    errorCode: 0,
  },
  describeGroups: {
    throttleTimeMs: 7,
    groups: [
      {
        errorCode: 0,
        groupId: 'group-1',
        groupState: 'Stable',
        protocolType: 'consumer',
        protocolData: 'RoundRobinAssigner',
        members: [
          {
            memberId: 'member-1',
            clientId: 'client-1',
            clientHost: '/127.0.0.1',
            memberMetadata: Uint8Array.of(1),
            memberAssignment: Uint8Array.of(2),
          },
        ],
      },
    ],
  },
  listGroups: { throttleTimeMs: 7, errorCode: 0, groups: [{ groupId: 'group-1', protocolType: 'consumer' }] },
  saslHandshake: { errorCode: 0, mechanisms: ['PLAIN'] },
  createTopics: {
    throttleTimeMs: 7,
    topics: [{ name: 'orders', errorCode: 0, errorMessage: null }],
  },
  deleteTopics: { throttleTimeMs: 7, responses: [{ name: 'orders', errorCode: 0 }] },
  deleteRecords: {
    throttleTimeMs: 7,
    topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, lowWatermark: 12n, errorCode: 0 }] }],
  },
  initProducerId: { throttleTimeMs: 7, errorCode: 0, producerId: 1234n, producerEpoch: 3 },
  describeConfigs: {
    throttleTimeMs: 7,
    results: [
      {
        errorCode: 0,
        errorMessage: null,
        resourceType: 2,
        resourceName: 'orders',
        configs: [
          {
            name: 'retention.ms',
            value: '604800000',
            readOnly: false,
            isDefault: true,
            configSource: 5,
            isSensitive: false,
            synonyms: [],
          },
        ],
      },
    ],
  },
  createPartitions: { throttleTimeMs: 7, results: [{ name: 'orders', errorCode: 0, errorMessage: null }] },
  deleteGroups: { throttleTimeMs: 7, results: [{ groupId: 'group-1', errorCode: 0 }] },
};
