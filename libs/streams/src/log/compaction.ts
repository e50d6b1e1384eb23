import { randomUUID } from 'node:crypto';
import { ConcurrencyLimiter, type ObjectStore } from '@isthmus/storage';
import { CorruptSegmentError } from '../errors.js';
import { parseBatches, verifyBatch } from '../protocol/record-batch.js';
import type { HeadStore } from './head-store.js';
import type { StoreLayout } from './layout.js';
import type { IndexChunkRef, IndexEntry, PartitionHead } from './partition-head.js';
import { encodeSegment } from './segment-format.js';
import type { TopicInfo } from './topic-catalog.js';

/** When a run of index entries is worth rewriting into one segment. */
export interface CompactionSettings {
  /** Entries smaller than this are compacted (default 1 MiB). */
  smallEntryBytes: number;
  /** Largest run rewritten into one entry (default 64 MiB). */
  targetBytes: number;
  /** Fewest entries a run must have to be rewritten (default 8). */
  minEntries: number;
  /**
   * Entries whose segment is younger than this are left alone (default 60 s), so a flush that
   * retries its commit still recognises its own segment in the head.
   */
  minAgeMs: number;
}

/** The default compaction settings. */
export const DEFAULT_COMPACTION: CompactionSettings = {
  smallEntryBytes: 1024 * 1024,
  targetBytes: 64 * 1024 * 1024,
  minEntries: 8,
  minAgeMs: 60_000,
};

/** What one compaction of a partition did. */
export interface CompactionOutcome {
  /** Runs of entries swapped for one entry each. */
  compacted: number;
  /** Runs whose entries changed before the swap (their new segment was dropped; retried next time). */
  refused: number;
}

/** Ranged GETs one compaction has in flight at most. */
const READ_CONCURRENCY = 8;

/** A run of offset-contiguous entries and the entry that replaces it. */
interface Run {
  entries: IndexEntry[];
  replacement: IndexEntry;
}

/**
 * Rewrites a partition's runs of small index entries (many flush-sized ranges spread over many
 * segment objects) into one larger segment per index container (the head's entries, or one index
 * chunk) and swaps them in by compare-and-swap: the head's entries only where the run is still
 * there unchanged (appends committed meanwhile are kept), a chunk only while the head still refers
 * to it. The batches are copied byte for byte (base offsets untouched, CRCs checked), so reads see
 * identical records, offsets and timestamps. Old segments are left to the sweeper, as other
 * partitions' data and readers of older heads may still use them.
 */
export class SegmentCompactor {
  readonly #store: ObjectStore;
  readonly #layout: StoreLayout;
  readonly #heads: HeadStore;
  readonly #settings: CompactionSettings;
  readonly #node: () => string;

  constructor(
    store: ObjectStore,
    layout: StoreLayout,
    heads: HeadStore,
    settings: CompactionSettings,
    node: () => string,
  ) {
    this.#store = store;
    this.#layout = layout;
    this.#heads = heads;
    this.#settings = settings;
    this.#node = node;
  }

