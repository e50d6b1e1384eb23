import { InvalidStrategyError } from '../../errors.js';
import type { Strategy, StrategyDefinition } from '../../strategy.js';

/**
 * Genomic regions (VCF, BAM, SAM): one partition per region, holding the records that start in it.
 * A region is `name`, `name:start-end` or `name:start` (1-based, inclusive, as samtools writes it).
 * Without `regions`, one partition per reference sequence (plus one for unplaced records, if any).
 */
export interface RegionStrategy extends Strategy {
  by: 'region';
  regions?: string[];
}

/** `region` or `region=chr1,chr2:1-50000`. */
export const regionStrategy: StrategyDefinition<RegionStrategy> = {
  name: 'region',
  syntax: 'region[=chr1,chr2:1-50000]',
  validate(strategy) {
    if (strategy.regions !== undefined && strategy.regions.length === 0) {
      throw new InvalidStrategyError('regions is empty');
    }
  },
  parse: (value) =>
    value ? { by: 'region', regions: value.split(',').map((region) => region.trim()) } : { by: 'region' },
};
