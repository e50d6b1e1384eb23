import { InvalidStrategyError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import type { PartitionPlan, PartitionRange } from '../../partition.js';
import { planRecordIntervals, type RecordLayout } from '../../record-intervals.js';
import type { GenericStrategy } from '../../strategy.js';
import type { BoundingBoxStrategy, TilesStrategy } from '../spatial-strategies.js';
import { type GeoReference, geoTransformOf, windowBounds, windowTransform } from './georeference.js';
import type { RasterIndex } from './raster-index.js';
import {
  blockBytes,
  blockCount,
  blockSegments,
  blocksAcross,
  blockWindow,
  type RasterImage,
  type RasterLevel,
} from './raster-level.js';

/** What a raster partition carries for its reader: the level's layout and its blocks' bytes. */
export interface RasterPartitionMeta extends JsonObject {
  level: number;
  image: RasterImage;
  /** Per block, in reading order: `[column, row, offset, length, …]`, one offset/length per plane. */
  blocks: number[][];
  /** The georeferencing, with `tagTransform` that of this level's pixels. */
  georeference: GeoReference;
  noData: string | null;
}

/** Partitions of a GeoTIFF for one of its strategies (already validated). */
export function planRaster(
  index: RasterIndex,
  strategy: GenericStrategy | TilesStrategy | BoundingBoxStrategy,
): PartitionPlan[] {
  switch (strategy.by) {
    case 'count':
    case 'bytes':
    case 'records': {
      const level = index.levels[0]!;
      const blocks = Array.from({ length: blockCount(level) }, (_, block) => block);
      return planIntervals(index, 0, blocks, strategy, 'blocks');
    }
    case 'tiles':
      return planTiles(index, strategy);
    case 'bbox':
      return planBoundingBox(index, strategy);
  }
}

function levelOf(index: RasterIndex, level = 0): RasterLevel {
  const found = index.levels[level];
  if (!found) {
    throw new InvalidStrategyError(
      `level ${level} does not exist: the raster has ${index.levels.length} (0 full resolution, then overviews)`,
    );
  }
  return found;
}

/** Contiguous runs of `blocks` (in their order) of even bytes, or of `records` blocks each. */
function planIntervals(
  index: RasterIndex,
  level: number,
  blocks: number[],
  strategy: Parameters<typeof planRecordIntervals>[1],
  what: string,
): PartitionPlan[] {
  const image = levelOf(index, level);
  const checkpoints: RecordLayout['checkpoints'] = [];
  let byte = 0;
  for (const [record, block] of blocks.entries()) {
    checkpoints.push({ record, byte });
    byte += blockBytes(image, block);
  }
  const layout: RecordLayout = { records: blocks.length, start: 0, end: byte, checkpoints };
  return planRecordIntervals(layout, strategy).map(({ first, end }) =>
    partitionOf(index, level, blocks.slice(first, end), `${what} ${first}–${end - 1} of level ${level}`),
  );
}

function planTiles(index: RasterIndex, strategy: TilesStrategy): PartitionPlan[] {
  const level = strategy.level ?? 0;
  const image = levelOf(index, level);
  const blocks = Array.from({ length: blockCount(image) }, (_, block) => block);
  if (!strategy.grid) {
    const across = blocksAcross(image);
    return blocks.map((block) =>
      partitionOf(
        index,
        level,
        [block],
        `block ${block % across},${Math.floor(block / across)} of level ${level}`,
      ),
    );
  }
  const [columns, rows] = strategy.grid;
  const cells = new Map<number, number[]>();
  for (const block of blocks) {
    const [x, y] = blockWindow(image, block);
    const cell = Math.floor((y * rows) / image.height) * columns + Math.floor((x * columns) / image.width);
    const members = cells.get(cell);
    if (members) members.push(block);
    else cells.set(cell, [block]);
  }
  return [...cells.keys()]
    .sort((a, b) => a - b)
    .map((cell) =>
      partitionOf(
        index,
        level,
        cells.get(cell)!,
        `cell ${cell % columns},${Math.floor(cell / columns)} of ${columns}×${rows}, level ${level}`,
      ),
    );
}

function planBoundingBox(index: RasterIndex, strategy: BoundingBoxStrategy): PartitionPlan[] {
  const level = strategy.level ?? 0;
  const image = levelOf(index, level);
  const base = index.levels[0]!;
  const transform = windowTransform(
    geoTransformOf(index.georeference),
    base.width / image.width,
    base.height / image.height,
    0,
    0,
  );
  const [minX, minY, maxX, maxY] = strategy.bbox;
  const inside: number[] = [];
  for (let block = 0; block < blockCount(image); block++) {
    const [left, bottom, right, top] = windowBounds(transform, blockWindow(image, block));
    if (left < maxX && right > minX && bottom < maxY && top > minY) inside.push(block);
  }
  return planIntervals(index, level, inside, { by: 'count', count: strategy.count ?? 1 }, 'bbox blocks');
}

/** The plan of one partition: its blocks, the merged byte ranges they span, and the level's layout. */
function partitionOf(index: RasterIndex, level: number, blocks: number[], label: string): PartitionPlan {
  const image = index.levels[level]!;
  const { ifd: _ifd, offsets: _offsets, byteCounts: _byteCounts, ...layout } = image;
  const across = blocksAcross(image);
  const entries = blocks.map((block) => [
    block % across,
    Math.floor(block / across),
    ...blockSegments(image, block).flat(),
  ]);
  const base = index.levels[0]!;
  const geo = index.georeference;
  const meta: RasterPartitionMeta = {
    level,
    image: layout,
    blocks: entries,
    georeference: {
      ...geo,
      tagTransform:
        geo.tagTransform &&
        windowTransform(geo.tagTransform, base.width / image.width, base.height / image.height, 0, 0),
    },
    noData: index.noData,
  };
  const segments = blocks.flatMap((block) => blockSegments(image, block));
  return { ranges: mergedRanges(index.key, segments), records: blocks.length, label, meta };
}

/**
 * Segments closer than this are fetched as one range: GDAL's COG writes a 4-byte size before
 * each tile and repeats its last 4 bytes after it, so a partition's tiles are 8 bytes apart.
 */
const MERGE_GAP_BYTES = 64;

/** Non-empty segments of an object as ranges, sorted, nearly adjacent ones merged. */
export function mergedRanges(key: string, segments: Array<[number, number]>): PartitionRange[] {
  const sorted = segments.filter(([, length]) => length > 0).sort(([a], [b]) => a - b);
  const ranges: PartitionRange[] = [];
  for (const [offset, length] of sorted) {
    const last = ranges.at(-1);
    if (
      last &&
      offset - (last.offset + last.length) <= MERGE_GAP_BYTES &&
      offset >= last.offset + last.length
    ) {
      last.length = offset + length - last.offset;
    } else ranges.push({ key, offset, length });
  }
  return ranges;
}
