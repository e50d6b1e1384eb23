import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { GroupCoordinator } from '../../../src/broker/group-coordinator.js';
import type { JoinRequest } from '../../../src/broker/group-state.js';
import { StreamLog } from '../../../src/log/stream-log.js';
import { KafkaErrorCode } from '../../../src/protocol/kafka-error-codes.js';
import { openTestStore, type TestStore } from '../../support/test-stores.js';

const join: JoinRequest = {
  memberId: '',
  groupInstanceId: null,
  clientId: 'client',
  clientHost: '/127.0.0.1',
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 5_000,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: new Uint8Array([1]) }],
  requireKnownMemberId: false,
};

describe('GroupCoordinator on a real log (file://)', () => {
  let testStore: TestStore;
  const logs: StreamLog[] = [];
  const closing: AbortController[] = [];
  let nodeId: number;

  /** A coordinator with its own log handle on the store, answering as broker `nodeId`. */
  async function coordinator(): Promise<{ groups: GroupCoordinator; stop: AbortController }> {
    const log = await StreamLog.open(testStore.open());
    logs.push(log);
    const stop = new AbortController();
    closing.push(stop);
    return { groups: new GroupCoordinator({ log, nodeId, closing: stop.signal }), stop };
  }

  beforeEach(async () => {
    testStore = await openTestStore('file', inject('s3'), 'group-coordinator');
    const registrar = await StreamLog.open(testStore.open());
    logs.push(registrar);
    nodeId = await registrar.registry.register({ host: '127.0.0.1', port: 9092 });
    await registrar.createTopic('events', { partitions: 2 });
  });
  afterEach(async () => {
    for (const stop of closing.splice(0)) stop.abort();
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await testStore.dispose();
  });

  it('fences a coordinator whose view of the group is stale: its write fails and it unloads the group (NOT_COORDINATOR)', async () => {
    // Two coordinators that both believe they coordinate the group (a split view of the registry).
    const stale = await coordinator();
    const current = await coordinator();
    const first = await stale.groups.join('split', join);
    expect(
      (
        await stale.groups.sync('split', {
          memberId: first.memberId,
          generationId: 1,
          protocolType: null,
          protocolName: null,
          assignments: [],
        })
      ).errorCode,
    ).toBe(KafkaErrorCode.NONE);

    // The current coordinator loads the persisted generation; the member leaves through it.
    expect(await current.groups.heartbeat('split', first.memberId, 1)).toBe(KafkaErrorCode.NONE);
    expect(
      (await current.groups.leave('split', [{ memberId: first.memberId, groupInstanceId: null }])).members,
    ).toEqual([KafkaErrorCode.NONE]);
    await current.groups.close();

    // The stale one completes a rebalance of its own; persisting it loses to the newer revision.
    const rejoin = stale.groups.join('split', {
      ...join,
      memberId: first.memberId,
      protocols: [{ name: 'range', metadata: new Uint8Array([2]) }],
    });
    const rejoined = await rejoin;
    expect(rejoined.generationId).toBe(2);
    const synced = await stale.groups.sync('split', {
      memberId: first.memberId,
      generationId: 2,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(synced.errorCode).toBe(KafkaErrorCode.NOT_COORDINATOR);

    const fresh = await coordinator();
    const described = await fresh.groups.describe('split');
    expect(described).toMatchObject({ errorCode: 0, state: 'Empty', members: [] });
  });

  it('lists a group that has only committed offsets (an admin commit with generation -1) as Empty with no protocol', async () => {
    const { groups } = await coordinator();
    const committed = await groups.commitOffsets('offsets-only', { memberId: '', generationId: -1 }, [
      { name: 'events', partitions: [{ partitionIndex: 1, committedOffset: 5n }] },
    ]);
    expect(committed).toEqual([{ name: 'events', partitions: [{ partitionIndex: 1, errorCode: 0 }] }]);
    expect(await groups.list()).toEqual([{ groupId: 'offsets-only', protocolType: '', groupState: 'Empty' }]);
    const fetched = await groups.fetchOffsets('offsets-only', [{ name: 'events', partitionIndexes: [0, 1] }]);
    expect(fetched.topics[0]?.partitions.map((partition) => partition.committedOffset)).toEqual([-1n, 5n]);
    expect(await groups.describe('offsets-only')).toMatchObject({ state: 'Empty', protocolType: '' });
  });

  it('ends pending joins with NOT_COORDINATOR when the broker stops', async () => {
    const { groups, stop } = await coordinator();
    const first = await groups.join('closing', join);
    await groups.sync('closing', {
      memberId: first.memberId,
      generationId: 1,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    const waiting = groups.join('closing', join);
    await vi.waitFor(async () => expect((await groups.describe('closing')).state).toBe('PreparingRebalance'));
    stop.abort();
    expect((await waiting).errorCode).toBe(KafkaErrorCode.NOT_COORDINATOR);
    expect(await groups.heartbeat('closing', first.memberId, 1)).toBe(KafkaErrorCode.NOT_COORDINATOR);
  });

  it('rejects an empty group id and session timeouts below the broker minimum', async () => {
    const { groups } = await coordinator();
    expect((await groups.join('', join)).errorCode).toBe(KafkaErrorCode.INVALID_GROUP_ID);
    expect((await groups.join('short', { ...join, sessionTimeoutMs: 5_999 })).errorCode).toBe(
      KafkaErrorCode.INVALID_SESSION_TIMEOUT,
    );
  });
});
