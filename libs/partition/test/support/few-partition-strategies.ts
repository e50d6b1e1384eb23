// Test helper: the conformance suite's generic strategies, bounded to plans of a few dozen partitions.
import type fc from 'fast-check';
import type { GenericStrategy } from '../../src/strategy.js';
import { genericStrategies } from '../../src/testing/exact-cover.js';

/**
 * The generic strategies of the conformance suite, without plans of more than about 60 partitions:
 * each partition is a request (on S3) and, in a compressed format, a decode from the checkpoint
 * before it, so `records=6` over a 100,000-point LAZ (some 18,000 partitions, each decoding up to
 * a whole chunk) would take minutes and prove nothing more.
 */
export function fewPartitionStrategies(records: number, bytes: number): fc.Arbitrary<GenericStrategy> {
  return genericStrategies(records, bytes).filter(
    (strategy) => strategy.by !== 'records' || strategy.records * 60 >= records,
  );
}
