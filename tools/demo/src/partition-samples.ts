import { gunzipSync } from 'node:zlib';
import type { Executor } from '@isthmus/faas';
import { openDataset } from '@isthmus/partition';
import type { ObjectStore } from '@isthmus/storage';
import type * as Functions from './functions.js';

/** What partitioning one sample gave, and whether it matched a sequential pass over the local file. */
export interface PartitionReport {
  key: string;
  format: string;
  strategy: string;
  partitions: number;
  /** Records found by the functions, over all partitions. */
  records: number;
  /** GC content of the reads, for FASTQ. */
  gcContent?: number;
  /** Whether the functions' answer equals the sequential reference. */
  matches: boolean;
}

/** The reads, bases and G/C bases of a FASTQ.gz, by one sequential pass over the local copy (the reference). */
function sequentialBaseCounts(gzipped: Buffer): { reads: number; bases: number; gc: number } {
  const sequences = gunzipSync(gzipped)
    .toString('latin1')
    .split('\n')
    .filter((_, line) => line % 4 === 1);
  const bases = sequences.join('');
  return { reads: sequences.length, bases: bases.length, gc: bases.replace(/[^GCgc]/g, '').length };
}

/** The variant lines of a VCF.gz, by one sequential pass over the local copy (the reference). */
function sequentialVariantCount(gzipped: Buffer): number {
  return gunzipSync(gzipped)
    .toString('latin1')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#')).length;
}

/**
 * Partitions two samples on the fly, in place in the store (an index pass, then byte ranges), and
 * has the functions read the partitions in parallel: GC content over the FASTQ.gz in 4 partitions,
 * variants in partitions of 100 over the VCF.gz. Each answer is checked against a sequential pass.
 */
export async function partitionSamples(
  ex: Executor<typeof Functions>,
  store: ObjectStore,
  samples: Array<{ name: string; bytes: Buffer }>,
): Promise<PartitionReport[]> {
  const reports: PartitionReport[] = [];
  const sample = (name: string) => samples.find((file) => file.name === name)!;

  const fastq = await openDataset('samples/ERR127302_2_subset.fastq.gz', { store });
  const fastqParts = await fastq.partition({ by: 'count', count: 4 });
  const { gcFraction, ...bases } = await ex.mapReduce('countBases', fastqParts, 'gcContent');
  const reference = sequentialBaseCounts(sample('ERR127302_2_subset.fastq.gz').bytes);
  reports.push({
    key: 'samples/ERR127302_2_subset.fastq.gz',
    format: fastq.format,
    strategy: 'count=4',
    partitions: fastqParts.length,
    records: bases.reads,
    gcContent: gcFraction,
    matches: JSON.stringify(bases) === JSON.stringify(reference),
  });

  const vcf = await openDataset('samples/1kg.vcf.gz', { store });
  const pieces = await vcf.partition({ by: 'records', records: 100 });
  const variants = await ex.mapReduce('countRecords', pieces, 'total');
  reports.push({
    key: 'samples/1kg.vcf.gz',
    format: vcf.format,
    strategy: 'records=100',
    partitions: pieces.length,
    records: variants,
    matches: variants === sequentialVariantCount(sample('1kg.vcf.gz').bytes),
  });
  return reports;
}
