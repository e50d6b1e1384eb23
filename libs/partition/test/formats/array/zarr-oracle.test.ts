import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { SAMPLES_DIR, type SampleStore, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Dataset, openDataset } from '../../../src/dataset.js';
import type { ZarrChunk } from '../../../src/formats/array/zarr-read.js';
import type { Partition } from '../../../src/partition.js';
import type { Strategy } from '../../../src/strategy.js';
import { dataSha1, dataSum } from './chunk-checksums.js';
import { pythonWriteZarrStore, pythonZarrArrays } from './python-zarr-oracle.js';
import { pythonZarrV3Arrays } from './python-zarr-v3-oracle.js';
import { zarritaRegions } from './zarrita-oracle.js';

const V2 = 'zarr/astronaut_v2.zarr';
const V3 = 'zarr/landsat_rgb_v3.zarr';

async function records(dataset: Dataset, partition: Partition): Promise<ZarrChunk[]> {
  const chunks: ZarrChunk[] = [];
  for await (const chunk of dataset.read<ZarrChunk>(partition)) chunks.push(chunk);
  return chunks;
}

/** Writes a partition's toFile output under `dir`; returns the store's directory. */
async function writeParts(dataset: Dataset, partition: Partition, dir: string): Promise<string> {
  const files = await dataset.toFile(partition);
  for (const file of files) {
    await mkdir(dirname(join(dir, file.name)), { recursive: true });
    await writeFile(join(dir, file.name), file.data);
  }
  return join(dir, files[0]!.name.split('/')[0]!);
}

/** A record's chunk and selection relative to the box of its array's chunks in the partition (toFile's array). */
function relativeTo(partitionRecords: ZarrChunk[], record: ZarrChunk) {
  const own = partitionRecords.filter((other) => other.array === record.array);
  const firstChunk = record.chunk.map((_, d) => Math.min(...own.map((other) => other.chunk[d]!)));
  const origin = record.selection.map((_, d) => Math.min(...own.map((other) => other.selection[d]![0])));
  return {
    chunk: record.chunk.map((c, d) => c - firstChunk[d]!),
    selection: record.selection.map(([start, end], d): [number, number] => [
      start - origin[d]!,
      end - origin[d]!,
    ]),
  };
}

/** The chunk files of a v2 array's directory (every file but its metadata, at any depth). */
async function chunkFiles(arrayDir: string): Promise<number> {
  const entries = await readdir(arrayDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && !entry.name.startsWith('.')).length;
}

