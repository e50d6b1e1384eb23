import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { buildBundle, executor, LocalBackend } from '@isthmus/faas';
import { type SampleStore, sampleBytes, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as FastqFunctions from '../../../examples/fastq-functions.js';
import { openDataset } from '../../../src/dataset.js';
import { pythonJson } from '../text/text-files.js';

const ENTRY = fileURLToPath(new URL('../../../examples/fastq-functions.ts', import.meta.url));
const KEY = 'fastq/ERR127302_2_subset.fastq.gz';

/** GC content in Debian's Python standard library, from the gzip file itself. */
const PYTHON_GC = `
import gzip, json, sys
with gzip.open(sys.argv[1], 'rt') as f:
    sequences = f.read().splitlines()[1::4]
bases = sum(len(s) for s in sequences)
gc = sum(s.upper().count('G') + s.upper().count('C') for s in sequences)
print(json.dumps({'reads': len(sequences), 'bases': bases, 'gc': gc}))
`;

describe('GC content of a FASTQ.gz as functions on the local pool', () => {
  let dir: string;
  let fixture: SampleStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-fastq-functions-'));
    fixture = await sampleStore('file', ['fastq'], inject('s3'));
  });
  afterAll(async () => {
    await fixture.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('map over count and bytes partitions + reduce equals a sequential count and Python', async () => {
    const bytes = await sampleBytes(KEY);
    const sequences = gunzipSync(bytes)
      .toString('latin1')
      .split('\n')
      .filter((_, i) => i % 4 === 1);
    const gc = sequences.reduce((total, sequence) => total + (sequence.match(/[GCgc]/g)?.length ?? 0), 0);
    const bases = sequences.reduce((total, sequence) => total + sequence.length, 0);
    const sequential = { reads: sequences.length, bases, gc, gcFraction: gc / bases };
    await writeFile(join(dir, 'reads.fastq.gz'), bytes);
    expect(pythonJson(PYTHON_GC, join(dir, 'reads.fastq.gz'))).toEqual({
      reads: sequential.reads,
      bases,
      gc,
    });

    const dataset = await openDataset(KEY, { store: fixture.store });
    const bundle = await buildBundle({ entry: ENTRY, outDir: join(dir, 'bundle') });
    const ex = await executor<typeof FastqFunctions>({
      backend: new LocalBackend({ maxWorkers: 2 }),
      bundle,
    });
    try {
      for (const strategy of [
        { by: 'count' as const, count: 5 },
        { by: 'bytes' as const, bytes: 600_000 },
      ]) {
        const partitions = await dataset.partition(strategy);
        expect(partitions.length).toBeGreaterThan(3);
        expect(partitions.every((partition) => partition.meta.gzip !== null)).toBe(true);
        const result = await ex.mapReduce('countBases', partitions, 'gcContent');
        expect(result, JSON.stringify(strategy)).toEqual(sequential);
      }
    } finally {
      await ex.close();
    }
  });
});
