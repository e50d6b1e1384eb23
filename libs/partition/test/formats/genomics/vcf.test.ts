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
import type { VcfRecord } from '../../../src/formats/genomics/vcf-format.js';
import { checkCoverProperty, genericStrategies } from '../../../src/testing/exact-cover.js';
import { coveringRegionStrategies, genomicIndex, temporaryDirectory } from './genomic-oracles.js';

const PLAIN = 'vcf/1kg.vcf';
const BGZIP = 'vcf/1kg.vcf.gz';

/** Data lines of a VCF as bcftools prints them (the oracle; it rewrites some INFO numbers). */
function bcftoolsRecords(path: string, region?: string): Promise<string[]> {
  return toolLines('bcftools', ['view', '-H', ...(region ? ['-r', region] : []), path]);
}

/** The data lines of a VCF text (every line but the header's). */
function dataLines(text: string): string[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#'));
}

/** The data lines of the sample, as written (sample columns included). */
async function sampleLines(): Promise<string[]> {
  return dataLines((await readFile(join(SAMPLES_DIR, PLAIN))).toString('utf8'));
}

/** Whether a data line's variant (POS to POS + length of REF - 1) overlaps `from`–`to` (as tabix selects). */
function overlaps(line: string, from: number, to: number): boolean {
  const [, pos, , ref] = line.split('\t');
  return Number(pos) <= to && Number(pos) + ref!.length - 1 >= from;
}

function fixedColumns(line: string): string {
  return line.split('\t').slice(0, 8).join('\t');
}

function recordLine(record: VcfRecord): string {
  const fixed = [
    record.chrom,
    record.pos,
    record.id.join(';') || '.',
    record.ref,
    record.alt.join(',') || '.',
  ];
  return [...fixed, record.qual ?? '.', record.filter.join(';') || '.', record.infoText].join('\t');
}

