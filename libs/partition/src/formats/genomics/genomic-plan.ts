import { compareVirtualOffsets } from '../../codecs/bgzf.js';
import type { PartitionPlan, PartitionRange } from '../../partition.js';
import {
  checkpointSpan,
  planRecordIntervals,
  type RecordInterval,
  type RecordLayout,
} from '../../record-intervals.js';
import type { GenericStrategy } from '../../strategy.js';
import type { GenomicIndex, JsonPosition } from './genomic-index.js';
import { positionOf } from './genomic-index.js';
import { type GenomicRegion, parseGenomicRegion, UNPLACED_REGION } from './genomic-region.js';
import type { RegionStrategy } from './region-strategy.js';

/**
 * What a reader of a SAM, BAM or VCF partition needs besides its ranges: the header's extent,
 * where to start decoding, how many records to skip and take, where to stop at the latest, and
 * the region whose records it keeps (region partitions).
 */
export type GenomicPartitionMeta = {
  compressed: boolean;
  headerEnd: JsonPosition;
  headerBytes: number;
  from: JsonPosition;
  skip: number;
  /** Records to take after the skip (after the region filter); null: every one up to `until`. */
  take: number | null;
  /** No record at or after this position is read. */
  until: JsonPosition;
  region: GenomicRegion | null;
  /** The data is coordinate-sorted: a region read stops at the first record past the region. */
  sorted: boolean;
};

/** Where a scan stops, and the compressed byte it must read up to for that. */
interface ScanEnd {
  until: JsonPosition;
  rangeEnd: number;
}

interface Scan {
  from: JsonPosition;
  skip: number;
  take: number | null;
  end: ScanEnd;
  region: GenomicRegion | null;
  records: number | undefined;
  label: string;
}

function layoutOf(index: GenomicIndex): RecordLayout {
  return {
    records: index.records,
    start: index.headerEnd[0],
    end: index.dataEnd[0],
    checkpoints: index.checkpoints.map(([record, block]) => ({ record: record!, byte: block! })),
  };
}

function checkpointPosition(checkpoint: number[]): JsonPosition {
  return [checkpoint[1]!, checkpoint[2]!];
}

function endAtCheckpoint(checkpoint: number[] | undefined, index: GenomicIndex): ScanEnd {
  if (!checkpoint) return { until: index.dataEnd, rangeEnd: index.dataEnd[0] };
  return {
    until: checkpointPosition(checkpoint),
    rangeEnd: checkpoint[2]! > 0 ? checkpoint[3]! : checkpoint[1]!,
  };
}

function planOf(index: GenomicIndex, key: string, scan: Scan): PartitionPlan {
  const ranges: PartitionRange[] = [];
  if (index.headerBytes > 0) ranges.push({ key, offset: 0, length: index.headerBytes });
  const dataBytes = scan.end.rangeEnd - scan.from[0];
  if (scan.take !== 0 && dataBytes > 0) ranges.push({ key, offset: scan.from[0], length: dataBytes });
  const meta: GenomicPartitionMeta = {
    compressed: index.compressed,
    headerEnd: index.headerEnd,
    headerBytes: index.headerBytes,
    from: scan.from,
    skip: scan.skip,
    take: scan.take,
    until: scan.end.until,
    region: scan.region,
    sorted: index.sorted,
  };
  const plan: PartitionPlan = { ranges, label: scan.label, meta };
  if (scan.records !== undefined) plan.records = scan.records;
  return plan;
}

function intervalScan(
  index: GenomicIndex,
  interval: RecordInterval,
  label: string,
  region: GenomicRegion | null,
): Scan {
  const take = interval.end - interval.first;
  if (take === 0 || index.checkpoints.length === 0) {
    return {
      from: index.headerEnd,
      skip: 0,
      take: 0,
      end: endAtCheckpoint(undefined, index),
      region,
      records: 0,
      label,
    };
  }
  const span = checkpointSpan(layoutOf(index), interval);
  const from = index.checkpoints.find((checkpoint) => checkpoint[0] === span.from.record)!;
  const end = index.checkpoints.find((checkpoint) => checkpoint[0]! >= interval.end);
  return {
    from: checkpointPosition(from),
    skip: span.skip,
    take,
    end: endAtCheckpoint(end, index),
    region,
    records: take,
    label,
  };
}

