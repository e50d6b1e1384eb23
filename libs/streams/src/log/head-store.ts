import type { ObjectStore } from '@isthmus/storage';
import {
  type DocumentUpdate,
  type JsonDocuments,
  parseJson,
  type VersionedDocument,
} from './json-document.js';
import type { StoreLayout } from './layout.js';
import { emptyHead, type IndexChunk, type IndexChunkRef, type PartitionHead } from './partition-head.js';
import type { ReadCache } from './read-cache.js';
import type { TopicInfo } from './topic-catalog.js';

/** A partition head as read (`etag` undefined: the partition has no head object yet). */
export interface HeadVersion {
  value: PartitionHead;
  etag?: string;
}

/**
 * Partition heads and index chunks of a store, with a cache: the heads this process committed or
 * read lately (reused while younger than the caller's `maxAgeMs`; concurrent reads of one head
 * share one GET) and immutable index chunks in the read cache.
 */
export class HeadStore {
  readonly #store: ObjectStore;
  readonly #json: JsonDocuments;
  readonly #layout: StoreLayout;
  readonly #chunks: ReadCache;
  readonly #cache = new Map<string, { version: HeadVersion; readAtMs: number }>();
  readonly #reading = new Map<string, Promise<HeadVersion>>();

  constructor(store: ObjectStore, json: JsonDocuments, layout: StoreLayout, chunks: ReadCache) {
    this.#store = store;
    this.#json = json;
    this.#layout = layout;
    this.#chunks = chunks;
  }

  /** The store key of a partition's head. */
  keyOf(topic: TopicInfo, partition: number): string {
    return this.#layout.partitionHead(topic.name, topic.id, partition);
  }

  /** The head, from the cache if it is at most `maxAgeMs` old, else from the store. */
  async get(topic: TopicInfo, partition: number, maxAgeMs: number): Promise<HeadVersion> {
    const key = this.keyOf(topic, partition);
    const cached = this.#cache.get(key);
    if (cached && Date.now() - cached.readAtMs <= maxAgeMs) return cached.version;
    const reading = this.#reading.get(key);
    if (reading) return reading;
    const startedAtMs = Date.now();
    const promise = this.#json.read<PartitionHead>(key).then((document) => {
      const version: HeadVersion = document ?? { value: emptyHead() };
      this.#remember(key, version, startedAtMs);
      return version;
    });
    this.#reading.set(key, promise);
    try {
      return await promise;
    } finally {
      this.#reading.delete(key);
    }
  }

  /** Changes a head by compare-and-swap, starting from the cached version; caches the result. */
  async update(
    topic: TopicInfo,
    partition: number,
    update: DocumentUpdate<PartitionHead>,
  ): Promise<VersionedDocument<PartitionHead> | undefined> {
    const key = this.keyOf(topic, partition);
    const cached = this.#cache.get(key)?.version;
    const known = cached?.etag === undefined ? undefined : (cached as VersionedDocument<PartitionHead>);
    const updated = await this.#json.update<PartitionHead>(key, update, known);
    if (updated) this.#remember(key, updated, Date.now());
    return updated;
  }

  /** The key of a new index chunk of a partition. */
  chunkKey(topic: TopicInfo, partition: number, baseOffset: number, lastOffset: number): string {
    return this.#layout.indexChunk(topic.name, topic.id, partition, baseOffset, lastOffset);
  }

  /** Writes an index chunk (immutable: written once, before the head that refers to it). */
  async writeChunk(key: string, chunk: IndexChunk): Promise<void> {
    const bytes = new TextEncoder().encode(JSON.stringify(chunk));
    await this.#store.put(key, bytes, { contentType: 'application/json' });
    this.#chunks.set(key, bytes);
  }

  /** The entries of an index chunk. */
  async readChunk(ref: IndexChunkRef): Promise<IndexChunk> {
    let bytes = this.#chunks.get(ref.key);
    if (!bytes) {
      bytes = await this.#store.get(ref.key);
      this.#chunks.set(ref.key, bytes);
    }
    return parseJson<IndexChunk>(ref.key, bytes);
  }

  /** Deletes index chunks no head refers to any more. */
  async deleteChunks(refs: IndexChunkRef[]): Promise<void> {
    await this.#store.deleteMany(refs.map((ref) => ref.key));
  }

  #remember(key: string, version: HeadVersion, readAtMs: number): void {
    const cached = this.#cache.get(key);
    // Never replace a newer head with an older one read concurrently.
    if (cached && cached.version.value.nextOffset > version.value.nextOffset) return;
    this.#cache.set(key, { version, readAtMs });
  }
}