  /** Compacts one partition's index chunks and head entries. */
  async compactPartition(topic: TopicInfo, partition: number): Promise<CompactionOutcome> {
    const outcome: CompactionOutcome = { compacted: 0, refused: 0 };
    const { value: head, etag } = await this.#heads.get(topic, partition, 0);
    if (etag === undefined) return outcome;
    const nowMs = Date.now();
    for (const ref of head.chunks) {
      const { entries } = await this.#heads.readChunk(ref);
      const runs = this.#runsOf(entries, nowMs);
      if (runs.length > 0) add(outcome, await this.#compactChunk(topic, partition, ref, entries, runs));
    }
    const runs = this.#runsOf(head.entries, nowMs);
    if (runs.length > 0) add(outcome, await this.#compactHeadEntries(topic, partition, runs));
    return outcome;
  }

  /**
   * Runs of at least `minEntries` small, old enough, offset-contiguous entries, each at most
   * `targetBytes`, none holding more than half the run: every rewrite at least doubles the entry a
   * byte is in, so a byte is rewritten only a few times however often small entries join it.
   */
  #runsOf(entries: IndexEntry[], nowMs: number): IndexEntry[][] {
    const { smallEntryBytes, targetBytes, minEntries, minAgeMs } = this.#settings;
    const runs: IndexEntry[][] = [];
    let run: IndexEntry[] = [];
    let bytes = 0;
    const close = () => {
      // Leading entries holding more than half the run (earlier compactions' output) stay as they are.
      while (run.length > 0 && 2 * run[0]!.byteLength > bytes) bytes -= run.shift()!.byteLength;
      const largest = Math.max(0, ...run.map((entry) => entry.byteLength));
      if (run.length >= Math.max(2, minEntries) && 2 * largest <= bytes) runs.push(run);
      run = [];
      bytes = 0;
    };
    for (const entry of entries) {
      const eligible =
        entry.byteLength < smallEntryBytes && nowMs - segmentWrittenAtMs(entry.segmentKey) >= minAgeMs;
      const previous = run[run.length - 1];
      const joins = previous === undefined || previous.lastOffset + 1 === entry.baseOffset;
      if (!eligible || !joins || bytes + entry.byteLength > targetBytes) close();
      if (eligible) {
        run.push(entry);
        bytes += entry.byteLength;
      }
    }
    close();
    return runs;
  }

  /** Writes one segment holding every run's batches; resolves with each run's replacement entry. */
  async #rewrite(topic: TopicInfo, partition: number, runs: IndexEntry[][]): Promise<Run[]> {
    const reads = new ConcurrencyLimiter(READ_CONCURRENCY);
    const parts = await Promise.all(
      runs.map(async (entries) => {
        const ranges = await Promise.all(entries.map((entry) => reads.run(() => this.#readEntry(entry))));
        const batches = entries.flatMap((entry, i) => batchesOf(entry, ranges[i]!));
        return { topicId: topic.id, partition, batches };
      }),
    );
    const { bytes, index } = encodeSegment(parts);
    const segmentKey = this.#layout.segment(new Date(), this.#node(), randomUUID());
    await this.#store.put(segmentKey, bytes);
    return runs.map((entries, i) => {
      const locations = index.parts[i]!.batches;
      return {
        entries,
        replacement: {
          baseOffset: entries[0]!.baseOffset,
          lastOffset: entries[entries.length - 1]!.lastOffset,
          segmentKey,
          byteOffset: locations[0]!.byteOffset,
          byteLength: locations.reduce((sum, location) => sum + location.byteLength, 0),
          maxTimestamp: Math.max(...entries.map((entry) => entry.maxTimestamp)),
        },
      };
    });
  }

  #readEntry(entry: IndexEntry): Promise<Uint8Array> {
    return this.#store.get(entry.segmentKey, {
      range: { offset: entry.byteOffset, length: entry.byteLength },
    });
  }