/** Partitions for the generic strategies: contiguous record intervals cut at checkpoints. */
function planIntervals(index: GenomicIndex, key: string, strategy: GenericStrategy) {
  return planRecordIntervals(layoutOf(index), strategy).map((interval) => {
    const label =
      interval.end > interval.first ? `records ${interval.first}–${interval.end - 1}` : 'no records';
    return planOf(index, key, intervalScan(index, interval, label, null));
  });
}

/** One region per reference with records, in file order, plus `*` for unplaced records. */
function defaultRegions(index: GenomicIndex): string[] {
  const regions = index.references
    .filter((reference) => reference.records > 0)
    .map((reference) => ({ text: reference.name, first: reference.first }));
  if (index.unplaced.records > 0) regions.push({ text: UNPLACED_REGION, first: index.unplaced.first });
  return regions.sort((a, b) => a.first - b.first).map((region) => region.text);
}

/** A scan of every record, keeping those of the region (unsorted data). */
function fullScan(index: GenomicIndex, region: GenomicRegion, take: number | null, label: string): Scan {
  const first = index.checkpoints[0];
  return {
    from: first ? checkpointPosition(first) : index.headerEnd,
    skip: 0,
    take,
    end: endAtCheckpoint(undefined, index),
    region,
    records: take ?? undefined,
    label,
  };
}

/** A scan of part of one reference of sorted data, from the last checkpoint or seek point before it. */
function sortedRegionScan(
  index: GenomicIndex,
  reference: number,
  region: GenomicRegion,
  label: string,
): Scan {
  const counts = index.references[reference]!;
  const before = index.checkpoints.findLast(
    (checkpoint) => checkpoint[4] === reference && checkpoint[5]! < region.start,
  );
  let from: JsonPosition;
  let skip = 0;
  if (before) {
    from = checkpointPosition(before);
  } else {
    const start = intervalScan(
      index,
      { first: counts.first, end: counts.first + counts.records },
      label,
      region,
    );
    from = start.from;
    skip = start.skip;
  }
  const seek = index.seeks[reference]!.findLast((point) => point[0]! <= region.start);
  if (seek && compareVirtualOffsets(positionOf([seek[1]!, seek[2]!]), positionOf(from)) > 0) {
    from = [seek[1]!, seek[2]!];
    skip = 0;
  }
  const end = index.checkpoints.find(
    (checkpoint) =>
      checkpoint[0]! > counts.first &&
      compareVirtualOffsets(positionOf(checkpointPosition(checkpoint)), positionOf(from)) > 0 &&
      (checkpoint[4] !== reference || (region.end !== null && checkpoint[5]! > region.end)),
  );
  return { from, skip, take: null, end: endAtCheckpoint(end, index), region, records: undefined, label };
}

function regionScan(index: GenomicIndex, region: GenomicRegion, label: string): Scan {
  const reference = index.references.findIndex((counts) => counts.name === region.reference);
  const counts = region.reference === null ? index.unplaced : index.references[reference]!;
  const whole = region.start <= 1 && region.end === null;
  if (counts.records === 0) return intervalScan(index, { first: 0, end: 0 }, label, region);
  if (whole && index.sorted) {
    return intervalScan(index, { first: counts.first, end: counts.first + counts.records }, label, region);
  }
  if (whole || !index.sorted) return fullScan(index, region, whole ? counts.records : null, label);
  return sortedRegionScan(index, reference, region, label);
}

/** Partitions of a genomic index for a generic or `region` strategy. */
export function planGenomic(
  index: GenomicIndex,
  strategy: GenericStrategy | RegionStrategy,
): PartitionPlan[] {
  const key = index.key;
  if (strategy.by !== 'region') {
    return planIntervals(index, key, strategy);
  }
  const names = new Set(index.references.map((reference) => reference.name));
  const regions = strategy.regions ?? defaultRegions(index);
  if (regions.length === 0)
    return [planOf(index, key, intervalScan(index, { first: 0, end: 0 }, 'no records', null))];
  return regions.map((text) =>
    planOf(
      index,
      key,
      regionScan(
        index,
        parseGenomicRegion(text, (name) => names.has(name)),
        text,
      ),
    ),
  );
}
