import { InconsistentDataError } from '../../errors.js';
import type { BinningIndex } from './binning-index.js';

/** What the index pass counted that a binning index must agree with (a part of `GenomicIndex`). */
export interface CountedRecords {
  sorted: boolean;
  references: Array<{ name: string; records: number }>;
  unplaced: { records: number };
}

/**
 * Checks a .bai/.tbi against what the index pass counted (references, records per reference,
 * unplaced records, sortedness) and returns, per reference of `index`, its number in the binning
 * index. `InconsistentDataError` naming the index's key when they disagree.
 */
export function checkBinningIndex(
  binning: BinningIndex,
  index: CountedRecords,
  key: string,
): (number | undefined)[] {
  const fail = (detail: string): never => {
    throw new InconsistentDataError({ key }, `${detail}; it does not index this data`);
  };
  if (!index.sorted) fail('the data is not coordinate-sorted, so no binning index can describe it');
  let numbers: (number | undefined)[];
  if (binning.names) {
    const byName = new Map(binning.names.map((name, i) => [name, i]));
    numbers = index.references.map((reference) => byName.get(reference.name));
    for (const name of binning.names) {
      if (!index.references.some((reference) => reference.name === name))
        fail(`it names ${name}, the data does not`);
    }
  } else {
    if (binning.references.length !== index.references.length) {
      fail(`it has ${binning.references.length} references, the header ${index.references.length}`);
    }
    numbers = index.references.map((_, r) => r);
  }
  index.references.forEach((reference, r) => {
    const number = numbers[r];
    const counted = number === undefined ? 0 : binning.references[number]!.records;
    if (number === undefined && reference.records > 0) fail(`it lacks ${reference.name}`);
    if (counted !== undefined && counted !== reference.records) {
      fail(`it counts ${counted} records on ${reference.name}, the data has ${reference.records}`);
    }
  });
  if (binning.unplaced !== undefined && binning.unplaced !== index.unplaced.records) {
    fail(`it counts ${binning.unplaced} unplaced records, the data has ${index.unplaced.records}`);
  }
  return numbers;
}
