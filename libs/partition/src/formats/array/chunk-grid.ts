/** Half-open `[start, end)` intervals, one per dimension. */
export type Selection = Array<[start: number, end: number]>;

/** The number of cells of a shape (1 for a zero-dimensional one). */
export function cellCount(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** The coordinates of the `ordinal`-th cell of a grid in C order (the last dimension varies fastest). */
export function gridCoordinates(ordinal: number, grid: readonly number[]): number[] {
  const coordinates = new Array<number>(grid.length);
  let rest = ordinal;
  for (let d = grid.length - 1; d >= 0; d--) {
    coordinates[d] = rest % grid[d]!;
    rest = Math.floor(rest / grid[d]!);
  }
  return coordinates;
}

/** The C-order position of coordinates in a grid. */
export function gridOrdinal(coordinates: readonly number[], grid: readonly number[]): number {
  return coordinates.reduce((ordinal, coordinate, d) => ordinal * grid[d]! + coordinate, 0);
}

/** Every cell of a box of a grid (`[start, end)` per dimension), in C order. */
export function* boxCells(box: Selection): Generator<number[]> {
  if (box.some(([start, end]) => end <= start)) return;
  const cell = box.map(([start]) => start);
  while (true) {
    yield [...cell];
    let d = box.length - 1;
    while (d >= 0 && ++cell[d]! >= box[d]![1]) {
      cell[d] = box[d]![0];
      d--;
    }
    if (d < 0) return;
  }
}

/** The elements a chunk covers, clipped to the array's shape. */
export function chunkSelection(
  chunk: readonly number[],
  chunkShape: readonly number[],
  shape: readonly number[],
) {
  return chunk.map((c, d): [number, number] => [
    c * chunkShape[d]!,
    Math.min(shape[d]!, (c + 1) * chunkShape[d]!),
  ]);
}
