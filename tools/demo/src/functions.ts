// The demo's functions: they run on the faas backend (the local worker pool by default) and read
// their byte range straight from the store, as parallel functions do on either stack.
import { createHash } from 'node:crypto';
import type { TaskContext } from '@isthmus/faas';

/** One byte range of an object, pinned to the object version the client saw. */
export interface RangeTask {
  key: string;
  offset: number;
  length: number;
  etag: string;
}

/** What a function found in its range. */
export interface RangeDigest {
  sha256: string;
  bytes: number;
  /** G and C bases, and all A/C/G/T bases, in the range (for the GC content of sequence files). */
  gc: number;
  acgt: number;
}

/** Reads one range from the store and digests it. */
export async function rangeDigest(task: RangeTask, context: TaskContext): Promise<RangeDigest> {
  if (!context.store) throw new Error('rangeDigest needs the executor to have a store');
  const bytes = await context.store.get(task.key, {
    range: { offset: task.offset, length: task.length },
    ifMatch: task.etag,
  });
  let gc = 0;
  let acgt = 0;
  for (const byte of bytes) {
    if (byte === 71 || byte === 67) gc++;
    if (byte === 65 || byte === 67 || byte === 71 || byte === 84) acgt++;
  }
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, gc, acgt };
}

// Records per partition, added up: the partition library's own functions.
export { countRecords, total } from '@isthmus/partition/functions';
// GC content over FASTQ partitions.
export { countBases, gcContent } from './fastq-gc-content.js';
