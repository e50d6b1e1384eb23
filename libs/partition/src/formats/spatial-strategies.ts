// The strategies of spatial formats, shared by the point-cloud and raster families.
import { InvalidStrategyError } from '../errors.js';
import type { Strategy, StrategyDefinition } from '../strategy.js';
import {
  parseInteger,
  parseNumbers,
  requirePositiveInteger,
  requireValue,
  splitAt,
} from '../strategy-syntax.js';

/**
 * Spatial tiles (LAS/LAZ/COPC, GeoTIFF/COG): the data's extent cut into a `grid` of
 * `[columns, rows]` tiles; a point or pixel belongs to the tile that contains it (tiles are
 * half-open, the last row and column closed). For rasters without `grid`, one partition per
 * internal tile or strip; `level` picks an overview (0 = full resolution).
 */
export interface TilesStrategy extends Strategy {
  by: 'tiles';
  grid?: [columns: number, rows: number];
  level?: number;
}

/**
 * A bounding box `[minX, minY, maxX, maxY]` in the data's coordinates (LAS/LAZ/COPC, GeoTIFF/COG):
 * only what lies inside, cut into `count` partitions (default 1).
 */
export interface BoundingBoxStrategy extends Strategy {
  by: 'bbox';
  bbox: [minX: number, minY: number, maxX: number, maxY: number];
  count?: number;
  level?: number;
}

function requireLevel(level: number | undefined): void {
  if (level !== undefined && !(Number.isSafeInteger(level) && level >= 0)) {
    throw new InvalidStrategyError(`level must be a non-negative integer, got ${level}`);
  }
}

/** `tiles`, `tiles=4x2` or `tiles=3` (3×3), `@level` for an overview: `tiles=2x2@1`. */
export const tilesStrategy: StrategyDefinition<TilesStrategy> = {
  name: 'tiles',
  syntax: 'tiles[=4x2][@level]',
  validate(strategy) {
    for (const [i, n] of (strategy.grid ?? []).entries()) requirePositiveInteger(n, `grid[${i}]`);
    requireLevel(strategy.level);
  },
  parse(value) {
    const [grid, level] = splitAt(value ?? '');
    const [columns, rows] = grid ? parseNumbers(grid, 'x', 'tiles grid') : [];
    const strategy: TilesStrategy = { by: 'tiles', ...(grid ? { grid: [columns!, rows ?? columns!] } : {}) };
    if (level !== undefined) strategy.level = parseInteger(level, 'tiles level');
    return strategy;
  },
};

/** `bbox=minX,minY,maxX,maxY`, `@count` for several partitions: `bbox=0,0,10,5@4`. */
export const bboxStrategy: StrategyDefinition<BoundingBoxStrategy> = {
  name: 'bbox',
  syntax: 'bbox=minX,minY,maxX,maxY[@partitions]',
  validate(strategy) {
    const [minX, minY, maxX, maxY] = strategy.bbox ?? [];
    if (![minX, minY, maxX, maxY].every(Number.isFinite) || !(minX! < maxX! && minY! < maxY!)) {
      throw new InvalidStrategyError('bbox must be [minX, minY, maxX, maxY] with min < max');
    }
    if (strategy.count !== undefined) requirePositiveInteger(strategy.count, 'count');
    requireLevel(strategy.level);
  },
  parse(value) {
    const [box, count] = splitAt(requireValue('bbox', value));
    const corners = parseNumbers(box, ',', 'bbox');
    if (corners.length !== 4) throw new InvalidStrategyError('bbox needs minX,minY,maxX,maxY');
    const strategy: BoundingBoxStrategy = { by: 'bbox', bbox: corners as [number, number, number, number] };
    if (count !== undefined) strategy.count = parseInteger(count, 'bbox count');
    return strategy;
  },
};
