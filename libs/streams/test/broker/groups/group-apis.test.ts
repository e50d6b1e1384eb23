import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { Broker } from '../../../src/broker/broker.js';
import { ApiKey } from '../../../src/protocol/api-keys.js';
import { ByteWriter } from '../../../src/protocol/byte-writer.js';
import { KafkaErrorCode } from '../../../src/protocol/kafka-error-codes.js';
import { type StartedBrokers, startBrokers } from '../../support/started-brokers.js';
import { type StorePlace, storePlace } from '../../support/store-places.js';
import { WireClient } from '../../support/wire-client.js';

/** A consumer protocol subscription (v0) to `topics`, as kafkajs and librdkafka send it. */
function subscription(topics: string[]): Uint8Array {
  const writer = new ByteWriter();
  writer.int16(0);
  writer.int32(topics.length);
  for (const topic of topics) writer.string(topic);
  writer.bytes(null);
  return writer.finish();
}

/** The bytes of a decoded `bytes` field, comparable whatever their container. */
const octets = (value: unknown) => [...(value as Uint8Array)];

/** A group id the given broker coordinates among `brokers`. */
async function groupCoordinatedBy(broker: Broker, prefix: string): Promise<string> {
  for (let index = 0; ; index += 1) {
    const groupId = `${prefix}-${index}`;
    if ((await broker.groups.coordinatorOf(groupId))?.nodeId === broker.nodeId) return groupId;
  }
}

/** The clients of two brokers on one store: the group's coordinator and the other one. */
interface TwoBrokers {
  started: StartedBrokers;
  coordinator: WireClient;
  other: WireClient;
  groupId: string;
}

async function twoBrokers(place: StorePlace, prefix: string): Promise<TwoBrokers> {
  const started = await startBrokers(place, 2);
  const [first, second] = started.brokers as [Broker, Broker];
  const groupId = await groupCoordinatedBy(first, prefix);
  return {
    started,
    coordinator: await WireClient.connect(first.address.port),
    other: await WireClient.connect(second.address.port),
    groupId,
  };
}

const JOIN = {
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 5_000,
  groupInstanceId: null,
  protocolType: 'consumer',
  reason: null,
};

