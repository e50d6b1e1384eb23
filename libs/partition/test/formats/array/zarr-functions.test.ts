import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, executor, LocalBackend } from '@isthmus/faas';
import { SAMPLES_DIR, type SampleStore, sampleStore } from '@isthmus/fixtures';
import type { ChunksStrategy } from '@isthmus/partition/array';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as ArrayFunctions from '../../../examples/array-functions.js';
import { openDataset } from '../../../src/dataset.js';
import type { ZarrChunk } from '../../../src/formats/array/zarr-read.js';
import type { GenericStrategy } from '../../../src/strategy.js';
import { dataSum } from './chunk-checksums.js';
import { pythonZarrArrays } from './python-zarr-oracle.js';

const V2 = 'zarr/astronaut_v2.zarr';
const V3 = 'zarr/landsat_rgb_v3.zarr';
const ENTRY = fileURLToPath(new URL('../../../examples/array-functions.ts', import.meta.url));

describe('mean per chunk of Zarr stores as functions on the local worker pool', () => {
  let fixture: SampleStore;
  let dir: string;
  let ex: Awaited<ReturnType<typeof executor<typeof ArrayFunctions>>>;
  beforeAll(async () => {
    fixture = await sampleStore('file', [V2, V3], inject('s3'));
    dir = await mkdtemp(join(tmpdir(), 'isthmus-array-functions-'));
    const bundle = await buildBundle({ entry: ENTRY, outDir: join(dir, 'bundle') });
    ex = await executor<typeof ArrayFunctions>({ backend: new LocalBackend({ maxWorkers: 2 }), bundle });
  });
  afterAll(async () => {
    await ex.close();
    await fixture.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  /** The chunk means of a store, read sequentially in this process (the reference). */
  async function sequentialMeans(key: string, array?: string) {
    const dataset = await openDataset(key, { store: fixture.store });
    const [whole] = await dataset.partition({ by: 'count', count: 1 });
    const means: Array<{ array: string; chunk: number[]; elements: number; mean: number }> = [];
    for await (const { array: path, chunk, data } of dataset.read<ZarrChunk>(whole!)) {
      if (array === undefined || path === array) {
        means.push({ array: path, chunk, elements: data.length, mean: dataSum(data) / data.length });
      }
    }
    return means;
  }

  it.each<[string, GenericStrategy | ChunksStrategy]>([
    ['every array, 5 partitions', { by: 'count', count: 5 }],
    [
      'the blosc array (its wasm codec in the bundle), 2×2×3-chunk blocks',
      { by: 'chunks', array: 'blosc', chunksPerPartition: [2, 2, 3] },
    ],
  ])('v2, %s: equals the sequential reference and Python zarr', async (_, strategy) => {
    const dataset = await openDataset(V2, { store: fixture.store });
    const partitions = await dataset.partition(strategy);
    const result = await ex.mapReduce('chunkMeans', partitions, 'storeMeans');
    const array = strategy.by === 'chunks' ? strategy.array : undefined;
    expect(result.chunks).toEqual(await sequentialMeans(V2, array));

    const [python] = await pythonZarrArrays([join(SAMPLES_DIR, V2)]);
    const oracle = python!.filter((entry) => array === undefined || entry.path === array);
    expect(Object.keys(result.arrays)).toEqual(oracle.map((entry) => entry.path));
    for (const entry of oracle) {
      const elements = entry.shape.reduce((n, size) => n * size, 1);
      const sum = entry.regions.reduce((total, region) => total + region.sum, 0);
      expect(result.arrays[entry.path]!.elements).toBe(elements);
      expect(result.arrays[entry.path]!.mean).toBeCloseTo(sum / elements, 9);
      const own = result.chunks.filter((chunk) => chunk.array === entry.path);
      expect(own.map((chunk) => chunk.chunk)).toEqual(entry.regions.map((region) => region.chunk));
      own.forEach((chunk, i) => {
        expect(chunk.mean * chunk.elements).toBeCloseTo(entry.regions[i]!.sum, 6);
      });
    }
  });

  it('v3, one shard per partition of the sharded array: equals the sequential reference and the unsharded twin', async () => {
    const dataset = await openDataset(V3, { store: fixture.store });
    const partitions = await dataset.partition({ by: 'chunks', array: 'rgb_sharded' });
    const sharded = await ex.mapReduce('chunkMeans', partitions, 'storeMeans');
    expect(sharded.chunks).toEqual(await sequentialMeans(V3, 'rgb_sharded'));
    const twin = await ex.mapReduce(
      'chunkMeans',
      await dataset.partition({ by: 'chunks', array: 'rgb' }),
      'storeMeans',
    );
    expect(sharded.arrays.rgb_sharded!.elements).toBe(twin.arrays.rgb!.elements);
    expect(sharded.arrays.rgb_sharded!.mean).toBeCloseTo(twin.arrays.rgb!.mean, 9);
    // Chunk by chunk: a 1×256×256 chunk of the twin is four 1×128×128 inner chunks of the shards.
    const twinChunks = new Map(twin.chunks.map((chunk) => [chunk.chunk.join(), { elements: 0, sum: 0 }]));
    for (const { chunk, elements, mean } of sharded.chunks) {
      const into = twinChunks.get([chunk[0], chunk[1]! >> 1, chunk[2]! >> 1].join())!;
      into.elements += elements;
      into.sum += mean * elements;
    }
    for (const chunk of twin.chunks) {
      const gathered = twinChunks.get(chunk.chunk.join())!;
      expect(gathered.elements, `${chunk.chunk}`).toBe(chunk.elements);
      expect(gathered.sum / gathered.elements, `${chunk.chunk}`).toBeCloseTo(chunk.mean, 9);
    }
  });
});
