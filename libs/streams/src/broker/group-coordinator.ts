import { CommitConflictError } from '../errors.js';
import type { BrokerInfo } from '../log/broker-registry.js';
import type { OffsetCommit } from '../log/offset-store.js';
import type { StreamLog } from '../log/stream-log.js';
import { KafkaErrorCode } from '../protocol/kafka-error-codes.js';
import { subscribedTopics } from './consumer-subscription.js';
import { kafkaErrorCodeOf } from './error-code.js';
import { fromGroupDocument, type GroupSnapshot, toGroupDocument } from './group-snapshot.js';
import {
  type GroupDescription,
  GroupState,
  type GroupStateName,
  type GroupTimings,
  type JoinRequest,
  type JoinResult,
  type SyncRequest,
  type SyncResult,
} from './group-state.js';

/** Options of a broker's group coordinator. */
export interface GroupCoordinatorOptions extends Partial<GroupTimings> {
  readonly log: StreamLog;
  /** This broker's node id: it coordinates the groups the deterministic choice gives it. */
  readonly nodeId: number;
  /** Aborted when the broker stops: pending joins and syncs end (NOT_COORDINATOR). */
  readonly closing: AbortSignal;
}

/** Partitions of topics with a result each (an error code, or an offset). */
export type TopicPartitions<T> = Array<{ name: string; partitions: Array<{ partitionIndex: number } & T> }>;

/** One committed offset as OffsetFetch returns it; -1 with null metadata when nothing is committed. */
export interface FetchedOffset {
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

/** One group of ListGroups. */
export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: GroupStateName;
}

/** Longest metadata string a commit may carry (Kafka's `offset.metadata.max.bytes`). */
const MAX_COMMIT_METADATA_BYTES = 4096;

/** How long a read of the live brokers serves coordinator choices. */
const LIVE_BROKERS_CACHE_MS = 1_000;

const DEFAULT_TIMINGS: GroupTimings = {
  initialRebalanceDelayMs: 0,
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 1_800_000,
};

interface LoadedGroup {
  readonly state: GroupState;
  /** The revision of the group's document this coordinator last read or wrote. */
  revision: number;
}

/**
 * A broker's consumer-group coordinator (Kafka's classic group protocol). Every broker names the same
 * coordinator for a group: the live broker at `hash(group) mod count` in node-id order. The
 * coordinator keeps its groups' live state in memory (`GroupState`), persists each group's
 * generation, protocol, leader, members and assignments as one document in the store, and committed
 * offsets through the log's offset store, so a new coordinator (after a broker dies or joins) loads
 * them and the members carry on or rejoin. A group this broker no longer coordinates is unloaded.
 */
export class GroupCoordinator {
  readonly #log: StreamLog;
  readonly #nodeId: number;
  readonly #closing: AbortSignal;
  readonly #timings: GroupTimings;
  readonly #groups = new Map<string, Promise<LoadedGroup>>();
  #live?: { brokers: Promise<BrokerInfo[]>; atMs: number };
  /** Settles when the groups unloaded by every `close` so far have finished their writes. */
  #closed: Promise<void> = Promise.resolve();

