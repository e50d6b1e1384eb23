// Test helpers of the genomics formats: temporary directories, the index, and random region
// strategies. The Debian tools (samtools, bcftools, tabix, bgzip) run through `runTool` of
// @isthmus/fixtures.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Dataset } from '../../../src/dataset.js';
import type { GenomicIndex } from '../../../src/formats/genomics/genomic-index.js';
import type { Strategy } from '../../../src/strategy.js';

/** A temporary directory, removed by the returned function. */
export async function temporaryDirectory(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'isthmus-genomics-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The index of a genomic dataset (SAM, BAM, VCF). */
export async function genomicIndex(dataset: Dataset): Promise<GenomicIndex> {
  return (await dataset.index()) as GenomicIndex;
}

/**
 * Random `region` strategies that cut every reference with records into consecutive regions
 * (`name:1-a`, `name:a+1-b`, …, `name:c`) at random positions up to `maxPosition`, in file
 * order, plus `*` for unplaced records: they cover the data exactly.
 */
export function coveringRegionStrategies(index: GenomicIndex, maxPosition: number): fc.Arbitrary<Strategy> {
  const references = index.references
    .filter((reference) => reference.records > 0)
    .sort((a, b) => a.first - b.first);
  const cuts = references.map(() =>
    fc
      .uniqueArray(fc.integer({ min: 2, max: maxPosition }), { maxLength: 5 })
      .map((c) => c.sort((a, b) => a - b)),
  );
  return fc.tuple(...cuts).map((perReference): Strategy => {
    const regions = references.flatMap((reference, r) => {
      const starts = [1, ...perReference[r]!];
      return starts.map((start, i) => {
        const next = starts[i + 1];
        if (next !== undefined) return `${reference.name}:${start}-${next - 1}`;
        return i === 0 ? reference.name : `${reference.name}:${start}`;
      });
    });
    return { by: 'region', regions: index.unplaced.records > 0 ? [...regions, '*'] : regions };
  });
}
