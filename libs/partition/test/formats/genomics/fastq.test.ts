import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  pythonJson,
  type SampleStore,
  STORE_KINDS,
  sampleBytes,
  sampleStore,
  toolLines,
} from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Dataset, openDataset } from '../../../src/dataset.js';
import type { FastqRecord } from '../../../src/formats/genomics/fastq-format.js';
import { checkCoverProperty } from '../../../src/testing/exact-cover.js';
import { fewPartitionStrategies } from '../../support/few-partition-strategies.js';

const FASTQ_FILES = ['fastq/ERR127302_1_subset.fastq', 'fastq/ERR127302_2_subset.fastq.gz'];

/** An independent FASTQ parse in Debian's Python standard library: 4 lines a read. */
const PYTHON_FASTQ = `
import gzip, json, sys
path = sys.argv[1]
opener = gzip.open if path.endswith('.gz') else open
with opener(path, 'rt') as f:
    lines = f.read().splitlines()
reads = []
for i in range(0, len(lines), 4):
    title = lines[i][1:].split(None, 1)
    read = {'name': title[0], 'sequence': lines[i + 1], 'quality': lines[i + 3]}
    if len(title) > 1: read['description'] = title[1]
    reads.append(read)
print(json.dumps(reads))
`;

/** samtools' own FASTQ reader (`samtools import`): name, bases and qualities of every read of a file. */
async function samtoolsReads(path: string): Promise<Array<[string, string, string]>> {
  const sam = await toolLines('samtools', ['import', '-O', 'SAM', '-0', path]);
  return sam
    .filter((line) => !line.startsWith('@'))
    .map((line): [string, string, string] => {
      const fields = line.split('\t');
      return [fields[0]!, fields[9]!, fields[10]!];
    });
}

async function readAll(dataset: Dataset): Promise<FastqRecord[]> {
  const reads: FastqRecord[] = [];
  for (const partition of await dataset.partition({ by: 'count', count: 1 })) {
    for await (const read of dataset.read<FastqRecord>(partition)) reads.push(read);
  }
  return reads;
}

