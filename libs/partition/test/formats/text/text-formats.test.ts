import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pythonJson, type SampleStore, STORE_KINDS, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Dataset, openDataset } from '../../../src/dataset.js';
import type { Strategy } from '../../../src/strategy.js';
import { checkCoverProperty } from '../../../src/testing/exact-cover.js';
import { fewPartitionStrategies } from '../../support/few-partition-strategies.js';
import {
  csvText,
  jsonlText,
  linesText,
  multiMemberGzip,
  PYTHON_CSV_ROWS,
  PYTHON_JSONL_VALUES,
} from './text-files.js';

const csv = csvText(3000, 1);
const tsv = csvText(200, 2, '\t');
const jsonl = jsonlText(2500, 3);
const lines = linesText(4000, 4);

/** Every test file: its key, bytes, expected format, and its text (decompressed). */
const FILES: Array<{ key: string; bytes: Buffer; format: string; text: string }> = [
  { key: 'csv/table.csv', bytes: Buffer.from(csv), format: 'csv', text: csv },
  { key: 'csv/table.csv.gz', bytes: multiMemberGzip(csv, 3), format: 'csv', text: csv },
  { key: 'csv/table.tsv', bytes: Buffer.from(tsv), format: 'csv', text: tsv },
  { key: 'jsonl/events.jsonl', bytes: Buffer.from(jsonl), format: 'jsonl', text: jsonl },
  { key: 'jsonl/events.ndjson.gz', bytes: gzipSync(jsonl), format: 'jsonl', text: jsonl },
  { key: 'lines/notes.txt', bytes: Buffer.from(lines), format: 'lines', text: lines },
  { key: 'lines/notes.lines.gz', bytes: multiMemberGzip(lines, 2), format: 'lines', text: lines },
  { key: 'lines/no-extension', bytes: Buffer.from(lines), format: 'lines', text: lines },
  { key: 'lines/no-extension.gz', bytes: gzipSync(lines), format: 'lines', text: lines },
];

/** The records each format should read, computed independently (Python's csv and json modules, a split). */
let expected: Map<string, unknown[]>;
let oracleDir: string;
beforeAll(async () => {
  oracleDir = await mkdtemp(join(tmpdir(), 'isthmus-text-oracle-'));
  expected = new Map();
  for (const file of FILES) {
    const path = join(oracleDir, file.key.replaceAll('/', '_'));
    await writeFile(path, file.bytes);
    if (file.format === 'csv') expected.set(file.key, await pythonJson<unknown[]>(PYTHON_CSV_ROWS, path));
    else if (file.format === 'jsonl')
      expected.set(file.key, await pythonJson<unknown[]>(PYTHON_JSONL_VALUES, path));
    else
      expected.set(
        file.key,
        file.text.split('\n').map((line) => line.replace(/\r$/, '')),
      );
  }
});
afterAll(() => rm(oracleDir, { recursive: true, force: true }));

async function readAll(dataset: Dataset, strategy: Strategy = { by: 'count', count: 1 }) {
  const records: unknown[] = [];
  for (const partition of await dataset.partition(strategy)) {
    for await (const record of dataset.read(partition)) records.push(record);
  }
  return records;
}

