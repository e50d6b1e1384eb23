import { describe, expect, it } from 'vitest';
import { InvalidStrategyError, UnsupportedStrategyError } from '../src/errors.js';
import type { AnyFormatHandler } from '../src/format-handler.js';
import { chunksStrategy } from '../src/formats/array/chunks-strategy.js';
import { regionStrategy } from '../src/formats/genomics/region-strategy.js';
import { pixelsStrategy } from '../src/formats/mass-spec/pixels-strategy.js';
import { spectraStrategy } from '../src/formats/mass-spec/spectra-strategy.js';
import { bboxStrategy, tilesStrategy } from '../src/formats/spatial-strategies.js';
import { GENERIC_STRATEGIES } from '../src/generic-strategies.js';
import { resolveStrategy } from '../src/resolve-strategy.js';
import type { Strategy } from '../src/strategy.js';

/** A format offering every built-in strategy, to resolve them all. */
const everyStrategy = {
  name: 'every-strategy',
  strategies: [
    ...GENERIC_STRATEGIES,
    regionStrategy,
    tilesStrategy,
    bboxStrategy,
    spectraStrategy,
    pixelsStrategy,
    chunksStrategy,
  ],
} as unknown as AnyFormatHandler;

/** A format offering only the generic three. */
const genericOnly = { name: 'generic-only', strategies: GENERIC_STRATEGIES } as unknown as AnyFormatHandler;

describe('strategies in their short text form', () => {
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
    expect(resolveStrategy(everyStrategy, text)).toEqual(strategy);
  });

  it.each(['count', 'count=0', 'bytes=lots', 'bbox=1,2,3', 'spectra=5-1', 'tiles=0x2', 'records=1.5'])(
    'refuses %s with InvalidStrategyError',
    (text) => {
      expect(() => resolveStrategy(everyStrategy, text)).toThrow(InvalidStrategyError);
    },
  );

  it('refuses a strategy the format does not offer, naming the ones it does', () => {
    expect(() => resolveStrategy(everyStrategy, 'shuffle=3')).toThrow(UnsupportedStrategyError);
    const error = (() => {
      try {
        resolveStrategy(genericOnly, 'tiles=2x2');
      } catch (caught) {
        return caught as UnsupportedStrategyError;
      }
    })();
    expect(error).toBeInstanceOf(UnsupportedStrategyError);
    expect(error!.code).toBe('ERR_PARTITION_UNSUPPORTED_STRATEGY');
    expect(error!.message).toContain('count=<partitions>');
  });
});

describe('strategies as objects', () => {
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
    expect(resolveStrategy(everyStrategy, strategy)).toBe(strategy);
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
    { count: 3 },
  ])('refuses %j with InvalidStrategyError', (strategy) => {
    expect(() => resolveStrategy(everyStrategy, strategy as Strategy)).toThrow(InvalidStrategyError);
  });

  it('refuses an object strategy the format does not offer', () => {
    expect(() => resolveStrategy(genericOnly, { by: 'region' })).toThrow(UnsupportedStrategyError);
  });
});
