import { randomUUID } from 'node:crypto';
import { KafkaErrorCode } from '../protocol/kafka-error-codes.js';
import type { GroupSnapshot } from './group-snapshot.js';

/** The states of a classic consumer group, named as Kafka names them (DescribeGroups, ListGroups). */
export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** One protocol a member supports (e.g. `range`, `RoundRobinAssigner`) and its metadata bytes. */
export interface MemberProtocol {
  readonly name: string;
  readonly metadata: Uint8Array;
}

/** A JoinGroup request, version-independent. */
export interface JoinRequest {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
  /** JoinGroup v4+: a new member first gets MEMBER_ID_REQUIRED with its id, then joins with it. */
  readonly requireKnownMemberId: boolean;
}

/** A JoinGroup answer, version-independent; `members` is filled for the leader only. */
export interface JoinResult {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  readonly memberId: string;
  readonly members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; metadata: Uint8Array }>;
}

/** A SyncGroup request, version-independent; null protocol type and name are not checked (before v5). */
export interface SyncRequest {
  readonly memberId: string;
  /** A static member's instance id (v3+), checked against its member id. */
  readonly groupInstanceId?: string | null;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  /** The leader's assignments (followers send none). */
  readonly assignments: ReadonlyArray<{ memberId: string; assignment: Uint8Array }>;
}

/** A SyncGroup answer, version-independent. */
export interface SyncResult {
  readonly errorCode: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Uint8Array;
}

/** A group as DescribeGroups shows it: member metadata and assignments only while Stable. */
export interface GroupDescription {
  readonly state: GroupStateName;
  readonly protocolType: string;
  readonly protocolName: string;
  readonly members: ReadonlyArray<{
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    metadata: Uint8Array;
    assignment: Uint8Array;
  }>;
}

/** Timing of the group protocol; Kafka's broker defaults are 0 (its own default 3000), 6000, 1800000. */
export interface GroupTimings {
  /** A group rebalancing from Empty waits this long for more members before completing the join. */
  readonly initialRebalanceDelayMs: number;
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
}

/** What the group asks of its owner: persist a snapshot (Stable after a sync, or Empty). */
export interface GroupHooks {
  persist(snapshot: GroupSnapshot): Promise<void>;
}

interface Member {
  readonly memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: readonly MemberProtocol[];
  assignment: Uint8Array;
  awaitingJoin?: (result: JoinResult) => void;
  awaitingSync?: (result: SyncResult) => void;
  sessionTimer?: NodeJS.Timeout;
}

const EMPTY = new Uint8Array(0);

/**
 * The live state of one classic consumer group on its coordinator: members, the join barrier
 * (all known members rejoin, or the rebalance timeout drops the rest), leader election, protocol
 * selection, generations, the sync barrier (followers wait for the leader's assignments) and
 * session timeouts. No I/O but the `persist` hook; time through the timers of the event loop.
 */
export class GroupState {
  private stateName: GroupStateName = 'Empty';
  private generation = 0;
  private type: string | null = null;
  private protocol: string | null = null;
  private leaderId: string | null = null;
  private readonly members = new Map<string, Member>();
  /** Static members (JoinGroup v5+ `groupInstanceId`): instance id → its current member id. */
  private readonly staticMembers = new Map<string, string>();
  /** Members told MEMBER_ID_REQUIRED that have not joined with their id yet, with their expiry. */
  private readonly pendingMembers = new Map<string, NodeJS.Timeout>();
  private barrierTimer?: NodeJS.Timeout;
  private barrierEarliestMs = 0;
  private barrierDeadlineMs = 0;
  private persisting: Promise<void> = Promise.resolve();

  constructor(
    readonly groupId: string,
    private readonly timings: GroupTimings,
    private readonly hooks: GroupHooks,
  ) {}

  /** A group as its last persisted snapshot left it: Stable with its members (each on a fresh session), or Empty. */
  static restore(snapshot: GroupSnapshot, timings: GroupTimings, hooks: GroupHooks): GroupState {
    const group = new GroupState(snapshot.groupId, timings, hooks);
    group.generation = snapshot.generationId;
    group.type = snapshot.protocolType;
    group.protocol = snapshot.protocolName;
    group.leaderId = snapshot.leader;
    for (const saved of snapshot.members) {
      const member: Member = {
        ...saved,
        protocols: snapshot.protocolName ? [{ name: snapshot.protocolName, metadata: saved.metadata }] : [],
      };
      group.members.set(member.memberId, member);
      if (member.groupInstanceId !== null) group.staticMembers.set(member.groupInstanceId, member.memberId);
      group.startSession(member);
    }
    group.stateName = group.members.size > 0 ? 'Stable' : 'Empty';
    return group;
  }

