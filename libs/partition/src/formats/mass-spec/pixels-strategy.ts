import type { Strategy, StrategyDefinition } from '../../strategy.js';
import {
  parseInteger,
  parseRanges,
  requirePositiveInteger,
  requireRanges,
  requireValue,
} from '../../strategy-syntax.js';

/**
 * Pixels (imzML): `ranges` of pixel positions `[first, end)` in file order, one partition per
 * range; or rectangles of `rows` image rows per partition.
 */
export interface PixelsStrategy extends Strategy {
  by: 'pixels';
  ranges?: Array<[first: number, end: number]>;
  rows?: number;
}

/** `pixels=rows:2` or `pixels=0-4,4-9`. */
export const pixelsStrategy: StrategyDefinition<PixelsStrategy> = {
  name: 'pixels',
  syntax: 'pixels=rows:<n>|first-end,…',
  validate(strategy) {
    requireRanges(strategy.ranges);
    if (strategy.rows !== undefined) requirePositiveInteger(strategy.rows, 'rows');
  },
  parse(value) {
    const text = requireValue('pixels', value);
    return text.startsWith('rows:')
      ? { by: 'pixels', rows: parseInteger(text.slice(5), 'pixels rows') }
      : { by: 'pixels', ranges: parseRanges(text, 'pixels') };
  },
};
