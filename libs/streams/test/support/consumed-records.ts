import { expect } from 'vitest';
import { kcat } from './kcat.js';

/** One record as a consumer saw it. */
export interface ConsumedRecord {
  offset: number;
  value: string;
}

/**
 * Every record of `topic` from the beginning to the end, read by kcat through `bootstrap`, by
 * partition (offsets in the order kcat printed them).
 */
export async function consumeAll(bootstrap: string, topic: string): Promise<Map<number, ConsumedRecord[]>> {
  const read = await kcat(bootstrap, ['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p|%o|%s\\n']);
  expect(read.code, read.stderr).toBe(0);
  const byPartition = new Map<number, ConsumedRecord[]>();
  for (const line of read.stdout.split('\n').filter(Boolean)) {
    const [partition, offset, value] = line.split('|');
    const list = byPartition.get(Number(partition)) ?? [];
    list.push({ offset: Number(offset), value: value! });
    byPartition.set(Number(partition), list);
  }
  return byPartition;
}

/** Asserts that a partition's offsets are 0, 1, 2, … (dense, unique, in order). */
export function expectDenseOffsets(records: ConsumedRecord[]): void {
  expect(records.map((record) => record.offset)).toEqual(records.map((_, index) => index));
}

/** Asserts that no value occurs twice among `records`. */
export function expectNoDuplicateValues(records: ConsumedRecord[]): void {
  const values = records.map((record) => record.value);
  expect(values.filter((value, index) => values.indexOf(value) !== index)).toEqual([]);
}