describe('Zarr against independent readers (file store)', () => {
  let fixture: SampleStore;
  let dir: string;
  beforeAll(async () => {
    fixture = await sampleStore('file', [V2, V3], inject('s3'));
    dir = await mkdtemp(join(tmpdir(), 'isthmus-zarr-oracle-'));
  });
  afterAll(async () => {
    await fixture.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('v2: every chunk equals the region Python zarr reads (sum and SHA-1), array by array', async () => {
    const dataset = await openDataset(V2, { store: fixture.store });
    const [whole] = await dataset.partition({ by: 'count', count: 1 });
    const chunks = await records(dataset, whole!);
    const [python] = await pythonZarrArrays([join(SAMPLES_DIR, V2)]);
    expect(python!.map((array) => array.path)).toEqual([...new Set(chunks.map((chunk) => chunk.array))]);
    const summary = (await dataset.summary()).details as { arrays: Record<string, { storedChunks: number }> };
    for (const array of python!) {
      const own = chunks.filter((chunk) => chunk.array === array.path);
      expect(summary.arrays[array.path]!.storedChunks).toBe(array.initialized);
      expect(
        own.map((chunk) => ({ chunk: chunk.chunk, sum: dataSum(chunk.data), sha1: dataSha1(chunk.data) })),
      ).toEqual(array.regions);
    }
  });

  it('v2: toFile stores (one array, or a group of several) read by Python zarr hold exactly the partition', async () => {
    const dataset = await openDataset(V2, { store: fixture.store });
    const strategies: Strategy[] = [
      { by: 'chunks', array: 'blosc', chunksPerPartition: [2, 3, 3] },
      { by: 'count', count: 3 },
    ];
    const partitions = (await Promise.all(strategies.map((strategy) => dataset.partition(strategy)))).flatMap(
      // The first, an edge block and the last of each plan.
      (plan) => [plan[0]!, plan[plan.length - 2]!, plan.at(-1)!],
    );
    const stores: string[] = [];
    for (const [i, partition] of partitions.entries()) {
      stores.push(await writeParts(dataset, partition, join(dir, `v2-${i}`)));
    }
    const python = await pythonZarrArrays(stores);
    for (const [i, partition] of partitions.entries()) {
      const chunks = await records(dataset, partition);
      const arrays = [...new Set(chunks.map((chunk) => chunk.array))];
      expect(python[i]!.map((array) => array.path)).toEqual(arrays.length === 1 ? [''] : arrays);
      for (const [a, name] of arrays.entries()) {
        const written = python[i]![a]!;
        const own = chunks.filter((chunk) => chunk.array === name);
        expect(written.initialized).toBe(own.length);
        expect(written.shape).toEqual(
          own[0]!.selection.map((_, d) => {
            const starts = own.map((chunk) => chunk.selection[d]![0]);
            const ends = own.map((chunk) => chunk.selection[d]![1]);
            return Math.max(...ends) - Math.min(...starts);
          }),
        );
        for (const chunk of own) {
          const region = written.regions.find(
            (candidate) => candidate.chunk.join() === relativeTo(chunks, chunk).chunk.join(),
          );
          expect(region, `${name} chunk ${chunk.chunk}`).toEqual({
            chunk: relativeTo(chunks, chunk).chunk,
            sum: dataSum(chunk.data),
            sha1: dataSha1(chunk.data),
          });
        }
      }
    }
  });

  it('v2 written by Python zarr (nested groups, / keys, F order, big-endian, absent chunks): reads and toFile agree', async () => {
    const made = join(dir, 'python.zarr');
    await pythonWriteZarrStore(made);
    const key = 'made/python.zarr';
    for (const entry of await readdir(made, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = join(entry.parentPath, entry.name);
      await fixture.store.put(`${key}/${relative(made, file)}`, await readFile(file));
    }
    const dataset = await openDataset(key, { store: fixture.store });
    const [whole] = await dataset.partition({ by: 'count', count: 1 });
    const chunks = await records(dataset, whole!);
    const stored = await writeParts(dataset, whole!, join(dir, 'python-parts'));
    const [python, written] = await pythonZarrArrays([made, stored]);
    expect(python!.map((array) => array.path)).toEqual(['images/floats', 'images/nested_f']);
    expect(written!.map((array) => array.path)).toEqual(['images/floats', 'images/nested_f']);
    const summary = (await dataset.summary()).details as { arrays: Record<string, { storedChunks: number }> };
    for (const [a, array] of python!.entries()) {
      const own = chunks.filter((chunk) => chunk.array === array.path);
      // Python zarr 2.13 miscounts initialized chunks under '/' keys: count the chunk files instead.
      const files = await chunkFiles(join(made, array.path));
      expect(summary.arrays[array.path]!.storedChunks).toBe(files);
      expect(await chunkFiles(join(stored, array.path))).toBe(files);
      expect(written![a]!.shape).toEqual(array.shape);
      own.forEach((chunk, i) => {
        expect(chunk.chunk).toEqual(array.regions[i]!.chunk);
        expect(dataSha1(chunk.data), `${array.path} ${chunk.chunk}`).toBe(array.regions[i]!.sha1);
        expect(dataSum(chunk.data)).toBeCloseTo(array.regions[i]!.sum, 9);
        expect(written![a]!.regions[i]!.sha1).toBe(array.regions[i]!.sha1);
      });
    }
    const absent = chunks.filter((chunk) => chunk.array === 'images/nested_f' && chunk.chunk[0]! >= 2);
    expect(absent.length).toBeGreaterThan(0);
    for (const chunk of absent) expect(chunk.data.every((value) => value === -7)).toBe(true);
  });

  // zarrita is also the library's chunk decoder, so the two v3 tests below check our records
  // against Python as well: the hand-written v3 reader of python-zarr-v3-oracle.ts (gzip, numpy).
  it('v3: every chunk (and inner chunk of a shard) equals what Python decodes from the files per zarr.json', async () => {
    const dataset = await openDataset(V3, { store: fixture.store });
    const [whole] = await dataset.partition({ by: 'count', count: 1 });
    const chunks = await records(dataset, whole!);
    const [python] = await pythonZarrV3Arrays([join(SAMPLES_DIR, V3)]);
    expect(python!.map((array) => array.path)).toEqual(['rgb', 'rgb_sharded']);
    for (const array of python!) {
      const own = chunks.filter((chunk) => chunk.array === array.path);
      expect(
        own.map((chunk) => ({
          chunk: chunk.chunk,
          selection: chunk.selection,
          sum: dataSum(chunk.data),
          sha1: dataSha1(chunk.data),
          stored: true,
        })),
        array.path,
      ).toEqual(array.chunks);
    }
  });

  it('v3: every chunk (and inner chunk of a shard) equals the region zarrita reads from the original', async () => {
    const dataset = await openDataset(V3, { store: fixture.store });
    const [whole] = await dataset.partition({ by: 'count', count: 1 });
    const chunks = await records(dataset, whole!);
    expect(new Set(chunks.map((chunk) => chunk.array))).toEqual(new Set(['rgb', 'rgb_sharded']));
    for (const array of ['rgb', 'rgb_sharded']) {
      const region = await zarritaRegions(join(SAMPLES_DIR, V3), array);
      for (const chunk of chunks.filter((candidate) => candidate.array === array)) {
        expect(dataSha1(chunk.data), `${array} ${chunk.chunk}`).toBe(dataSha1(await region(chunk.selection)));
      }
    }
  });

  it('v3: toFile stores (sharded arrays written unsharded) read back by zarrita and Python hold the partition', async () => {
    const dataset = await openDataset(V3, { store: fixture.store });
    const strategies: Strategy[] = [
      { by: 'chunks', array: 'rgb_sharded' },
      { by: 'chunks', array: 'rgb', chunksPerPartition: [2, 2, 3] },
      { by: 'bytes', bytes: 600_000 },
    ];
    const partitions = (await Promise.all(strategies.map((strategy) => dataset.partition(strategy)))).flatMap(
      (plan) => [plan[0]!, plan.at(-1)!],
    );
    const stores: string[] = [];
    for (const [i, partition] of partitions.entries()) {
      stores.push(await writeParts(dataset, partition, join(dir, `v3-${i}`)));
    }
    const python = await pythonZarrV3Arrays(stores);
    for (const [i, partition] of partitions.entries()) {
      const chunks = await records(dataset, partition);
      const arrays = [...new Set(chunks.map((chunk) => chunk.array))];
      expect(python[i]!.map((array) => array.path)).toEqual(arrays.length === 1 ? [''] : arrays);
      for (const [a, name] of arrays.entries()) {
        const region = await zarritaRegions(stores[i]!, arrays.length === 1 ? '' : name);
        const own = chunks.filter((candidate) => candidate.array === name);
        // The array is the box of the partition's chunks: those are stored, the rest absent.
        expect(python[i]![a]!.chunks.filter((candidate) => candidate.stored)).toHaveLength(own.length);
        for (const chunk of own) {
          const { chunk: written, selection } = relativeTo(chunks, chunk);
          expect(dataSha1(await region(selection)), `${name} ${chunk.chunk}`).toBe(dataSha1(chunk.data));
          expect(
            python[i]![a]!.chunks.find((candidate) => candidate.chunk.join() === written.join()),
            `${name} ${chunk.chunk}`,
          ).toEqual({
            chunk: written,
            selection,
            stored: true,
            sum: dataSum(chunk.data),
            sha1: dataSha1(chunk.data),
          });
        }
      }
    }
  });
});
