// Functions over genomic partitions, for @isthmus/faas: alignments per reference sequence of a
// SAM or BAM file (what `samtools idxstats` reports as mapped + unmapped, `*` for unplaced reads).
import { type Partition, read } from '@isthmus/partition';
import type { AlignmentRecord } from '@isthmus/partition/genomics';

/** Alignments per reference name (`*`: unplaced) in one partition. */
export type ReferenceCounts = Record<string, number>;

/** Counts the alignments of one partition by reference, reading only its byte ranges. */
export async function alignmentsPerReference(partition: Partition): Promise<ReferenceCounts> {
  const counts: ReferenceCounts = {};
  for await (const record of read<AlignmentRecord>(partition)) {
    counts[record.reference] = (counts[record.reference] ?? 0) + 1;
  }
  return counts;
}

/** Adds the per-partition counts up. */
export async function addCounts(partitionCounts: ReferenceCounts[]): Promise<ReferenceCounts> {
  const total: ReferenceCounts = {};
  for (const counts of partitionCounts) {
    for (const [reference, count] of Object.entries(counts))
      total[reference] = (total[reference] ?? 0) + count;
  }
  return total;
}