let dir: string;
const expected = new Map<string, FastqRecord[]>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isthmus-fastq-'));
  for (const key of FASTQ_FILES) {
    const path = join(dir, key.split('/')[1]!);
    await writeFile(path, await sampleBytes(key));
    expected.set(key, await pythonJson<FastqRecord[]>(PYTHON_FASTQ, path));
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each(STORE_KINDS)('FASTQ on a %s store', (kind) => {
  let fixture: SampleStore;
  beforeAll(async () => {
    fixture = await sampleStore(kind, ['fastq'], inject('s3'));
  });
  afterAll(() => fixture.dispose());

  it.each(FASTQ_FILES)('%s: detected, read as Python reads it, every plan covers it exactly', async (key) => {
    const dataset = await openDataset(key, { store: fixture.store });
    expect(dataset.format).toBe('fastq');
    const summary = await dataset.summary();
    expect(summary).toMatchObject({ records: expected.get(key)!.length, unit: 'reads' });
    expect(summary.details?.compression).toBe(key.endsWith('.gz') ? 'gzip' : 'none');
    expect(await readAll(dataset)).toEqual(expected.get(key));
    await checkCoverProperty(dataset, fewPartitionStrategies(summary.records, summary.bytes), { runs: 6 });
  });

  it.each(FASTQ_FILES)(
    '%s: partition files are FASTQ (gzip for gzip) that samtools reads as the partition',
    async (key) => {
      const dataset = await openDataset(key, { store: fixture.store });
      const partitions = await dataset.partition({ by: 'count', count: 3 });
      expect(partitions.length).toBe(3);
      let total = 0;
      for (const partition of partitions) {
        const [file] = await dataset.toFile(partition);
        expect(file!.name).toBe(`part-0000${partition.index}${key.endsWith('.gz') ? '.fastq.gz' : '.fastq'}`);
        if (key.endsWith('.gz')) expect(gunzipSync(file!.data).length).toBeGreaterThan(0);
        const path = join(dir, `${kind}-${file!.name}`);
        await writeFile(path, file!.data);
        const reads: Array<[string, string, string]> = [];
        for await (const read of dataset.read<FastqRecord>(partition))
          reads.push([read.name, read.sequence, read.quality]);
        expect(await samtoolsReads(path)).toEqual(reads);
        expect(reads.length).toBe(partition.records);
        total += reads.length;
      }
      expect(total).toBe((await samtoolsReads(join(dir, key.split('/')[1]!))).length);
    },
  );

  it('reads Arrow batches with name, description, sequence and quality columns', async () => {
    const dataset = await openDataset(FASTQ_FILES[1]!, { store: fixture.store });
    const [, second] = await dataset.partition({ by: 'records', records: 5000 });
    const reads: FastqRecord[] = [];
    for await (const read of dataset.read<FastqRecord>(second!)) reads.push(read);
    const rows: unknown[] = [];
    for await (const batch of dataset.readBatches(second!)) {
      expect(batch.schema.fields.map((field) => field.name)).toEqual([
        'name',
        'description',
        'sequence',
        'quality',
      ]);
      rows.push(...batch.toArray().map((row) => row.toJSON()));
    }
    expect(rows).toEqual(reads);
  });
});

describe('FASTQ edge cases and bad input', () => {
  let fixture: SampleStore;
  let text: string;
  beforeAll(async () => {
    fixture = await sampleStore('file', ['fasta', 'sam'], inject('s3'));
    text = (await sampleBytes(FASTQ_FILES[0]!)).toString('latin1');
  });
  afterAll(() => fixture.dispose());

  /** The first `reads` reads of the sample, as lines. */
  const firstLines = (reads: number) => text.split('\n').slice(0, reads * 4);

  async function index(key: string, bytes: string | Buffer, format?: string) {
    await fixture.store.put(key, typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    const dataset = await openDataset(key, { store: fixture.store, format });
    await dataset.index();
    return dataset;
  }

  it('reads CRLF line ends and a last read without a line end', async () => {
    const dataset = await index('crlf.fastq', firstLines(50).join('\r\n'));
    const lf = await index('lf.fastq', `${firstLines(50).join('\n')}\n`);
    expect(await readAll(dataset)).toEqual(await readAll(lf));
    expect((await dataset.summary()).records).toBe(50);
  });

  it('fails with CorruptDataError at the read when qualities and bases differ in number', async () => {
    const lines = firstLines(100);
    lines[4 * 37 + 3] = lines[4 * 37 + 3]!.slice(1);
    const bad = `${lines.join('\n')}\n`;
    const offset = Buffer.byteLength(`${lines.slice(0, 4 * 37).join('\n')}\n`, 'latin1');
    await expect(index('short-quality.fastq', bad)).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      key: 'short-quality.fastq',
      offset,
      message: expect.stringContaining('71 quality values for 72 bases'),
    });
    await expect(index('short-quality.fastq.gz', gzipSync(bad))).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      message: expect.stringContaining(`at text byte ${offset} has 71 quality values for 72 bases`),
    });
  });

  it('fails with CorruptDataError without the + line, TruncatedDataError for a cut read', async () => {
    const lines = firstLines(20);
    lines[4 * 5 + 2] = 'x';
    await expect(index('no-plus.fastq', `${lines.join('\n')}\n`)).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      message: expect.stringContaining('has no "+" line'),
    });
    const cut = `${firstLines(20)
      .slice(0, 4 * 19 + 2)
      .join('\n')}\n`;
    await expect(index('cut.fastq', cut)).rejects.toMatchObject({
      code: 'ERR_PARTITION_TRUNCATED',
      offset: Buffer.byteLength(`${firstLines(19).join('\n')}\n`, 'latin1'),
    });
    const cutQuality = `${firstLines(20).join('\n')}`.slice(0, -10);
    await expect(index('cut-quality.fastq', cutQuality)).rejects.toMatchObject({
      code: 'ERR_PARTITION_TRUNCATED',
      offset: Buffer.byteLength(`${firstLines(19).join('\n')}\n`, 'latin1'),
      message: expect.stringContaining('cut off after 3 of 4 lines'),
    });
    const gz = gzipSync(`${firstLines(200).join('\n')}\n`);
    await expect(index('cut.fastq.gz', gz.subarray(0, gz.length - 10))).rejects.toMatchObject({
      code: 'ERR_PARTITION_TRUNCATED',
    });
  });

  it('refuses FASTA and SAM declared as FASTQ (FormatMismatchError), and does not detect SAM as FASTQ', async () => {
    await expect(openDataset('fasta/ce.fa', { store: fixture.store, format: 'fastq' })).rejects.toMatchObject(
      {
        code: 'ERR_PARTITION_FORMAT_MISMATCH',
      },
    );
    await expect(
      openDataset('sam/ce#1000.sam', { store: fixture.store, format: 'fastq' }),
    ).rejects.toMatchObject({
      code: 'ERR_PARTITION_FORMAT_MISMATCH',
    });
    expect((await openDataset('sam/ce#1000.sam', { store: fixture.store })).format).not.toBe('fastq');
  });
});
