// Test helpers of the genomics formats: the Debian tools as oracles, and random region strategies.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Dataset } from '../../../src/dataset.js';
import type { GenomicIndex } from '../../../src/formats/genomics/genomic-index.js';
import type { Strategy } from '../../../src/strategy.js';

/** Runs a tool (samtools, bcftools, tabix, bgzip) and returns its stdout; a missing tool fails loudly. */
export function runTool(command: string, args: string[], input?: Uint8Array | string): Buffer {
  return execFileSync(command, args, { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The lines a tool prints. */
export function toolLines(command: string, args: string[]): string[] {
  return runTool(command, args).toString('utf8').split('\n').filter(Boolean);
}

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
