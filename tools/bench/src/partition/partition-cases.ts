import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Executor } from '@isthmus/faas';
import { openDataset } from '@isthmus/partition';
import type { ObjectStore } from '@isthmus/storage';
import { compareThroughput, type Group, measureGroup } from '../compare.js';
import type { Schedule } from '../measure.js';
import type * as BenchFunctions from './bench-functions.js';

/** What every case of one input needs. */
export interface PartitionCase {
  /** The input's name (its key in `store`) and format. */
  key: string;
  format: string;
  bytes: number;
  indexGoal: number;
  /** The S3 store holding the input, and its URL for the functions. */
  store: ObjectStore;
  storeUrl: string;
  /** The faas executor on the local pool, with `workers` workers. */
  executor: Executor<typeof BenchFunctions>;
  workers: number;
  /** Partitions per pipeline. */
  partitions: number;
  /** Local scratch space for static partitioning. */
  scratch: string;
  schedule: Schedule;
  log: (message: string) => void;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The index pass (rebuilt, not written) against one raw sequential GET of the object. */
export async function benchIndexPass(c: PartitionCase): Promise<Group> {
  const group = await measureGroup(
    `partition.${c.format}.index`,
    `${c.format} index pass`,
    {
      'raw GET': async () => {
        let bytes = 0;
        for await (const chunk of await c.store.getStream(c.key)) bytes += (chunk as Uint8Array).length;
        if (bytes !== c.bytes) throw new Error(`raw GET read ${bytes} of ${c.bytes} bytes`);
      },
      'index pass': async () => {
        const dataset = await openDataset(c.key, {
          store: c.store,
          format: c.format,
          reindex: true,
          readOnly: true,
        });
        await dataset.index();
      },
    },
    c.schedule,
    c.log,
  );
  group.comparisons.push(
    compareThroughput(group, c.bytes, { baseline: 'raw GET', subject: 'index pass' }, c.indexGoal),
  );
  return group;
}

/**
 * Reading every partition (records decoded) with `workers` workers, against the same workers
 * fetching the object's bytes in as many raw ranged GETs (equal concurrency, nothing decoded), and
 * against one raw sequential GET in one worker.
 */
export async function benchPartitionRead(c: PartitionCase, expectedRecords: number): Promise<Group> {
  const dataset = await openDataset(c.key, { store: c.store, format: c.format });
  const partitions = await dataset.partition({ by: 'count', count: c.partitions });
  const step = Math.ceil(c.bytes / c.partitions);
  const ranges = Array.from({ length: c.partitions }, (_, i) => ({
    storeUrl: c.storeUrl,
    key: c.key,
    offset: i * step,
    length: Math.min(step, c.bytes - i * step),
  }));
  const readAll = async () => {
    const counts = await Promise.all(c.executor.map('countRecords', partitions).map((f) => f.result()));
    if (sum(counts) !== expectedRecords)
      throw new Error(`read ${sum(counts)} records, expected ${expectedRecords}`);
  };
  const rangedGets = async () => {
    const sizes = await Promise.all(c.executor.map('rawRead', ranges).map((f) => f.result()));
    if (sum(sizes) !== c.bytes) throw new Error(`ranged GETs read ${sum(sizes)} of ${c.bytes} bytes`);
  };
  const sequentialGet = async () => {
    const size = await c.executor.call('rawRead', { storeUrl: c.storeUrl, key: c.key }).result();
    if (size !== c.bytes) throw new Error(`GET read ${size} of ${c.bytes} bytes`);
  };
  const readLabel = `read ${partitions.length} partitions, ${c.workers} workers`;
  const rangedLabel = `${c.partitions} raw ranged GETs, ${c.workers} workers`;
  const group = await measureGroup(
    `partition.${c.format}.read`,
    `${c.format} partition read`,
    { [readLabel]: readAll, [rangedLabel]: rangedGets, '1 raw GET': sequentialGet },
    c.schedule,
    c.log,
  );
  group.comparisons.push(
    compareThroughput(group, c.bytes, { baseline: rangedLabel, subject: readLabel, tag: 'ranged' }, 0.9),
    compareThroughput(group, c.bytes, {
      baseline: '1 raw GET',
      subject: readLabel,
      tag: 'sequential',
      title: `${c.format} partition read vs one GET`,
    }),
  );
  await dataset.close();
  return group;
}

/**
 * The same pipeline (count the records of every piece) with dynamic partitioning (index pass, then
 * the workers read byte ranges of the object) and with static partitioning (download the object,
 * split it into stand-alone files, upload them, then the workers read the pieces). Pieces are checked
 * to hold the object's `expectedRecords` where re-reading a piece keeps the record unit.
 */
export async function benchDynamicVsStatic(
  c: PartitionCase,
  expectedRecords: number | undefined,
): Promise<Group> {
  const check = (counts: number[]) => {
    const counted = sum(counts);
    if (counted === 0 || (expectedRecords !== undefined && counted !== expectedRecords)) {
      throw new Error(`counted ${counted} records, expected ${expectedRecords ?? 'some'}`);
    }
  };
  const dynamic = async () => {
    const dataset = await openDataset(c.key, { store: c.store, format: c.format, reindex: true });
    const partitions = await dataset.partition({ by: 'count', count: c.partitions });
    check(await Promise.all(c.executor.map('countRecords', partitions).map((f) => f.result())));
  };
  const staticPipeline = async () => {
    const dir = join(c.scratch, 'static');
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, 'pieces'), { recursive: true });
    await pipeline(await c.store.getStream(c.key), createWriteStream(join(dir, c.key)));
    const local = await openDataset(join(dir, c.key), { format: c.format, readOnly: true });
    const pieces: string[] = [];
    for (const partition of await local.partition({ by: 'count', count: c.partitions })) {
      const files = await local.toFile(partition);
      for (const file of files) await c.store.put(`static/${partition.index}/${file.name}`, file.data);
      pieces.push(`${c.storeUrl}/static/${partition.index}/${files[0]!.name}`);
    }
    await local.close();
    check(await Promise.all(c.executor.map('countPiece', pieces).map((f) => f.result())));
  };
  const group = await measureGroup(
    `partition.${c.format}.pipeline`,
    `${c.format} pipeline, dynamic vs static`,
    { 'static (download, split, upload)': staticPipeline, 'dynamic (index, ranges)': dynamic },
    c.schedule,
    c.log,
  );
  // "≥ 75 % less wall time" is a throughput ratio of at least 4.
  group.comparisons.push(
    compareThroughput(
      group,
      c.bytes,
      { baseline: 'static (download, split, upload)', subject: 'dynamic (index, ranges)' },
      4,
    ),
  );
  return group;
}
