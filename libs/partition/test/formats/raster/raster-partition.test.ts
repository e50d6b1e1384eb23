import { join } from 'node:path';
import { SAMPLES_DIR, type SampleStore, STORE_KINDS, sampleStore } from '@isthmus/fixtures';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Dataset, openDataset } from '../../../src/dataset.js';
import type { ReadProgress } from '../../../src/dataset-source.js';
import type { SampleArray } from '../../../src/formats/raster/block-decoder.js';
import type { RasterBlock } from '../../../src/formats/raster/raster-read.js';
import type { Partition } from '../../../src/partition.js';
import type { Strategy } from '../../../src/strategy.js';
import {
  allRecordDigests,
  checkCoverProperty,
  expectExactCover,
  genericStrategies,
} from '../../../src/testing/exact-cover.js';
import { ByteCountingStore } from '../../support/byte-counting-store.js';
import { type GdalInfo, gdalInfo, windowMeans } from './gdal-oracle.js';

/** The sample rasters: Landsat RGB in strips, and the same as a tiled, deflated COG with overviews. */
const SAMPLES = ['cog/RGB.byte.cog.tif', 'geotiff/RGB.byte.tif'];

async function blocksOf(dataset: Dataset, partition: Partition): Promise<RasterBlock[]> {
  const blocks: RasterBlock[] = [];
  for await (const block of dataset.read<RasterBlock>(partition)) blocks.push(block);
  return blocks;
}

function mean(band: SampleArray): number {
  let sum = 0;
  for (const value of band) sum += value;
  return sum / band.length;
}

/** The sizes of GDAL's levels: the image, then its overviews. */
function gdalLevels(info: GdalInfo): Array<[number, number]> {
  return [info.size, ...(info.bands[0]!.overviews ?? []).map((overview) => overview.size)];
}

/** The blocks (`column,row`) of a level of `size` in blocks of `block`, computed from GDAL's numbers. */
function gdalBlocks(
  size: [number, number],
  block: [number, number],
): Array<{ id: string; window: number[] }> {
  const blocks: Array<{ id: string; window: number[] }> = [];
  for (let row = 0; row * block[1] < size[1]; row++) {
    for (let column = 0; column * block[0] < size[0]; column++) {
      const x = column * block[0];
      const y = row * block[1];
      blocks.push({
        id: `${column},${row}`,
        window: [x, y, Math.min(block[0], size[0] - x), Math.min(block[1], size[1] - y)],
      });
    }
  }
  return blocks;
}