describe.each(STORE_KINDS)('VCF on a %s store', (kind) => {
  let fixtures: SampleStore;
  let dir: { dir: string; remove: () => Promise<void> };
  /** The sample's records as bcftools prints them, their positions, and the data lines as written. */
  let oracle: string[];
  let positions: number[];
  let lines: string[];

  beforeAll(async () => {
    fixtures = await sampleStore(kind, ['vcf'], inject('s3'));
    dir = await temporaryDirectory();
    oracle = await bcftoolsRecords(join(SAMPLES_DIR, BGZIP));
    positions = oracle.map((line) => Number(line.split('\t')[1]));
    lines = await sampleLines();
  });
  afterAll(async () => {
    await fixtures.dispose();
    await dir.remove();
  });

  describe.each([PLAIN, BGZIP])('%s', (key) => {
    let dataset: Dataset;
    beforeAll(async () => {
      dataset = await openDataset(key, { store: fixtures.store });
    });

    it('is detected, counts the variants bcftools counts, and reads them as written', async () => {
      expect(dataset.format).toBe('vcf');
      const summary = await dataset.summary();
      expect(summary.records).toBe(oracle.length);
      expect(summary.details?.compressed).toBe(key === BGZIP);
      expect(summary.details?.binningIndex).toBe(key === BGZIP ? `${BGZIP}.tbi` : null);
      const [whole] = await dataset.partition({ by: 'count', count: 1 });
      const read: string[] = [];
      for await (const record of dataset.read<VcfRecord>(whole!)) read.push(recordLine(record));
      expect(read).toEqual(lines.map(fixedColumns));
    });

    it('covers the file exactly for random generic and region strategies', async () => {
      const index = await genomicIndex(dataset);
      const strategies = fc.oneof(
        genericStrategies(index.records, index.dataEnd[0] - index.headerEnd[0]),
        coveringRegionStrategies(index, Math.max(...positions) + 1),
      );
      await checkCoverProperty(dataset, strategies, { runs: key === PLAIN ? 4 : 6 });
    });

    it('region partitions hold the variants bcftools finds in each region whose POS lies in it', async () => {
      const cuts = [1, positions[90]!, positions[200]! + 1, positions[300]!];
      const regions = cuts.map((start, i) =>
        i + 1 < cuts.length ? `2:${start}-${cuts[i + 1]! - 1}` : `2:${start}`,
      );
      // bcftools reads `2:start` as one position; `2:start-` is samtools' `2:start` (to the end).
      const oracleRegions = regions.map((region, i) => (i + 1 < cuts.length ? region : `${region}-`));
      const partitions = await dataset.partition({ by: 'region', regions });
      for (const [i, partition] of partitions.entries()) {
        const [start, end] = [cuts[i]!, cuts[i + 1] === undefined ? Infinity : cuts[i + 1]! - 1];
        const expected = (await bcftoolsRecords(join(SAMPLES_DIR, BGZIP), oracleRegions[i]!))
          .map((line) => line.split('\t'))
          .filter((fields) => Number(fields[1]) >= start && Number(fields[1]) <= end)
          .map((fields) => `${fields[0]}:${fields[1]}:${fields[3]}`);
        const found: string[] = [];
        for await (const record of dataset.read<VcfRecord>(partition))
          found.push(`${record.chrom}:${record.pos}:${record.ref}`);
        expect(found, regions[i]).toEqual(expected);
      }
      if (key === BGZIP) {
        const whole = partitions[0]!.ranges.at(-1)!;
        const last = partitions.at(-1)!.ranges.at(-1)!;
        expect(last.offset, 'the .tbi lets a late region skip the start of the data').toBeGreaterThan(
          whole.offset,
        );
      }
    });

    it('toFile gives a VCF that bcftools and tabix read back with exactly the partition', async () => {
      const partitions = await dataset.partition({ by: 'count', count: 3 });
      expect(partitions.length).toBe(3);
      let first = 0;
      for (const partition of partitions) {
        // A count plan cuts the file in order: this partition is these lines of the original.
        const end = first + partition.records!;
        const own = lines.slice(first, end);
        const read: string[] = [];
        for await (const record of dataset.read<VcfRecord>(partition)) read.push(recordLine(record));
        expect(read).toEqual(own.map(fixedColumns));

        const [file] = await dataset.toFile(partition);
        expect(file!.name).toBe(`part-0000${partition.index}.${key === BGZIP ? 'vcf.gz' : 'vcf'}`);
        const path = join(dir.dir, `${kind}-${file!.name}`);
        await writeFile(path, file!.data);
        // bcftools reads back the partition's records, as it prints them from the original.
        expect(await bcftoolsRecords(path)).toEqual(oracle.slice(first, end));
        const text = key === BGZIP ? await runTool('bgzip', ['-dc', path]) : file!.data;
        expect(dataLines(Buffer.from(text).toString('utf8'))).toEqual(own);

        // tabix indexes it (bgzip'd first when plain): its chromosomes hold exactly the partition,
        // and a region inside it exactly the partition's records that overlap the region.
        const indexed = key === BGZIP ? path : `${path}.gz`;
        if (key !== BGZIP) await writeFile(indexed, await runTool('bgzip', ['-c', path]));
        await runTool('tabix', ['-f', '-p', 'vcf', indexed]);
        const chromosomes = [...new Set(own.map((line) => line.split('\t')[0]!))];
        expect(await toolLines('tabix', [indexed, ...chromosomes])).toEqual(own);
        const [chrom, from] = own[own.length >> 2]!.split('\t');
        const to = Number(own[(3 * own.length) >> 2]!.split('\t')[1]);
        const inRegion = own.filter(
          (line) => line.startsWith(`${chrom}\t`) && overlaps(line, Number(from), to),
        );
        expect(inRegion.length).toBeGreaterThan(1);
        expect(inRegion.length).toBeLessThan(own.length);
        expect(await toolLines('tabix', [indexed, `${chrom}:${from}-${to}`])).toEqual(inRegion);
        first = end;
      }
      expect(first).toBe(lines.length);
    });

    it('readBatches gives the fixed columns of every variant', async () => {
      const [partition] = await dataset.partition({ by: 'records', records: 200 });
      let rows = 0;
      const read: number[] = [];
      for await (const record of dataset.read<VcfRecord>(partition!)) read.push(record.pos);
      for await (const batch of dataset.readBatches(partition!)) {
        expect(batch.schema.fields.map((field) => field.name)).toEqual([
          'CHROM',
          'POS',
          'ID',
          'REF',
          'ALT',
          'QUAL',
          'FILTER',
          'INFO',
        ]);
        expect([...batch.getChild('POS')!.toArray()]).toEqual(read.slice(rows, rows + batch.numRows));
        rows += batch.numRows;
      }
      expect(rows).toBe(200);
    });
  });
});
