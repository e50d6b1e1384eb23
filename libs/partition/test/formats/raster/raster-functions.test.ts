import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, executor, LocalBackend } from '@isthmus/faas';
import { SAMPLES_DIR, type SampleStore, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as RasterFunctions from '../../../examples/raster-functions.js';
import { openDataset } from '../../../src/dataset.js';
import type { RasterBlock } from '../../../src/formats/raster/raster-read.js';
import { gdalInfo, windowMeans } from './gdal-oracle.js';

const COG = 'cog/RGB.byte.cog.tif';
const ENTRY = fileURLToPath(new URL('../../../examples/raster-functions.ts', import.meta.url));

describe('mean per tile of a COG as functions on the local worker pool', () => {
  let fixture: SampleStore;
  let dir: string;
  beforeAll(async () => {
    fixture = await sampleStore('file', [COG], inject('s3'));
    dir = await mkdtemp(join(tmpdir(), 'isthmus-raster-functions-'));
  });
  afterAll(async () => {
    await fixture.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('equals the sequential reference and GDAL', async () => {
    const dataset = await openDataset(COG, { store: fixture.store });
    const partitions = await dataset.partition({ by: 'tiles' });
    const bundle = await buildBundle({ entry: ENTRY, outDir: join(dir, 'bundle') });
    const ex = await executor<typeof RasterFunctions>({
      backend: new LocalBackend({ maxWorkers: 2 }),
      bundle,
    });
    let result: RasterFunctions.RasterMeans;
    try {
      result = await ex.mapReduce('tileMeans', partitions, 'rasterMeans');
    } finally {
      await ex.close();
    }

    const reference: Array<{ id: string; means: number[] }> = [];
    for (const partition of partitions) {
      for await (const { column, row, bands } of dataset.read<RasterBlock>(partition)) {
        const means = bands.map(
          (band) => Array.from(band).reduce((sum, value) => sum + value, 0) / band.length,
        );
        reference.push({ id: `${column},${row}`, means });
      }
    }
    expect(result.tiles.map((tile) => ({ id: `${tile.column},${tile.row}`, means: tile.means }))).toEqual(
      reference,
    );

    const local = join(SAMPLES_DIR, COG);
    const gdalMeans = await windowMeans(
      local,
      0,
      result.tiles.map((tile) => tile.window),
    );
    result.tiles.forEach((tile, i) => {
      tile.means.forEach((mean, band) => {
        expect(mean).toBeCloseTo(gdalMeans[i]![band]!, 9);
      });
    });
    const { size } = await gdalInfo(local);
    expect(result.pixels).toBe(size[0] * size[1]);
    const [wholeMeans] = await windowMeans(local, 0, [[0, 0, ...size]]);
    result.bands.forEach((mean, band) => {
      expect(mean).toBeCloseTo(wholeMeans![band]!, 9);
    });
  });
});
