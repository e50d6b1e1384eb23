import { InvalidStrategyError } from './errors.js';

/** Even-sized pieces: `count` partitions of about the same number of bytes. */
export interface CountStrategy {
  by: 'count';
  count: number;
}

/** Pieces of about `bytes` bytes each (never splitting a record). */
export interface BytesStrategy {
  by: 'bytes';
  bytes: number;
}

/** Pieces of exactly `records` records each (the last one may hold fewer). */
export interface RecordsStrategy {
  by: 'records';
  records: number;
}

/**
 * Genomic regions (VCF, BAM, SAM): one partition per region, holding the records that start in it.
 * A region is `name`, `name:start-end` or `name:start` (1-based, inclusive, as samtools writes it).
 * Without `regions`, one partition per reference sequence (plus one for unplaced records, if any).
 */
export interface RegionStrategy {
  by: 'region';
  regions?: string[];
}

/**
 * Spatial tiles (LAS/LAZ/COPC, GeoTIFF/COG): the data's extent cut into a `grid` of
 * `[columns, rows]` tiles; a point or pixel belongs to the tile that contains it (tiles are
 * half-open, the last row and column closed). For rasters without `grid`, one partition per
 * internal tile or strip; `level` picks an overview (0 = full resolution).
 */
export interface TilesStrategy {
  by: 'tiles';
  grid?: [columns: number, rows: number];
  level?: number;
}

/**
 * A bounding box `[minX, minY, maxX, maxY]` in the data's coordinates (LAS/LAZ/COPC, GeoTIFF/COG):
 * only what lies inside, cut into `count` partitions (default 1).
 */
export interface BoundingBoxStrategy {
  by: 'bbox';
  bbox: [minX: number, minY: number, maxX: number, maxY: number];
  count?: number;
  level?: number;
}

/**
 * Spectra (mzML): `ranges` of spectrum positions `[first, end)` (0-based, end exclusive), one
 * partition per range; or, without ranges, `perPartition` spectra per partition.
 */
export interface SpectraStrategy {
  by: 'spectra';
  ranges?: Array<[first: number, end: number]>;
  perPartition?: number;
}

/**
 * Pixels (imzML): `ranges` of pixel positions `[first, end)` in file order, one partition per
 * range; or rectangles of `rows` image rows per partition.
 */
export interface PixelsStrategy {
  by: 'pixels';
  ranges?: Array<[first: number, end: number]>;
  rows?: number;
}

/**
 * The chunk grid (Zarr): for `array` (a path in the store; the first array when omitted), each
 * partition holds a block of `chunksPerPartition[d]` chunks along every dimension `d` (default 1
 * along each), so no chunk is read by two partitions.
 */
export interface ChunksStrategy {
  by: 'chunks';
  array?: string;
  chunksPerPartition?: number[];
}

/** How to cut a dataset into partitions. Each format supports the generic three and its own. */
export type Strategy =
  | CountStrategy
  | BytesStrategy
  | RecordsStrategy
  | RegionStrategy
  | TilesStrategy
  | BoundingBoxStrategy
  | SpectraStrategy
  | PixelsStrategy
  | ChunksStrategy;

/** The name of a strategy (`by`). */
export type StrategyName = Strategy['by'];

/** The strategies every format supports. */
export const GENERIC_STRATEGIES = ['count', 'bytes', 'records'] as const satisfies readonly StrategyName[];

function positiveInteger(value: unknown, what: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new InvalidStrategyError(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
}

/** Checks the parameters of a strategy that do not depend on the data; throws `InvalidStrategyError`. */
export function validateStrategy(strategy: Strategy): void {
  switch (strategy.by) {
    case 'count':
      positiveInteger(strategy.count, 'count');
      return;
    case 'bytes':
      positiveInteger(strategy.bytes, 'bytes');
      return;
    case 'records':
      positiveInteger(strategy.records, 'records');
      return;
    case 'region':
      if (strategy.regions !== undefined && strategy.regions.length === 0) {
        throw new InvalidStrategyError('regions is empty');
      }
      return;
    case 'tiles':
      for (const [i, n] of (strategy.grid ?? []).entries()) positiveInteger(n, `grid[${i}]`);
      if (strategy.level !== undefined && !(Number.isSafeInteger(strategy.level) && strategy.level >= 0)) {
        throw new InvalidStrategyError(`level must be a non-negative integer, got ${strategy.level}`);
      }
      return;
    case 'bbox': {
      const [minX, minY, maxX, maxY] = strategy.bbox ?? [];
      if (![minX, minY, maxX, maxY].every(Number.isFinite) || !(minX! < maxX! && minY! < maxY!)) {
        throw new InvalidStrategyError(`bbox must be [minX, minY, maxX, maxY] with min < max`);
      }
      if (strategy.count !== undefined) positiveInteger(strategy.count, 'count');
      return;
    }
    case 'spectra':
    case 'pixels': {
      for (const [first, end] of strategy.ranges ?? []) {
        if (!(Number.isSafeInteger(first) && Number.isSafeInteger(end) && first >= 0 && first < end)) {
          throw new InvalidStrategyError(`range [${first}, ${end}) must satisfy 0 <= first < end`);
        }
      }
      if (strategy.ranges?.length === 0) throw new InvalidStrategyError('ranges is empty');
      if (strategy.by === 'spectra' && strategy.perPartition !== undefined) {
        positiveInteger(strategy.perPartition, 'perPartition');
      }
      if (strategy.by === 'pixels' && strategy.rows !== undefined) positiveInteger(strategy.rows, 'rows');
      return;
    }
    case 'chunks':
      for (const [i, n] of (strategy.chunksPerPartition ?? []).entries()) {
        positiveInteger(n, `chunksPerPartition[${i}]`);
      }
      return;
    default:
      throw new InvalidStrategyError(`unknown strategy ${JSON.stringify((strategy as { by?: unknown }).by)}`);
  }
}
