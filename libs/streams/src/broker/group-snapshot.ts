import { CorruptSegmentError } from '../errors.js';

/** One member of a persisted group, with the metadata of the group's protocol and its assignment. */
export interface SnapshotMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly metadata: Uint8Array;
  readonly assignment: Uint8Array;
}

/** What a coordinator persists of a group so that the next coordinator carries on with it. */
export interface GroupSnapshot {
  readonly groupId: string;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string | null;
  readonly members: readonly SnapshotMember[];
}

/**
 * The JSON document of a group in the store: the snapshot with bytes in base64, and a revision
 * that each write increments; a coordinator writes only over the revision it last read or wrote,
 * so a coordinator that lost the group to another broker cannot overwrite the newer state.
 */
export interface GroupDocument {
  readonly revision: number;
  readonly groupId: string;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string | null;
  readonly members: ReadonlyArray<
    Omit<SnapshotMember, 'metadata' | 'assignment'> & { metadata: string; assignment: string }
  >;
}

/** The document of a snapshot at a revision. */
export function toGroupDocument(snapshot: GroupSnapshot, revision: number): GroupDocument {
  return {
    revision,
    ...snapshot,
    members: snapshot.members.map((member) => ({
      ...member,
      metadata: Buffer.from(member.metadata).toString('base64'),
      assignment: Buffer.from(member.assignment).toString('base64'),
    })),
  };
}

/** The snapshot of a document read from the store; throws `CorruptSegmentError` on a foreign shape. */
export function fromGroupDocument(document: unknown): { snapshot: GroupSnapshot; revision: number } {
  const value = document as GroupDocument;
  if (
    typeof value?.revision !== 'number' ||
    typeof value.generationId !== 'number' ||
    !Array.isArray(value.members)
  ) {
    throw new CorruptSegmentError('a consumer group document in the store does not parse');
  }
  const { revision, ...snapshot } = value;
  return {
    revision,
    snapshot: {
      ...snapshot,
      members: value.members.map((member) => ({
        ...member,
        metadata: new Uint8Array(Buffer.from(member.metadata, 'base64')),
        assignment: new Uint8Array(Buffer.from(member.assignment, 'base64')),
      })),
    },
  };
}
