import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLES_DIR, type SampleStore, STORE_KINDS, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Dataset, openDataset } from '../../../src/dataset.js';
import type { RasterBlock } from '../../../src/formats/raster/raster-read.js';
import type { Partition } from '../../../src/partition.js';
import type { Strategy } from '../../../src/strategy.js';
import { compareWindows, type GdalInfo, gdalInfo, gdalTranslateWindow, windowsEqual } from './gdal-oracle.js';

const COG = 'cog/RGB.byte.cog.tif';
const STRIPS = 'geotiff/RGB.byte.tif';

function checksums(info: GdalInfo): number[] {
  return info.bands.map((band) => band.checksum!);
}

describe.each(STORE_KINDS)('GeoTIFF toFile on a %s store', (kind) => {
  let fixture: SampleStore;
  let dir: string;
  beforeAll(async () => {
    fixture = await sampleStore(kind, [COG, STRIPS], inject('s3'));
    dir = await mkdtemp(join(tmpdir(), 'isthmus-raster-'));
  });
  afterAll(async () => {
    await fixture.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes a partition's file and returns its path and the bounding window of its blocks. */
  async function partFile(dataset: Dataset, partition: Partition) {
    const blocks: RasterBlock[] = [];
    for await (const block of dataset.read<RasterBlock>(partition)) blocks.push(block);
    const left = Math.min(...blocks.map((block) => block.window[0]));
    const top = Math.min(...blocks.map((block) => block.window[1]));
    const right = Math.max(...blocks.map((block) => block.window[0] + block.window[2]));
    const bottom = Math.max(...blocks.map((block) => block.window[1] + block.window[3]));
    const files = await dataset.toFile(partition);
    expect(files).toHaveLength(1);
    expect(files[0]!.name).toMatch(/\.tif$/);
    const path = join(dir, `${kind}-${partition.dataset.key.replace(/\W/g, '_')}-${files[0]!.name}`);
    await writeFile(path, files[0]!.data);
    return { path, window: [left, top, right - left, bottom - top], blocks };
  }

  const rectangular: Array<[string, Strategy]> = [
    [COG, { by: 'tiles', grid: [2, 2] }],
    [COG, { by: 'tiles' }],
    [STRIPS, { by: 'tiles', grid: [1, 3] }],
    [STRIPS, { by: 'bbox', bbox: [150000, 2650000, 250000, 2750000] }],
  ];

  it.each(rectangular)(
    '%s by %j: each file is the window gdal_translate -srcwin cuts, georeferenced there',
    async (key, strategy) => {
      const original = join(SAMPLES_DIR, key);
      const dataset = await openDataset(key, { store: fixture.store });
      const parts = [];
      for (const partition of await dataset.partition(strategy))
        parts.push(await partFile(dataset, partition));
      const [first] = parts;
      const cut = join(dir, `${kind}-srcwin.tif`);
      await gdalTranslateWindow(original, first!.window, cut);
      expect(checksums(await gdalInfo(first!.path, '-checksum'))).toEqual(
        checksums(await gdalInfo(cut, '-checksum')),
      );
      const comparisons = await compareWindows(
        original,
        parts.map(({ path, window }) => ({ path, window })),
      );
      expect(comparisons).toHaveLength(parts.length);
      for (const { file, srcwin } of comparisons) {
        expect(file.size).toEqual(srcwin.size);
        expect(file.checksums).toEqual(srcwin.checksums);
        file.geoTransform.forEach((value, i) => {
          expect(value).toBeCloseTo(srcwin.geoTransform[i]!, 6);
        });
        expect(file.wkt).toBe(srcwin.wkt);
      }
    },
  );

  it('a whole overview level gives the pixels of GDAL’s overview', async () => {
    const original = await gdalInfo(join(SAMPLES_DIR, COG), '-checksum');
    const dataset = await openDataset(COG, { store: fixture.store });
    const overviews = original.bands[0]!.overviews!;
    for (const [i, overview] of overviews.entries()) {
      const [whole] = await dataset.partition({ by: 'tiles', grid: [1, 1], level: i + 1 });
      const { path } = await partFile(dataset, whole!);
      const part = await gdalInfo(path, '-checksum');
      expect(part.size).toEqual(overview.size);
      expect(checksums(part)).toEqual(original.bands.map((band) => band.overviews![i]!.checksum));
      const [, dx, , , , dy] = original.geoTransform;
      expect(part.geoTransform[1]).toBeCloseTo((dx! * original.size[0]) / overview.size[0], 6);
      expect(part.geoTransform[5]).toBeCloseTo((dy! * original.size[1]) / overview.size[1], 6);
    }
  });

  it('runs of blocks that wrap a row keep their pixels where the original has them', async () => {
    const original = join(SAMPLES_DIR, COG);
    const dataset = await openDataset(COG, { store: fixture.store });
    const partitions = await dataset.partition({ by: 'count', count: 5 });
    expect(partitions.some((partition) => partition.records! > 1)).toBe(true);
    for (const partition of partitions) {
      const { path, window, blocks } = await partFile(dataset, partition);
      const equal = await windowsEqual(
        original,
        path,
        [window[0]!, window[1]!],
        blocks.map((block) => block.window),
      );
      expect(equal).toBe(true);
    }
  });
});
