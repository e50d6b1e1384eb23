import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '@isthmus/storage';
import { ClosedError } from '../errors.js';
import type { HeadStore } from './head-store.js';
import type { StoreLayout } from './layout.js';
import {
  applyBatches,
  type BatchHeader,
  type CommitOutcome,
  emptyHead,
  type PartitionHead,
  rollHead,
} from './partition-head.js';
import { encodeSegment } from './segment-format.js';
import type { SegmentRanges } from './segment-ranges.js';
import type { TopicInfo } from './topic-catalog.js';

/** Where an appended batch landed. */
export interface AppendResult {
  baseOffset: number;
  logStartOffset: number;
}

/** Settings of a `FlushBuffer`. */
export interface FlushSettings {
  /** How long appends wait for company before a flush. */
  flushWindowMs: number;
  /** Buffered bytes that trigger a flush at once. */
  flushBytes: number;
  /** Index entries a head may hold before the oldest are rolled into a chunk. */
  headEntriesLimit: number;
  /** The writer's name in segment keys (its node id once registered). */
  node: () => string;
}

interface BufferedAppend {
  topic: TopicInfo;
  partition: number;
  bytes: Uint8Array;
  header: BatchHeader;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** One flush's batches of one partition, waiting for the segment PUT and then the head commit. */
interface CommitJob {
  segmentKey: string;
  segmentBytes: Uint8Array;
  appends: Array<BufferedAppend & { segmentKey: string; byteOffset: number }>;
  /** Settles with the segment PUT; `failure` is set if it failed. */
  written: Promise<void>;
  settled: boolean;
  failure?: unknown;
}

/**
 * The produce path. Appends wait up to `flushWindowMs` (or until `flushBytes` are buffered); a
 * flush writes ONE segment object holding the batches of every partition, then commits each
 * partition's head by compare-and-swap (offsets assigned there), and only then resolves the
 * appends. Commits of one partition run one after another in flush order, so offsets follow arrival
 * order; jobs that queue up behind a slow commit are committed together in one compare-and-swap.
 */
export class FlushBuffer {
  readonly #store: ObjectStore;
  readonly #layout: StoreLayout;
  readonly #heads: HeadStore;
  readonly #ranges: SegmentRanges;
  readonly #settings: FlushSettings;
  readonly #onCommit: (topic: TopicInfo, partition: number, head: PartitionHead) => void;
  #pending: BufferedAppend[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #queues = new Map<string, { jobs: CommitJob[]; running: Promise<void> | undefined }>();
  readonly #outstanding = new Set<Promise<void>>();

  constructor(
    store: ObjectStore,
    layout: StoreLayout,
    heads: HeadStore,
    ranges: SegmentRanges,
    settings: FlushSettings,
    onCommit: (topic: TopicInfo, partition: number, head: PartitionHead) => void,
  ) {
    this.#store = store;
    this.#layout = layout;
    this.#heads = heads;
    this.#ranges = ranges;
    this.#settings = settings;
    this.#onCommit = onCommit;
  }

  /** Buffers one batch; resolves once its segment and its partition's head are durable. */
  append(topic: TopicInfo, partition: number, bytes: Uint8Array, header: BatchHeader): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new ClosedError('the log is closed'));
    return new Promise((resolve, reject) => {
      this.#pending.push({ topic, partition, bytes, header, resolve, reject });
      this.#pendingBytes += bytes.byteLength;
      if (this.#pendingBytes >= this.#settings.flushBytes) this.#flushPending();
      else this.#timer ??= setTimeout(() => this.#flushPending(), this.#settings.flushWindowMs);
    });
  }