  /** Rewrites a chunk's runs into a new chunk and swaps the head's reference to it. */
  async #compactChunk(
    topic: TopicInfo,
    partition: number,
    ref: IndexChunkRef,
    entries: IndexEntry[],
    runs: IndexEntry[][],
  ): Promise<CompactionOutcome> {
    const rewritten = await this.#rewrite(topic, partition, runs);
    let replaced = entries;
    for (const run of rewritten) replaced = replaceRun(replaced, run) ?? replaced;
    const key = this.#heads.chunkKey(topic, partition, ref.baseOffset, ref.lastOffset);
    await this.#heads.writeChunk(key, { entries: replaced });
    const written = [rewritten[0]!.replacement.segmentKey, key];
    const swapped = await this.#swap(topic, partition, key, written, (head) => {
      const at = head.chunks.findIndex((chunk) => chunk.key === ref.key);
      if (at < 0) return undefined;
      const chunks = [...head.chunks];
      chunks[at] = { ...ref, key };
      return { ...head, chunks };
    });
    return swapped ? { compacted: runs.length, refused: 0 } : { compacted: 0, refused: runs.length };
  }

  /** Swaps the head's runs that are still there unchanged for their replacements. */
  async #compactHeadEntries(
    topic: TopicInfo,
    partition: number,
    runs: IndexEntry[][],
  ): Promise<CompactionOutcome> {
    const rewritten = await this.#rewrite(topic, partition, runs);
    const segmentKey = rewritten[0]!.replacement.segmentKey;
    let compacted = 0;
    await this.#swap(topic, partition, segmentKey, [segmentKey], (head) => {
      let entries = head.entries;
      compacted = 0;
      for (const run of rewritten) {
        const next = replaceRun(entries, run);
        if (next) {
          entries = next;
          compacted++;
        }
      }
      return compacted === 0 ? undefined : { ...head, entries };
    });
    return { compacted, refused: runs.length - compacted };
  }

  /**
   * Applies `change` to the head, read afresh, by compare-and-swap (`undefined` from it: refused).
   * A head that already names `marker` (the new segment or chunk) means an earlier attempt landed
   * though its answer was lost. Refused without ever having tried a write, nothing can refer to the
   * `written` objects and they are deleted at once; else they are left to the sweeper. Resolves
   * with whether the change is in the head.
   */
  async #swap(
    topic: TopicInfo,
    partition: number,
    marker: string,
    written: string[],
    change: (head: PartitionHead) => PartitionHead | undefined,
  ): Promise<boolean> {
    let triedWrite = false;
    let landed = false;
    await this.#heads.get(topic, partition, 0);
    await this.#heads.update(topic, partition, (current) => {
      if (!current) return undefined;
      landed = refersTo(current, marker);
      if (landed) return undefined;
      const next = change(current);
      landed = next !== undefined;
      triedWrite ||= landed;
      return next;
    });
    if (!landed && !triedWrite) await this.#store.deleteMany(written);
    return landed;
  }
}

/** The write time encoded in a segment key (`…/<13-digit ms>-<node>-<uuid>.seg`); 0 if absent. */
export function segmentWrittenAtMs(segmentKey: string): number {
  const match = /\/(\d{13})-[^/]*\.seg$/.exec(segmentKey);
  return match ? Number(match[1]) : 0;
}

/** Whether a head's own entries or chunk references name `key`. */
function refersTo(head: PartitionHead, key: string): boolean {
  return (
    head.entries.some((entry) => entry.segmentKey === key) || head.chunks.some((chunk) => chunk.key === key)
  );
}

/** `entries` with the run replaced by its replacement, or `undefined` if the run is not there unchanged. */
function replaceRun(entries: IndexEntry[], run: Run): IndexEntry[] | undefined {
  const first = run.entries[0]!;
  const at = entries.findIndex((entry) => sameEntry(entry, first));
  if (at < 0 || !run.entries.every((entry, i) => entries[at + i] && sameEntry(entries[at + i]!, entry))) {
    return undefined;
  }
  return [...entries.slice(0, at), run.replacement, ...entries.slice(at + run.entries.length)];
}

function sameEntry(a: IndexEntry, b: IndexEntry): boolean {
  return (
    a.baseOffset === b.baseOffset &&
    a.lastOffset === b.lastOffset &&
    a.segmentKey === b.segmentKey &&
    a.byteOffset === b.byteOffset &&
    a.byteLength === b.byteLength
  );
}

/** The batches of an entry's bytes, CRC-checked and covering exactly the entry's offsets. */
function batchesOf(entry: IndexEntry, bytes: Uint8Array): Uint8Array[] {
  const batches = parseBatches(bytes);
  let records = 0;
  for (const batch of batches) {
    verifyBatch(batch);
    records += batch.lastOffsetDelta + 1;
  }
  if (bytes.byteLength !== entry.byteLength || records !== entry.lastOffset - entry.baseOffset + 1) {
    throw new CorruptSegmentError(
      `${entry.segmentKey}: the range at ${entry.byteOffset} does not hold offsets ${entry.baseOffset}-${entry.lastOffset}`,
    );
  }
  return batches.map((batch) => batch.bytes);
}

function add(total: CompactionOutcome, outcome: CompactionOutcome): void {
  total.compacted += outcome.compacted;
  total.refused += outcome.refused;
}