  /** The group's state name. */
  get state(): GroupStateName {
    return this.stateName;
  }

  /** The current generation id (0 before the first join completes). */
  get generationId(): number {
    return this.generation;
  }

  /** The protocol type of the group (`consumer` for consumer groups), null before any member joined. */
  get protocolType(): string | null {
    return this.type;
  }

  /** True when no member (nor member to be) is in the group: it may be deleted. */
  get isEmpty(): boolean {
    return this.members.size === 0 && this.pendingMembers.size === 0;
  }

  /** Joins (or rejoins) a member; resolves when the join barrier completes or at once on an error. */
  join(request: JoinRequest): Promise<JoinResult> {
    const fail = (errorCode: number, memberId = request.memberId) =>
      Promise.resolve(joinError(errorCode, memberId));
    if (this.stateName === 'Dead') return fail(KafkaErrorCode.NOT_COORDINATOR);
    if (
      request.sessionTimeoutMs < this.timings.minSessionTimeoutMs ||
      request.sessionTimeoutMs > this.timings.maxSessionTimeoutMs
    ) {
      return fail(KafkaErrorCode.INVALID_SESSION_TIMEOUT);
    }
    if (!this.supportsProtocols(request)) return fail(KafkaErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    if (request.groupInstanceId !== null) {
      const known = this.staticMembers.get(request.groupInstanceId);
      if (request.memberId === '') {
        // A static member needs no MEMBER_ID_REQUIRED round; a restarted one takes its place back.
        const memberId = `${request.groupInstanceId}-${randomUUID()}`;
        return known === undefined
          ? this.addMemberAndRebalance(memberId, request)
          : this.replaceStaticMember(known, memberId, request);
      }
      if (known !== request.memberId) {
        return fail(
          known === undefined ? KafkaErrorCode.UNKNOWN_MEMBER_ID : KafkaErrorCode.FENCED_INSTANCE_ID,
        );
      }
    }
    if (request.memberId === '') {
      const memberId = `${request.clientId}-${randomUUID()}`;
      if (request.requireKnownMemberId) {
        this.addPendingMember(memberId, request.sessionTimeoutMs);
        return fail(KafkaErrorCode.MEMBER_ID_REQUIRED, memberId);
      }
      return this.addMemberAndRebalance(memberId, request);
    }
    const pending = this.pendingMembers.get(request.memberId);
    if (pending) {
      clearTimeout(pending);
      this.pendingMembers.delete(request.memberId);
      return this.addMemberAndRebalance(request.memberId, request);
    }
    const member = this.members.get(request.memberId);
    if (!member) return fail(KafkaErrorCode.UNKNOWN_MEMBER_ID);
    // A rejoin that changes nothing gets the current generation back, unless the leader rejoins a
    // Stable group (it may have seen metadata change: the group rebalances).
    const unchanged = sameProtocols(member.protocols, request.protocols);
    const isLeader = this.leaderId === member.memberId;
    if (
      unchanged &&
      (this.stateName === 'CompletingRebalance' || (this.stateName === 'Stable' && !isLeader))
    ) {
      this.startSession(member);
      return Promise.resolve(this.joinAnswer(member));
    }
    return this.updateMemberAndRebalance(member, request);
  }

  /** The leader hands out assignments, followers wait for them; resolves once they are persisted. */
  sync(request: SyncRequest): Promise<SyncResult> {
    const fail = (errorCode: number) => Promise.resolve(this.syncAnswer(errorCode, EMPTY));
    if (this.stateName === 'Dead') return fail(KafkaErrorCode.NOT_COORDINATOR);
    if (this.isFenced(request.memberId, request.groupInstanceId ?? null))
      return fail(KafkaErrorCode.FENCED_INSTANCE_ID);
    const member = this.members.get(request.memberId);
    if (!member || this.stateName === 'Empty') return fail(KafkaErrorCode.UNKNOWN_MEMBER_ID);
    if (request.generationId !== this.generation) return fail(KafkaErrorCode.ILLEGAL_GENERATION);
    if (
      (request.protocolType !== null && request.protocolType !== this.type) ||
      (request.protocolName !== null && request.protocolName !== this.protocol)
    ) {
      return fail(KafkaErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    if (this.stateName === 'PreparingRebalance') return fail(KafkaErrorCode.REBALANCE_IN_PROGRESS);
    this.startSession(member);
    if (this.stateName === 'Stable')
      return Promise.resolve(this.syncAnswer(KafkaErrorCode.NONE, member.assignment));
    const answer = new Promise<SyncResult>((resolve) => {
      member.awaitingSync?.(this.syncAnswer(KafkaErrorCode.REBALANCE_IN_PROGRESS, EMPTY));
      member.awaitingSync = resolve;
    });
    if (member.memberId === this.leaderId) this.completeSync(request.assignments);
    return answer;
  }

  /** A member's heartbeat: keeps its session alive and tells it when a rebalance started. */
  heartbeat(memberId: string, generationId: number, groupInstanceId: string | null = null): number {
    if (this.stateName === 'Dead') return KafkaErrorCode.NOT_COORDINATOR;
    if (this.isFenced(memberId, groupInstanceId)) return KafkaErrorCode.FENCED_INSTANCE_ID;
    const member = this.members.get(memberId);
    if (!member || this.stateName === 'Empty') return KafkaErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generation) return KafkaErrorCode.ILLEGAL_GENERATION;
    this.startSession(member);
    return this.stateName === 'PreparingRebalance'
      ? KafkaErrorCode.REBALANCE_IN_PROGRESS
      : KafkaErrorCode.NONE;
  }

  /**
   * Members leave, each named by member id or (static members, v3+) instance id: each answered NONE,
   * UNKNOWN_MEMBER_ID, or FENCED_INSTANCE_ID (an instance id held by another member id); the rest rebalance.
   */
  leave(leaving: ReadonlyArray<{ memberId: string; groupInstanceId: string | null }>): number[] {
    return leaving.map(({ memberId, groupInstanceId }) => {
      if (this.stateName === 'Dead') return KafkaErrorCode.NOT_COORDINATOR;
      const pending = this.pendingMembers.get(memberId);
      if (pending) {
        clearTimeout(pending);
        this.pendingMembers.delete(memberId);
        this.tryCompleteJoin();
        return KafkaErrorCode.NONE;
      }
      const known = groupInstanceId === null ? memberId : this.staticMembers.get(groupInstanceId);
      if (known !== undefined && memberId !== '' && known !== memberId)
        return KafkaErrorCode.FENCED_INSTANCE_ID;
      const member = known === undefined ? undefined : this.members.get(known);
      if (!member) return KafkaErrorCode.UNKNOWN_MEMBER_ID;
      this.removeMember(member);
      return KafkaErrorCode.NONE;
    });
  }

  /**
   * Whether a member may commit offsets now (NONE) or why not. A commit with generation -1 and no
   * member id is an admin commit, allowed while the group has no members. A member's commit counts
   * as a heartbeat.
   */
  validateCommit(memberId: string, generationId: number, groupInstanceId: string | null = null): number {
    if (this.stateName === 'Dead') return KafkaErrorCode.NOT_COORDINATOR;
    if (this.isFenced(memberId, groupInstanceId)) return KafkaErrorCode.FENCED_INSTANCE_ID;
    if (generationId < 0 && memberId === '') {
      return this.stateName === 'Empty' ? KafkaErrorCode.NONE : KafkaErrorCode.UNKNOWN_MEMBER_ID;
    }
    const member = this.members.get(memberId);
    if (!member) return KafkaErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generation) return KafkaErrorCode.ILLEGAL_GENERATION;
    if (this.stateName === 'CompletingRebalance') return KafkaErrorCode.REBALANCE_IN_PROGRESS;
    this.startSession(member);
    return KafkaErrorCode.NONE;
  }

  /** The group for DescribeGroups. */
  describe(): GroupDescription {
    const stable = this.stateName === 'Stable';
    return {
      state: this.stateName,
      protocolType: this.type ?? '',
      protocolName: stable ? (this.protocol ?? '') : '',
      members: [...this.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        metadata: stable ? this.selectedMetadata(member) : EMPTY,
        assignment: stable ? member.assignment : EMPTY,
      })),
    };
  }

  /** The metadata of every protocol of every member (e.g. their subscriptions). */
  memberMetadata(): Uint8Array[] {
    return [...this.members.values()].flatMap((member) =>
      member.protocols.map((protocol) => protocol.metadata),
    );
  }

  /** The state to persist: generation, protocol, leader, members with their metadata and assignments. */
  snapshot(): GroupSnapshot {
    return {
      groupId: this.groupId,
      generationId: this.generation,
      protocolType: this.type,
      protocolName: this.protocol,
      leader: this.leaderId,
      members: [...this.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        sessionTimeoutMs: member.sessionTimeoutMs,
        rebalanceTimeoutMs: member.rebalanceTimeoutMs,
        metadata: this.selectedMetadata(member),
        assignment: member.assignment,
      })),
    };
  }

  /**
   * Ends the group on this broker (it stopped, or another broker coordinates it now): pending joins
   * and syncs answer NOT_COORDINATOR so clients look the coordinator up again; timers stop.
   */
  unload(): void {
    this.stateName = 'Dead';
    clearTimeout(this.barrierTimer);
    for (const timer of this.pendingMembers.values()) clearTimeout(timer);
    this.pendingMembers.clear();
    for (const member of this.members.values()) {
      clearTimeout(member.sessionTimer);
      this.answerJoin(member, joinError(KafkaErrorCode.NOT_COORDINATOR, member.memberId));
      this.answerSync(member, this.syncAnswer(KafkaErrorCode.NOT_COORDINATOR, EMPTY));
    }
  }

  /** Resolves when every snapshot handed to `persist` so far has been written (or failed). */
  settled(): Promise<void> {
    return this.persisting;
  }

  private supportsProtocols(request: JoinRequest): boolean {
    if (request.protocolType === '' || request.protocols.length === 0) return false;
    if (this.members.size === 0) return true;
    if (request.protocolType !== this.type) return false;
    const candidates = this.candidateProtocols();
    return request.protocols.some((protocol) => candidates.has(protocol.name));
  }

  /** Protocols every member supports. */
  private candidateProtocols(): Set<string> {
    let candidates: Set<string> | undefined;
    for (const member of this.members.values()) {
      const names = new Set(member.protocols.map((protocol) => protocol.name));
      candidates = candidates ? new Set([...candidates].filter((name) => names.has(name))) : names;
    }
    return candidates ?? new Set();
  }

  /** Each member votes for its most preferred candidate; the most votes win (ties: first voted). */
  private selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const choice = member.protocols.find((protocol) => candidates.has(protocol.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    return best;
  }

  private selectedMetadata(member: Member): Uint8Array {
    return member.protocols.find((protocol) => protocol.name === this.protocol)?.metadata ?? EMPTY;
  }

  /** Whether a request names a static member's instance id with another member id than the instance's. */
  private isFenced(memberId: string, groupInstanceId: string | null): boolean {
    if (groupInstanceId === null) return false;
    const known = this.staticMembers.get(groupInstanceId);
    return known !== undefined && known !== memberId;
  }

  /**
   * A static member rejoined under a new member id (it restarted): the new id takes the old one's
   * place, assignment and leadership; the old id is fenced. A Stable group with unchanged protocols
   * does not rebalance: the member gets the current generation back (and syncs its assignment).
   */
  private replaceStaticMember(oldId: string, newId: string, request: JoinRequest): Promise<JoinResult> {
    const old = this.members.get(oldId) as Member;
    clearTimeout(old.sessionTimer);
    this.answerJoin(old, joinError(KafkaErrorCode.FENCED_INSTANCE_ID, oldId));
    this.answerSync(old, this.syncAnswer(KafkaErrorCode.FENCED_INSTANCE_ID, EMPTY));
    const members = [...this.members.values()].map((member) =>
      member === old
        ? {
            ...old,
            memberId: newId,
            awaitingJoin: undefined,
            awaitingSync: undefined,
            sessionTimer: undefined,
          }
        : member,
    );
    this.members.clear();
    for (const member of members) this.members.set(member.memberId, member);
    this.staticMembers.set(request.groupInstanceId as string, newId);
    if (this.leaderId === oldId) this.leaderId = newId;
    const member = this.members.get(newId) as Member;
    if (this.stateName === 'Stable' && sameProtocols(old.protocols, request.protocols)) {
      this.startSession(member);
      this.persist().catch(() => undefined);
      return Promise.resolve(this.joinAnswer(member));
    }
    return this.updateMemberAndRebalance(member, request);
  }

  private addPendingMember(memberId: string, sessionTimeoutMs: number): void {
    const timer = setTimeout(() => {
      this.pendingMembers.delete(memberId);
      this.tryCompleteJoin();
    }, sessionTimeoutMs);
    this.pendingMembers.set(memberId, timer);
  }

  private addMemberAndRebalance(memberId: string, request: JoinRequest): Promise<JoinResult> {
    const member: Member = {
      memberId,
      groupInstanceId: request.groupInstanceId,
      clientId: request.clientId,
      clientHost: request.clientHost,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      protocols: request.protocols,
      assignment: EMPTY,
    };
    if (this.members.size === 0) this.type = request.protocolType;
    this.members.set(memberId, member);
    if (request.groupInstanceId !== null) this.staticMembers.set(request.groupInstanceId, memberId);
    return this.awaitJoin(member);
  }

  private updateMemberAndRebalance(member: Member, request: JoinRequest): Promise<JoinResult> {
    member.clientId = request.clientId;
    member.clientHost = request.clientHost;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.protocols = request.protocols;
    return this.awaitJoin(member);
  }

  private awaitJoin(member: Member): Promise<JoinResult> {
    const answer = new Promise<JoinResult>((resolve) => {
      this.answerJoin(member, joinError(KafkaErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
      member.awaitingJoin = resolve;
    });
    this.startSession(member);
    if (this.stateName !== 'PreparingRebalance') this.prepareRebalance();
    this.tryCompleteJoin();
    return answer;
  }

  /** Opens the join barrier: members must rejoin within the largest rebalance timeout. */
  private prepareRebalance(): void {
    if (this.stateName === 'CompletingRebalance') this.failPendingSyncs(KafkaErrorCode.REBALANCE_IN_PROGRESS);
    const now = Date.now();
    this.barrierEarliestMs = this.stateName === 'Empty' ? now + this.timings.initialRebalanceDelayMs : now;
    this.stateName = 'PreparingRebalance';
    const timeoutMs = Math.max(0, ...[...this.members.values()].map((member) => member.rebalanceTimeoutMs));
    this.barrierDeadlineMs = now + timeoutMs;
    this.scheduleBarrier(Math.min(this.barrierEarliestMs, this.barrierDeadlineMs));
  }

  /** At the end of the initial delay the barrier may complete; at its deadline it does. */
  private scheduleBarrier(atMs: number): void {
    clearTimeout(this.barrierTimer);
    this.barrierTimer = setTimeout(() => {
      if (Date.now() >= this.barrierDeadlineMs) return this.completeJoin();
      this.tryCompleteJoin();
      if (this.stateName === 'PreparingRebalance') this.scheduleBarrier(this.barrierDeadlineMs);
    }, atMs - Date.now());
  }

  private tryCompleteJoin(): void {
    if (this.stateName !== 'PreparingRebalance' || Date.now() < this.barrierEarliestMs) return;
    if (this.pendingMembers.size > 0) return;
    for (const member of this.members.values()) if (!member.awaitingJoin) return;
    this.completeJoin();
  }

  /** Closes the join barrier: members that did not rejoin leave; a new generation starts. */
  private completeJoin(): void {
    if (this.stateName !== 'PreparingRebalance') return;
    clearTimeout(this.barrierTimer);
    for (const member of this.members.values()) {
      if (!member.awaitingJoin) {
        clearTimeout(member.sessionTimer);
        this.members.delete(member.memberId);
      }
    }
    this.generation += 1;
    if (this.members.size === 0) {
      this.stateName = 'Empty';
      this.protocol = null;
      this.leaderId = null;
      // A lost write leaves the previous snapshot: its members expire on the next coordinator.
      this.persist().catch(() => undefined);
      return;
    }
    this.stateName = 'CompletingRebalance';
    this.protocol = this.selectProtocol();
    if (!this.leaderId || !this.members.has(this.leaderId))
      this.leaderId = this.members.keys().next().value ?? null;
    for (const member of this.members.values()) {
      member.assignment = EMPTY;
      this.startSession(member);
      this.answerJoin(member, this.joinAnswer(member));
    }
  }

  private completeSync(assignments: ReadonlyArray<{ memberId: string; assignment: Uint8Array }>): void {
    const given = new Map(assignments.map((entry) => [entry.memberId, entry.assignment]));
    for (const member of this.members.values()) member.assignment = given.get(member.memberId) ?? EMPTY;
    const generation = this.generation;
    const stillCompleting = () => this.stateName === 'CompletingRebalance' && this.generation === generation;
    this.persist().then(
      () => {
        if (!stillCompleting()) return;
        this.stateName = 'Stable';
        for (const member of this.members.values()) {
          this.answerSync(member, this.syncAnswer(KafkaErrorCode.NONE, member.assignment));
        }
      },
      () => {
        if (!stillCompleting()) return;
        this.failPendingSyncs(KafkaErrorCode.COORDINATOR_NOT_AVAILABLE);
        this.prepareRebalance();
      },
    );
  }

  private failPendingSyncs(errorCode: number): void {
    for (const member of this.members.values()) {
      member.assignment = EMPTY;
      this.answerSync(member, this.syncAnswer(errorCode, EMPTY));
    }
  }

  private removeMember(member: Member): void {
    clearTimeout(member.sessionTimer);
    this.members.delete(member.memberId);
    if (
      member.groupInstanceId !== null &&
      this.staticMembers.get(member.groupInstanceId) === member.memberId
    ) {
      this.staticMembers.delete(member.groupInstanceId);
    }
    this.answerJoin(member, joinError(KafkaErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    this.answerSync(member, this.syncAnswer(KafkaErrorCode.UNKNOWN_MEMBER_ID, EMPTY));
    if (this.stateName === 'Stable' || this.stateName === 'CompletingRebalance') this.prepareRebalance();
    this.tryCompleteJoin();
  }

  /** (Re)starts a member's session; it expires unless a join or sync of the member is pending. */
  private startSession(member: Member): void {
    clearTimeout(member.sessionTimer);
    member.sessionTimer = setTimeout(() => {
      if (this.members.get(member.memberId) !== member) return;
      if (member.awaitingJoin || member.awaitingSync) this.startSession(member);
      else this.removeMember(member);
    }, member.sessionTimeoutMs);
  }

  private persist(): Promise<void> {
    const snapshot = this.snapshot();
    const written = this.persisting.then(() => this.hooks.persist(snapshot));
    this.persisting = written.catch(() => undefined);
    return written;
  }

  private joinAnswer(member: Member): JoinResult {
    const isLeader = member.memberId === this.leaderId;
    return {
      errorCode: KafkaErrorCode.NONE,
      generationId: this.generation,
      protocolType: this.type,
      protocolName: this.protocol,
      leader: this.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader
        ? [...this.members.values()].map((each) => ({
            memberId: each.memberId,
            groupInstanceId: each.groupInstanceId,
            metadata: this.selectedMetadata(each),
          }))
        : [],
    };
  }

  private syncAnswer(errorCode: number, assignment: Uint8Array): SyncResult {
    return { errorCode, protocolType: this.type, protocolName: this.protocol, assignment };
  }

  private answerJoin(member: Member, result: JoinResult): void {
    const resolve = member.awaitingJoin;
    member.awaitingJoin = undefined;
    resolve?.(result);
  }

  private answerSync(member: Member, result: SyncResult): void {
    const resolve = member.awaitingSync;
    member.awaitingSync = undefined;
    resolve?.(result);
  }
}

function joinError(errorCode: number, memberId: string): JoinResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    memberId,
    members: [],
  };
}

function sameProtocols(a: readonly MemberProtocol[], b: readonly MemberProtocol[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (protocol, index) =>
        protocol.name === b[index]?.name &&
        Buffer.from(protocol.metadata).equals(Buffer.from(b[index].metadata)),
    )
  );
}
