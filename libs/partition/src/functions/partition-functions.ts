// The partition library's own functions, for running its passes on any @isthmus/faas backend:
// build this module into a bundle (`buildBundle({ entry: partitionFunctionsEntry(), … })`).
// Stores are opened from the URLs; S3 connection details come from the workers' AWS environment.
import { openDataset } from '../dataset.js';
import type { IndexSummary } from '../format-handler.js';
import type { Partition } from '../partition.js';
import { read } from '../read-partition.js';
import type { Strategy } from '../strategy.js';

/** Input of `indexDataset` and `planDataset`. */
export interface DatasetRequest {
  /** The dataset's URL (`s3://…` or `file:///…`). */
  url: string;
  /** The declared format (checked against the data). */
  format?: string;
  /** Rebuild the index even if a valid sidecar exists. */
  reindex?: boolean;
}

/** What `indexDataset` reports. */
export interface IndexReport {
  format: string;
  /** `built` by this call or loaded from the `sidecar`. */
  origin: 'built' | 'sidecar';
  summary: IndexSummary;
  /** Milliseconds the call took in the worker. */
  ms: number;
}

/** The index pass as a function: builds (or validates and loads) the sidecar index of a dataset. */
export async function indexDataset(request: DatasetRequest): Promise<IndexReport> {
  const started = performance.now();
  const dataset = await openDataset(request.url, { format: request.format, reindex: request.reindex });
  try {
    const summary = await dataset.summary();
    return { format: dataset.format, origin: dataset.indexOrigin!, summary, ms: performance.now() - started };
  } finally {
    await dataset.close();
  }
}

/** Plans partitions as a function (indexing first when needed); the strategy as an object or as text (`count=8`). */
export async function planDataset(
  request: DatasetRequest & { strategy: Strategy | string },
): Promise<Partition[]> {
  const dataset = await openDataset(request.url, { format: request.format, reindex: request.reindex });
  try {
    return await dataset.partition(request.strategy);
  } finally {
    await dataset.close();
  }
}

/** Reads a partition and counts its records: the simplest map over partitions. */
export async function countRecords(partition: Partition): Promise<number> {
  let count = 0;
  for await (const _ of read(partition)) count++;
  return count;
}

/** Adds up numbers: the reduce step of `countRecords`. */
export async function total(counts: number[]): Promise<number> {
  return counts.reduce((sum, count) => sum + count, 0);
}
