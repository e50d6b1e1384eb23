import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapConcurrent, type ObjectStore, PreconditionFailedError } from '@isthmus/storage';
import { type CommandIo, ProgressBar } from 'isthmus';

/** What the demo found for one sample. */
export interface SampleReport {
  key: string;
  bytes: number;
  etag: string;
  sha256: string;
  rangesRead: number;
  verified: boolean;
}

/** Byte ranges the verification reads in parallel, and how many at once. */
const RANGE_BYTES = 256 * 1024;
const RANGE_CONCURRENCY = 8;

/** Uploads every file of `samplesDir` under `samples/`, with a progress bar. */
export async function ingestSamples(
  store: ObjectStore,
  samplesDir: string,
  io: CommandIo,
): Promise<string[]> {
  const names = (await readdir(samplesDir)).sort();
  const files = await Promise.all(
    names.map(async (name) => ({ name, bytes: await readFile(join(samplesDir, name)) })),
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
  return names;
}

/**
 * Reads each object back as independent byte ranges, 8 in flight (as parallel functions will),
 * and checks that the ranges reassemble into exactly the local file.
 */
export async function verifySample(store: ObjectStore, key: string, local: Buffer): Promise<SampleReport> {
  const { size, etag } = await store.head(key);
  const offsets = Array.from({ length: Math.ceil(size / RANGE_BYTES) }, (_, i) => i * RANGE_BYTES);
  const pieces = await mapConcurrent(offsets, RANGE_CONCURRENCY, (offset) =>
    store.get(key, { range: { offset, length: RANGE_BYTES }, ifMatch: etag }),
  );
  const hash = createHash('sha256');
  for (const piece of pieces) hash.update(piece);
  const sha256 = hash.digest('hex');
  const expected = createHash('sha256').update(local).digest('hex');
  return {
    key,
    bytes: size,
    etag,
    sha256,
    rangesRead: pieces.length,
    verified: sha256 === expected && size === local.length,
  };
}

/** Increments the store's run counter with compare-and-swap, retrying when another run got there first. */
export async function nextRunNumber(store: ObjectStore): Promise<number> {
  const key = 'runs/counter.json';
  for (;;) {
    const current = await store.head(key).catch(() => undefined);
    const run = current
      ? (JSON.parse(Buffer.from(await store.get(key, { ifMatch: current.etag })).toString()).run as number) +
        1
      : 1;
    try {
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
