import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GroupSnapshot } from '../../../src/broker/group-snapshot.js';
import {
  type GroupHooks,
  GroupState,
  type JoinRequest,
  type JoinResult,
} from '../../../src/broker/group-state.js';
import { KafkaErrorCode } from '../../../src/protocol/kafka-error-codes.js';

const timings = { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 1_000, maxSessionTimeoutMs: 60_000 };
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

/** Snapshots the group hands to its owner, in order; `failNext` makes the next write fail. */
class RecordingHooks implements GroupHooks {
  readonly written: GroupSnapshot[] = [];
  failNext = false;
  async persist(snapshot: GroupSnapshot): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('store unavailable');
    }
    this.written.push(snapshot);
  }
}

function request(overrides: Partial<JoinRequest> = {}): JoinRequest {
  return {
    memberId: '',
    groupInstanceId: null,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 5_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: bytes('subscription') }],
    requireKnownMemberId: false,
    ...overrides,
  };
}

/** A dynamic member's identity in a LeaveGroup. */
const dynamic = (memberId: string) => ({ memberId, groupInstanceId: null });

/** Resolves when the promise settles within the fake time advanced so far, else `pending`. */
async function settledOrPending<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

describe('GroupState', () => {
  let hooks: RecordingHooks;
  let group: GroupState;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    hooks = new RecordingHooks();
    group = new GroupState('g', timings, hooks);
  });

  afterEach(() => {
    group.unload();
    vi.useRealTimers();
  });

  /** A member that joins a group with no other member, then syncs: generation `n`, Stable. */
  async function soleMember(): Promise<JoinResult> {
    const joined = await group.join(request());
    const synced = await group.sync({
      memberId: joined.memberId,
      generationId: joined.generationId,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: joined.memberId, assignment: bytes('all') }],
    });
    expect(synced.errorCode).toBe(KafkaErrorCode.NONE);
    return joined;
  }

  it('gives a v4+ new member its id with MEMBER_ID_REQUIRED, then elects it leader of generation 1', async () => {
    const first = await group.join(request({ requireKnownMemberId: true }));
    expect(first.errorCode).toBe(KafkaErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^client-[0-9a-f-]{36}$/);
    expect(group.state).toBe('Empty');

    const joined = await group.join(request({ memberId: first.memberId, requireKnownMemberId: true }));
    expect(joined).toMatchObject({
      errorCode: KafkaErrorCode.NONE,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: first.memberId,
      memberId: first.memberId,
    });
    expect(joined.members.map((member) => [member.memberId, text(member.metadata)])).toEqual([
      [first.memberId, 'subscription'],
    ]);
    expect(group.state).toBe('CompletingRebalance');

    const synced = await group.sync({
      memberId: joined.memberId,
      generationId: 1,
      protocolType: null,
      protocolName: null,
      assignments: [{ memberId: joined.memberId, assignment: bytes('p0,p1') }],
    });
    expect(synced.errorCode).toBe(KafkaErrorCode.NONE);
    expect(text(synced.assignment)).toBe('p0,p1');
    expect(group.state).toBe('Stable');
    expect(hooks.written.at(-1)).toMatchObject({
      generationId: 1,
      leader: joined.memberId,
      protocolName: 'range',
    });
    expect(text(hooks.written.at(-1)?.members[0]?.assignment ?? new Uint8Array())).toBe('p0,p1');
  });

  it('rebalances when a second member joins: the first learns it by heartbeat, the leader gets both, the follower waits for its assignment', async () => {
    const first = await soleMember();
    const secondJoin = group.join(request({ clientId: 'other' }));
    expect(group.state).toBe('PreparingRebalance');
    expect(group.heartbeat(first.memberId, first.generationId)).toBe(KafkaErrorCode.REBALANCE_IN_PROGRESS);

    const firstJoin = group.join(request({ memberId: first.memberId }));
    const [leader, follower] = await Promise.all([firstJoin, secondJoin]);
    expect(leader.generationId).toBe(2);
    expect(follower.generationId).toBe(2);
    expect(leader.leader).toBe(first.memberId);
    expect(follower.leader).toBe(first.memberId);
    expect(leader.members.map((member) => member.memberId).sort()).toEqual(
      [first.memberId, follower.memberId].sort(),
    );
    expect(follower.members).toEqual([]);

    const followerSync = group.sync({
      memberId: follower.memberId,
      generationId: 2,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(await settledOrPending(followerSync)).toBe('pending');
    const leaderSync = await group.sync({
      memberId: leader.memberId,
      generationId: 2,
      protocolType: null,
      protocolName: null,
      assignments: [
        { memberId: leader.memberId, assignment: bytes('p0') },
        { memberId: follower.memberId, assignment: bytes('p1') },
      ],
    });
    expect(text(leaderSync.assignment)).toBe('p0');
    expect(text((await followerSync).assignment)).toBe('p1');
    expect(group.heartbeat(follower.memberId, 2)).toBe(KafkaErrorCode.NONE);
    expect(group.heartbeat(follower.memberId, 1)).toBe(KafkaErrorCode.ILLEGAL_GENERATION);
  });

  it('drops a member that does not rejoin within the rebalance timeout', async () => {
    const first = await soleMember();
    const second = group.join(request({ clientId: 'late', rebalanceTimeoutMs: 3_000 }));
    // The first member never rejoins; its own rebalance timeout (5 s) is the larger one.
    await vi.advanceTimersByTimeAsync(4_999);
    expect(await settledOrPending(second)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const joined = await second;
    expect(joined).toMatchObject({
      errorCode: KafkaErrorCode.NONE,
      generationId: 2,
      leader: joined.memberId,
    });
    expect(group.heartbeat(first.memberId, first.generationId)).toBe(KafkaErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('expires a member whose heartbeats stop, and the others rebalance without it', async () => {
    const first = await soleMember();
    // The newcomer first: a rejoining sole leader would complete the barrier alone.
    const [b, a] = await Promise.all([
      group.join(request({ clientId: 'b' })),
      group.join(request({ memberId: first.memberId })),
    ]);
    await Promise.all([
      group.sync({
        memberId: a.memberId,
        generationId: 2,
        protocolType: null,
        protocolName: null,
        assignments: [
          { memberId: a.memberId, assignment: bytes('p0') },
          { memberId: b.memberId, assignment: bytes('p1') },
        ],
      }),
      group.sync({
        memberId: b.memberId,
        generationId: 2,
        protocolType: null,
        protocolName: null,
        assignments: [],
      }),
    ]);
    // a keeps heartbeating every 3 s; b is silent past its 10 s session.
    for (let elapsed = 0; elapsed < 9_000; elapsed += 3_000) {
      await vi.advanceTimersByTimeAsync(3_000);
      expect(group.heartbeat(a.memberId, 2)).toBe(KafkaErrorCode.NONE);
    }
    await vi.advanceTimersByTimeAsync(1_001);
    expect(group.heartbeat(a.memberId, 2)).toBe(KafkaErrorCode.REBALANCE_IN_PROGRESS);
    const rejoined = await group.join(request({ memberId: a.memberId }));
    expect(rejoined.generationId).toBe(3);
    expect(rejoined.members.map((member) => member.memberId)).toEqual([a.memberId]);
  });

  it('keeps a member whose join is pending alive past its session timeout', async () => {
    const first = await soleMember();
    const slow = group.join(
      request({ clientId: 'slow', sessionTimeoutMs: 2_000, rebalanceTimeoutMs: 8_000 }),
    );
    await vi.advanceTimersByTimeAsync(4_000);
    const leader = await group.join(request({ memberId: first.memberId }));
    expect(leader.members).toHaveLength(2);
    expect((await slow).errorCode).toBe(KafkaErrorCode.NONE);
  });

  it('becomes Empty with the next generation, persisted, when the last member leaves', async () => {
    const first = await soleMember();
    expect(group.leave([dynamic(first.memberId), dynamic('stranger')])).toEqual([
      KafkaErrorCode.NONE,
      KafkaErrorCode.UNKNOWN_MEMBER_ID,
    ]);
    expect(group.state).toBe('Empty');
    expect(group.isEmpty).toBe(true);
    await group.settled();
    expect(hooks.written.at(-1)).toMatchObject({
      generationId: 2,
      members: [],
      leader: null,
      protocolName: null,
    });
  });

  it('answers a leaving member’s pending join UNKNOWN_MEMBER_ID and completes the barrier for the others', async () => {
    const first = await soleMember();
    const newcomer = group.join(request({ clientId: 'newcomer' }));
    const rejoin = group.join(request({ memberId: first.memberId }));
    expect((await rejoin).members).toHaveLength(2);
    const joined = await newcomer;
    const again = group.join(
      request({ memberId: joined.memberId, protocols: [{ name: 'range', metadata: bytes('changed') }] }),
    );
    expect(group.state).toBe('PreparingRebalance');
    expect(group.leave([dynamic(joined.memberId)])).toEqual([KafkaErrorCode.NONE]);
    expect((await again).errorCode).toBe(KafkaErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('selects the protocol most members prefer among those all support, and rejects members that share none', async () => {
    const range = { name: 'range', metadata: bytes('r') };
    const roundRobin = { name: 'roundrobin', metadata: bytes('rr') };
    const sticky = { name: 'sticky', metadata: bytes('s') };
    group = new GroupState('g', { ...timings, initialRebalanceDelayMs: 100 }, hooks);
    const [a, b, c] = await Promise.all([
      group.join(request({ protocols: [range, roundRobin, sticky] })),
      group.join(request({ protocols: [roundRobin, range] })),
      group.join(request({ protocols: [roundRobin, sticky, range] })),
      vi.advanceTimersByTimeAsync(100),
    ]);
    const results = [a, b, c];
    expect(results.map((result) => result.protocolName)).toEqual(['roundrobin', 'roundrobin', 'roundrobin']);
    const leader = results.find((result) => result.members.length > 0);
    expect(leader?.members.map((member) => text(member.metadata))).toEqual(['rr', 'rr', 'rr']);
    expect((await group.join(request({ protocols: [sticky] }))).errorCode).toBe(
      KafkaErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    expect((await group.join(request({ protocolType: 'connect', protocols: [range] }))).errorCode).toBe(
      KafkaErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
  });

  it('rejects session timeouts out of range, unknown members, and syncs during a rebalance', async () => {
    expect((await group.join(request({ sessionTimeoutMs: 999 }))).errorCode).toBe(
      KafkaErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect((await group.join(request({ memberId: 'ghost' }))).errorCode).toBe(
      KafkaErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(group.heartbeat('ghost', 0)).toBe(KafkaErrorCode.UNKNOWN_MEMBER_ID);
    const first = await soleMember();
    void group.join(request({ clientId: 'b' }));
    const sync = await group.sync({
      memberId: first.memberId,
      generationId: first.generationId,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(sync.errorCode).toBe(KafkaErrorCode.REBALANCE_IN_PROGRESS);
    const wrongName = await group.sync({
      memberId: first.memberId,
      generationId: first.generationId,
      protocolType: null,
      protocolName: 'sticky',
      assignments: [],
    });
    expect(wrongName.errorCode).toBe(KafkaErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('lets a Stable follower rejoin with unchanged metadata without a rebalance', async () => {
    const first = await soleMember();
    // The newcomer first: a rejoining sole leader would complete the barrier alone.
    const [b, a] = await Promise.all([
      group.join(request({ clientId: 'b' })),
      group.join(request({ memberId: first.memberId })),
    ]);
    await Promise.all([
      group.sync({
        memberId: a.memberId,
        generationId: 2,
        protocolType: null,
        protocolName: null,
        assignments: [],
      }),
      group.sync({
        memberId: b.memberId,
        generationId: 2,
        protocolType: null,
        protocolName: null,
        assignments: [],
      }),
    ]);
    const again = await group.join(request({ memberId: b.memberId, clientId: 'b' }));
    expect(again).toMatchObject({
      errorCode: KafkaErrorCode.NONE,
      generationId: 2,
      leader: a.memberId,
      members: [],
    });
    expect(group.state).toBe('Stable');
  });

  it('validates commits: admin commits only while Empty, members only in their generation and not while completing a rebalance', async () => {
    expect(group.validateCommit('', -1)).toBe(KafkaErrorCode.NONE);
    const first = await group.join(request());
    expect(group.validateCommit(first.memberId, 1)).toBe(KafkaErrorCode.REBALANCE_IN_PROGRESS);
    await group.sync({
      memberId: first.memberId,
      generationId: 1,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(group.validateCommit(first.memberId, 1)).toBe(KafkaErrorCode.NONE);
    expect(group.validateCommit(first.memberId, 0)).toBe(KafkaErrorCode.ILLEGAL_GENERATION);
    expect(group.validateCommit('', -1)).toBe(KafkaErrorCode.UNKNOWN_MEMBER_ID);
    expect(group.validateCommit('ghost', 1)).toBe(KafkaErrorCode.UNKNOWN_MEMBER_ID);
    void group.join(request({ clientId: 'b' }));
    // During PreparingRebalance the previous generation may still commit (before rejoining).
    expect(group.validateCommit(first.memberId, 1)).toBe(KafkaErrorCode.NONE);
  });

  it('fails pending syncs and rebalances when the assignment cannot be persisted', async () => {
    const joined = await group.join(request());
    hooks.failNext = true;
    const synced = await group.sync({
      memberId: joined.memberId,
      generationId: 1,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(synced.errorCode).toBe(KafkaErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(group.state).toBe('PreparingRebalance');
    const rejoined = await group.join(request({ memberId: joined.memberId }));
    expect(rejoined.generationId).toBe(2);
  });

  it('waits the initial rebalance delay for more members when a group starts from Empty', async () => {
    group = new GroupState('g', { ...timings, initialRebalanceDelayMs: 1_000 }, hooks);
    const a = group.join(request({ clientId: 'a' }));
    await vi.advanceTimersByTimeAsync(500);
    const b = group.join(request({ clientId: 'b' }));
    expect(await settledOrPending(a)).toBe('pending');
    await vi.advanceTimersByTimeAsync(500);
    const [joinedA, joinedB] = await Promise.all([a, b]);
    expect(joinedA.generationId).toBe(1);
    expect(joinedB.generationId).toBe(1);
  });

  it('describes members with metadata and assignments only while Stable', async () => {
    const first = await soleMember();
    expect(group.describe()).toMatchObject({
      state: 'Stable',
      protocolType: 'consumer',
      protocolName: 'range',
    });
    expect(text(group.describe().members[0]?.assignment ?? new Uint8Array())).toBe('all');
    void group.join(request({ clientId: 'b' }));
    const preparing = group.describe();
    expect(preparing).toMatchObject({ state: 'PreparingRebalance', protocolName: '' });
    expect(preparing.members.map((member) => [member.memberId, member.metadata.length])).toContainEqual([
      first.memberId,
      0,
    ]);
  });

  it('restores a persisted group as Stable: members carry on in their generation, and expire without heartbeats', async () => {
    const first = await soleMember();
    const snapshot = group.snapshot();
    group.unload();
    group = GroupState.restore(snapshot, timings, hooks);
    expect(group.state).toBe('Stable');
    expect(group.generationId).toBe(1);
    expect(group.heartbeat(first.memberId, 1)).toBe(KafkaErrorCode.NONE);
    const again = await group.sync({
      memberId: first.memberId,
      generationId: 1,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(text(again.assignment)).toBe('all');
    await vi.advanceTimersByTimeAsync(10_001);
    expect(group.state).toBe('Empty');
    expect(group.generationId).toBe(2);
  });

  it('answers pending joins NOT_COORDINATOR when unloaded', async () => {
    const first = await soleMember();
    const pending = group.join(request({ clientId: 'b' }));
    group.unload();
    expect((await pending).errorCode).toBe(KafkaErrorCode.NOT_COORDINATOR);
    expect(group.heartbeat(first.memberId, 1)).toBe(KafkaErrorCode.NOT_COORDINATOR);
  });

  it('lets a static member join without MEMBER_ID_REQUIRED and, restarted, take its place back without a rebalance; its old id is fenced', async () => {
    const joined = await group.join(request({ groupInstanceId: 'reader-1', requireKnownMemberId: true }));
    expect(joined).toMatchObject({ errorCode: KafkaErrorCode.NONE, generationId: 1 });
    expect(joined.memberId).toMatch(/^reader-1-/);
    await group.sync({
      memberId: joined.memberId,
      groupInstanceId: 'reader-1',
      generationId: 1,
      protocolType: null,
      protocolName: null,
      assignments: [{ memberId: joined.memberId, assignment: bytes('p0') }],
    });

    const restarted = await group.join(request({ groupInstanceId: 'reader-1', requireKnownMemberId: true }));
    expect(restarted).toMatchObject({
      errorCode: KafkaErrorCode.NONE,
      generationId: 1,
      leader: restarted.memberId,
    });
    expect(restarted.memberId).not.toBe(joined.memberId);
    expect(group.state).toBe('Stable');
    const synced = await group.sync({
      memberId: restarted.memberId,
      groupInstanceId: 'reader-1',
      generationId: 1,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    expect(text(synced.assignment)).toBe('p0');
    expect(group.heartbeat(joined.memberId, 1, 'reader-1')).toBe(KafkaErrorCode.FENCED_INSTANCE_ID);
    expect(group.heartbeat(joined.memberId, 1)).toBe(KafkaErrorCode.UNKNOWN_MEMBER_ID);
    expect(group.validateCommit(joined.memberId, 1, 'reader-1')).toBe(KafkaErrorCode.FENCED_INSTANCE_ID);
    expect(group.heartbeat(restarted.memberId, 1, 'reader-1')).toBe(KafkaErrorCode.NONE);
    await group.settled();
    expect(hooks.written.at(-1)?.members.map((member) => [member.memberId, member.groupInstanceId])).toEqual([
      [restarted.memberId, 'reader-1'],
    ]);

    expect(group.leave([{ memberId: joined.memberId, groupInstanceId: 'reader-1' }])).toEqual([
      KafkaErrorCode.FENCED_INSTANCE_ID,
    ]);
    expect(group.leave([{ memberId: '', groupInstanceId: 'reader-1' }])).toEqual([KafkaErrorCode.NONE]);
    expect(group.state).toBe('Empty');
  });

  it('restores static members: a restarted one replaces its persisted self on the next coordinator', async () => {
    const joined = await group.join(request({ groupInstanceId: 'reader-2' }));
    await group.sync({
      memberId: joined.memberId,
      generationId: 1,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });
    const snapshot = group.snapshot();
    group.unload();
    group = GroupState.restore(snapshot, timings, hooks);
    const restarted = await group.join(request({ groupInstanceId: 'reader-2' }));
    expect(restarted).toMatchObject({ errorCode: KafkaErrorCode.NONE, generationId: 1 });
    expect(group.heartbeat(joined.memberId, 1, 'reader-2')).toBe(KafkaErrorCode.FENCED_INSTANCE_ID);
  });
});
