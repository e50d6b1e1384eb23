import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  runTool,
  SAMPLES_DIR,
  type SampleStore,
  STORE_KINDS,
  sampleStore,
  toolLines,
} from '@isthmus/fixtures';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Dataset, openDataset } from '../../../src/dataset.js';
import type { AlignmentRecord } from '../../../src/formats/genomics/alignment-record.js';
import type { Partition } from '../../../src/partition.js';
import { checkCoverProperty, genericStrategies } from '../../../src/testing/exact-cover.js';
import { coveringRegionStrategies, genomicIndex, temporaryDirectory } from './genomic-oracles.js';

const SAM = 'sam/ce#1000.sam';
const ECOLI = 'bam/ecoli_nanopore.bam';

/** The sample SAM moved onto five references and `*` (every sixth read unplaced). */
function multiReferenceSam(text: string): string {
  const lines = text.split('\n').filter(Boolean);
  const header = lines.filter((line) => line.startsWith('@'));
  const references = ['CHROMOSOME_I', 'CHROMOSOME_II', 'CHROMOSOME_III', 'CHROMOSOME_IV', 'CHROMOSOME_V'];
  const records = lines
    .filter((line) => !line.startsWith('@'))
    .map((line, i) => {
      const fields = line.split('\t');
      const slot = i % 6;
      if (slot === 5)
        return [fields[0], '4', '*', '0', '0', '*', '*', '0', '0', ...fields.slice(9)].join('\t');
      if (slot > 0) {
        fields[2] = references[slot]!;
        fields[3] = String(((Number(fields[3]) - 1) % 4800) + 1);
      }
      return fields.join('\t');
    });
  return `${[...header, ...records].join('\n')}\n`;
}

/** A record as `samtools view` prints it. */
function samLine(record: AlignmentRecord): string {
  const fields = [
    record.name,
    record.flag,
    record.reference,
    record.position,
    record.mappingQuality,
    record.cigar,
  ];
  fields.push(
    record.mateReference,
    record.matePosition,
    record.templateLength,
    record.sequence,
    record.quality,
  );
  return [...fields, ...(record.tags ? [record.tags] : [])].join('\t');
}

async function readLines(dataset: Dataset, partition: Partition): Promise<string[]> {
  const lines: string[] = [];
  for await (const record of dataset.read<AlignmentRecord>(partition)) lines.push(samLine(record));
  return lines;
}

/** Records per reference name as `samtools view` prints them. */
function countsByReference(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const reference = line.split('\t')[2]!;
    counts[reference] = (counts[reference] ?? 0) + 1;
  }
  return counts;
}

