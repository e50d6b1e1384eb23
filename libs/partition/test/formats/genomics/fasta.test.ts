import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool, type SampleStore, STORE_KINDS, sampleBytes, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Dataset, openDataset } from '../../../src/dataset.js';
import type { FastaIndex } from '../../../src/formats/genomics/fasta-index.js';
import type { FastaPiece } from '../../../src/formats/genomics/fasta-read.js';
import { type Partition, partitionBytes } from '../../../src/partition.js';
import { read } from '../../../src/read-partition.js';
import { checkCoverProperty } from '../../../src/testing/exact-cover.js';
import { ByteCountingStore } from '../../support/byte-counting-store.js';
import { fewPartitionStrategies } from '../../support/few-partition-strategies.js';

/** Sequences of a FASTA text by record name (header up to the first blank), lines joined. */
function parseFasta(text: string): Map<string, string> {
  const sequences = new Map<string, string>();
  for (const record of text.split('>').slice(1)) {
    const [title, ...lines] = record.split('\n');
    sequences.set(title!.split(/\s/)[0]!, lines.join('').replace(/\r/g, ''));
  }
  return sequences;
}

/** `samtools faidx file [regions…]`: the sequences it extracts, by region. */
async function samtoolsFaidx(path: string, regions: string[] = []): Promise<Map<string, string>> {
  return parseFasta((await runTool('samtools', ['faidx', path, ...regions])).toString('latin1'));
}

async function readPieces(dataset: Dataset, partition: Partition): Promise<FastaPiece[]> {
  const pieces: FastaPiece[] = [];
  for await (const piece of dataset.read<FastaPiece>(partition)) pieces.push(piece);
  return pieces;
}

let dir: string;
let samplePath: string;
/** The sequences as samtools extracts them, and the .fai samtools builds. */
let reference: Map<string, string>;
let samtoolsFai: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isthmus-fasta-'));
  samplePath = join(dir, 'ce.fa');
  await writeFile(samplePath, await sampleBytes('fasta/ce.fa'));
  await runTool('samtools', ['faidx', samplePath]);
  samtoolsFai = await readFile(`${samplePath}.fai`, 'utf8');
  const names = samtoolsFai
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t')[0]!);
  reference = await samtoolsFaidx(samplePath, names);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each(STORE_KINDS)('FASTA on a %s store', (kind) => {
  let fixture: SampleStore;
  beforeAll(async () => {
    fixture = await sampleStore(kind, ['fasta'], inject('s3'));
    await fixture.store.put('nofai/ce.fa', await sampleBytes('fasta/ce.fa'));
  });
  afterAll(() => fixture.dispose());

  it.each(['fasta/ce.fa', 'nofai/ce.fa'])(
    '%s: indexes like samtools faidx; pieces join to every sequence; plans cover it',
    async (key) => {
      const dataset = await openDataset(key, { store: fixture.store });
      expect(dataset.format).toBe('fasta');
      const index = (await dataset.index()) as FastaIndex;
      expect(index.fromFai).toBe(key.startsWith('fasta/'));
      expect(index.sequences.map((sequence) => `${sequence.join('\t')}\n`).join('')).toBe(samtoolsFai);
      const [whole] = await dataset.partition({ by: 'count', count: 1 });
      const joined = new Map<string, string>();
      let position = new Map<string, number>();
      for (const piece of await readPieces(dataset, whole!)) {
        expect(piece.start).toBe(position.get(piece.name) ?? 0);
        position = position.set(piece.name, piece.start + piece.sequence.length);
        joined.set(piece.name, (joined.get(piece.name) ?? '') + piece.sequence);
      }
      expect(joined).toEqual(reference);
      const summary = await dataset.summary();
      await checkCoverProperty(dataset, fewPartitionStrategies(summary.records, summary.bytes), { runs: 8 });
    },
  );

  it('splits a long sequence across partitions at line boundaries, and only reads each partition’s bytes', async () => {
    const dataset = await openDataset('fasta/ce.fa', { store: fixture.store });
    const { size } = await fixture.store.head('fasta/ce.fa');
    const partitions = await dataset.partition({ by: 'count', count: 6 });
    const starts = [];
    for (const partition of partitions) {
      // Read through a store that counts what it serves: the bytes the partition's read fetched.
      const counting = new ByteCountingStore(fixture.store);
      const pieces: FastaPiece[] = [];
      for await (const piece of read<FastaPiece>(partition, { store: counting })) pieces.push(piece);
      starts.push(pieces[0]!);
      expect(partition.ranges).toHaveLength(1);
      expect(counting.readsOutside(partition.ranges)).toEqual([]);
      expect(counting.bytesServed).toBeLessThanOrEqual(partitionBytes(partition));
      expect(counting.bytesServed).toBeLessThan(size / 3);
      // Its bases (and their line ends) came from those bytes: no fewer bytes than bases.
      const bases = pieces.reduce((total, piece) => total + piece.sequence.length, 0);
      expect(counting.bytesServed).toBeGreaterThanOrEqual(bases);
    }
    const insideChromosomeI = starts.filter((piece) => piece.name === 'CHROMOSOME_I' && piece.start > 0);
    expect(insideChromosomeI.length).toBeGreaterThanOrEqual(4);
    for (const piece of insideChromosomeI) expect(piece.start % 50).toBe(0);
  });

  it('writes partition files of name:start-end records that samtools indexes and agrees with', async () => {
    const dataset = await openDataset('nofai/ce.fa', { store: fixture.store });
    for (const partition of await dataset.partition({ by: 'count', count: 4 })) {
      const [file] = await dataset.toFile(partition);
      expect(file!.name).toBe(`part-0000${partition.index}.fa`);
      const path = join(dir, `${kind}-${file!.name}`);
      await writeFile(path, file!.data);
      const records = parseFasta(Buffer.from(file!.data).toString('latin1'));
      const pieces = await readPieces(dataset, partition);
      const regions = pieces.map(
        (piece) => `${piece.name}:${piece.start + 1}-${piece.start + piece.sequence.length}`,
      );
      expect([...records.keys()]).toEqual(regions);
      expect(await samtoolsFaidx(samplePath, regions)).toEqual(records);
      await runTool('samtools', ['faidx', path]);
      const fai = (await readFile(`${path}.fai`, 'utf8')).split('\n').filter(Boolean);
      expect(fai.map((line) => line.split('\t')[0])).toEqual(regions);
      expect(fai.every((line) => line.split('\t')[3] === '50')).toBe(true);
    }
  });

  it('reads Arrow batches of name, start and sequence', async () => {
    const dataset = await openDataset('fasta/ce.fa', { store: fixture.store });
    const [, second] = await dataset.partition({ by: 'count', count: 3 });
    const pieces = await readPieces(dataset, second!);
    const rows: unknown[] = [];
    for await (const batch of dataset.readBatches(second!)) {
      expect(batch.schema.fields.map((field) => `${field.name}:${field.type}`)).toEqual([
        'name:Utf8',
        'start:Uint32',
        'sequence:Utf8',
      ]);
      rows.push(...batch.toArray().map((row) => row.toJSON()));
    }
    expect(rows).toEqual(pieces);
  });
});

