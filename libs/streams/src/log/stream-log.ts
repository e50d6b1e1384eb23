import type { ObjectStore } from '@isthmus/storage';
import {
  ClosedError,
  CorruptBatchError,
  InvalidArgumentError,
  OffsetOutOfRangeError,
  UnknownPartitionError,
  UnknownTopicError,
} from '../errors.js';
import { parseBatches, verifyBatch } from '../protocol/record-batch.js';
import { BrokerRegistry, DEFAULT_LEASE_MS } from './broker-registry.js';
import { DataWatcher } from './data-watcher.js';
import { FlushBuffer } from './flush-buffer.js';
import { HeadStore } from './head-store.js';
import { type CasRetryPolicy, DEFAULT_CAS_RETRY, JsonDocuments } from './json-document.js';
import { StoreLayout } from './layout.js';
import { LogReader } from './log-reader.js';
import { listGroups, OffsetStore } from './offset-store.js';
import { emptyHead, truncateHead } from './partition-head.js';
import { ProducerIds } from './producer-ids.js';
import { ReadCache } from './read-cache.js';
import { SegmentRanges } from './segment-ranges.js';
import { TopicCatalog, type TopicInfo } from './topic-catalog.js';

/** Options of `StreamLog.open`. */
export interface StreamLogOptions {
  /** How long appends wait for company before a flush (default 250 ms). */
  flushWindowMs?: number;
  /** Buffered bytes that trigger a flush at once (default 8 MiB). */
  flushBytes?: number;
  /** How old a cached partition head may be for reads (default 100 ms; commits of this process refresh it). */
  headCacheMs?: number;
  /** How old a cached topic description may be for appends and reads (default 1000 ms). */
  topicCacheMs?: number;
  /** Bytes of segment ranges and index chunks kept in memory (default 64 MiB). */
  readCacheBytes?: number;
  /** Key prefix inside the store (default ''); ends with `/` unless empty. */
  prefix?: string;
  /** How often `waitForData` polls the heads of partitions other brokers write (default 500 ms). */
  pollIntervalMs?: number;
  /** Index entries a partition head holds before older ones roll into a chunk (default 400). */
  headEntriesLimit?: number;
  /** Broker lease length (default 10 s). */
  leaseMs?: number;
  /** Retry budget of compare-and-swap commits. */
  casRetry?: CasRetryPolicy;
}

/** Where an append landed. */
export interface AppendedBatch {
  baseOffset: bigint;
  logStartOffset: bigint;
}

/** A read's batches (base offsets set) and the partition's bounds. */
export interface ReadBatches {
  batches: Uint8Array[];
  highWatermark: bigint;
  logStartOffset: bigint;
}

/**
 * The durable state of `@isthmus/streams` on one object store: topics, partitions' logs, producer
 * ids, consumer groups' committed offsets and the live brokers. Stateless between calls apart from
 * caches: any number of `StreamLog`s (brokers) may share a store.
 */
export class StreamLog {
  /** Key-value JSON documents with compare-and-swap, for the broker's own state (e.g. groups). */
  readonly json: JsonDocuments;
  /** The live brokers of the store. */
  readonly registry: BrokerRegistry;
  /** Every key of the store layout. */
  readonly layout: StoreLayout;
  readonly #catalog: TopicCatalog;
  readonly #heads: HeadStore;
  readonly #buffer: FlushBuffer;
  readonly #reader: LogReader;
  readonly #watcher: DataWatcher;
  readonly #producerIds: ProducerIds;
  #closed = false;
  /** Settles once every append called so far has entered the buffer (or failed before). */
  #entering: Promise<void> = Promise.resolve();

