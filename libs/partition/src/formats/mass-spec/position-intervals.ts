import { InvalidStrategyError } from '../../errors.js';
import type { RecordInterval } from '../../record-intervals.js';

/**
 * The intervals `[first, end)` of positions a `spectra`/`pixels` strategy's `ranges` or
 * `perPartition` name, checked against the `total` the file holds (`InvalidStrategyError`).
 */
export function positionIntervals(
  total: number,
  ranges: Array<[number, number]> | undefined,
  perPartition: number | undefined,
  unit: string,
): RecordInterval[] {
  if (ranges) {
    return ranges.map(([first, end]) => {
      if (end > total) throw new InvalidStrategyError(`range [${first}, ${end}) beyond the ${total} ${unit}`);
      return { first, end };
    });
  }
  if (perPartition === undefined)
    throw new InvalidStrategyError(`${unit} needs ranges or a size per partition`);
  const intervals: RecordInterval[] = [];
  for (let first = 0; first < total; first += perPartition) {
    intervals.push({ first, end: Math.min(total, first + perPartition) });
  }
  return intervals.length > 0 ? intervals : [{ first: 0, end: 0 }];
}
