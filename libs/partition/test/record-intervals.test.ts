import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointSpan, planRecordIntervals, type RecordLayout } from '../src/record-intervals.js';

/** A layout of `sizes[i]`-byte records with a checkpoint every `every` records. */
function layoutOf(sizes: number[], every: number): RecordLayout {
  const checkpoints = [];
  let byte = 100;
  for (let record = 0; record < sizes.length; record++) {
    if (record % every === 0) checkpoints.push({ record, byte });
    byte += sizes[record]!;
  }
  if (checkpoints.length === 0) checkpoints.push({ record: 0, byte: 100 });
  return { records: sizes.length, start: 100, end: byte, checkpoints };
}

const layouts = fc
  .tuple(fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 300 }), fc.integer({ min: 1, max: 50 }))
  .map(([sizes, every]) => layoutOf(sizes, every));

describe('planRecordIntervals', () => {
  it('covers every record exactly once, in order, for every generic strategy', () => {
    const strategies = fc.oneof(
      fc.integer({ min: 1, max: 40 }).map((count) => ({ by: 'count' as const, count })),
      fc.integer({ min: 1, max: 20_000 }).map((bytes) => ({ by: 'bytes' as const, bytes })),
      fc.integer({ min: 1, max: 400 }).map((records) => ({ by: 'records' as const, records })),
    );
    fc.assert(
      fc.property(layouts, strategies, (layout, strategy) => {
        const intervals = planRecordIntervals(layout, strategy);
        expect(intervals[0]!.first).toBe(0);
        expect(intervals.at(-1)!.end).toBe(layout.records);
        for (let i = 1; i < intervals.length; i++) expect(intervals[i]!.first).toBe(intervals[i - 1]!.end);
        if (layout.records > 0) for (const { first, end } of intervals) expect(end).toBeGreaterThan(first);
        if (strategy.by === 'count') expect(intervals.length).toBeLessThanOrEqual(strategy.count);
        if (strategy.by === 'records') {
          expect(intervals.slice(0, -1).every(({ first, end }) => end - first === strategy.records)).toBe(
            true,
          );
        }
      }),
    );
  });

  it('cuts at checkpoints when there are enough of them, giving pieces of even size', () => {
    const layout = layoutOf(new Array(1000).fill(100), 10);
    const intervals = planRecordIntervals(layout, { by: 'count', count: 8 });
    expect(intervals).toHaveLength(8);
    for (const { first, end } of intervals) {
      expect(first % 10).toBe(0);
      expect(Math.abs(end - first - 125)).toBeLessThanOrEqual(5);
    }
  });

  it('gives one empty interval for a dataset without records', () => {
    const layout = { records: 0, start: 0, end: 0, checkpoints: [{ record: 0, byte: 0 }] };
    expect(planRecordIntervals(layout, { by: 'count', count: 4 })).toEqual([{ first: 0, end: 0 }]);
  });
});

describe('checkpointSpan', () => {
  it('starts at the last checkpoint at or before the first record and stops at the next one after the end', () => {
    fc.assert(
      fc.property(layouts, fc.nat(), fc.nat(), (layout, a, b) => {
        if (layout.records === 0) return;
        const first = a % layout.records;
        const end = first + 1 + (b % (layout.records - first));
        const span = checkpointSpan(layout, { first, end });
        expect(span.from.record).toBeLessThanOrEqual(first);
        expect(span.from.record + span.skip).toBe(first);
        expect(span.take).toBe(end - first);
        const later = layout.checkpoints.filter((c) => c.record > span.from.record && c.record <= first);
        expect(later).toEqual([]);
        const stop = layout.checkpoints.find((c) => c.record >= end);
        expect(span.endByte).toBe(stop ? stop.byte : layout.end);
      }),
    );
  });
});
