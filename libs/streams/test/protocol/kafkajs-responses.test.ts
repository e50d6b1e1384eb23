import { describe, expect, it } from 'vitest';
import { encodeResponse } from '../../src/protocol/frames.js';
import { kafkajsApi } from './support/kafkajs-internals.js';
import { responseBodies } from './support/response-bodies.js';

const since = (version: number, from: number, fields: Record<string, unknown>) =>
  version >= from ? fields : {};
/** kafkajs reports throttling as `throttleTime` until v(n) and as `clientSideThrottleTime` from then on. */
const throttle = (version: number, from: number, clientSideFrom: number) =>
  version < from ? {} : version < clientSideFrom ? { throttleTime: 7 } : { clientSideThrottleTime: 7 };
const buffer = (...bytes: number[]) => Buffer.from(bytes);

/** What kafkajs's response decoder must read from our encoding of `responseBodies[api]` at `version`. */
const expectations: Record<string, (version: number) => Record<string, unknown>> = {
  apiVersions: (v) => ({
    errorCode: 0,
    apiVersions: [
      { apiKey: 0, minVersion: 3, maxVersion: 9 },
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
    ],
    ...throttle(v, 1, 2),
  }),
  metadata: (v) => ({
    ...throttle(v, 3, 6),
    brokers: [{ nodeId: 1, host: 'broker-1', port: 9092, ...since(v, 1, { rack: 'rack-a' }) }],
    ...since(v, 1, { controllerId: 1 }),
    ...since(v, 2, { clusterId: 'cluster-1' }),
    topicMetadata: [
      {
        topicErrorCode: 0,
        topic: 'orders',
        ...since(v, 1, { isInternal: false }),
        partitionMetadata: [{ partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1], isr: [1] }],
      },
    ],
  }),
  produce: (v) => ({
    ...throttle(v, 1, 6),
    topics: [
      {
        topicName: 'orders',
        partitions: [
          {
            partition: 3,
            errorCode: 0,
            ...(v < 3 ? { offset: '42' } : { baseOffset: '42', logAppendTime: '-1' }),
            ...since(v, 5, { logStartOffset: '10' }),
          },
        ],
      },
    ],
  }),
  fetch: (v) => ({
    ...throttle(v, 1, 8),
    responses: [
      {
        topicName: 'orders',
        partitions: [
          {
            partition: 2,
            errorCode: 0,
            highWatermark: '100',
            ...since(v, 4, {
              lastStableOffset: '100',
              messages: [
                expect.objectContaining({
                  key: Buffer.from('key'),
                  value: Buffer.from('value'),
                  offset: '99',
                }),
              ],
            }),
            ...since(v, 5, { lastStartOffset: '10' }),
          },
        ],
      },
    ],
  }),
  listOffsets: (v) => ({
    ...throttle(v, 2, 3),
    responses: [
      {
        topic: 'orders',
        partitions: [
          {
            partition: 0,
            errorCode: 0,
            ...(v === 0 ? { offsets: ['55'] } : { timestamp: '-1', offset: '55' }),
          },
        ],
      },
    ],
  }),
  findCoordinator: (v) => ({
    ...throttle(v, 1, 2),
    errorCode: 0,
    ...since(v, 1, { errorMessage: null }),
    coordinator: { nodeId: 2, host: 'broker-2', port: 9093 },
  }),
  joinGroup: (v) => ({
    ...throttle(v, 2, 3),
    errorCode: 0,
    generationId: 4,
    groupProtocol: 'RoundRobinAssigner',
    leaderId: 'member-1',
    memberId: 'member-1',
    members: [
      { memberId: 'member-1', memberMetadata: buffer(9, 8), ...since(v, 5, { groupInstanceId: null }) },
    ],
  }),
  syncGroup: (v) => ({ ...throttle(v, 1, 2), errorCode: 0, memberAssignment: buffer(4, 5, 6) }),
  heartbeat: (v) => ({ ...throttle(v, 1, 2), errorCode: 0 }),
  leaveGroup: (v) => ({
    ...throttle(v, 1, 2),
    errorCode: 0,
    ...since(v, 3, { members: [{ memberId: 'member-1', groupInstanceId: null, errorCode: 0 }] }),
  }),
  offsetCommit: (v) => ({
    ...throttle(v, 3, 4),
    responses: [{ topic: 'orders', partitions: [{ partition: 1, errorCode: 0 }] }],
  }),
  offsetFetch: (v) => ({
    ...throttle(v, 3, 4),
    responses: [
      { topic: 'orders', partitions: [{ partition: 1, offset: '100', metadata: 'meta', errorCode: 0 }] },
    ],
    ...since(v, 2, { errorCode: 0 }),
  }),
  describeGroups: (v) => ({
    ...throttle(v, 1, 2),
    groups: [
      {
        errorCode: 0,
        groupId: 'group-1',
        state: 'Stable',
        protocolType: 'consumer',
        protocol: 'RoundRobinAssigner',
        members: [
          {
            memberId: 'member-1',
            clientId: 'client-1',
            clientHost: '/127.0.0.1',
            memberMetadata: buffer(1),
            memberAssignment: buffer(2),
          },
        ],
      },
    ],
  }),
  listGroups: (v) => ({
    ...throttle(v, 1, 2),
    errorCode: 0,
    groups: [{ groupId: 'group-1', protocolType: 'consumer' }],
  }),
  saslHandshake: () => ({ errorCode: 0, enabledMechanisms: ['PLAIN'] }),
  createTopics: (v) => ({
    ...throttle(v, 2, 3),
    topicErrors: [{ topic: 'orders', errorCode: 0, ...since(v, 1, { errorMessage: null }) }],
  }),
  deleteTopics: (v) => ({ ...throttle(v, 1, 1), topicErrors: [{ topic: 'orders', errorCode: 0 }] }),
  deleteRecords: (v) => ({
    ...throttle(v, 0, 1),
    topics: [{ topic: 'orders', partitions: [{ partition: 0, errorCode: 0 }] }],
  }),
  initProducerId: (v) => ({ ...throttle(v, 0, 1), errorCode: 0, producerId: '1234', producerEpoch: 3 }),
  describeConfigs: (v) => ({
    ...throttle(v, 0, 2),
    resources: [
      {
        errorCode: 0,
        errorMessage: null,
        resourceType: 2,
        resourceName: 'orders',
        configEntries: [
          {
            configName: 'retention.ms',
            configValue: '604800000',
            readOnly: false,
            isDefault: true,
            configSource: 5,
            isSensitive: false,
            ...since(v, 1, { configSynonyms: [] }),
          },
        ],
      },
    ],
  }),
  createPartitions: (v) => ({
    ...throttle(v, 0, 1),
    topicErrors: [{ topic: 'orders', errorCode: 0, errorMessage: null }],
  }),
  deleteGroups: () => ({ throttleTimeMs: 7, results: [{ groupId: 'group-1', errorCode: 0 }] }),
};

