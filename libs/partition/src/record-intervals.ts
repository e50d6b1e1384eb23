import type { GenericStrategy } from './strategy.js';

/** A place where reading can start: the byte where record number `record` (0-based) begins. */
export interface Checkpoint {
  record: number;
  byte: number;
}

/**
 * How records sit in a sequential format, as its index knows it: how many there are, the bytes
 * they span, and checkpoints (sorted by record, the first at record 0) where a reader can start.
 * `byte` may be a position in decompressed data; it only has to grow with `record`.
 */
export interface RecordLayout {
  records: number;
  /** Where the first record starts and the last one ends. */
  start: number;
  end: number;
  checkpoints: Checkpoint[];
}

/** Records `[first, end)`. */
export interface RecordInterval {
  first: number;
  end: number;
}

/** Where to start and stop reading for an interval of records. */
export interface CheckpointSpan {
  /** The checkpoint to start decoding at (at or before `first`). */
  from: Checkpoint;
  /** Records to skip after it. */
  skip: number;
  /** Records to take after that. */
  take: number;
  /** The byte where reading may stop: the start of the first checkpoint at or after `end`, else the layout's end. */
  endByte: number;
}

/**
 * Cuts `[0, records)` into contiguous intervals for the generic strategies: `count` and `bytes`
 * give pieces of even size in bytes (cut at checkpoints when there are enough of them, so
 * partitions start where decoding can start), `records` gives pieces of exactly that many records.
 * A dataset with no records gives one empty interval, so that a plan is never empty.
 */
export function planRecordIntervals(layout: RecordLayout, strategy: GenericStrategy): RecordInterval[] {
  const total = layout.records;
  if (total === 0) return [{ first: 0, end: 0 }];
  if (strategy.by === 'records') {
    const intervals: RecordInterval[] = [];
    for (let first = 0; first < total; first += strategy.records) {
      intervals.push({ first, end: Math.min(total, first + strategy.records) });
    }
    return intervals;
  }
  const span = Math.max(1, layout.end - layout.start);
  const count = Math.min(total, strategy.by === 'count' ? strategy.count : Math.ceil(span / strategy.bytes));
  const cuts = [0];
  for (let i = 1; i < count; i++) {
    const cut = recordAtByte(layout, layout.start + (span * i) / count, span / count);
    if (cut > cuts.at(-1)! && cut < total) cuts.push(cut);
  }
  cuts.push(total);
  return cuts.slice(0, -1).map((first, i) => ({ first, end: cuts[i + 1]! }));
}

/**
 * The record a cut at `byte` falls on: the nearest checkpoint when it is within a tenth of a
 * partition's size (so partitions start where decoding can start), else interpolated between the
 * checkpoints around it.
 */
function recordAtByte(layout: RecordLayout, byte: number, partitionBytes: number): number {
  const points = [...layout.checkpoints, { record: layout.records, byte: layout.end }];
  let low = 0;
  let high = points.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (points[middle]!.byte <= byte) low = middle;
    else high = middle;
  }
  const before = points[low]!;
  const after = points[high]!;
  const nearest = byte - before.byte <= after.byte - byte ? before : after;
  if (Math.abs(nearest.byte - byte) <= partitionBytes / 10 || after.byte <= before.byte)
    return nearest.record;
  const fraction = (byte - before.byte) / (after.byte - before.byte);
  return before.record + Math.round(fraction * (after.record - before.record));
}

/** The checkpoint to start at, the records to skip and take, and where reading may stop. */
export function checkpointSpan(layout: RecordLayout, interval: RecordInterval): CheckpointSpan {
  const { checkpoints } = layout;
  let low = 0;
  let high = checkpoints.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (checkpoints[middle]!.record <= interval.first) low = middle;
    else high = middle - 1;
  }
  const from = checkpoints[low] ?? { record: 0, byte: layout.start };
  let endByte = layout.end;
  for (let i = low; i < checkpoints.length; i++) {
    if (checkpoints[i]!.record >= interval.end) {
      endByte = checkpoints[i]!.byte;
      break;
    }
  }
  return { from, skip: interval.first - from.record, take: interval.end - interval.first, endByte };
}
