import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, type Bundle, createBackend, executor, SlurmBackend } from '@isthmus/faas';
import { type SampleStore, sampleStore } from '@isthmus/fixtures';
import { openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as VectorFunctions from '../../src/functions/vector-functions.js';
import { vectorFunctionsBundle } from '../../src/functions/vector-functions-bundle.js';
import { buildIndexes } from '../../src/indexes/build-indexes.js';
import { ingest } from '../../src/ingest/ingest.js';
import { search } from '../../src/search/search.js';
import { searchShards } from '../../src/shards/search-shards.js';
import { shardTable } from '../../src/shards/shard-table.js';
import { VectorTable } from '../../src/table/vector-table.js';
import { expectedChunkIds } from '../support/expected-chunks.js';
import { type TablePlace, tablePlace } from '../support/table-places.js';

const s3 = inject('s3');

// Ingest → index → search with every function on the local pool, the HPC stack (Slurm job arrays)
// and the cloud stack (HTTP function runtimes, Lambda runtime interface clients), documents and
// table on a file system and in S3: the bundle's native packages load in every runtime, every chunk lands once, the
// indexes are built by a function, and a sharded search fanned out to functions finds what the
// table's own exhaustive search finds.
describe.each(['file', 's3'] as const)(
  'on %s://: ingest, index and search with the functions on the local pool, Slurm, HTTP runtimes and Lambda',
  (kind) => {
    let dir: string;
    let bundle: Bundle;
    let documents: SampleStore;
    let place: TablePlace;
    let source: string;
    let expected: Set<string>;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'isthmus-vectors-backends-'));
      bundle = await vectorFunctionsBundle({ outDir: join(dir, 'bundle') });
      documents = await sampleStore(kind, ['documents'], s3);
      place = await tablePlace(kind, s3, 'backends');
      source = `${documents.store.url}/documents`;
      expected = await expectedChunkIds(source, s3);
    });
    afterAll(async () => {
      await documents.dispose();
      await place.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    const backends: Record<string, () => Backend> = {
      local: () => createBackend('local', { env: place.env }),
      slurm: () =>
        new SlurmBackend({ env: { ...inject('slurm'), ...place.env }, workDir: join(dir, 'slurm') }),
      http: () => createBackend('http', { env: place.env, maxConcurrency: 2 }),
      lambda: () => createBackend('lambda', { env: place.env, maxConcurrency: 2 }),
    };

    it.each(Object.keys(backends))(
      'on %s: every chunk once, indexed and searched by functions',
      async (name) => {
        const storage = openStore(`${place.database}/faas-${name}`, { s3 });
        const ex = await executor<typeof VectorFunctions>({ backend: backends[name]!(), bundle, storage });
        const table = `${place.database}/docs_${name}`;
        const question = 'decompress a gzip file';
        try {
          const report = await ingest(source, { table, s3, executor: ex });
          expect(report).toMatchObject({
            units: 5,
            chunks: expected.size,
            inserted: expected.size,
            commits: 1,
          });

          const indexes = await buildIndexes(table, { executor: ex, s3 });
          expect(indexes.indexes.map((index) => index.type)).toContain('FTS');
          const [best] = await search(table, question, { k: 1, mode: 'hybrid', s3 });
          expect(best?.source).toMatch(/\/documents\/gzip\.1\./);

          await shardTable(table, { shards: 2, by: 'blocks', executor: ex, s3 });
          const sharded = await searchShards(table, question, { k: 5, executor: ex, s3 });
          const whole = await search(table, question, { k: 5, s3, tuning: { exact: true } });
          // the same top-k (chunks with equal text, e.g. the gzip page as JSONL and as CSV, tie in any order)
          const scores = (hits: { score: number }[]) => hits.map((hit) => hit.score.toFixed(5));
          expect(scores(sharded)).toEqual(scores(whole));
          expect(sharded.length).toBe(5);
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
      },
    );
  },
);
