import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SampleStore, STORE_KINDS, sampleBytes, sampleStore } from '@isthmus/fixtures';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Dataset, openDataset } from '../../../src/dataset.js';
import type { Pixel } from '../../../src/formats/mass-spec/imzml-pixels.js';
import { partitionBytes } from '../../../src/partition.js';
import { read } from '../../../src/read-partition.js';
import type { Strategy } from '../../../src/strategy.js';
import { checkCoverProperty, genericStrategies } from '../../../src/testing/exact-cover.js';
import { ByteCountingStore } from '../../support/byte-counting-store.js';
import { type OraclePixel, pythonPixels, sumOf } from './mass-spec-oracles.js';

const FILES = ['imzml/Example_Continuous.imzML', 'imzml/Example_Processed.imzML'];

function strategies(records: number, bytes: number): fc.Arbitrary<Strategy> {
  const cut = fc.uniqueArray(fc.integer({ min: 1, max: records - 1 }), { maxLength: 4 }).map((cuts) => {
    const points = [0, ...cuts.sort((a, b) => a - b), records];
    return points.slice(0, -1).map((first, i): [number, number] => [first, points[i + 1]!]);
  });
  return fc.oneof(
    genericStrategies(records, bytes),
    cut.map((ranges): Strategy => ({ by: 'pixels', ranges })),
    fc.integer({ min: 1, max: 4 }).map((rows): Strategy => ({ by: 'pixels', rows })),
  );
}

function oracleOf(pixel: Pixel): OraclePixel {
  return {
    x: pixel.x,
    y: pixel.y,
    peaks: pixel.mz.length,
    mzSum: sumOf(pixel.mz),
    intensitySum: sumOf(pixel.intensity),
  };
}

async function pixelsOf(dataset: Dataset, strategy: Strategy): Promise<OraclePixel[]> {
  const pixels: OraclePixel[] = [];
  for (const partition of await dataset.partition(strategy)) {
    for await (const pixel of dataset.read<Pixel>(partition)) pixels.push(oracleOf(pixel));
  }
  return pixels;
}

let dir: string;
const expected = new Map<string, OraclePixel[]>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isthmus-imzml-'));
  for (const key of FILES) {
    const name = key.split('/')[1]!;
    await writeFile(join(dir, name), await sampleBytes(key));
    await writeFile(
      join(dir, name.replace('.imzML', '.ibd')),
      await sampleBytes(key.replace('.imzML', '.ibd')),
    );
    expected.set(key, await pythonPixels(join(dir, name), join(dir, name.replace('.imzML', '.ibd'))));
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each(STORE_KINDS)('imzML on a %s store', (kind) => {
  let fixture: SampleStore;
  beforeAll(async () => {
    fixture = await sampleStore(kind, ['imzml'], inject('s3'));
  });
  afterAll(() => fixture.dispose());

  it.each(FILES)('%s: detected, pixels read as Python reads them, every plan covers it', async (key) => {
    const dataset = await openDataset(key, { store: fixture.store });
    expect(dataset.format).toBe('imzml');
    const summary = await dataset.summary();
    expect(summary).toMatchObject({ records: expected.get(key)!.length, unit: 'pixels' });
    expect(summary.details?.mode).toBe(key.includes('Continuous') ? 'continuous' : 'processed');
    const pixels = await pixelsOf(dataset, { by: 'count', count: 1 });
    expect(pixels).toEqual(
      expected.get(key)!.map((pixel) => ({
        ...pixel,
        mzSum: expect.closeTo(pixel.mzSum, 6),
        intensitySum: expect.closeTo(pixel.intensitySum, 6),
      })),
    );
    await checkCoverProperty(dataset, strategies(summary.records, summary.bytes), { runs: 8 });
  });

  it.each(FILES)('%s: rows partitions hold whole image rows and fetch only their pixels', async (key) => {
    const dataset = await openDataset(key, { store: fixture.store });
    const partitions = await dataset.partition({ by: 'pixels', rows: 1 });
    const reference = expected.get(key)!;
    const ys = [...new Set(reference.map((pixel) => pixel.y))].sort((a, b) => a - b);
    expect(partitions.length).toBe(ys.length);
    const ibdSize = (await sampleBytes(key.replace('.imzML', '.ibd'))).length;
    for (const [i, partition] of partitions.entries()) {
      // Read through a store that counts what it serves: the bytes the partition's read fetched.
      const counting = new ByteCountingStore(fixture.store);
      const pixels: OraclePixel[] = [];
      for await (const pixel of read<Pixel>(partition, { store: counting })) pixels.push(oracleOf(pixel));
      expect(pixels.every((pixel) => pixel.y === ys[i])).toBe(true);
      expect(pixels.length).toBe(reference.filter((pixel) => pixel.y === ys[i]).length);
      expect(counting.readsOutside(partition.ranges)).toEqual([]);
      expect(counting.bytesServed).toBeLessThanOrEqual(partitionBytes(partition));
      expect(counting.bytesServed).toBeLessThan(ibdSize / 2);
    }
  });

  it.each(FILES)(
    '%s: partition files are imzML + .ibd pairs that Python reads as the partition',
    async (key) => {
      const dataset = await openDataset(key, { store: fixture.store });
      const partitions = await dataset.partition({ by: 'count', count: 2 });
      expect(partitions.length).toBe(2);
      const all: OraclePixel[] = [];
      for (const partition of partitions) {
        const [imzml, ibd, ...others] = await dataset.toFile(partition);
        expect(others).toEqual([]);
        expect(imzml!.name).toBe(`part-0000${partition.index}.imzML`);
        expect(ibd!.name).toBe(`part-0000${partition.index}.ibd`);
        const imzmlPath = join(dir, `${kind}-${imzml!.name}`);
        const ibdPath = join(dir, `${kind}-${ibd!.name}`);
        await writeFile(imzmlPath, imzml!.data);
        await writeFile(ibdPath, ibd!.data);
        const read: OraclePixel[] = [];
        for await (const pixel of dataset.read<Pixel>(partition)) read.push(oracleOf(pixel));
        expect(await pythonPixels(imzmlPath, ibdPath)).toEqual(read);
        all.push(...read);
        const copy = await openDataset(`copy/${imzml!.name}`, {
          store: await putPair(fixture, imzml!, ibd!),
        });
        expect(await pixelsOf(copy, { by: 'count', count: 1 })).toEqual(read);
      }
      expect(all).toEqual(await pixelsOf(dataset, { by: 'count', count: 1 }));
    },
  );
});

async function putPair(
  fixture: SampleStore,
  imzml: { name: string; data: Uint8Array },
  ibd: { name: string; data: Uint8Array },
) {
  await fixture.store.put(`copy/${imzml.name}`, imzml.data);
  await fixture.store.put(`copy/${ibd.name}`, ibd.data);
  return fixture.store;
}
