import { describe, expect, it } from 'vitest';
import { InvalidStrategyError } from '../src/errors.js';
import { parseStrategy } from '../src/strategy-text.js';

describe('parseStrategy', () => {
  it.each([
    ['count=8', { by: 'count', count: 8 }],
    ['bytes=64MiB', { by: 'bytes', bytes: 64 * 1024 * 1024 }],
    ['bytes=1.5k', { by: 'bytes', bytes: 1536 }],
    ['records=1000', { by: 'records', records: 1000 }],
    ['region', { by: 'region' }],
    ['region=chr1, chr2:1-50000', { by: 'region', regions: ['chr1', 'chr2:1-50000'] }],
    ['tiles', { by: 'tiles' }],
    ['tiles=4x2', { by: 'tiles', grid: [4, 2] }],
    ['tiles=3@1', { by: 'tiles', grid: [3, 3], level: 1 }],
    ['bbox=0,0,10.5,5@4', { by: 'bbox', bbox: [0, 0, 10.5, 5], count: 4 }],
    ['spectra=100', { by: 'spectra', perPartition: 100 }],
    [
      'spectra=0-10,10-48',
      {
        by: 'spectra',
        ranges: [
          [0, 10],
          [10, 48],
        ],
      },
    ],
    ['pixels=rows:2', { by: 'pixels', rows: 2 }],
    ['chunks=1x2x2@rgb', { by: 'chunks', chunksPerPartition: [1, 2, 2], array: 'rgb' }],
  ])('parses %s', (text, strategy) => {
    expect(parseStrategy(text)).toEqual(strategy);
  });

  it.each(['count', 'count=0', 'bytes=lots', 'bbox=1,2,3', 'spectra=5-1', 'shuffle=3', 'tiles=0x2'])(
    'refuses %s with InvalidStrategyError',
    (text) => {
      expect(() => parseStrategy(text)).toThrow(InvalidStrategyError);
    },
  );
});
