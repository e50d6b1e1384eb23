/**
 * Which points of the blocks a spatial partition keeps: those of one tile of a grid over the
 * extent (tiles are half-open, the last row and column closed; points outside the extent count
 * in the nearest edge tile, so every point is in exactly one tile), or those inside a closed
 * bounding box.
 */
export type PointFilter =
  | { kind: 'tile'; extent: number[]; grid: number[]; tile: number[] }
  | { kind: 'bbox'; bbox: number[] };

/** The column (or row) of the tile holding `value`, clamped to the grid. */
function cellOf(value: number, min: number, max: number, cells: number): number {
  const width = (max - min) / cells;
  if (!(width > 0)) return 0;
  return Math.min(cells - 1, Math.max(0, Math.floor((value - min) / width)));
}

/** Whether a filter keeps the point at (x, y). */
export function keepsPoint(filter: PointFilter, x: number, y: number): boolean {
  if (filter.kind === 'bbox') {
    const [minX, minY, maxX, maxY] = filter.bbox as [number, number, number, number];
    return x >= minX && x <= maxX && y >= minY && y <= maxY;
  }
  const [minX, minY, maxX, maxY] = filter.extent as [number, number, number, number];
  const [columns, rows] = filter.grid as [number, number];
  return cellOf(x, minX, maxX, columns) === filter.tile[0] && cellOf(y, minY, maxY, rows) === filter.tile[1];
}

/**
 * The region a filter can keep points from, `[minX, minY, maxX, maxY]` (edge tiles reach to
 * infinity), widened a little so that rounding never excludes a block holding a kept point.
 */
export function filterRegion(filter: PointFilter): number[] {
  if (filter.kind === 'bbox') return widen(filter.bbox, filter.bbox);
  const [minX, minY, maxX, maxY] = filter.extent as [number, number, number, number];
  const [columns, rows] = filter.grid as [number, number];
  const [column, row] = filter.tile as [number, number];
  const width = (maxX - minX) / columns;
  const height = (maxY - minY) / rows;
  return widen(
    [
      column === 0 ? -Infinity : minX + column * width,
      row === 0 ? -Infinity : minY + row * height,
      column === columns - 1 ? Infinity : minX + (column + 1) * width,
      row === rows - 1 ? Infinity : minY + (row + 1) * height,
    ],
    filter.extent,
  );
}

function widen(region: number[], extent: number[]): number[] {
  const margin = 1e-9 * (Math.abs(extent[2]! - extent[0]!) + Math.abs(extent[3]! - extent[1]!)) + 1e-9;
  return [region[0]! - margin, region[1]! - margin, region[2]! + margin, region[3]! + margin];
}

/** Whether two `[minX, minY, maxX, maxY]` boxes overlap (closed). */
export function boxesOverlap(a: number[], b: number[]): boolean {
  return a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!;
}