describe('FASTA edge cases and bad input', () => {
  let fixture: SampleStore;
  let sample: string;
  beforeAll(async () => {
    fixture = await sampleStore('file', ['fastq'], inject('s3'));
    sample = (await sampleBytes('fasta/ce.fa')).toString('latin1');
  });
  afterAll(() => fixture.dispose());

  async function put(key: string, text: string) {
    await fixture.store.put(key, Buffer.from(text, 'latin1'));
  }

  it('reads CRLF, a last line without line end and an empty sequence as samtools faidx does', async () => {
    const text = '>empty\n>crlf with description\r\nACGT\r\nAC\r\n>last\nACGTA\nCC';
    await put('edge.fa', text);
    const path = join(dir, 'edge.fa');
    await writeFile(path, text);
    await runTool('samtools', ['faidx', path]);
    const dataset = await openDataset('edge.fa', { store: fixture.store });
    const index = (await dataset.index()) as FastaIndex;
    expect(index.sequences.map((sequence) => `${sequence.join('\t')}\n`).join('')).toBe(
      await readFile(`${path}.fai`, 'utf8'),
    );
    const [whole] = await dataset.partition({ by: 'count', count: 1 });
    const pieces = await readPieces(dataset, whole!);
    expect(new Map(pieces.map((piece) => [piece.name, piece.sequence]))).toEqual(
      await samtoolsFaidx(path, ['crlf', 'last']),
    );
  });

  it('fails with CorruptDataError for lines of different lengths (without a .fai)', async () => {
    const ragged = '>a\nACGTACGT\nACG\nACGTACGT\n>b\nAC\n';
    await put('ragged.fa', ragged);
    await expect((await openDataset('ragged.fa', { store: fixture.store })).index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      offset: ragged.indexOf('ACGTACGT\n>'),
      message: expect.stringContaining('sequence a has lines of different lengths'),
    });
  });

  it('fails with InconsistentDataError when the .fai does not fit the file or the data', async () => {
    await put('short.fa', sample.slice(0, 500_000));
    await put('short.fa.fai', (await sampleBytes('fasta/ce.fa.fai')).toString());
    await expect((await openDataset('short.fa', { store: fixture.store })).index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_INCONSISTENT',
      key: 'short.fa.fai',
      message: expect.stringContaining('sequence CHROMOSOME_I does not fit'),
    });
    await put('shifted.fa', sample);
    await put('shifted.fa.fai', 'CHROMOSOME_I\t1009800\t20\t50\t51\n');
    const dataset = await openDataset('shifted.fa', { store: fixture.store });
    const [whole] = await dataset.partition({ by: 'count', count: 1 });
    await expect(readPieces(dataset, whole!)).rejects.toMatchObject({
      code: 'ERR_PARTITION_INCONSISTENT',
      key: 'shifted.fa',
      message: expect.stringContaining('as its .fai says'),
    });
  });

  it('refuses FASTQ declared as FASTA (FormatMismatchError)', async () => {
    await expect(
      openDataset('fastq/ERR127302_1_subset.fastq', { store: fixture.store, format: 'fasta' }),
    ).rejects.toMatchObject({ code: 'ERR_PARTITION_FORMAT_MISMATCH' });
  });
});
