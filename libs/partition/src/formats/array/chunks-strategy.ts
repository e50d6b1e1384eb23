import type { Strategy, StrategyDefinition } from '../../strategy.js';
import { parseNumbers, requirePositiveInteger, splitAt } from '../../strategy-syntax.js';

/**
 * The chunk grid (Zarr): for `array` (a path in the store; the first array when omitted), each
 * partition holds a block of `chunksPerPartition[d]` chunks along every dimension `d` (default 1
 * along each), so no chunk is read by two partitions.
 */
export interface ChunksStrategy extends Strategy {
  by: 'chunks';
  array?: string;
  chunksPerPartition?: number[];
}

/** `chunks` or `chunks=1x2x2`, `@array` names the array: `chunks=1x2x2@rgb`. */
export const chunksStrategy: StrategyDefinition<ChunksStrategy> = {
  name: 'chunks',
  syntax: 'chunks[=1x2x2][@array]',
  validate(strategy) {
    for (const [i, n] of (strategy.chunksPerPartition ?? []).entries()) {
      requirePositiveInteger(n, `chunksPerPartition[${i}]`);
    }
  },
  parse(value) {
    const [grid, array] = splitAt(value ?? '');
    const strategy: ChunksStrategy = {
      by: 'chunks',
      ...(grid ? { chunksPerPartition: parseNumbers(grid, 'x', 'chunks') } : {}),
    };
    if (array) strategy.array = array;
    return strategy;
  },
};
