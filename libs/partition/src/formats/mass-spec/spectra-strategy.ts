import type { Strategy, StrategyDefinition } from '../../strategy.js';
import {
  parseInteger,
  parseRanges,
  requirePositiveInteger,
  requireRanges,
  requireValue,
} from '../../strategy-syntax.js';

/**
 * Spectra (mzML): `ranges` of spectrum positions `[first, end)` (0-based, end exclusive), one
 * partition per range; or, without ranges, `perPartition` spectra per partition.
 */
export interface SpectraStrategy extends Strategy {
  by: 'spectra';
  ranges?: Array<[first: number, end: number]>;
  perPartition?: number;
}

/** `spectra=100` (per partition) or `spectra=0-10,10-48`. */
export const spectraStrategy: StrategyDefinition<SpectraStrategy> = {
  name: 'spectra',
  syntax: 'spectra=<per partition>|first-end,…',
  validate(strategy) {
    requireRanges(strategy.ranges);
    if (strategy.perPartition !== undefined) requirePositiveInteger(strategy.perPartition, 'perPartition');
  },
  parse(value) {
    const text = requireValue('spectra', value);
    return /^\d+$/.test(text)
      ? { by: 'spectra', perPartition: parseInteger(text, 'spectra') }
      : { by: 'spectra', ranges: parseRanges(text, 'spectra') };
  },
};