  constructor(options: GroupCoordinatorOptions) {
    this.#log = options.log;
    this.#nodeId = options.nodeId;
    this.#closing = options.closing;
    this.#timings = {
      initialRebalanceDelayMs: options.initialRebalanceDelayMs ?? DEFAULT_TIMINGS.initialRebalanceDelayMs,
      minSessionTimeoutMs: options.minSessionTimeoutMs ?? DEFAULT_TIMINGS.minSessionTimeoutMs,
      maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? DEFAULT_TIMINGS.maxSessionTimeoutMs,
    };
    this.#closing.addEventListener('abort', () => void this.close(), { once: true });
  }

  /** The broker that coordinates `key` (a group id): the same from every broker with the same live view. */
  async coordinatorOf(key: string): Promise<BrokerInfo | undefined> {
    return coordinatorAmong(await this.#liveBrokers(), key);
  }

  /** JoinGroup. */
  async join(groupId: string, request: JoinRequest): Promise<JoinResult> {
    const group = await this.#owned(groupId);
    if (typeof group === 'number') {
      return {
        errorCode: group,
        generationId: -1,
        protocolType: null,
        protocolName: null,
        leader: '',
        memberId: request.memberId,
        members: [],
      };
    }
    return group.state.join(request);
  }

  /** SyncGroup. */
  async sync(groupId: string, request: SyncRequest): Promise<SyncResult> {
    const group = await this.#owned(groupId);
    if (typeof group === 'number')
      return { errorCode: group, protocolType: null, protocolName: null, assignment: new Uint8Array(0) };
    return group.state.sync(request);
  }

  /** Heartbeat: its error code. */
  async heartbeat(
    groupId: string,
    memberId: string,
    generationId: number,
    groupInstanceId: string | null = null,
  ): Promise<number> {
    const group = await this.#owned(groupId);
    return typeof group === 'number' ? group : group.state.heartbeat(memberId, generationId, groupInstanceId);
  }

  /** LeaveGroup: a group-level error code, else one code per member. */
  async leave(
    groupId: string,
    members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null }>,
  ): Promise<{ errorCode: number; members: number[] }> {
    const group = await this.#owned(groupId);
    if (typeof group === 'number') return { errorCode: group, members: [] };
    return { errorCode: KafkaErrorCode.NONE, members: group.state.leave(members) };
  }

  /** OffsetCommit: an error code per partition; valid partitions are committed together. */
  async commitOffsets(
    groupId: string,
    member: { memberId: string; generationId: number; groupInstanceId?: string | null },
    topics: TopicPartitions<{
      committedOffset: bigint;
      committedLeaderEpoch?: number;
      committedMetadata?: string | null;
    }>,
  ): Promise<TopicPartitions<{ errorCode: number }>> {
    const group = await this.#owned(groupId);
    const groupError =
      typeof group === 'number'
        ? group
        : group.state.validateCommit(member.memberId, member.generationId, member.groupInstanceId ?? null);
    const results: TopicPartitions<{ errorCode: number }> = [];
    const entries: OffsetCommit[] = [];
    for (const topic of topics) {
      const partitionCount = groupError === KafkaErrorCode.NONE ? await this.#partitionCount(topic.name) : 0;
      const partitions = topic.partitions.map((partition) => {
        const result = { partitionIndex: partition.partitionIndex, errorCode: groupError };
        if (groupError !== KafkaErrorCode.NONE) return result;
        if (partition.partitionIndex < 0 || partition.partitionIndex >= partitionCount) {
          result.errorCode = KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        } else if (Buffer.byteLength(partition.committedMetadata ?? '') > MAX_COMMIT_METADATA_BYTES) {
          result.errorCode = KafkaErrorCode.OFFSET_METADATA_TOO_LARGE;
        } else {
          entries.push({
            topic: topic.name,
            partition: partition.partitionIndex,
            offset: partition.committedOffset,
            leaderEpoch: partition.committedLeaderEpoch ?? -1,
            metadata: partition.committedMetadata ?? null,
          });
        }
        return result;
      });
      results.push({ name: topic.name, partitions });
    }
    if (entries.length === 0) return results;
    try {
      await this.#log.offsetsOf(groupId).commit(entries);
    } catch (error) {
      const errorCode = kafkaErrorCodeOf(error);
      for (const topic of results) {
        for (const partition of topic.partitions)
          if (partition.errorCode === KafkaErrorCode.NONE) partition.errorCode = errorCode;
      }
    }
    return results;
  }

  /**
   * OffsetFetch: the group's committed offsets of the listed partitions (-1 where none), or of every
   * partition it committed when `topics` is null.
   */
  async fetchOffsets(
    groupId: string,
    topics: ReadonlyArray<{ name: string; partitionIndexes: readonly number[] }> | null,
  ): Promise<{ errorCode: number; topics: TopicPartitions<FetchedOffset> }> {
    const group = await this.#owned(groupId);
    if (typeof group === 'number') {
      const failed = (topics ?? []).map((topic) => ({
        name: topic.name,
        partitions: topic.partitionIndexes.map((partitionIndex) => ({ partitionIndex, ...noOffset(group) })),
      }));
      return { errorCode: group, topics: failed };
    }
    const committed = await this.#log.offsetsOf(groupId).fetch();
    const byTopic = new Map<string, Map<number, FetchedOffset>>();
    for (const entry of committed) {
      const partitions = byTopic.get(entry.topic) ?? new Map<number, FetchedOffset>();
      partitions.set(entry.partition, {
        committedOffset: entry.offset,
        committedLeaderEpoch: entry.leaderEpoch,
        metadata: entry.metadata,
        errorCode: KafkaErrorCode.NONE,
      });
      byTopic.set(entry.topic, partitions);
    }
    const wanted =
      topics ??
      [...byTopic].map(([name, partitions]) => ({
        name,
        partitionIndexes: [...partitions.keys()].sort((a, b) => a - b),
      }));
    return {
      errorCode: KafkaErrorCode.NONE,
      topics: wanted.map((topic) => ({
        name: topic.name,
        partitions: topic.partitionIndexes.map((partitionIndex) => ({
          partitionIndex,
          ...(byTopic.get(topic.name)?.get(partitionIndex) ?? noOffset(KafkaErrorCode.NONE)),
        })),
      })),
    };
  }

  /** DescribeGroups of one group: an unknown group is described as Dead with no members. */
  async describe(groupId: string): Promise<{ errorCode: number } & GroupDescription> {
    const group = await this.#owned(groupId);
    if (typeof group === 'number') return { errorCode: group, ...DEAD };
    const exists = await this.#exists(groupId, group);
    return { errorCode: KafkaErrorCode.NONE, ...(exists ? group.state.describe() : DEAD) };
  }

  /** ListGroups: the groups in the store that this broker coordinates, with their protocol type and state. */
  async list(): Promise<ListedGroup[]> {
    const ids = new Set(await this.#log.listGroups());
    for (const groupId of this.#groups.keys()) ids.add(groupId);
    const live = await this.#liveBrokers();
    const listed: ListedGroup[] = [];
    for (const groupId of [...ids].sort()) {
      if (coordinatorAmong(live, groupId)?.nodeId !== this.#nodeId) continue;
      const group = await this.#owned(groupId);
      if (typeof group === 'number') continue;
      if (!(await this.#exists(groupId, group))) continue;
      listed.push({ groupId, protocolType: group.state.protocolType ?? '', groupState: group.state.state });
    }
    return listed;
  }

  /** DeleteGroups of one group: only a group without members; its offsets and document go. */
  async delete(groupId: string): Promise<number> {
    const group = await this.#owned(groupId);
    if (typeof group === 'number') return group;
    if (!group.state.isEmpty) return KafkaErrorCode.NON_EMPTY_GROUP;
    if (!(await this.#exists(groupId, group))) return KafkaErrorCode.GROUP_ID_NOT_FOUND;
    try {
      await this.#log.offsetsOf(groupId).delete();
      await this.#log.store.delete(this.#log.layout.groupDocument(groupId, 'state'));
    } catch (error) {
      return kafkaErrorCodeOf(error);
    }
    this.#unload(groupId);
    return KafkaErrorCode.NONE;
  }

  /**
   * OffsetDelete: removes committed offsets of partitions the group does not consume now
   * (GROUP_SUBSCRIBED_TO_TOPIC for a topic a member of an active consumer group subscribes to).
   */
  async deleteOffsets(
    groupId: string,
    topics: ReadonlyArray<{ name: string; partitions: ReadonlyArray<{ partitionIndex: number }> }>,
  ): Promise<{ errorCode: number; topics: TopicPartitions<{ errorCode: number }> }> {
    const group = await this.#owned(groupId);
    if (typeof group === 'number') return { errorCode: group, topics: [] };
    if (!(await this.#exists(groupId, group)))
      return { errorCode: KafkaErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
    if (!group.state.isEmpty && group.state.protocolType !== 'consumer') {
      return { errorCode: KafkaErrorCode.NON_EMPTY_GROUP, topics: [] };
    }
    const subscribed = new Set(
      group.state.memberMetadata().flatMap((metadata) => subscribedTopics(metadata)),
    );
    const results = topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((partition) => ({
        partitionIndex: partition.partitionIndex,
        errorCode: subscribed.has(topic.name)
          ? KafkaErrorCode.GROUP_SUBSCRIBED_TO_TOPIC
          : KafkaErrorCode.NONE,
      })),
    }));
    const removable = results.flatMap((topic) =>
      topic.partitions
        .filter((partition) => partition.errorCode === KafkaErrorCode.NONE)
        .map((partition) => ({ topic: topic.name, partition: partition.partitionIndex })),
    );
    if (removable.length > 0) {
      try {
        await this.#log.offsetsOf(groupId).delete(removable);
      } catch (error) {
        return { errorCode: kafkaErrorCodeOf(error), topics: [] };
      }
    }
    return { errorCode: KafkaErrorCode.NONE, topics: results };
  }

  /** Ends every group's pending joins and syncs and waits for their writes in flight. */
  close(): Promise<void> {
    const unloaded = this.#unloadAll();
    this.#closed = Promise.all([this.#closed, unloaded]).then(() => undefined);
    return this.#closed;
  }

  /** The group if this broker coordinates it (loading it from the store on first use), else an error code. */
  async #owned(groupId: string): Promise<LoadedGroup | number> {
    if (this.#closing.aborted) return KafkaErrorCode.NOT_COORDINATOR;
    if (groupId === '') return KafkaErrorCode.INVALID_GROUP_ID;
    const coordinator = await this.coordinatorOf(groupId);
    // The broker may have stopped meanwhile: no group is loaded again after that.
    if (this.#closing.aborted) return KafkaErrorCode.NOT_COORDINATOR;
    if (coordinator === undefined) return KafkaErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (coordinator.nodeId !== this.#nodeId) {
      this.#unload(groupId);
      return KafkaErrorCode.NOT_COORDINATOR;
    }
    let loading = this.#groups.get(groupId);
    if (!loading) {
      loading = this.#load(groupId);
      this.#groups.set(groupId, loading);
      loading.catch(() => this.#groups.delete(groupId));
    }
    try {
      return await loading;
    } catch (error) {
      return kafkaErrorCodeOf(error);
    }
  }

  async #load(groupId: string): Promise<LoadedGroup> {
    const key = this.#log.layout.groupDocument(groupId, 'state');
    const persist = async (snapshot: GroupSnapshot) => {
      try {
        await this.#log.json.update<unknown>(key, (current) => {
          const revision = current === undefined ? 0 : fromGroupDocument(current).revision;
          if (revision !== loaded.revision) {
            throw new CommitConflictError(`consumer group ${groupId} is coordinated by another broker now`);
          }
          return toGroupDocument(snapshot, revision + 1);
        });
        loaded.revision += 1;
      } catch (error) {
        if (error instanceof CommitConflictError) {
          loaded.state.unload();
          this.#unload(groupId);
        }
        throw error;
      }
    };
    const hooks = { persist };
    const stored = await this.#log.json.read<unknown>(key);
    const restored = stored ? fromGroupDocument(stored.value) : undefined;
    const loaded: LoadedGroup = {
      state: restored
        ? GroupState.restore(restored.snapshot, this.#timings, hooks)
        : new GroupState(groupId, this.#timings, hooks),
      revision: restored?.revision ?? 0,
    };
    return loaded;
  }

  #unload(groupId: string): void {
    const loading = this.#groups.get(groupId);
    if (!loading) return;
    this.#groups.delete(groupId);
    loading.then(
      (group) => group.state.unload(),
      () => undefined,
    );
  }

  async #unloadAll(): Promise<void> {
    const groups = [...this.#groups.values()];
    this.#groups.clear();
    await Promise.all(
      groups.map((loading) =>
        loading.then(
          (group) => {
            group.state.unload();
            return group.state.settled();
          },
          () => undefined,
        ),
      ),
    );
  }

  /** The registry's live brokers, read at most once per `LIVE_BROKERS_CACHE_MS` (each read lists the store). */
  #liveBrokers(): Promise<BrokerInfo[]> {
    const now = Date.now();
    if (!this.#live || now - this.#live.atMs >= LIVE_BROKERS_CACHE_MS) {
      const brokers = this.#log.registry.live();
      this.#live = { brokers, atMs: now };
      brokers.catch(() => {
        if (this.#live?.brokers === brokers) this.#live = undefined;
      });
    }
    return this.#live.brokers;
  }

  async #partitionCount(topic: string): Promise<number> {
    try {
      return (await this.#log.describeTopic(topic)).partitions;
    } catch {
      return 0;
    }
  }

  /** Whether the group exists: it has members (or members to be), a persisted document, or committed offsets. */
  async #exists(groupId: string, group: LoadedGroup): Promise<boolean> {
    if (group.revision > 0 || !group.state.isEmpty) return true;
    return (await this.#log.offsetsOf(groupId).fetch()).length > 0;
  }
}

const DEAD: GroupDescription = { state: 'Dead', protocolType: '', protocolName: '', members: [] };

function noOffset(errorCode: number): FetchedOffset {
  return { committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode };
}

/** The coordinator of `key` among live brokers: the one at `hash(key) mod count` in node-id order. */
function coordinatorAmong(live: readonly BrokerInfo[], key: string): BrokerInfo | undefined {
  const sorted = [...live].sort((a, b) => a.nodeId - b.nodeId);
  return sorted.length === 0 ? undefined : sorted[fnv1a(key) % sorted.length];
}

/** FNV-1a (32 bits) of a string's UTF-8 bytes: a hash every broker computes alike. */
function fnv1a(key: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
