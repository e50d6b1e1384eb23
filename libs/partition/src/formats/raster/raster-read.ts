import type { DatasetSource } from '../../dataset-source.js';
import type { Partition } from '../../partition.js';
import { type BlockAt, blockDecoder, type SampleArray } from './block-decoder.js';
import { blocksAcross, blockWindow } from './raster-level.js';
import { mergedRanges, type RasterPartitionMeta } from './raster-plan.js';

/** One record of a raster partition: a tile or strip of a level, one array per band. */
export interface RasterBlock {
  level: number;
  column: number;
  row: number;
  /** The block's pixels on its level, `[x, y, width, height]`, clipped to the image. */
  window: [number, number, number, number];
  /** The samples of each band, `width × height` row-major (edge padding left out). */
  bands: SampleArray[];
}

/** Stored bytes fetched at once: blocks are read in batches of about this size. */
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * The blocks of a partition in its order, fetching its byte ranges batch by batch (adjacent
 * blocks in one request), so memory stays bounded whatever the partition's size.
 */
export async function* readRaster(partition: Partition, source: DatasetSource): AsyncIterable<RasterBlock> {
  const meta = partition.meta as RasterPartitionMeta;
  const decode = await blockDecoder(meta.image, source.key, meta.noData);
  const across = blocksAcross(meta.image);
  for (const batch of batches(meta.blocks)) {
    const ranges = mergedRanges(source.key, batch.flatMap(segmentsOf));
    const fetched = await Promise.all(
      ranges.map((range) => source.read(range.key, range.offset, range.length)),
    );
    const bytesAt = (offset: number, length: number): Uint8Array => {
      if (length === 0) return new Uint8Array(0);
      const i = ranges.findIndex((range) => range.offset <= offset && offset < range.offset + range.length);
      const start = offset - ranges[i]!.offset;
      return fetched[i]!.subarray(start, start + length);
    };
    for (const entry of batch) {
      const [column, row] = entry as [number, number];
      const segments = segmentsOf(entry);
      const at: BlockAt = {
        column,
        row,
        window: blockWindow(meta.image, row * across + column),
        offsets: segments.map(([offset]) => offset),
      };
      const bands = await decode(
        at,
        segments.map(([offset, length]) => bytesAt(offset, length)),
      );
      yield { level: meta.level, column, row, window: at.window, bands };
    }
  }
}

/** The `[offset, length]` segments of a partition's block entry (`[column, row, offset, length, …]`). */
function segmentsOf(entry: number[]): Array<[number, number]> {
  const segments: Array<[number, number]> = [];
  for (let i = 2; i < entry.length; i += 2) segments.push([entry[i]!, entry[i + 1]!]);
  return segments;
}

function* batches(entries: number[][]): Iterable<number[][]> {
  let batch: number[][] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = segmentsOf(entry).reduce((total, [, length]) => total + length, 0);
    if (batch.length > 0 && bytes + size > BATCH_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
