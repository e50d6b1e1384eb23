import type { PartitionPlan, PartitionRange } from '../../partition.js';
import { planRecordIntervals, type RecordLayout } from '../../record-intervals.js';
import type { GenericStrategy } from '../../strategy.js';
import type { ImzmlIndex, PixelEntry } from './imzml-index.js';
import type { PixelsStrategy } from './pixels-strategy.js';
import { positionIntervals } from './position-intervals.js';

/** What an imzML partition's reader needs: the pixels' positions and .ibd offsets, and encodings. */
export type ImzmlPartitionMeta = Pick<
  ImzmlIndex,
  'ibdKey' | 'mode' | 'headerLength' | 'mzEncoding' | 'intensityEncoding'
> & { pixels: PixelEntry[] };

/** Pixels as a record layout: a checkpoint per pixel at the .ibd bytes before it (for count/bytes). */
function pixelLayout(index: ImzmlIndex): RecordLayout {
  let byte = 0;
  const checkpoints = index.pixels.map((pixel, record) => {
    const checkpoint = { record, byte };
    byte += (index.mode === 'processed' ? pixel[4] : 0) + pixel[7];
    return checkpoint;
  });
  return { records: index.pixels.length, start: 0, end: byte, checkpoints };
}

/** The pixel groups of a strategy, each a list of positions in file order. */
function pixelGroups(index: ImzmlIndex, strategy: GenericStrategy | PixelsStrategy): number[][] {
  const positions = (first: number, end: number) => Array.from({ length: end - first }, (_, i) => first + i);
  const rows = strategy.by === 'pixels' && strategy.ranges === undefined ? strategy.rows : undefined;
  if (rows !== undefined) {
    if (index.pixels.length === 0) return [[]];
    const ys = index.pixels.map((pixel) => pixel[1]);
    const top = Math.min(...ys);
    const bands = Math.floor((Math.max(...ys) - top) / rows) + 1;
    const groups: number[][] = Array.from({ length: bands }, () => []);
    index.pixels.forEach((pixel, i) => {
      groups[Math.floor((pixel[1] - top) / rows)]!.push(i);
    });
    return groups;
  }
  if (strategy.by === 'pixels') {
    return positionIntervals(index.pixels.length, strategy.ranges, undefined, 'pixels').map(
      ({ first, end }) => positions(first, end),
    );
  }
  return planRecordIntervals(pixelLayout(index), strategy).map(({ first, end }) => positions(first, end));
}

/** The .ibd byte ranges of some pixels, sorted and merged where they touch. */
function ibdRanges(key: string, pixels: PixelEntry[]): PartitionRange[] {
  const spans = pixels
    .flatMap((pixel) => [
      [pixel[2], pixel[2] + pixel[4]],
      [pixel[5], pixel[5] + pixel[7]],
    ])
    .sort((a, b) => a[0]! - b[0]!);
  const ranges: PartitionRange[] = [];
  for (const [start, end] of spans) {
    const last = ranges.at(-1);
    if (last && start! <= last.offset + last.length) {
      last.length = Math.max(last.length, end! - last.offset);
    } else ranges.push({ key, offset: start!, length: end! - start! });
  }
  return ranges;
}

/** Partitions of an imzML: groups of pixels, each reading only its pixels' bytes of the .ibd. */
export function planImzml(index: ImzmlIndex, strategy: GenericStrategy | PixelsStrategy): PartitionPlan[] {
  return pixelGroups(index, strategy).map((group) => {
    const pixels = group.map((i) => index.pixels[i]!);
    const meta: ImzmlPartitionMeta = {
      ibdKey: index.ibdKey,
      mode: index.mode,
      headerLength: index.headerLength,
      mzEncoding: index.mzEncoding,
      intensityEncoding: index.intensityEncoding,
      pixels,
    };
    const label =
      group.length === 0
        ? 'no pixels'
        : strategy.by === 'pixels' && strategy.rows !== undefined && strategy.ranges === undefined
          ? `rows ${Math.min(...pixels.map((p) => p[1]))}–${Math.max(...pixels.map((p) => p[1]))}`
          : `pixels ${group[0]}–${group.at(-1)}`;
    return { ranges: ibdRanges(index.ibdKey, pixels), records: pixels.length, label, meta };
  });
}