describe('group APIs over the wire, two brokers on one store', () => {
  let place: StorePlace;
  let brokers: TwoBrokers;

  beforeAll(async () => {
    place = await storePlace('file', inject('s3'), 'group-apis');
    brokers = await twoBrokers(place, 'wire');
    await brokers.coordinator.request(ApiKey.CreateTopics, 7, {
      topics: [{ name: 'orders', numPartitions: 2, replicationFactor: -1, assignments: [], configs: [] }],
      timeoutMs: 5_000,
      validateOnly: false,
    });
  });
  afterAll(async () => {
    await brokers?.started.stop();
    await place?.dispose();
  });

  it('every broker names the same coordinator at every version (v4: a batch of keys); the other answers NOT_COORDINATOR', async () => {
    const { coordinator, other, groupId, started } = brokers;
    const expected = started.brokers[0]!.nodeId;
    for (const client of [coordinator, other]) {
      for (const version of [0, 1, 2, 3]) {
        const body = await client.request(ApiKey.FindCoordinator, version, { key: groupId, keyType: 0 });
        expect(body).toMatchObject({
          errorCode: KafkaErrorCode.NONE,
          nodeId: expected,
          port: started.brokers[0]!.address.port,
        });
      }
      const otherGroup = await groupCoordinatedBy(started.brokers[1]!, 'wire');
      const batch = await client.request(ApiKey.FindCoordinator, 4, {
        keyType: 0,
        coordinatorKeys: [groupId, otherGroup],
      });
      expect(batch.coordinators).toMatchObject([
        { key: groupId, nodeId: expected, errorCode: KafkaErrorCode.NONE },
        { key: otherGroup, nodeId: started.brokers[1]!.nodeId, errorCode: KafkaErrorCode.NONE },
      ]);
      const transactional = await client.request(ApiKey.FindCoordinator, 3, { key: 'tx', keyType: 1 });
      expect(transactional.errorCode).toBe(KafkaErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
    const join = await other.request(ApiKey.JoinGroup, 5, {
      ...JOIN,
      groupId,
      memberId: '',
      protocols: [{ name: 'range', metadata: subscription(['orders']) }],
    });
    expect(join.errorCode).toBe(KafkaErrorCode.NOT_COORDINATOR);
    const heartbeat = await other.request(ApiKey.Heartbeat, 3, {
      groupId,
      generationId: 1,
      memberId: 'm',
      groupInstanceId: null,
    });
    expect(heartbeat.errorCode).toBe(KafkaErrorCode.NOT_COORDINATOR);
    const fetched = await other.request(ApiKey.OffsetFetch, 8, {
      groups: [{ groupId, topics: null }],
      requireStable: false,
    });
    expect(fetched.groups).toMatchObject([{ groupId, errorCode: KafkaErrorCode.NOT_COORDINATOR }]);
  });

  it('a member joins (MEMBER_ID_REQUIRED first), syncs, heartbeats, commits, fetches, is described, and leaves; then the group is deleted', async () => {
    const { coordinator: client, groupId } = brokers;
    const protocols = [{ name: 'range', metadata: subscription(['orders']) }];
    const first = await client.request(ApiKey.JoinGroup, 5, { ...JOIN, groupId, memberId: '', protocols });
    expect(first.errorCode).toBe(KafkaErrorCode.MEMBER_ID_REQUIRED);
    const memberId = first.memberId as string;
    expect(memberId).toMatch(/^wire-test-/);
    const joined = await client.request(ApiKey.JoinGroup, 5, { ...JOIN, groupId, memberId, protocols });
    expect(joined).toMatchObject({
      errorCode: 0,
      generationId: 1,
      protocolName: 'range',
      leader: memberId,
      memberId,
    });
    expect(joined.members).toHaveLength(1);

    const assignment = new Uint8Array([0, 1, 2, 3]);
    const synced = await client.request(ApiKey.SyncGroup, 3, {
      groupId,
      generationId: 1,
      memberId,
      groupInstanceId: null,
      assignments: [{ memberId, assignment }],
    });
    expect(synced.errorCode).toBe(KafkaErrorCode.NONE);
    expect(octets(synced.assignment)).toEqual([...assignment]);
    const beat = (generationId: number) =>
      client.request(ApiKey.Heartbeat, 3, { groupId, generationId, memberId, groupInstanceId: null });
    expect((await beat(1)).errorCode).toBe(KafkaErrorCode.NONE);
    expect((await beat(0)).errorCode).toBe(KafkaErrorCode.ILLEGAL_GENERATION);

    const commit = (member: string, generationId: number, partitions: Array<[number, bigint]>) =>
      client.request(ApiKey.OffsetCommit, 7, {
        groupId,
        generationIdOrMemberEpoch: generationId,
        memberId: member,
        groupInstanceId: null,
        topics: [
          {
            name: 'orders',
            partitions: partitions.map(([partitionIndex, committedOffset]) => ({
              partitionIndex,
              committedOffset,
              committedLeaderEpoch: -1,
              committedMetadata: 'm',
            })),
          },
        ],
      });
    const committed = await commit(memberId, 1, [
      [0, 7n],
      [9, 1n],
    ]);
    expect(committed.topics).toMatchObject([
      {
        name: 'orders',
        partitions: [
          { partitionIndex: 0, errorCode: KafkaErrorCode.NONE },
          { partitionIndex: 9, errorCode: KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
        ],
      },
    ]);
    expect((await commit('', -1, [[1, 3n]])).topics).toMatchObject([
      { partitions: [{ errorCode: KafkaErrorCode.UNKNOWN_MEMBER_ID }] },
    ]);

    const all = await client.request(ApiKey.OffsetFetch, 7, { groupId, topics: null, requireStable: false });
    expect(all).toMatchObject({
      errorCode: 0,
      topics: [
        {
          name: 'orders',
          partitions: [{ partitionIndex: 0, committedOffset: 7n, metadata: 'm', errorCode: 0 }],
        },
      ],
    });
    const listed = await client.request(ApiKey.OffsetFetch, 1, {
      groupId,
      topics: [{ name: 'orders', partitionIndexes: [0, 1] }],
    });
    expect(listed.topics).toMatchObject([
      {
        partitions: [
          { partitionIndex: 0, committedOffset: 7n },
          { partitionIndex: 1, committedOffset: -1n },
        ],
      },
    ]);

    const described = await client.request(ApiKey.DescribeGroups, 5, {
      groups: [groupId, 'nobody'],
      includeAuthorizedOperations: false,
    });
    expect(described.groups).toMatchObject([
      {
        groupId,
        errorCode: 0,
        groupState: 'Stable',
        protocolType: 'consumer',
        protocolData: 'range',
        members: [{ memberId, clientId: 'wire-test' }],
      },
      { groupId: 'nobody', groupState: 'Dead', members: [] },
    ]);
    expect(
      octets(
        (described.groups as Array<{ members: Array<{ memberAssignment: unknown }> }>)[0]?.members[0]
          ?.memberAssignment,
      ),
    ).toEqual([...assignment]);
    const listedGroups = await client.request(ApiKey.ListGroups, 4, { statesFilter: ['stable'] });
    expect(listedGroups.groups).toContainEqual({ groupId, protocolType: 'consumer', groupState: 'Stable' });

    const deleteGroup = () => client.request(ApiKey.DeleteGroups, 2, { groupsNames: [groupId] });
    expect((await deleteGroup()).results).toEqual([{ groupId, errorCode: KafkaErrorCode.NON_EMPTY_GROUP }]);
    const deleteOffsets = () =>
      client.request(ApiKey.OffsetDelete, 0, {
        groupId,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0 }] }],
      });
    expect((await deleteOffsets()).topics).toMatchObject([
      { partitions: [{ partitionIndex: 0, errorCode: KafkaErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
    ]);

    const left = await client.request(ApiKey.LeaveGroup, 3, {
      groupId,
      members: [
        { memberId, groupInstanceId: null },
        { memberId: 'ghost', groupInstanceId: null },
      ],
    });
    expect(left).toMatchObject({
      errorCode: 0,
      members: [
        { memberId, errorCode: KafkaErrorCode.NONE },
        { memberId: 'ghost', errorCode: KafkaErrorCode.UNKNOWN_MEMBER_ID },
      ],
    });
    expect((await commit('', -1, [[1, 3n]])).topics).toMatchObject([
      { partitions: [{ errorCode: KafkaErrorCode.NONE }] },
    ]);
    expect((await deleteOffsets()).topics).toMatchObject([
      { partitions: [{ errorCode: KafkaErrorCode.NONE }] },
    ]);
    const remaining = await client.request(ApiKey.OffsetFetch, 7, {
      groupId,
      topics: null,
      requireStable: false,
    });
    expect(remaining.topics).toMatchObject([{ partitions: [{ partitionIndex: 1, committedOffset: 3n }] }]);

    expect((await deleteGroup()).results).toEqual([{ groupId, errorCode: KafkaErrorCode.NONE }]);
    expect((await deleteGroup()).results).toEqual([
      { groupId, errorCode: KafkaErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    const gone = await client.request(ApiKey.DescribeGroups, 5, {
      groups: [groupId],
      includeAuthorizedOperations: false,
    });
    expect(gone.groups).toMatchObject([{ groupState: 'Dead' }]);
  });

  it('JoinGroup v0 (no rebalance timeout, no MEMBER_ID_REQUIRED) completes at once for a sole member', async () => {
    const groupId = await groupCoordinatedBy(brokers.started.brokers[0]!, 'v0');
    const joined = await brokers.coordinator.request(ApiKey.JoinGroup, 0, {
      groupId,
      sessionTimeoutMs: 10_000,
      memberId: '',
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: subscription(['orders']) }],
    });
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range' });
    expect(joined.leader).toBe(joined.memberId);
    const left = await brokers.coordinator.request(ApiKey.LeaveGroup, 0, {
      groupId,
      memberId: joined.memberId,
    });
    expect(left.errorCode).toBe(KafkaErrorCode.NONE);
  });
});

describe('a new coordinator takes a group over from the store', () => {
  let place: StorePlace;
  let brokers: TwoBrokers;

  beforeEach(async () => {
    place = await storePlace('file', inject('s3'), 'group-failover');
    brokers = await twoBrokers(place, 'failover');
  });
  afterEach(async () => {
    await brokers?.started.stop();
    await place?.dispose();
  });

  it('when the coordinator stops, the other broker loads the group: the Stable member carries on in its generation', async () => {
    const { coordinator, other, groupId, started } = brokers;
    const protocols = [{ name: 'range', metadata: subscription(['orders']) }];
    const joined = await coordinator.request(ApiKey.JoinGroup, 3, {
      ...JOIN,
      groupId,
      memberId: '',
      protocols,
    });
    const memberId = joined.memberId as string;
    const assignment = new Uint8Array([9, 9]);
    await coordinator.request(ApiKey.SyncGroup, 3, {
      groupId,
      generationId: 1,
      memberId,
      groupInstanceId: null,
      assignments: [{ memberId, assignment }],
    });

    await started.brokers[0]!.stop();
    await vi.waitFor(
      async () => {
        const found = await other.request(ApiKey.FindCoordinator, 3, { key: groupId, keyType: 0 });
        expect(found.nodeId).toBe(started.brokers[1]!.nodeId);
      },
      { timeout: 5_000, interval: 100 },
    );
    const beat = await other.request(ApiKey.Heartbeat, 3, {
      groupId,
      generationId: 1,
      memberId,
      groupInstanceId: null,
    });
    expect(beat.errorCode).toBe(KafkaErrorCode.NONE);
    const synced = await other.request(ApiKey.SyncGroup, 3, {
      groupId,
      generationId: 1,
      memberId,
      groupInstanceId: null,
      assignments: [],
    });
    expect(synced.errorCode).toBe(KafkaErrorCode.NONE);
    expect(octets(synced.assignment)).toEqual([...assignment]);
    const described = await other.request(ApiKey.DescribeGroups, 5, {
      groups: [groupId],
      includeAuthorizedOperations: false,
    });
    expect(described.groups).toMatchObject([{ groupState: 'Stable', members: [{ memberId }] }]);
  });
});
