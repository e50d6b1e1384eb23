import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Executor } from '@isthmus/faas';
import { sampleBytes } from '@isthmus/fixtures';
import { NotFoundError, type ObjectStore, PreconditionFailedError } from '@isthmus/storage';
import { type CommandIo, ProgressBar } from 'isthmus';
import type * as Functions from './functions.js';
import type { RangeTask } from './functions.js';

/** What the demo found for one sample. */
export interface SampleReport {
  key: string;
  bytes: number;
  etag: string;
  rangesRead: number;
  /** G+C over A+C+G+T bases, for sequence files. */
  gcContent: number | undefined;
  verified: boolean;
}

/** Plain-text sequence files, whose GC content means something. */
const SEQUENCE_FILE = /\.(fa|fasta|fna|fq|fastq)$/;

/** The size of the byte range each function reads. */
const RANGE_BYTES = 256 * 1024;

/** Uploads the sample files `samples` (paths under the fixtures' samples) under `samples/<name>`, with a progress bar; returns the files. */
export async function ingestSamples(
  store: ObjectStore,
  samples: readonly string[],
  io: CommandIo,
): Promise<Array<{ name: string; bytes: Buffer }>> {
  const files = await Promise.all(
    samples.map(async (path) => ({ name: basename(path), bytes: await sampleBytes(path) })),
  );
  const bar = new ProgressBar(
    io,
    'ingest',
    files.reduce((sum, file) => sum + file.bytes.length, 0),
    true,
  );
  for (const file of files) {
    await store.put(`samples/${file.name}`, file.bytes);
    bar.advance(file.bytes.length);
  }
  bar.finish();
  return files;
}

/**
 * Splits every sample into 256 KiB byte ranges and has the functions digest them in parallel on
 * the executor's backend, each reading its range straight from the store; then checks each
 * range's sha256 against the local file's bytes.
 */
export async function verifySamples(
  ex: Executor<typeof Functions>,
  store: ObjectStore,
  samples: Array<{ name: string; bytes: Buffer }>,
  io: CommandIo,
): Promise<SampleReport[]> {
  const tasks: Array<{ sample: { name: string; bytes: Buffer }; task: RangeTask }> = [];
  for (const sample of samples) {
    const key = `samples/${sample.name}`;
    const { size, etag } = await store.head(key);
    for (let offset = 0; offset < size; offset += RANGE_BYTES) {
      tasks.push({ sample, task: { key, offset, length: RANGE_BYTES, etag } });
    }
  }
  const bar = new ProgressBar(io, `verify on ${ex.backend.name}`, tasks.length, true, 'tasks');
  const futures = ex.map(
    'rangeDigest',
    tasks.map(({ task }) => task),
  );
  const digests = await Promise.all(futures.map((future) => future.result().finally(() => bar.advance(1))));
  bar.finish();
  return samples.map((sample) => {
    const mine = tasks.flatMap(({ sample: of, task }, at) =>
      of === sample ? [{ task, digest: digests[at]! }] : [],
    );
    const intact = mine.every(
      ({ task, digest }) =>
        digest.sha256 ===
        createHash('sha256')
          .update(sample.bytes.subarray(task.offset, task.offset + task.length))
          .digest('hex'),
    );
    const bytes = mine.reduce((sum, { digest }) => sum + digest.bytes, 0);
    const gc = mine.reduce((sum, { digest }) => sum + digest.gc, 0);
    const acgt = mine.reduce((sum, { digest }) => sum + digest.acgt, 0);
    return {
      key: `samples/${sample.name}`,
      bytes,
      etag: mine[0]?.task.etag ?? '',
      rangesRead: mine.length,
      gcContent: SEQUENCE_FILE.test(sample.name) && acgt > 0 ? gc / acgt : undefined,
      verified: intact && bytes === sample.bytes.length,
    };
  });
}

/**
 * Increments the store's run counter with compare-and-swap: reads it with its etag and writes the
 * next number only if the counter still has that etag (or, the first time, only if there is none
 * yet). Whenever another run got there first - between the head and the read, or before the
 * write - it starts over, so concurrent runs never lose or share a number.
 */
export async function nextRunNumber(store: ObjectStore): Promise<number> {
  const key = 'runs/counter.json';
  for (;;) {
    try {
      const current = await store.head(key).catch((error) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
      const run = current
        ? (JSON.parse(Buffer.from(await store.get(key, { ifMatch: current.etag })).toString())
            .run as number) + 1
        : 1;
      await store.put(
        key,
        JSON.stringify({ run, at: new Date().toISOString() }),
        current ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
      );
      return run;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
  }
}