describe.each(STORE_KINDS)('SAM and BAM on a %s store', (kind) => {
  let fixtures: SampleStore;
  let tmp: { dir: string; remove: () => Promise<void> };
  /** Dataset key → local path of the same bytes (for the tools). */
  const paths = new Map<string, string>();

  beforeAll(async () => {
    fixtures = await sampleStore(kind, ['bam', 'sam'], inject('s3'));
    tmp = await temporaryDirectory();
    paths.set(SAM, join(SAMPLES_DIR, SAM));
    paths.set(ECOLI, join(SAMPLES_DIR, ECOLI));
    const sam = join(tmp.dir, 'multi.sam');
    await writeFile(sam, multiReferenceSam((await readFile(join(SAMPLES_DIR, SAM))).toString('utf8')));
    await runTool('samtools', ['sort', '-o', join(tmp.dir, 'multi.bam'), sam]);
    await runTool('samtools', ['index', join(tmp.dir, 'multi.bam')]);
    await runTool('samtools', ['view', '-b', '-o', join(tmp.dir, 'unsorted.bam'), sam]);
    const made: Array<[key: string, file: string]> = [
      ['sam/multi.sam', 'multi.sam'],
      ['bam/multi.bam', 'multi.bam'],
      ['bam/multi.bam.bai', 'multi.bam.bai'],
      ['bam/multi-without-bai.bam', 'multi.bam'],
      ['bam/unsorted.bam', 'unsorted.bam'],
    ];
    for (const [key, file] of made) {
      await fixtures.store.put(key, await readFile(join(tmp.dir, file)));
      if (!key.endsWith('.bai')) paths.set(key, join(tmp.dir, file));
    }
  });
  afterAll(async () => {
    await fixtures.dispose();
    await tmp.remove();
  });

  const cases = [
    { key: SAM, format: 'sam', sorted: true, bai: false },
    { key: 'sam/multi.sam', format: 'sam', sorted: false, bai: false },
    { key: ECOLI, format: 'bam', sorted: true, bai: true },
    { key: 'bam/multi.bam', format: 'bam', sorted: true, bai: true },
    { key: 'bam/multi-without-bai.bam', format: 'bam', sorted: true, bai: false },
    { key: 'bam/unsorted.bam', format: 'bam', sorted: false, bai: false },
  ];

  describe.each(cases)('$key', ({ key, format, sorted, bai }) => {
    let dataset: Dataset;
    let oracle: string[];
    beforeAll(async () => {
      dataset = await openDataset(key, { store: fixtures.store });
      oracle = await toolLines('samtools', ['view', paths.get(key)!]);
    });

    it('is detected and reads every alignment as samtools view prints it, counted per reference', async () => {
      expect(dataset.format).toBe(format);
      const summary = await dataset.summary();
      expect(summary.records).toBe(
        Number((await runTool('samtools', ['view', '-c', paths.get(key)!])).toString()),
      );
      expect(summary.details?.sorted).toBe(sorted);
      expect(summary.details?.binningIndex).toBe(bai ? `${key}.bai` : null);
      const { '*': unplaced = 0, ...placed } = countsByReference(oracle);
      const references = summary.details?.references as Record<string, number>;
      expect(Object.fromEntries(Object.entries(references).filter(([, n]) => n > 0))).toEqual(placed);
      expect(summary.details?.unplaced).toBe(unplaced);
      if (bai) {
        for (const [name, , mapped, unmapped] of (
          await toolLines('samtools', ['idxstats', paths.get(key)!])
        ).map((line) => line.split('\t'))) {
          const counted = name === '*' ? summary.details?.unplaced : references[name!];
          expect(counted, `idxstats ${name}`).toBe(Number(mapped) + Number(unmapped));
        }
      }
      const [whole] = await dataset.partition({ by: 'count', count: 1 });
      expect(await readLines(dataset, whole!)).toEqual(oracle);
    });

    it('covers the file exactly for random generic and region strategies', async () => {
      const index = await genomicIndex(dataset);
      const strategies = fc.oneof(
        genericStrategies(index.records, index.dataEnd[0] - index.headerEnd[0]),
        coveringRegionStrategies(index, 2_000_000),
        fc.constant({ by: 'region' as const }),
      );
      // Region partitions of unsorted data interleave file order.
      await checkCoverProperty(dataset, strategies, { runs: 4, ordered: sorted });
    });

    it('region partitions hold the alignments samtools finds whose POS lies in the region', async () => {
      const index = await genomicIndex(dataset);
      const positions = oracle.map((line) => line.split('\t')).filter((fields) => fields[2] !== '*');
      const busiest = index.references.reduce((a, b) => (b.records > a.records ? b : a));
      const onBusiest = positions
        .filter((fields) => fields[2] === busiest.name)
        .map((fields) => Number(fields[3]));
      const middle = onBusiest[onBusiest.length >> 1]!;
      const regions = [
        `${busiest.name}:${middle}-${middle + 5000}`,
        `${busiest.name}:${middle + 5001}`,
        busiest.name,
      ];
      if (index.unplaced.records > 0) regions.push('*');
      // An indexable copy: the same order for sorted data (samtools sort may reorder equal POS).
      const sortedCopy = join(tmp.dir, `${kind}-${key.replaceAll('/', '_')}.sorted.bam`);
      await runTool('samtools', [...(sorted ? ['view', '-b'] : ['sort']), '-o', sortedCopy, paths.get(key)!]);
      await runTool('samtools', ['index', sortedCopy]);
      const partitions = await dataset.partition({ by: 'region', regions });
      for (const [i, partition] of partitions.entries()) {
        const [, start, end] = /:(\d+)(?:-(\d+))?$/.exec(regions[i]!) ?? [];
        const inRegion = (await toolLines('samtools', ['view', sortedCopy, regions[i]!])).filter((line) => {
          const position = Number(line.split('\t')[3]);
          return (
            start === undefined ||
            (position >= Number(start) && (end === undefined || position <= Number(end)))
          );
        });
        const found = await readLines(dataset, partition);
        expect([...found].sort(), regions[i]).toEqual([...inRegion].sort());
        if (sorted) expect(found, 'sorted data: in file order').toEqual(inRegion);
      }
    });

    it('toFile gives a file samtools reads back with exactly the partition', async () => {
      const partitions = await dataset.partition({ by: 'region' });
      for (const partition of [...partitions, ...(await dataset.partition({ by: 'count', count: 2 }))]) {
        const [file] = await dataset.toFile(partition);
        expect(file!.name.endsWith(`.${format}`)).toBe(true);
        const path = join(
          tmp.dir,
          `${kind}-${key.replaceAll('/', '_')}-${partition.label.replace(/\W/g, '_')}.${format}`,
        );
        await writeFile(path, file!.data);
        if (format === 'bam') await runTool('samtools', ['quickcheck', path]);
        expect(await toolLines('samtools', ['view', path])).toEqual(await readLines(dataset, partition));
        const header = (file: string) => toolLines('samtools', ['view', '--no-PG', '-H', file]);
        expect(await header(path)).toEqual(await header(paths.get(key)!));
      }
    });

    it('readBatches gives the SAM columns of every alignment', async () => {
      const [partition] = await dataset.partition({ by: 'records', records: 300 });
      const lines = await readLines(dataset, partition!);
      let rows = 0;
      for await (const batch of dataset.readBatches(partition!)) {
        const names = [...batch.getChild('QNAME')!.toArray()];
        const positions = [...batch.getChild('POS')!.toArray()];
        const expected = lines.slice(rows, rows + batch.numRows).map((line) => line.split('\t'));
        expect(names).toEqual(expected.map((fields) => fields[0]));
        expect(positions).toEqual(expected.map((fields) => Number(fields[3])));
        rows += batch.numRows;
      }
      expect(rows).toBe(300);
    });
  });

  it('a BAM made by samtools from a SAM reads as the same alignments as the SAM', async () => {
    const sam = await openDataset('sam/multi.sam', { store: fixtures.store });
    const bam = await openDataset('bam/unsorted.bam', { store: fixtures.store });
    const [wholeSam] = await sam.partition({ by: 'count', count: 1 });
    const [wholeBam] = await bam.partition({ by: 'count', count: 1 });
    expect(await readLines(bam, wholeBam!)).toEqual(await readLines(sam, wholeSam!));
  });
});
