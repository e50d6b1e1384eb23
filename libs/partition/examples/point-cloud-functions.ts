// Example pipeline as functions: points per classification over a LAS, LAZ or COPC dataset,
// one task per partition (each reads only its own byte ranges), then one reduce.
import { type Partition, read } from '@isthmus/partition';

/** Points per classification code. */
export type ClassCounts = Record<string, number>;

/** Counts the points of one partition per classification code. */
export async function countClasses(partition: Partition): Promise<ClassCounts> {
  const counts: ClassCounts = {};
  for await (const point of read<{ classification: number }>(partition)) {
    counts[point.classification] = (counts[point.classification] ?? 0) + 1;
  }
  return counts;
}

/** Adds up the counts of every partition. */
export async function sumClassCounts(parts: ClassCounts[]): Promise<ClassCounts> {
  const total: ClassCounts = {};
  for (const part of parts) {
    for (const [code, count] of Object.entries(part)) total[code] = (total[code] ?? 0) + count;
  }
  return total;
}
