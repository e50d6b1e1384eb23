import { randomUUID } from 'node:crypto';
import { type ObjectStore, PreconditionFailedError } from '@isthmus/storage';
import {
  InvalidArgumentError,
  TopicExistsError,
  UnknownPartitionError,
  UnknownTopicError,
} from '../errors.js';
import type { JsonDocuments } from './json-document.js';
import type { StoreLayout } from './layout.js';

/** What the catalog knows about a topic. */
export interface TopicInfo {
  name: string;
  /** The topic id (a UUID); a topic deleted and created again gets a new one. */
  id: string;
  partitions: number;
  config: Record<string, string>;
  createdAtMs: number;
}

/** Longest topic name Kafka accepts. */
export const MAX_TOPIC_NAME_LENGTH = 249;

/** Most partitions one topic may have here. */
export const MAX_PARTITIONS = 10_000;

/** Throws `InvalidArgumentError` unless `name` is a legal Kafka topic name. */
export function assertValidTopicName(name: string): void {
  if (typeof name !== 'string' || name.length === 0)
    throw new InvalidArgumentError('a topic name may not be empty');
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    throw new InvalidArgumentError(`topic name longer than ${MAX_TOPIC_NAME_LENGTH} characters: ${name}`);
  }
  if (name === '.' || name === '..') throw new InvalidArgumentError(`topic name may not be "${name}"`);
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    throw new InvalidArgumentError(
      `topic name ${JSON.stringify(name)} has characters outside [a-zA-Z0-9._-]`,
    );
  }
  if (name.startsWith('.isthmus-'))
    throw new InvalidArgumentError(`topic names starting with ".isthmus-" are reserved`);
}

/**
 * The topics of a store: one catalog document per topic, created create-only and changed by
 * compare-and-swap. Lookups on the produce and fetch paths are cached for `cacheMs`; a miss (an
 * unknown topic, or a partition beyond the cached count) always reads the store again.
 */
export class TopicCatalog {
  readonly #store: ObjectStore;
  readonly #json: JsonDocuments;
  readonly #layout: StoreLayout;
  readonly #cacheMs: number;
  readonly #cache = new Map<string, { info: TopicInfo; readAtMs: number }>();

  constructor(store: ObjectStore, json: JsonDocuments, layout: StoreLayout, cacheMs = 1000) {
    this.#store = store;
    this.#json = json;
    this.#layout = layout;
    this.#cacheMs = cacheMs;
  }

  /** Creates a topic; `TopicExistsError` if the name is taken, `InvalidArgumentError` for bad input. */
  async create(
    name: string,
    options: { partitions: number; config?: Record<string, string> },
  ): Promise<TopicInfo> {
    assertValidTopicName(name);
    assertPartitionCount(options.partitions);
    const info: TopicInfo = {
      name,
      id: randomUUID(),
      partitions: options.partitions,
      config: { ...(options.config ?? {}) },
      createdAtMs: Date.now(),
    };
    try {
      await this.#store.put(this.#layout.topic(name), JSON.stringify(info), {
        ifNoneMatch: '*',
        contentType: 'application/json',
      });
    } catch (error) {
      if (error instanceof PreconditionFailedError)
        throw new TopicExistsError(`topic ${name} exists already`);
      throw error;
    }
    this.#remember(info);
    return info;
  }

  /** The topic as stored now; `UnknownTopicError` if there is none. */
  async describe(name: string): Promise<TopicInfo> {
    assertValidTopicName(name);
    const document = await this.#json.read<TopicInfo>(this.#layout.topic(name));
    if (!document) {
      this.#cache.delete(name);
      throw new UnknownTopicError(`unknown topic ${name}`);
    }
    this.#remember(document.value);
    return document.value;
  }

  /**
   * The topic, from the cache when fresh and holding `partition`; else from the store. Throws
   * `UnknownTopicError` / `UnknownPartitionError`.
   */
  async lookup(name: string, partition?: number): Promise<TopicInfo> {
    const cached = this.#cache.get(name);
    const fresh = cached && Date.now() - cached.readAtMs <= this.#cacheMs;
    const info =
      fresh && (partition === undefined || partition < cached.info.partitions)
        ? cached.info
        : await this.describe(name);
    if (
      partition !== undefined &&
      !(Number.isInteger(partition) && partition >= 0 && partition < info.partitions)
    ) {
      throw new UnknownPartitionError(
        `topic ${name} has no partition ${partition} (it has ${info.partitions})`,
      );
    }
    return info;
  }

  /** Every topic, by name. */
  async list(): Promise<TopicInfo[]> {
    const names: string[] = [];
    for await (const entry of this.#store.list({ prefix: this.#layout.topicsPrefix, delimiter: '/' })) {
      if (entry.kind === 'prefix') names.push(entry.prefix.slice(this.#layout.topicsPrefix.length, -1));
    }
    const infos = await Promise.all(
      names.map((name) =>
        this.describe(name).catch((error) => {
          if (error instanceof UnknownTopicError) return undefined; // deleted meanwhile, or leftovers
          throw error;
        }),
      ),
    );
    return infos.filter((info): info is TopicInfo => info !== undefined);
  }

  /** Grows a topic to `total` partitions (never shrinks: `InvalidArgumentError`). */
  async addPartitions(name: string, total: number): Promise<TopicInfo> {
    assertValidTopicName(name);
    assertPartitionCount(total);
    const updated = await this.#json.update<TopicInfo>(this.#layout.topic(name), (current) => {
      if (!current) throw new UnknownTopicError(`unknown topic ${name}`);
      if (total < current.partitions) {
        throw new InvalidArgumentError(
          `topic ${name} has ${current.partitions} partitions; it cannot shrink to ${total}`,
        );
      }
      return total === current.partitions ? undefined : { ...current, partitions: total };
    });
    this.#remember(updated!.value);
    return updated!.value;
  }

  /**
   * Deletes a topic: its catalog entry first (it is gone for everyone at once), then its heads and
   * index chunks. Its segments are shared with other topics' data and left to a sweeper.
   */
  async delete(name: string): Promise<TopicInfo> {
    const info = await this.describe(name);
    await this.#store.delete(this.#layout.topic(name));
    this.#cache.delete(name);
    const keys: string[] = [];
    for await (const entry of this.#store.list({ prefix: this.#layout.topicData(name, info.id) })) {
      if (entry.kind === 'object') keys.push(entry.key);
    }
    await this.#store.deleteMany(keys);
    return info;
  }

  #remember(info: TopicInfo): void {
    this.#cache.set(info.name, { info, readAtMs: Date.now() });
  }
}

function assertPartitionCount(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
    throw new InvalidArgumentError(
      `partition count must be an integer from 1 to ${MAX_PARTITIONS}, not ${partitions}`,
    );
  }
}
