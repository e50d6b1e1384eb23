import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Executor, executor, HttpBackend, LocalBackend } from '@isthmus/faas';
import { createUniqueBucket } from '@isthmus/services';
import { s3Environment } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import type * as VectorFunctions from '../../src/functions/vector-functions.js';
import { vectorFunctionsBundle } from '../../src/functions/vector-functions-bundle.js';
import { buildIndexes } from '../../src/indexes/build-indexes.js';
import { search } from '../../src/search/search.js';
import { searchShards } from '../../src/shards/search-shards.js';
import { shardRecall } from '../../src/shards/shard-recall.js';
import { readShardSet } from '../../src/shards/shard-set.js';
import { shardTable } from '../../src/shards/shard-table.js';
import { VectorTable } from '../../src/table/vector-table.js';
import {
  clusteredVectors,
  fillerTexts,
  LookupEmbedder,
  seededRandom,
  vectorAt,
  writeFixtureTable,
} from '../support/vector-fixtures.js';

const DIMENSION = 32;
const ROWS = 4000;
const MODEL = { modelId: 'fixture-clusters-32', dimension: DIMENSION };
const vectors = clusteredVectors(ROWS, DIMENSION, { clusters: 16, noise: 0.5, seed: 3 });
const embedder = new LookupEmbedder(MODEL.modelId, DIMENSION);

/** Query vectors near random rows, registered with the fixture embedder under `q<seed>-<i>`. */
function queries(count: number, seed: number): { text: string; vector: Float32Array }[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const base = vectorAt(vectors, DIMENSION, Math.floor(random.uniform() * ROWS));
    const vector = Float32Array.from(base, (value) => value + (0.3 * random.normal()) / Math.sqrt(DIMENSION));
    const text = `q${seed}-${index}`;
    embedder.set(text, vector);
    return { text, vector };
  });
}

/** The ids of every shard's rows, to check each row landed in exactly one shard. */
async function shardIds(urls: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const url of urls) {
    const shard = await VectorTable.open(url);
    try {
      const rows = (await shard.lance.query().select(['id']).toArray()) as { id: string }[];
      ids.push(...rows.map((row) => row.id));
    } finally {
      shard.close();
    }
  }
  return ids;
}

describe('sharded search in this process (file)', () => {
  let dir: string;
  let table: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-shards-'));
    table = `file://${dir}/docs`;
    await writeFixtureTable(table, MODEL, { vectors, texts: fillerTexts(ROWS, 4), sources: 5 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('blocks: every row in exactly one shard; the merged top-k is the unsharded exhaustive top-k', async () => {
    const set = await shardTable(table, { shards: 3, by: 'blocks', blockRows: 700 });
    expect(set.shards.map((shard) => shard.rows)).toEqual([1333, 1333, 1334]);
    const ids = await shardIds(set.shards.map((shard) => shard.url));
    expect(ids.length).toBe(ROWS);
    expect(new Set(ids).size).toBe(ROWS);
    expect(await readShardSet(table)).toEqual(set);
    for (const query of queries(6, 1)) {
      const whole = await search(table, query.text, { k: 10, embedder });
      const sharded = await searchShards(table, query.text, { k: 10, embedder });
      expect(sharded.map((hit) => hit.id)).toEqual(whole.map((hit) => hit.id));
      expect(sharded.map((hit) => hit.score)).toEqual(whole.map((hit) => hit.score));
    }
    const filter = "source = 'doc-2'";
    const [query] = queries(1, 2);
    expect(await searchShards(set, query!.text, { k: 7, embedder, filter })).toEqual(
      await search(table, query!.text, { k: 7, embedder, filter }),
    );
  });

  it('k-means: every row in one shard; probing the nearest 2 of 4 recalls ≥ 0.9, all 4 exactly 1', async () => {
    const set = await shardTable(table, { shards: 4, by: 'kmeans', blockRows: 1500 });
    expect(set.shards.every((shard) => shard.centroid?.length === DIMENSION)).toBe(true);
    expect(set.shards.reduce((sum, shard) => sum + shard.rows, 0)).toBe(ROWS);
    const ids = await shardIds(set.shards.map((shard) => shard.url));
    expect(new Set(ids).size).toBe(ROWS);
    const asked = queries(30, 3).map((query) => query.vector);
    const probed = await shardRecall(set, asked, { k: 10, probeShards: 2 });
    const all = await shardRecall(set, asked, { k: 10, probeShards: 4 });
    expect(probed.recall).toBeGreaterThanOrEqual(0.9);
    expect(all.recall).toBe(1);
  });

  it('rejects what it cannot do with named errors', async () => {
    await expect(shardTable(table, { shards: 0, by: 'blocks' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(searchShards(table, 'x', { mode: 'fts' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(searchShards(`file://${dir}/unsharded`, 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('sharding and fan-out as functions', () => {
  let dir: string;
  let local: Executor<typeof VectorFunctions>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-shard-functions-'));
    const s3 = inject('s3');
    local = await executor<typeof VectorFunctions>({
      backend: new LocalBackend({
        maxWorkers: 2,
        env: s3Environment(s3),
      }),
      bundle: await vectorFunctionsBundle(),
    });
  });
  afterAll(async () => {
    await local?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['file', 's3'] as const)(
    'local backend on %s: shards, shard indexes and searches as functions equal the in-process ones',
    async (kind) => {
      const s3 = kind === 's3' ? inject('s3') : undefined;
      const db = s3 ? `s3://${await createUniqueBucket(s3, 'shards')}/db` : `file://${dir}`;
      const table = `${db}/docs`;
      await writeFixtureTable(table, MODEL, { vectors, texts: fillerTexts(ROWS, 4), sources: 5 }, s3);
      const set = await shardTable(table, { shards: 2, by: 'kmeans', executor: local, blockRows: 1000, s3 });
      expect(set.rows).toBe(ROWS);
      for (const query of queries(4, 4)) {
        const remote = await searchShards(set, query.text, {
          k: 10,
          embedder,
          executor: local,
          probeShards: 2,
          s3,
        });
        const here = await searchShards(set, query.text, { k: 10, embedder, probeShards: 2, s3 });
        expect(remote).toEqual(here);
        expect(remote.map((hit) => hit.id)).toEqual(
          (await search(table, query.text, { k: 10, embedder, s3 })).map((hit) => hit.id),
        );
      }
      const report = await buildIndexes(table, { vector: 'ivf_pq', executor: local, s3 });
      expect(report.indexes.map((index) => index.type)).toEqual(['IVF_PQ', 'FTS']);
    },
  );

  it('http backend (functions-framework): the same fan-out', async () => {
    const table = `file://${dir}/http-docs`;
    await writeFixtureTable(table, MODEL, { vectors, texts: fillerTexts(ROWS, 4), sources: 5 });
    const set = await shardTable(table, { shards: 2, by: 'blocks' });
    const http = await executor<typeof VectorFunctions>({
      backend: new HttpBackend({ instances: 2 }),
      bundle: await vectorFunctionsBundle(),
    });
    try {
      for (const query of queries(3, 5)) {
        const remote = await searchShards(set, query.text, { k: 10, embedder, executor: http });
        expect(remote).toEqual(await search(table, query.text, { k: 10, embedder }));
      }
    } finally {
      await http.close();
    }
  });
});
