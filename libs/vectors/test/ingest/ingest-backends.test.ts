import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, type Bundle, createBackend, executor, SlurmBackend } from '@isthmus/faas';
import { type SampleStore, sampleStore } from '@isthmus/fixtures';
import { openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as VectorFunctions from '../../src/functions/vector-functions.js';
import { vectorFunctionsBundle } from '../../src/functions/vector-functions-bundle.js';
import { ingest } from '../../src/ingest/ingest.js';
import { VectorTable } from '../../src/table/vector-table.js';
import { expectedChunkIds } from '../support/expected-chunks.js';
import { type TablePlace, tablePlace } from '../support/table-places.js';

const s3 = inject('s3');

// The same ingest with the embedding functions on the HPC stack (Slurm job arrays) and the cloud
// stack (HTTP function runtimes, Lambda runtime interface clients), documents and table in S3:
// the bundle's native packages load in every runtime, and every chunk lands once.
describe('ingest with the functions on Slurm, HTTP runtimes and Lambda', () => {
  let dir: string;
  let bundle: Bundle;
  let documents: SampleStore;
  let place: TablePlace;
  let source: string;
  let expected: Set<string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-vectors-backends-'));
    bundle = await vectorFunctionsBundle({ outDir: join(dir, 'bundle') });
    documents = await sampleStore('s3', ['documents'], s3);
    place = await tablePlace('s3', s3, 'backends');
    source = `${documents.store.url}/documents`;
    expected = await expectedChunkIds(source, s3);
  });
  afterAll(async () => {
    await documents.dispose();
    await place.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const backends: Record<string, () => Backend> = {
    slurm: () => new SlurmBackend({ env: { ...inject('slurm'), ...place.env }, workDir: join(dir, 'slurm') }),
    http: () => createBackend('http', { env: place.env, maxConcurrency: 2 }),
    lambda: () => createBackend('lambda', { env: place.env, maxConcurrency: 2 }),
  };

  it.each(Object.keys(backends))('on %s: every chunk once', async (name) => {
    const storage = openStore(`${place.database}/faas-${name}`, { s3 });
    const ex = await executor<typeof VectorFunctions>({ backend: backends[name]!(), bundle, storage });
    const table = `${place.database}/docs_${name}`;
    try {
      const report = await ingest(source, { table, s3, executor: ex });
      expect(report).toMatchObject({ units: 5, chunks: expected.size, inserted: expected.size, commits: 1 });
    } finally {
      await ex.close();
      await storage.close();
    }
    const opened = await VectorTable.open(table, { s3 });
    try {
      const ids = (await opened.lance.query().select(['id']).toArray()).map((row) => row.id as string);
      expect(ids.length).toBe(expected.size);
      expect(new Set(ids)).toEqual(expected);
    } finally {
      opened.close();
    }
  });
});