/** Arguments that build any version's request of an API in kafkajs (only the response decoder is used). */
const ANY_REQUEST_ARGS = {
  topics: [],
  groupIds: [],
  topicData: [],
  resources: [],
  topicPartitions: [],
  groupAssignment: [],
  groupProtocols: [],
};

describe('responses we encode', () => {
  for (const [api, body] of Object.entries(responseBodies)) {
    it(`decode with kafkajs 2.2.4's own decoder: ${api}, every version kafkajs has`, async () => {
      const expected = expectations[api];
      if (!expected) throw new Error(`no expectation for ${api}`);
      const { versions, protocol } = kafkajsApi(api);
      for (const version of versions.map(Number)) {
        const { request, response } = protocol({ version })(api === 'deleteGroups' ? [] : ANY_REQUEST_ARGS);
        const frame = encodeResponse(
          { apiKey: request.apiKey, apiVersion: version, correlationId: 77 },
          body,
        );
        const view = new DataView(frame.buffer, frame.byteOffset);
        expect(view.getInt32(0), 'size prefix').toBe(frame.length - 4);
        expect(view.getInt32(4), 'correlation id').toBe(77);
        const decoded = await response.decode(Buffer.from(frame.subarray(8)));
        expect(decoded, `${api} v${version}`).toMatchObject(expected(version));
        await response.parse(decoded); // kafkajs accepts it: no error code, nothing missing
      }
    });
  }
});