  /** Flushes what is buffered now and waits until every flush so far is committed (or failed). */
  async flush(): Promise<void> {
    this.#flushPending();
    while (this.#outstanding.size > 0) await Promise.allSettled([...this.#outstanding]);
  }

  /** Flushes, then refuses further appends with `ClosedError`. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  #flushPending(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const appends = this.#pending;
    if (appends.length === 0) return;
    this.#pending = [];
    this.#pendingBytes = 0;
    const byPartition = new Map<string, BufferedAppend[]>();
    for (const append of appends) {
      const key = partitionKey(append.topic, append.partition);
      const list = byPartition.get(key) ?? [];
      list.push(append);
      byPartition.set(key, list);
    }
    const groups = [...byPartition.values()];
    const { bytes, index } = encodeSegment(
      groups.map((group) => ({
        topicId: group[0]!.topic.id,
        partition: group[0]!.partition,
        batches: group.map((append) => append.bytes),
      })),
    );
    const segmentKey = this.#layout.segment(new Date(), this.#settings.node(), randomUUID());
    const written = this.#store.put(segmentKey, bytes).then(() => undefined);
    groups.forEach((group, i) => {
      const locations = index.parts[i]!.batches;
      const job: CommitJob = {
        segmentKey,
        segmentBytes: bytes,
        appends: group.map((append, j) => ({ ...append, segmentKey, byteOffset: locations[j]!.byteOffset })),
        written: Promise.resolve(),
        settled: false,
      };
      job.written = written.then(
        () => {
          job.settled = true;
        },
        (error) => {
          job.settled = true;
          job.failure = error;
        },
      );
      this.#enqueue(partitionKey(group[0]!.topic, group[0]!.partition), job);
    });
  }

  #enqueue(key: string, job: CommitJob): void {
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = { jobs: [], running: undefined };
      this.#queues.set(key, queue);
    }
    queue.jobs.push(job);
    if (queue.running) return;
    const running = this.#drain(queue).finally(() => {
      queue.running = undefined;
      this.#outstanding.delete(running);
      if (queue.jobs.length === 0) this.#queues.delete(key);
    });
    queue.running = running;
    this.#outstanding.add(running);
  }

  async #drain(queue: { jobs: CommitJob[] }): Promise<void> {
    while (queue.jobs.length > 0) {
      await queue.jobs[0]!.written;
      let ready = 0;
      while (ready < queue.jobs.length && queue.jobs[ready]!.settled) ready++;
      const jobs = queue.jobs.splice(0, ready);
      for (const job of jobs) {
        if (job.failure !== undefined) for (const append of job.appends) append.reject(job.failure);
      }
      const written = jobs.filter((job) => job.failure === undefined);
      if (written.length > 0) await this.#commit(written);
    }
  }

  /** Commits jobs of one partition in one compare-and-swap and settles their appends. */
  async #commit(jobs: CommitJob[]): Promise<void> {
    const { topic, partition } = jobs[0]!.appends[0]!;
    const appends = jobs.flatMap((job) => job.appends);
    const batches = appends.map((append) => ({
      segmentKey: append.segmentKey,
      byteOffset: append.byteOffset,
      byteLength: append.bytes.byteLength,
      header: append.header,
    }));
    const segmentKeys = new Set(jobs.map((job) => job.segmentKey));
    let outcomes: CommitOutcome[] | undefined;
    let committed: PartitionHead;
    try {
      const updated = await this.#heads.update(topic, partition, async (current) => {
        const head = current ?? emptyHead();
        // A previous attempt landed though its answer was lost: keep its outcomes.
        if (outcomes && head.entries.some((entry) => segmentKeys.has(entry.segmentKey))) return undefined;
        const applied = applyBatches(head, batches, Date.now());
        const rolled = rollHead(applied.head, this.#settings.headEntriesLimit, (base, last) =>
          this.#heads.chunkKey(topic, partition, base, last),
        );
        if (rolled.chunk) await this.#heads.writeChunk(rolled.chunk.key, rolled.chunk.contents);
        outcomes = applied.outcomes;
        return rolled.head;
      });
      committed = updated!.value;
    } catch (error) {
      for (const append of appends) append.reject(error);
      return;
    }
    appends.forEach((append, i) => {
      const outcome = outcomes![i]!;
      if (outcome.kind === 'rejected') append.reject(outcome.error);
      else append.resolve({ baseOffset: outcome.baseOffset, logStartOffset: committed.logStartOffset });
    });
    for (const entry of committed.entries) {
      const job = jobs.find((candidate) => candidate.segmentKey === entry.segmentKey);
      if (job) {
        this.#ranges.remember(
          entry,
          job.segmentBytes.subarray(entry.byteOffset, entry.byteOffset + entry.byteLength),
        );
      }
    }
    this.#onCommit(topic, partition, committed);
  }
}

function partitionKey(topic: TopicInfo, partition: number): string {
  return `${topic.id}/${partition}`;
}
