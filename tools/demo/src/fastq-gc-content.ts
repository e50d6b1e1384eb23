// The demo's functions over FASTQ partitions: the GC content of the reads of a FASTQ or FASTQ.gz
// file (plain gzip too: each function starts decompressing at its partition's checkpoint).
import { type Partition, read } from '@isthmus/partition';
import type { FastqRecord } from '@isthmus/partition/genomics';

/** Reads, bases, and G or C bases among them. */
export interface BaseCounts {
  reads: number;
  bases: number;
  gc: number;
}

/** The GC content of the whole file: the counts added up, and G+C over all bases. */
export interface GcContent extends BaseCounts {
  gcFraction: number;
}

const G = 'G'.charCodeAt(0);
const C = 'C'.charCodeAt(0);
const LOWER_CASE = 0x20;

/** Counts the bases and G/C bases (either case) of one partition's reads, reading only its byte ranges. */
export async function countBases(partition: Partition): Promise<BaseCounts> {
  const counts: BaseCounts = { reads: 0, bases: 0, gc: 0 };
  for await (const { sequence } of read<FastqRecord>(partition)) {
    counts.reads++;
    counts.bases += sequence.length;
    for (let i = 0; i < sequence.length; i++) {
      const base = sequence.charCodeAt(i) & ~LOWER_CASE;
      if (base === G || base === C) counts.gc++;
    }
  }
  return counts;
}

/** Adds the partitions' counts up into the file's GC content. */
export async function gcContent(partitionCounts: BaseCounts[]): Promise<GcContent> {
  const total: BaseCounts = { reads: 0, bases: 0, gc: 0 };
  for (const counts of partitionCounts) {
    total.reads += counts.reads;
    total.bases += counts.bases;
    total.gc += counts.gc;
  }
  return { ...total, gcFraction: total.bases === 0 ? 0 : total.gc / total.bases };
}
