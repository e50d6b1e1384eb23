import type { HeadStore } from './head-store.js';
import type { IndexChunk, IndexChunkRef, IndexEntry, PartitionHead } from './partition-head.js';
import { truncateHead } from './partition-head.js';
import type { TopicInfo } from './topic-catalog.js';

/** How long and how much of a partition's log is kept (Kafka's `retention.ms` / `retention.bytes`; -1: unlimited). */
export interface RetentionPolicy {
  retentionMs: number;
  retentionBytes: number;
}

/** Kafka's defaults: seven days, no size limit. */
export const DEFAULT_RETENTION: RetentionPolicy = {
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
};

/**
 * The retention of a topic: its config's `retention.ms` and `retention.bytes` over `defaults`
 * (values that are not integers ≥ -1 are ignored). `undefined` when the topic's `cleanup.policy`
 * does not include `delete` (Kafka keeps such logs whatever their age or size).
 */
export function retentionPolicyOf(
  config: Record<string, string>,
  defaults: RetentionPolicy = DEFAULT_RETENTION,
): RetentionPolicy | undefined {
  const cleanup = config['cleanup.policy'];
  if (cleanup !== undefined && !cleanup.split(',').some((policy) => policy.trim() === 'delete')) {
    return undefined;
  }
  return {
    retentionMs: limitOf(config['retention.ms']) ?? defaults.retentionMs,
    retentionBytes: limitOf(config['retention.bytes']) ?? defaults.retentionBytes,
  };
}

function limitOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined;
  const limit = Number(value);
  return Number.isSafeInteger(limit) && limit >= -1 ? limit : undefined;
}

/**
 * Where retention moves a partition's log start: past the longest prefix of index entries whose
 * records are all older than `retentionMs` (by their largest timestamp, as Kafka judges segments),
 * or past the oldest entries as long as the rest still holds at least `retentionBytes` — whichever
 * goes further. Entries are whole batches, so the log start lands on a batch boundary; it never
 * passes the high watermark and never moves back. `readChunk` gives the entries of an index chunk.
 */
export async function retainedLogStart(
  head: PartitionHead,
  policy: RetentionPolicy,
  nowMs: number,
  readChunk: (ref: IndexChunkRef) => Promise<IndexChunk>,
): Promise<number> {
  let start = head.logStartOffset;
  if (policy.retentionMs >= 0) {
    start = Math.max(start, await expiredBefore(head, nowMs - policy.retentionMs, readChunk));
  }
  if (policy.retentionBytes >= 0) {
    const entries = await allEntries(head, readChunk);
    let bytes = entries.reduce((sum, entry) => sum + entry.byteLength, 0);
    for (const entry of entries) {
      if (bytes - entry.byteLength < policy.retentionBytes) break;
      bytes -= entry.byteLength;
      start = Math.max(start, entry.lastOffset + 1);
    }
  }
  return Math.min(start, head.nextOffset);
}

/** The offset after the longest prefix of entries whose records are all older than `cutoffMs`. */
async function expiredBefore(
  head: PartitionHead,
  cutoffMs: number,
  readChunk: (ref: IndexChunkRef) => Promise<IndexChunk>,
): Promise<number> {
  let start = head.logStartOffset;
  const expire = (entries: IndexEntry[]): boolean => {
    for (const entry of entries) {
      if (entry.maxTimestamp >= cutoffMs) return false;
      start = entry.lastOffset + 1;
    }
    return true;
  };
  for (const ref of head.chunks) {
    // A chunk whose newest record expired goes whole, unread.
    if (ref.maxTimestamp < cutoffMs) start = ref.lastOffset + 1;
    else if (!expire((await readChunk(ref)).entries)) return start;
  }
  expire(head.entries);
  return start;
}

/** Every index entry of a partition still (partly) at or after its log start, oldest first. */
async function allEntries(
  head: PartitionHead,
  readChunk: (ref: IndexChunkRef) => Promise<IndexChunk>,
): Promise<IndexEntry[]> {
  const chunks = await Promise.all(head.chunks.map((ref) => readChunk(ref)));
  return [...chunks.flatMap((chunk) => chunk.entries), ...head.entries].filter(
    (entry) => entry.lastOffset >= head.logStartOffset,
  );
}

/**
 * Applies retention to one partition: reads its head as stored now and, when `policy` lets go of
 * a prefix, moves the log start by compare-and-swap (dropping entries and chunk references wholly
 * before it; the chunk objects and segments are left to the sweeper, so a reader holding the old
 * head still finds them). Resolves with the log start before and after.
 */
export async function applyRetention(
  heads: HeadStore,
  topic: TopicInfo,
  partition: number,
  policy: RetentionPolicy,
  nowMs: number,
): Promise<{ before: number; after: number }> {
  const { value: head, etag } = await heads.get(topic, partition, 0);
  if (etag === undefined) return { before: 0, after: 0 };
  const target = await retainedLogStart(head, policy, nowMs, (ref) => heads.readChunk(ref));
  if (target <= head.logStartOffset) return { before: head.logStartOffset, after: head.logStartOffset };
  // Entries before `target` are only ever dropped or merged by others, so it stays a batch boundary.
  const updated = await heads.update(topic, partition, (current) => {
    if (!current) return undefined;
    const truncated = truncateHead(current, target).head;
    return truncated.logStartOffset === current.logStartOffset ? undefined : truncated;
  });
  return { before: head.logStartOffset, after: updated?.value.logStartOffset ?? head.logStartOffset };
}