describe.each(STORE_KINDS)('text formats on a %s store', (kind) => {
  let fixture: SampleStore;
  beforeAll(async () => {
    fixture = await sampleStore(kind, [], inject('s3'));
    for (const file of FILES) await fixture.store.put(file.key, file.bytes);
  });
  afterAll(() => fixture.dispose());

  it.each(FILES.map((file) => [file.key, file] as const))(
    '%s: detected, read as the oracle reads it, every plan covers it exactly',
    async (_key, file) => {
      const dataset = await openDataset(file.key, { store: fixture.store });
      expect(dataset.format).toBe(file.format);
      const summary = await dataset.summary();
      expect(summary.details?.compression).toBe(file.key.endsWith('.gz') ? 'gzip' : 'none');
      expect(await readAll(dataset)).toEqual(expected.get(file.key));
      expect(summary.records).toBe(expected.get(file.key)!.length);
      expect(await readAll(dataset, { by: 'count', count: 7 })).toEqual(expected.get(file.key));
      await checkCoverProperty(dataset, fewPartitionStrategies(summary.records, summary.bytes), { runs: 6 });
    },
  );

  it('cuts CSV only at true row starts, though many rows span lines', async () => {
    const dataset = await openDataset('csv/table.csv', { store: fixture.store });
    const index = (await dataset.index()) as { checkpoints: number[] };
    const rowStarts = new Set<number>();
    const header = csv.indexOf('\r\n') + 2;
    for (let at = header, inQuotes = false; at < csv.length; at++) {
      if (csv[at] === '"') inQuotes = !inQuotes;
      if (csv[at] === '\n' && !inQuotes) rowStarts.add(Buffer.byteLength(csv.slice(0, at + 1)));
    }
    rowStarts.add(header);
    const offsets = index.checkpoints.filter((_, i) => i % 2 === 1);
    expect(offsets.length).toBeGreaterThan(5);
    for (const offset of offsets) expect(rowStarts.has(offset), `checkpoint at ${offset}`).toBe(true);
    expect(csv.split('\n').length).toBeGreaterThan(expected.get('csv/table.csv')!.length + 300);
  });

  it('writes partition files of header + rows that Python reads back as the partition (gzip for gzip)', async () => {
    for (const key of ['csv/table.csv', 'csv/table.csv.gz']) {
      const dataset = await openDataset(key, { store: fixture.store });
      const partitions = await dataset.partition({ by: 'count', count: 4 });
      const dir = await mkdtemp(join(tmpdir(), 'isthmus-csv-parts-'));
      const bodies: Buffer[] = [];
      for (const partition of partitions) {
        const [file] = await dataset.toFile(partition);
        expect(file!.name).toBe(`part-0000${partition.index}${key.endsWith('.gz') ? '.csv.gz' : '.csv'}`);
        const path = join(dir, file!.name);
        await writeFile(path, file!.data);
        const rows: unknown[] = [];
        for await (const row of dataset.read(partition)) rows.push(row);
        expect(await pythonJson(PYTHON_CSV_ROWS, path)).toEqual(rows);
        const text = key.endsWith('.gz') ? gunzipSync(file!.data) : Buffer.from(file!.data);
        expect(text.toString().startsWith('id,name,note,value\r\n')).toBe(true);
        bodies.push(text.subarray('id,name,note,value\r\n'.length));
      }
      expect(Buffer.concat(bodies).toString()).toBe(csv.slice(csv.indexOf('\r\n') + 2));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads Arrow batches: one Utf8 column per CSV header field, `line` for lines, `json` for JSONL', async () => {
    const table = await openDataset('csv/table.csv.gz', { store: fixture.store });
    const [first] = await table.partition({ by: 'records', records: 1000 });
    const rows: Record<string, string>[] = [];
    for await (const row of table.read<Record<string, string>>(first!)) rows.push(row);
    const batches = [];
    for await (const batch of table.readBatches(first!)) batches.push(batch);
    expect(batches.map((batch) => batch.schema.fields.map((field) => `${field.name}:${field.type}`))).toEqual(
      [['id:Utf8', 'name:Utf8', 'note:Utf8', 'value:Utf8']],
    );
    expect(batches[0]!.toArray().map((row) => row.toJSON())).toEqual(rows);
    const text = await openDataset('lines/notes.lines.gz', { store: fixture.store });
    const [all] = await text.partition({ by: 'count', count: 1 });
    const lineColumn: unknown[] = [];
    for await (const batch of text.readBatches(all!)) lineColumn.push(...batch.getChild('line')!.toArray());
    expect(lineColumn).toEqual(expected.get('lines/notes.txt'));
    const values = await openDataset('jsonl/events.jsonl', { store: fixture.store });
    const [some] = await values.partition({ by: 'records', records: 10 });
    const json: string[] = [];
    for await (const batch of values.readBatches(some!)) json.push(...batch.getChild('json')!.toArray());
    expect(json.map((value) => JSON.parse(value))).toEqual(expected.get('jsonl/events.jsonl')!.slice(0, 10));
  });
});

describe('text edge cases and bad input', () => {
  let fixture: SampleStore;
  beforeAll(async () => {
    fixture = await sampleStore('file', [], inject('s3'));
  });
  afterAll(() => fixture.dispose());

  async function open(key: string, bytes: string | Buffer, format?: string) {
    await fixture.store.put(key, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    return openDataset(key, { store: fixture.store, format });
  }

  it('reads empty files, a header-only CSV and a file of one unterminated line', async () => {
    for (const [key, records, file] of [
      ['empty.txt', [], ''],
      ['empty.csv', [], ''],
      ['empty.jsonl.gz', [], gzipSync('')],
      ['header-only.csv', [], 'a,b\n'],
      ['header-unterminated.csv', [], 'a,b'],
      ['one-row.csv', [{ a: '1', b: '' }], 'a,b\n1,'],
      ['one-line.txt', ['no newline'], 'no newline'],
    ] as const) {
      const dataset = await open(key, file as string | Buffer);
      expect(await readAll(dataset), key).toEqual(records);
      const partitions = await dataset.partition({ by: 'count', count: 3 });
      expect(partitions.length).toBe(Math.max(1, records.length));
      const [part] = await dataset.toFile(partitions[0]!);
      const text = key.endsWith('.gz')
        ? gunzipSync(part!.data).toString()
        : Buffer.from(part!.data).toString();
      expect(text).toBe(key.endsWith('.gz') ? '' : Buffer.from(file as string).toString());
    }
  });

  it('detects by name, by gzip content and as the last resort; refuses binary as lines', async () => {
    expect((await open('a.CSV', 'x,y\n1,2\n')).format).toBe('csv');
    expect((await open('b.tsv.gz', gzipSync('x\ty\n1\t2\n'))).format).toBe('csv');
    expect((await open('c.ndjson', '{"a":1}\n')).format).toBe('jsonl');
    expect((await open('d.log', 'x\n')).format).toBe('lines');
    expect((await open('e.dat', gzipSync('plain text\n'))).format).toBe('lines');
    await expect(open('f.bin', Buffer.from([0, 1, 2, 0xff, 0xfe]))).rejects.toMatchObject({
      code: 'ERR_PARTITION_UNKNOWN_FORMAT',
    });
    await expect(open('g.bin', Buffer.from([0, 1, 2, 0xff, 0xfe]), 'lines')).rejects.toMatchObject({
      code: 'ERR_PARTITION_FORMAT_MISMATCH',
    });
  });

  it('fails with CorruptDataError at the line for a bad JSONL line', async () => {
    const text = '{"a":1}\n[1,2]\n{"b": oops}\n3\n';
    const dataset = await open('bad.jsonl', text);
    expect((await dataset.summary()).records).toBe(4);
    await expect(readAll(dataset)).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      offset: text.indexOf('{"b"'),
      message: expect.stringContaining(`bad.jsonl at byte ${text.indexOf('{"b"')}`),
    });
    await expect(readAll(await open('blank.jsonl', '1\n\n2\n'))).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      offset: 2,
    });
  });

  it('fails with CorruptDataError for an unclosed quote, a quote in an unquoted field, a wrong field count', async () => {
    const unclosed = 'a,b\n1,2\n3,"open\n4,5\n';
    await expect((await open('unclosed.csv', unclosed)).index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      offset: unclosed.indexOf('3,'),
    });
    const stray = 'a,b\n1,x"y\n';
    await expect(readAll(await open('stray.csv', stray))).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      offset: stray.indexOf('1,'),
    });
    const short = 'a,b,c\n1,2,3\n4,5\n';
    await expect(readAll(await open('short.csv', short))).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      offset: short.indexOf('4,'),
      message: expect.stringContaining('2 fields under a header of 3'),
    });
  });

  it('fails with the gzip errors for truncated, corrupt and trailing gzip text', async () => {
    const gz = gzipSync(lines);
    await expect((await open('cut.txt.gz', gz.subarray(0, gz.length - 100))).index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_TRUNCATED',
      key: 'cut.txt.gz',
      offset: gz.length - 100,
    });
    await expect(
      (await open('tail.txt.gz', Buffer.concat([gz, Buffer.from('junk\n')]))).index(),
    ).rejects.toMatchObject({ code: 'ERR_PARTITION_TRAILING_DATA', offset: gz.length });
    const crc = Buffer.from(gz);
    crc[gz.length - 6]! ^= 0xff;
    await expect((await open('crc.txt.gz', crc)).index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      offset: gz.length - 8,
    });
  });
});
