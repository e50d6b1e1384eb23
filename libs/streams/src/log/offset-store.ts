import type { ObjectStore } from '@isthmus/storage';
import type { JsonDocuments } from './json-document.js';
import { decodeGroupId, type StoreLayout } from './layout.js';

/** A topic partition. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** An offset to commit for a partition. */
export interface OffsetCommit extends TopicPartition {
  offset: bigint;
  /** Default -1 (unknown). */
  leaderEpoch?: number;
  /** Default null. */
  metadata?: string | null;
}

/** A committed offset as fetched; `offset` is -1 when none was committed. */
export interface CommittedOffset extends TopicPartition {
  offset: bigint;
  leaderEpoch: number;
  metadata: string | null;
  commitTimestampMs: number;
}

interface StoredOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
  commitTimestampMs: number;
}

/** The offsets document of a group: topic → partition → offset. */
interface OffsetsDocument {
  topics: Record<string, Record<string, StoredOffset>>;
}

/**
 * The committed offsets of one consumer group: one document (`groups/<group>/offsets.json`),
 * merged by compare-and-swap, so commits from several brokers never lose each other's partitions.
 */
export class OffsetStore {
  readonly #store: ObjectStore;
  readonly #json: JsonDocuments;
  readonly #key: string;

  constructor(
    store: ObjectStore,
    json: JsonDocuments,
    layout: StoreLayout,
    readonly group: string,
  ) {
    this.#store = store;
    this.#json = json;
    this.#key = layout.groupDocument(group, 'offsets');
  }

  /** Commits offsets (merged with the partitions committed before). */
  async commit(entries: OffsetCommit[]): Promise<void> {
    if (entries.length === 0) return;
    const commitTimestampMs = Date.now();
    await this.#json.update<OffsetsDocument>(this.#key, (current) => {
      const topics = structuredClone(current?.topics ?? {});
      for (const entry of entries) {
        topics[entry.topic] ??= {};
        topics[entry.topic]![entry.partition] = {
          offset: Number(entry.offset),
          leaderEpoch: entry.leaderEpoch ?? -1,
          metadata: entry.metadata ?? null,
          commitTimestampMs,
        };
      }
      return { topics };
    });
  }

  /** The committed offsets of `partitions` (-1 where none), or of every committed partition. */
  async fetch(partitions?: TopicPartition[]): Promise<CommittedOffset[]> {
    const topics = (await this.#json.read<OffsetsDocument>(this.#key))?.value.topics ?? {};
    const wanted =
      partitions ??
      Object.entries(topics).flatMap(([topic, byPartition]) =>
        Object.keys(byPartition).map((partition) => ({ topic, partition: Number(partition) })),
      );
    return wanted.map(({ topic, partition }) => {
      const stored = topics[topic]?.[partition];
      return stored
        ? { topic, partition, ...stored, offset: BigInt(stored.offset) }
        : { topic, partition, offset: -1n, leaderEpoch: -1, metadata: null, commitTimestampMs: -1 };
    });
  }

  /** Forgets the committed offsets of `partitions`, or all of the group's. */
  async delete(partitions?: TopicPartition[]): Promise<void> {
    if (!partitions) {
      await this.#store.delete(this.#key);
      return;
    }
    await this.#json.update<OffsetsDocument>(this.#key, (current) => {
      if (!current) return undefined;
      const topics = structuredClone(current.topics);
      for (const { topic, partition } of partitions) {
        delete topics[topic]?.[partition];
        if (topics[topic] && Object.keys(topics[topic]).length === 0) delete topics[topic];
      }
      return { topics };
    });
  }
}

/** Every group with a folder in the store (committed offsets or coordinator state). */
export async function listGroups(store: ObjectStore, layout: StoreLayout): Promise<string[]> {
  const groups: string[] = [];
  for await (const entry of store.list({ prefix: layout.groupsPrefix, delimiter: '/' })) {
    if (entry.kind === 'prefix')
      groups.push(decodeGroupId(entry.prefix.slice(layout.groupsPrefix.length, -1)));
  }
  return groups;
}