/** The map extent `[minX, minY, maxX, maxY]` of a north-up raster, from GDAL's geotransform. */
function gdalExtent(info: GdalInfo): [number, number, number, number] {
  const [x0, dx, , y0, , dy] = info.geoTransform as [number, number, number, number, number, number];
  const x1 = x0 + dx * info.size[0];
  const y1 = y0 + dy * info.size[1];
  return [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
}

describe.each(STORE_KINDS)('GeoTIFF and COG partitions on a %s store', (kind) => {
  let fixture: SampleStore;
  beforeAll(async () => {
    fixture = await sampleStore(kind, SAMPLES, inject('s3'));
  });
  afterAll(() => fixture.dispose());

  describe.each(SAMPLES)('%s', (path) => {
    const local = join(SAMPLES_DIR, path);
    let info: GdalInfo;
    let structure: Record<string, Record<string, string>>;
    let dataset: Dataset;
    beforeAll(async () => {
      info = await gdalInfo(local);
      structure = (info as unknown as { metadata: Record<string, Record<string, string>> }).metadata;
      dataset = await openDataset(path, { store: fixture.store });
    });

    it('detects the layout GDAL reports and indexes the sizes, blocks, levels and georeferencing', async () => {
      const isCog = structure.IMAGE_STRUCTURE?.LAYOUT === 'COG';
      expect(dataset.format).toBe(isCog ? 'cog' : 'geotiff');
      const summary = await dataset.summary();
      const block = info.bands[0]!.block;
      expect(summary.records).toBe(gdalBlocks(info.size, block).length);
      expect(summary.unit).toBe(block[0] === info.size[0] ? 'strips' : 'tiles');
      const details = summary.details!;
      expect(details).toMatchObject({
        width: info.size[0],
        height: info.size[1],
        bands: info.bands.length,
        blockSize: block,
        levels: gdalLevels(info),
        layout: isCog ? 'cog' : 'plain',
      });
      const epsg = [...info.coordinateSystem.wkt.matchAll(/ID\["EPSG",(\d+)\]/g)].at(-1)?.[1];
      expect(details.epsg).toBe(Number(epsg));
      (details.geoTransform as number[]).forEach((value, i) => {
        expect(value).toBeCloseTo(info.geoTransform[i]!, 6);
      });
      expect(dataset.indexOrigin).toBe('built');
    });

    it('indexes with a few small reads, reporting progress, and reopens from the sidecar', async () => {
      const progress: ReadProgress[] = [];
      // Opened through a store that counts what it serves: the reads the index pass made.
      const counting = new ByteCountingStore(fixture.store);
      const reindexed = await openDataset(path, {
        store: counting,
        reindex: true,
        onProgress: (report) => progress.push(report),
      });
      const opening = counting.reads.length;
      const summary = await reindexed.summary();
      const { size } = await fixture.store.head(path);
      const reads = counting.reads.slice(opening);
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.length).toBeLessThanOrEqual(4);
      for (const read of reads) expect(read.bytes, JSON.stringify(read)).toBeLessThanOrEqual(64 * 1024);
      const served = reads.reduce((total, read) => total + read.bytes, 0);
      expect(served).toBeLessThan(size / 10);
      const last = progress.at(-1)!;
      expect(last.bytesRead).toBe(last.bytesTotal);
      expect(last.bytesRead).toBe(served);
      const reopened = await openDataset(path, { store: fixture.store });
      expect(await reopened.summary()).toEqual(summary);
      expect(reopened.indexOrigin).toBe('sidecar');
    });

    it('reads every block with the band means GDAL reads in its window', async () => {
      const [whole] = await dataset.partition({ by: 'count', count: 1 });
      const blocks = await blocksOf(dataset, whole!);
      const expected = gdalBlocks(info.size, info.bands[0]!.block);
      expect(blocks.map((block) => block.window)).toEqual(expected.map((block) => block.window));
      const means = await windowMeans(
        local,
        0,
        expected.map((block) => block.window),
      );
      blocks.forEach((block, i) => {
        expect(block.bands).toHaveLength(info.bands.length);
        block.bands.forEach((band, s) => {
          expect(mean(band)).toBeCloseTo(means[i]![s]!, 9);
        });
      });
    });

    it('reads the tiles of each overview level with the means of GDAL’s overview', async () => {
      const levels = gdalLevels(info);
      for (let level = 1; level < levels.length; level++) {
        const partitions = await dataset.partition({ by: 'tiles', level });
        const expected = gdalBlocks(levels[level]!, info.bands[0]!.block);
        expect(partitions).toHaveLength(expected.length);
        const blocks = (await Promise.all(partitions.map((p) => blocksOf(dataset, p)))).flat();
        expect(blocks.map((block) => `${block.column},${block.row}`)).toEqual(
          expected.map((block) => block.id),
        );
        const means = await windowMeans(
          local,
          level,
          expected.map((block) => block.window),
        );
        blocks.forEach((block, i) => {
          block.bands.forEach((band, s) => {
            expect(mean(band)).toBeCloseTo(means[i]![s]!, 9);
          });
        });
      }
    });

    it('count, bytes and records plans cover the raster exactly, in order', async () => {
      const summary = await dataset.summary();
      await checkCoverProperty(dataset, genericStrategies(summary.records, summary.bytes), { runs: 10 });
    });

    it('tiles plans cover it exactly, every block in the grid cell of its top-left pixel', async () => {
      const reference = await allRecordDigests(dataset);
      const [width, height] = info.size;
      const grids = fc.option(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })), {
        nil: undefined,
      });
      await fc.assert(
        fc.asyncProperty(grids, async (grid) => {
          const strategy: Strategy = grid ? { by: 'tiles', grid } : { by: 'tiles' };
          const partitions = await expectExactCover(dataset, strategy, reference, { ordered: false });
          const cells = new Set<string>();
          for (const partition of partitions) {
            const blocks = await blocksOf(dataset, partition);
            const cellsOfBlocks = new Set(
              blocks.map(({ window: [x, y] }) =>
                grid
                  ? `${Math.floor((x * grid[0]) / width)},${Math.floor((y * grid[1]) / height)}`
                  : `${x},${y}`,
              ),
            );
            expect(cellsOfBlocks.size).toBe(1);
            const [cell] = cellsOfBlocks;
            expect(cells.has(cell!)).toBe(false);
            cells.add(cell!);
          }
        }),
        { numRuns: 8 },
      );
    });

    it('a bbox over the whole extent, cut in count pieces, covers it exactly', async () => {
      const reference = await allRecordDigests(dataset);
      const [minX, minY, maxX, maxY] = gdalExtent(info);
      const counts = fc.integer({ min: 1, max: 16 });
      await fc.assert(
        fc.asyncProperty(counts, async (count) => {
          const strategy: Strategy = { by: 'bbox', bbox: [minX - 1, minY - 1, maxX + 1, maxY + 1], count };
          const partitions = await expectExactCover(dataset, strategy, reference, { ordered: false });
          expect(partitions.length).toBeLessThanOrEqual(count);
        }),
        { numRuns: 8 },
      );
    });

    it('a bbox holds exactly the blocks whose map extent meets it', async () => {
      const [minX, minY, maxX, maxY] = gdalExtent(info);
      const [x0, dx, , y0, , dy] = info.geoTransform as [number, number, number, number, number, number];
      const fraction = fc.double({ min: 0, max: 1, noNaN: true });
      const boxes = fc
        .tuple(fraction, fraction, fraction, fraction, fc.integer({ min: 1, max: 5 }))
        .filter(([a, b, c, d]) => Math.abs(a - b) > 1e-3 && Math.abs(c - d) > 1e-3);
      await fc.assert(
        fc.asyncProperty(boxes, async ([a, b, c, d, count]) => {
          const bbox: [number, number, number, number] = [
            minX + Math.min(a, b) * (maxX - minX),
            minY + Math.min(c, d) * (maxY - minY),
            minX + Math.max(a, b) * (maxX - minX),
            minY + Math.max(c, d) * (maxY - minY),
          ];
          const columns = [(bbox[0] - x0) / dx, (bbox[2] - x0) / dx].sort((p, q) => p - q);
          const rows = [(bbox[1] - y0) / dy, (bbox[3] - y0) / dy].sort((p, q) => p - q);
          const expected = gdalBlocks(info.size, info.bands[0]!.block)
            .filter(({ window: [x, y, w, h] }) => {
              return x! < columns[1]! && x! + w! > columns[0]! && y! < rows[1]! && y! + h! > rows[0]!;
            })
            .map((block) => block.id);
          const partitions = await dataset.partition({ by: 'bbox', bbox, count });
          const found: string[] = [];
          for (const partition of partitions) {
            const blocks = await blocksOf(dataset, partition);
            expect(blocks).toHaveLength(partition.records!);
            found.push(...blocks.map((block) => `${block.column},${block.row}`));
          }
          expect(found.sort()).toEqual(expected.sort());
        }),
        { numRuns: 10 },
      );
    });
  });
});
