import type { PartitionPlan } from '../../partition.js';
import { checkpointSpan, planRecordIntervals } from '../../record-intervals.js';
import type { GenericStrategy } from '../../strategy.js';
import type { MzmlIndex } from './mzml-index.js';
import { positionIntervals } from './position-intervals.js';
import type { SpectraStrategy } from './spectra-strategy.js';

/** What an mzML partition's reader needs besides its byte range. */
export type MzmlPartitionMeta = {
  /** Position of the partition's first spectrum in the file. */
  first: number;
  /** Spectra to pass over at the start of the range (it starts at a checkpoint), then to take. */
  skip: number;
  take: number;
  /** The header's length (read by `toFile` only) and its parameter groups. */
  headerLength: number;
  root: string;
  paramGroups: MzmlIndex['paramGroups'];
};

/** Partitions of an mzML file: intervals of spectra, each read from the checkpoint before it. */
export function planMzml(index: MzmlIndex, strategy: GenericStrategy | SpectraStrategy): PartitionPlan[] {
  const intervals =
    strategy.by === 'spectra'
      ? positionIntervals(index.records, strategy.ranges, strategy.perPartition, 'spectra')
      : planRecordIntervals(index, strategy);
  return intervals.map((interval) => {
    const span = checkpointSpan(index, interval);
    const meta: MzmlPartitionMeta = {
      first: interval.first,
      skip: span.skip,
      take: span.take,
      headerLength: index.headerLength,
      root: index.root,
      paramGroups: index.paramGroups,
    };
    return {
      ranges:
        span.take === 0
          ? []
          : [{ key: index.key, offset: span.from.byte, length: span.endByte - span.from.byte }],
      records: span.take,
      label: span.take === 0 ? 'no spectra' : `spectra ${interval.first}–${interval.end - 1}`,
      meta,
    };
  });
}
