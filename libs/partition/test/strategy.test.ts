import { describe, expect, it } from 'vitest';
import { InvalidStrategyError } from '../src/errors.js';
import { type Strategy, validateStrategy } from '../src/strategy.js';

describe('validateStrategy', () => {
  it.each<Strategy>([
    { by: 'count', count: 3 },
    { by: 'bytes', bytes: 1 << 20 },
    { by: 'records', records: 1000 },
    { by: 'region' },
    { by: 'region', regions: ['chr1:1-1000', 'chr2'] },
    { by: 'tiles', grid: [4, 2], level: 1 },
    { by: 'bbox', bbox: [0, 0, 10, 5], count: 2 },
    { by: 'spectra', ranges: [[0, 10]] },
    { by: 'pixels', rows: 2 },
    { by: 'chunks', array: 'rgb', chunksPerPartition: [1, 2, 2] },
  ])('accepts %j', (strategy) => {
    expect(() => validateStrategy(strategy)).not.toThrow();
  });

  it.each([
    { by: 'count', count: 0 },
    { by: 'count', count: 1.5 },
    { by: 'bytes', bytes: -1 },
    { by: 'records', records: Number.NaN },
    { by: 'region', regions: [] },
    { by: 'tiles', grid: [0, 2] },
    { by: 'tiles', level: -1 },
    { by: 'bbox', bbox: [10, 0, 0, 5] },
    { by: 'spectra', ranges: [[5, 5]] },
    { by: 'pixels', ranges: [] },
    { by: 'chunks', chunksPerPartition: [1, 0] },
    { by: 'shuffle' },
  ])('refuses %j with InvalidStrategyError', (strategy) => {
    expect(() => validateStrategy(strategy as Strategy)).toThrow(InvalidStrategyError);
  });
});
