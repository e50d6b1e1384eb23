import fc from 'fast-check';
import { expect } from 'vitest';
import type { Dataset } from '../dataset.js';
import type { Partition } from '../partition.js';
import type { GenericStrategy, Strategy } from '../strategy.js';
import { recordDigest } from './record-digest.js';

/** The digests of every record of a dataset, read as one partition (the reference for the others). */
export async function allRecordDigests(dataset: Dataset): Promise<string[]> {
  const [whole] = await dataset.partition({ by: 'count', count: 1 });
  return readDigests(dataset, whole!);
}

/** The digests of one partition's records, checking the partition's declared record count. */
export async function readDigests(dataset: Dataset, partition: Partition): Promise<string[]> {
  const digests: string[] = [];
  for await (const record of dataset.read(partition)) digests.push(recordDigest(record));
  if (partition.records !== undefined) {
    expect(digests.length, `records of partition ${partition.index} (${partition.label})`).toBe(
      partition.records,
    );
  }
  return digests;
}

/**
 * Asserts that a plan covers the dataset exactly: the partitions' records, concatenated in plan
 * order, are the reference records (`ordered`), or the same multiset (spatial strategies, whose
 * partitions interleave file order). Every record once: none lost, none twice, none cut.
 */
export async function expectExactCover(
  dataset: Dataset,
  strategy: Strategy,
  reference: string[],
  options: { ordered?: boolean } = {},
): Promise<Partition[]> {
  const partitions = await dataset.partition(strategy);
  expect(partitions.length).toBeGreaterThan(0);
  partitions.forEach((partition, i) => {
    expect(partition.index).toBe(i);
    expect(partition.total).toBe(partitions.length);
    expect(JSON.parse(JSON.stringify(partition))).toEqual(partition);
  });
  const union: string[] = [];
  for (const partition of partitions)
    for (const digest of await readDigests(dataset, partition)) union.push(digest);
  const plan = `${partitions.length} partitions of ${JSON.stringify(strategy)}`;
  expect(union.length, `records over ${plan}`).toBe(reference.length);
  const ordered = options.ordered ?? true;
  const [got, want] = ordered ? [union, reference] : [[...union].sort(), [...reference].sort()];
  // A loop, not toEqual: deep equality of arrays of 500,000 digests costs minutes.
  const first = got.findIndex((digest, i) => digest !== want[i]);
  expect(first, `first record that differs (${ordered ? 'in file order' : 'sorted'}) over ${plan}`).toBe(-1);
  return partitions;
}

/** Random generic strategies for a dataset of `records` records spanning `bytes` bytes. */
export function genericStrategies(records: number, bytes: number): fc.Arbitrary<GenericStrategy> {
  return fc.oneof(
    fc.integer({ min: 1, max: 24 }).map((count): GenericStrategy => ({ by: 'count', count })),
    fc
      .integer({ min: Math.max(1, Math.floor(bytes / 40)), max: Math.max(1, bytes) })
      .map((size): GenericStrategy => ({ by: 'bytes', bytes: size })),
    fc
      .integer({ min: 1, max: Math.max(1, records) })
      .map((size): GenericStrategy => ({ by: 'records', records: size })),
  );
}

/**
 * Property test: for random strategies drawn from `strategies`, every plan covers the dataset
 * exactly (see `expectExactCover`).
 */
export async function checkCoverProperty(
  dataset: Dataset,
  strategies: fc.Arbitrary<Strategy>,
  options: { runs?: number; ordered?: boolean; seed?: number } = {},
): Promise<void> {
  const reference = await allRecordDigests(dataset);
  await fc.assert(
    fc.asyncProperty(strategies, async (strategy) => {
      await expectExactCover(dataset, strategy, reference, options);
    }),
    { numRuns: options.runs ?? 12, seed: options.seed },
  );
}
