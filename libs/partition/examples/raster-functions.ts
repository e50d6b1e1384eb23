// Mean per tile of a GeoTIFF / COG as functions: build this module into a @isthmus/faas bundle,
// map `tileMeans` over the partitions (e.g. `{ by: 'tiles' }`), then reduce with `rasterMeans`.
import { type Partition, read } from '@isthmus/partition';

/** The band means of one block (tile or strip) of a raster. */
export interface TileMean {
  level: number;
  column: number;
  row: number;
  /** The block's pixel window `[x, y, width, height]` on its level. */
  window: [number, number, number, number];
  /** Mean of each band over the window. */
  means: number[];
}

/** The means over a whole raster: every tile's, in row-major order, and each band's over all pixels. */
export interface RasterMeans {
  tiles: TileMean[];
  bands: number[];
  pixels: number;
}

interface Block {
  level: number;
  column: number;
  row: number;
  window: [number, number, number, number];
  bands: ArrayLike<number>[];
}

/** Map step: reads one partition's blocks and returns the band means of each. */
export async function tileMeans(partition: Partition): Promise<TileMean[]> {
  const tiles: TileMean[] = [];
  for await (const { level, column, row, window, bands } of read<Block>(partition)) {
    const means = bands.map((band) => {
      let sum = 0;
      for (let i = 0; i < band.length; i++) sum += band[i]!;
      return sum / band.length;
    });
    tiles.push({ level, column, row, window, means });
  }
  return tiles;
}

/** Reduce step: all tiles in row-major order, and each band's mean weighted by the tiles' pixels. */
export async function rasterMeans(perPartition: TileMean[][]): Promise<RasterMeans> {
  const tiles = perPartition.flat().sort((a, b) => a.row - b.row || a.column - b.column);
  let pixels = 0;
  const sums: number[] = [];
  for (const { window, means } of tiles) {
    const area = window[2] * window[3];
    pixels += area;
    means.forEach((mean, band) => {
      sums[band] = (sums[band] ?? 0) + mean * area;
    });
  }
  return { tiles, bands: sums.map((sum) => sum / pixels), pixels };
}
