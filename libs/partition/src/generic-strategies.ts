import type {
  BytesStrategy,
  CountStrategy,
  GenericStrategy,
  RecordsStrategy,
  StrategyDefinition,
} from './strategy.js';
import { parseInteger, parseSize, requirePositiveInteger, requireValue } from './strategy-syntax.js';

/** `count=<n>`: `n` partitions of about the same number of bytes. */
export const countStrategy: StrategyDefinition<CountStrategy> = {
  name: 'count',
  syntax: 'count=<partitions>',
  validate: (strategy) => requirePositiveInteger(strategy.count, 'count'),
  parse: (value) => ({ by: 'count', count: parseInteger(requireValue('count', value), 'count') }),
};

/** `bytes=<size>`: pieces of about that many bytes (`64MiB`, `1.5k`, `1000`). */
export const bytesStrategy: StrategyDefinition<BytesStrategy> = {
  name: 'bytes',
  syntax: 'bytes=<size, e.g. 64MiB>',
  validate: (strategy) => requirePositiveInteger(strategy.bytes, 'bytes'),
  parse: (value) => ({ by: 'bytes', bytes: parseSize(requireValue('bytes', value)) }),
};

/** `records=<n>`: pieces of exactly `n` records (the last may hold fewer). */
export const recordsStrategy: StrategyDefinition<RecordsStrategy> = {
  name: 'records',
  syntax: 'records=<records per partition>',
  validate: (strategy) => requirePositiveInteger(strategy.records, 'records'),
  parse: (value) => ({ by: 'records', records: parseInteger(requireValue('records', value), 'records') }),
};

/** The strategies every format supports: `count`, `bytes` and `records`. */
export const GENERIC_STRATEGIES: readonly StrategyDefinition<GenericStrategy>[] = [
  countStrategy,
  bytesStrategy,
  recordsStrategy,
] as StrategyDefinition<GenericStrategy>[];