  private constructor(
    readonly store: ObjectStore,
    options: StreamLogOptions,
  ) {
    const prefix = options.prefix ?? '';
    if (prefix !== '' && !prefix.endsWith('/'))
      throw new InvalidArgumentError(`prefix must end with "/": ${prefix}`);
    this.layout = new StoreLayout(prefix);
    this.json = new JsonDocuments(store, options.casRetry ?? DEFAULT_CAS_RETRY);
    const cache = new ReadCache(options.readCacheBytes ?? 64 * 1024 * 1024);
    const ranges = new SegmentRanges(store, cache);
    this.#catalog = new TopicCatalog(store, this.json, this.layout, options.topicCacheMs ?? 1000);
    this.#heads = new HeadStore(store, this.json, this.layout, cache);
    this.registry = new BrokerRegistry(store, this.json, this.layout, options.leaseMs ?? DEFAULT_LEASE_MS);
    this.#watcher = new DataWatcher(this.#heads, options.pollIntervalMs ?? 500);
    this.#reader = new LogReader(this.#heads, ranges, options.headCacheMs ?? 100);
    this.#producerIds = new ProducerIds(this.json, this.layout);
    this.#buffer = new FlushBuffer(
      store,
      this.layout,
      this.#heads,
      ranges,
      {
        flushWindowMs: options.flushWindowMs ?? 250,
        flushBytes: options.flushBytes ?? 8 * 1024 * 1024,
        headEntriesLimit: options.headEntriesLimit ?? 400,
        node: () => (this.registry.nodeId === undefined ? 'x' : String(this.registry.nodeId)),
      },
      (topic, partition, head) => this.#watcher.notify(topic, partition, head.nextOffset),
    );
  }

  /** Opens the log kept in `store` (nothing is written until something changes). */
  static async open(store: ObjectStore, options: StreamLogOptions = {}): Promise<StreamLog> {
    return new StreamLog(store, options);
  }

  /** Creates a topic: `TopicExistsError`, or `InvalidArgumentError` for a bad name or count. */
  createTopic(
    name: string,
    options: { partitions: number; config?: Record<string, string> },
  ): Promise<TopicInfo> {
    return this.#catalog.create(name, options);
  }

  /** Deletes a topic and its partitions' heads: `UnknownTopicError` if there is none. */
  async deleteTopic(name: string): Promise<void> {
    await this.#catalog.delete(name);
  }

  /** Every topic. */
  listTopics(): Promise<TopicInfo[]> {
    return this.#catalog.list();
  }

  /** One topic as stored now: `UnknownTopicError` if there is none. */
  describeTopic(name: string): Promise<TopicInfo> {
    return this.#catalog.describe(name);
  }

  /** Grows a topic to `total` partitions. */
  addPartitions(name: string, total: number): Promise<TopicInfo> {
    return this.#catalog.addPartitions(name, total);
  }

  /**
   * Appends one v2 record batch (CRC-checked here) to a partition; resolves once the segment and the
   * partition head are durable, with the batch's offset (an idempotent producer's retry resolves
   * with the offset it got the first time).
   */
  async append(topic: string, partition: number, batch: Uint8Array): Promise<AppendedBatch> {
    this.#assertOpen();
    const prepared = this.#prepareAppend(topic, partition, batch);
    // Batches enter the buffer in the order of the calls, whatever order their lookups finish in.
    const previous = this.#entering;
    const entered = (async () => {
      const { info, view } = await prepared;
      await previous;
      return { appended: this.#buffer.append(info, partition, view.bytes, view) };
    })();
    this.#entering = entered.then(
      () => undefined,
      () => undefined,
    );
    const result = await (await entered).appended;
    return { baseOffset: BigInt(result.baseOffset), logStartOffset: BigInt(result.logStartOffset) };
  }

  async #prepareAppend(topic: string, partition: number, batch: Uint8Array) {
    const info = await this.#catalog.lookup(topic, partition);
    const views = parseBatches(batch);
    if (views.length !== 1)
      throw new CorruptBatchError(`an append takes exactly one record batch, got ${views.length}`);
    verifyBatch(views[0]!);
    return { info, view: views[0]! };
  }

  /**
   * Batches from the one holding `offset`, about `maxBytes` of them (at least one if there is data),
   * with base offsets set: `OffsetOutOfRangeError` outside `[logStartOffset, highWatermark]`.
   */
  async read(topic: string, partition: number, offset: bigint, maxBytes: number): Promise<ReadBatches> {
    const [result] = await this.readMany([{ topic, partition, offset, maxBytes }]);
    if (result!.status === 'rejected') throw result!.reason;
    return result!.value;
  }

  /**
   * Several reads (e.g. the partitions of one fetch request), each settling on its own like `read`;
   * ranges that one flush wrote for several of them are fetched with one GET.
   */
  async readMany(
    requests: Array<{ topic: string; partition: number; offset: bigint; maxBytes: number }>,
  ): Promise<PromiseSettledResult<ReadBatches>[]> {
    const resolved = await Promise.allSettled(
      requests.map(async ({ topic, partition, offset, maxBytes }) => ({
        topic: await this.#catalog.lookup(topic, partition),
        partition,
        offset: Number(offset),
        maxBytes,
      })),
    );
    const valid = resolved.flatMap((lookup) => (lookup.status === 'fulfilled' ? [lookup.value] : []));
    const reads = await this.#reader.readMany(valid);
    let next = 0;
    return resolved.map((lookup): PromiseSettledResult<ReadBatches> => {
      if (lookup.status === 'rejected') return lookup;
      const read = reads[next++]!;
      if (read.status === 'rejected') return read;
      const { batches, highWatermark, logStartOffset } = read.value;
      return {
        status: 'fulfilled',
        value: { batches, highWatermark: BigInt(highWatermark), logStartOffset: BigInt(logStartOffset) },
      };
    });
  }

  /** A partition's log start and high watermark, from its head as stored now (not from a cache). */
  async offsets(
    topic: string,
    partition: number,
  ): Promise<{ logStartOffset: bigint; highWatermark: bigint }> {
    const info = await this.#catalog.lookup(topic, partition);
    const { value } = await this.#heads.get(info, partition, 0);
    return { logStartOffset: BigInt(value.logStartOffset), highWatermark: BigInt(value.nextOffset) };
  }

  /** The first offset with a record at or after `timestampMs` (-1: latest, -2: earliest). */
  async offsetForTimestamp(
    topic: string,
    partition: number,
    timestampMs: bigint,
  ): Promise<{ offset: bigint; timestampMs: bigint } | undefined> {
    const info = await this.#catalog.lookup(topic, partition);
    const found = await this.#reader.offsetForTimestamp(info, partition, Number(timestampMs));
    return found && { offset: BigInt(found.offset), timestampMs: BigInt(found.timestampMs) };
  }

  /**
   * Resolves when any position has data past its offset (this process's commits wake it at once,
   * other brokers' are polled), after `timeoutMs`, on `signal`, or on close. Unknown topics or
   * partitions are ignored.
   */
  async waitForData(
    positions: Array<{ topic: string; partition: number; offset: bigint }>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    if (this.#closed) return;
    const watched = await Promise.all(
      positions.map(async ({ topic, partition, offset }) => {
        try {
          return { topic: await this.#catalog.lookup(topic, partition), partition, offset: Number(offset) };
        } catch (error) {
          if (error instanceof UnknownTopicError || error instanceof UnknownPartitionError) return undefined;
          throw error;
        }
      }),
    );
    await this.#watcher.wait(
      watched.filter((position) => position !== undefined),
      timeoutMs,
      signal,
    );
  }

  /**
   * Moves a partition's log start to `offset` (-1: the high watermark); records before it are no
   * longer readable. `OffsetOutOfRangeError` past the high watermark. Resolves with the new start.
   */
  async deleteRecordsBefore(topic: string, partition: number, offset: bigint): Promise<bigint> {
    const info = await this.#catalog.lookup(topic, partition);
    let dropped: Awaited<ReturnType<typeof truncateHead>>['dropped'] = [];
    const updated = await this.#heads.update(info, partition, (current) => {
      const head = current ?? emptyHead();
      const target = offset === -1n ? head.nextOffset : Number(offset);
      if (target > head.nextOffset || target < 0) {
        throw new OffsetOutOfRangeError(
          `cannot delete records of ${topic}-${partition} before ${offset}: the high watermark is ${head.nextOffset}`,
        );
      }
      const truncated = truncateHead(head, target);
      dropped = truncated.dropped;
      return truncated.head.logStartOffset === head.logStartOffset ? undefined : truncated.head;
    });
    if (dropped.length > 0) await this.#heads.deleteChunks(dropped);
    return BigInt(updated?.value.logStartOffset ?? 0);
  }

  /** A producer id for InitProducerId, unique in the store. */
  allocateProducerId(): Promise<bigint> {
    return this.#producerIds.allocate();
  }

  /** The committed offsets of a consumer group. */
  offsetsOf(group: string): OffsetStore {
    return new OffsetStore(this.store, this.json, this.layout, group);
  }

  /** Every group with offsets or state in the store. */
  listGroups(): Promise<string[]> {
    return listGroups(this.store, this.layout);
  }

  /** Flushes buffered appends now and waits for their commits. */
  flush(): Promise<void> {
    return this.#buffer.flush();
  }

  /** Flushes what is buffered, wakes waiters, stops the heartbeat; later appends fail with `ClosedError`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#entering;
    await this.#buffer.close();
    this.#watcher.wakeAll();
    this.registry.stopHeartbeat();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('the log is closed');
  }
}
