import { gzipSync } from 'node:zlib';
import { type SampleStore, STORE_KINDS, sampleBytes, sampleStore } from '@isthmus/fixtures';
import { StaleDatasetError } from '@isthmus/partition';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ChunkUnitOptions, chunkUnit } from '../../src/documents/chunk-unit.js';
import type { DocumentUnit, TextChunk } from '../../src/documents/document-unit.js';
import { planDocuments } from '../../src/documents/plan-documents.js';
import {
  BinaryDocumentError,
  EmptyDocumentError,
  InvalidArgumentError,
  InvalidUtf8Error,
  MalformedDocumentError,
  UnsupportedDocumentError,
} from '../../src/errors.js';

const SAMPLES = ['gzip.1.txt', 'conmon-README.md', 'zarr-spec-v1.html', 'gzip.1.jsonl', 'gzip.1.csv'];

const withoutSpace = (text: string): string => text.replace(/\s+/g, '');

/** Deterministic text: `paragraphs` paragraphs of sentences, every tenth paragraph after a heading in capitals. */
function bigText(paragraphs: number): string {
  const parts: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    if (i % 10 === 0) parts.push(`SECTION ${i / 10}`);
    const sentences = Array.from(
      { length: 1 + (i % 7) },
      (_, j) => `Paragraph ${i} sentence ${j} says ${'something '.repeat(1 + ((i * j) % 9)).trim()}.`,
    );
    parts.push(`       ${sentences.join(' ')}`, '');
  }
  return parts.join('\n');
}

/** Deterministic JSON Lines: objects with a `text` field (some long, some without text) and other fields. */
function bigJsonl(values: number): string {
  const lines: string[] = [];
  for (let i = 0; i < values; i++) {
    const text = Array.from(
      { length: 1 + (i % 40) },
      (_, j) => `Record ${i} sentence ${j} is about topic ${(i * 7 + j) % 13}.`,
    ).join(' ');
    lines.push(JSON.stringify(i % 17 === 5 ? { id: i, text: null } : { id: i, text, tags: ['x', i % 3] }));
  }
  return `${lines.join('\n')}\n`;
}

describe.each(STORE_KINDS)('documents on a %s store', (kind) => {
  let fixture: SampleStore;
  let root: string;
  const s3 = inject('s3');
  const url = (key: string): string => `${root}/${key}`;
  const chunksOf = async (units: DocumentUnit[], options: ChunkUnitOptions = {}): Promise<TextChunk[]> => {
    const chunks: TextChunk[] = [];
    for (const unit of units)
      for await (const chunk of chunkUnit(unit, { s3, ...options })) chunks.push(chunk);
    return chunks;
  };
  const plan = (source: string | string[], options: Parameters<typeof planDocuments>[1] = {}) =>
    planDocuments(source, { s3, ...options });

  beforeAll(async () => {
    fixture = await sampleStore(
      kind,
      SAMPLES.map((name) => `documents/${name}`),
      s3,
    );
    root = fixture.store.url.replace(/\/+$/, '');
  });
  afterAll(() => fixture.dispose());

  it('plans a folder: one unit per object, kinds by name, JSONL and CSV as partitions, plain JSON pinned to etags', async () => {
    await fixture.store.put('documents/.hidden.txt', 'not a document');
    const units = await plan(url('documents/'));
    expect(units.map((unit) => [unit.key, unit.kind, unit.part !== undefined])).toEqual([
      ['conmon-README.md', 'markdown', false],
      ['gzip.1.csv', 'csv', true],
      ['gzip.1.jsonl', 'jsonl', true],
      ['gzip.1.txt', 'text', false],
      ['zarr-spec-v1.html', 'html', false],
    ]);
    for (const unit of units) {
      expect(JSON.parse(JSON.stringify(unit))).toEqual(unit);
      expect(unit.url).toBe(url(`documents/${unit.key}`));
      expect(unit.store).toBe(url('documents'));
      expect(unit.etag).toBe((await fixture.store.head(`documents/${unit.key}`)).etag);
    }
    expect(units.find((unit) => unit.kind === 'jsonl')!.part!.partition.records).toBe(82);
    expect(await plan(url('documents/gzip.1.txt'))).toEqual([units[3]]);
    expect(await plan(url('documents'))).toEqual(units);
    await fixture.store.delete('documents/.hidden.txt');
  });

  it('chunks every kind: headings, sizes, unique content-hash ids, the same ids every time', async () => {
    const units = await plan(url('documents/'));
    const chunks = await chunksOf(units, { maxChars: 600, overlapChars: 100 });
    const bySource = (name: string) => chunks.filter((chunk) => chunk.source === url(`documents/${name}`));
    for (const name of SAMPLES) expect(bySource(name).length).toBeGreaterThan(3);
    expect(chunks.every((chunk) => chunk.text.length <= 600 && /^[0-9a-f]{32}$/.test(chunk.id))).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(chunks.length);
    expect(bySource('gzip.1.txt').map((chunk) => chunk.heading)).toContain('DESCRIPTION');
    expect(bySource('conmon-README.md').map((chunk) => chunk.heading)).toContain('conmon › Build');
    expect(bySource('zarr-spec-v1.html').map((chunk) => chunk.heading)).toContain(
      'Zarr storage specification version 1 › Metadata',
    );
    for (const name of SAMPLES) {
      expect(bySource(name).map((chunk) => chunk.chunk)).toEqual(bySource(name).map((_, i) => i));
    }
    expect(await chunksOf(units, { maxChars: 600, overlapChars: 100 })).toEqual(chunks);
  });

  it('reads the text field of JSONL and the text column of CSV (RFC 4180 quoting) as the same records', async () => {
    const [csv, jsonl] = await plan([url('documents/gzip.1.csv'), url('documents/gzip.1.jsonl')]);
    const records = (await sampleBytes('documents/gzip.1.jsonl'))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { section: string; text: string });
    const texts = (chunks: TextChunk[]) => chunks.map((chunk) => chunk.text);
    const fromJsonl = await chunksOf([jsonl!], { overlapChars: 0 });
    expect(texts(fromJsonl)).toEqual(texts(await chunksOf([csv!], { overlapChars: 0 })));
    expect(withoutSpace(texts(fromJsonl).join(''))).toBe(
      withoutSpace(records.map((record) => record.text).join('')),
    );
    const sections = await chunksOf([jsonl!], { textField: 'section' });
    expect(texts(sections)).toEqual(
      records.map((record) => record.section).filter((section) => section !== ''),
    );
    const planned = await plan(url('documents/gzip.1.csv'), { textColumn: 'section' });
    expect(texts(await chunksOf(planned))).toEqual(texts(sections));
  });

  it('splits a big JSONL object (also gzip) into units whose chunks together are the chunks of reading it whole', async () => {
    const jsonl = bigJsonl(1500);
    await fixture.store.put('big/records.jsonl', jsonl);
    await fixture.store.put('big/records.jsonl.gz', gzipSync(jsonl));
    const whole = await plan(url('big/records.jsonl'));
    expect(whole).toHaveLength(1);
    const parts = await plan(url('big/records.jsonl'), { maxUnitBytes: 64 * 1024 });
    expect(parts.length).toBeGreaterThanOrEqual(5);
    expect(parts.map((unit) => unit.part!.firstRecord)).toEqual(
      parts.map((_, i) => parts.slice(0, i).reduce((sum, unit) => sum + unit.part!.partition.records!, 0)),
    );
    const comparable = (chunks: TextChunk[]) =>
      chunks.map(({ id, text, heading, source }) => ({ id, text, heading, source }));
    const wholeChunks = await chunksOf(whole);
    expect(comparable(await chunksOf(parts))).toEqual(comparable(wholeChunks));
    const gzipParts = await plan(url('big/records.jsonl.gz'), { maxUnitBytes: 16 * 1024 });
    expect(gzipParts.length).toBeGreaterThan(1);
    expect((await chunksOf(gzipParts)).map((chunk) => chunk.text)).toEqual(
      wholeChunks.map((chunk) => chunk.text),
    );
  });

  it('splits a big text object at line boundaries; each part chunks as the lines it holds', async () => {
    const text = bigText(1200);
    await fixture.store.put('big/notes.txt', text);
    const parts = await plan(url('big/notes.txt'), { maxUnitBytes: 32 * 1024 });
    expect(parts.length).toBeGreaterThanOrEqual(4);
    const lines = text.split('\n').slice(0, -1); // the text ends with a line end
    expect(parts.reduce((sum, unit) => sum + unit.part!.partition.records!, 0)).toBe(lines.length);
    const chunks = await chunksOf(parts);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(chunks.length);
    // The oracle: each part's lines as a document of its own.
    const expected: Array<{ text: string; heading: string }> = [];
    for (const [i, unit] of parts.entries()) {
      const first = unit.part!.firstRecord;
      await fixture.store.put(
        `slices/${i}.txt`,
        lines.slice(first, first + unit.part!.partition.records!).join('\n'),
      );
      const [slice] = await plan(url(`slices/${i}.txt`));
      for (const { text, heading } of await chunksOf([slice!])) expected.push({ text, heading });
    }
    expect(chunks.map(({ text, heading }) => ({ text, heading }))).toEqual(expected);
  });

  it('reads gzip documents, and takes the kind of a name without one from its first bytes', async () => {
    const markdown = await sampleBytes('documents/conmon-README.md');
    const html = await sampleBytes('documents/zarr-spec-v1.html');
    await fixture.store.put('mixed/readme.md.gz', gzipSync(markdown));
    await fixture.store.put('mixed/readme.md', markdown);
    await fixture.store.put('mixed/page', html);
    await fixture.store.put('mixed/page.html', html);
    await fixture.store.put('mixed/gzip-manual', await sampleBytes('documents/gzip.1.txt'));
    const units = await plan(url('mixed/'));
    expect(units.map((unit) => [unit.key, unit.kind])).toEqual([
      ['gzip-manual', 'text'],
      ['page', 'html'],
      ['page.html', 'html'],
      ['readme.md', 'markdown'],
      ['readme.md.gz', 'markdown'],
    ]);
    const texts = async (unit: DocumentUnit) =>
      (await chunksOf([unit])).map(({ text, heading }) => ({ text, heading }));
    expect(await texts(units[4]!)).toEqual(await texts(units[3]!));
    expect(await texts(units[1]!)).toEqual(await texts(units[2]!));
    expect((await texts(units[0]!)).map((chunk) => chunk.heading)).toContain('OPTIONS');
  });

  it('names bad documents: binary, invalid UTF-8, empty, unsupported, malformed records', async () => {
    const put = (key: string, body: Uint8Array | string) => fixture.store.put(`bad/${key}`, body);
    await put('nul.txt', Buffer.from('text\u0000more text'));
    await put('controls.md', Buffer.from('\u0001\u0002\u0003\u0004a'));
    await put('latin1.md', Buffer.from('caf\xe9 au lait', 'latin1'));
    await put('empty.txt', '');
    await put('scripts.html', '<html><head><title>t</title></head><body><script>x()</script> </body></html>');
    await put('image.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    await put('numbers.jsonl', '{"text": "fine"}\n{"text": 42}\n');
    await put('not-json.jsonl', '{"text": "fine"}\n{text\n');
    await put('no-text.csv', 'a,b\n1,2\n');
    const first = async (key: string) => {
      const [unit] = await plan(url(`bad/${key}`));
      return chunksOf([unit!]);
    };
    await expect(first('nul.txt')).rejects.toThrow(BinaryDocumentError);
    await expect(first('nul.txt')).rejects.toThrow(/nul\.txt: binary, not text \(a NUL byte at byte 4\)/);
    await expect(first('controls.md')).rejects.toThrow(BinaryDocumentError);
    await expect(first('latin1.md')).rejects.toThrow(InvalidUtf8Error);
    await expect(first('latin1.md')).rejects.toThrow(/latin1\.md: not valid UTF-8 \(at byte 3\)/);
    await expect(first('empty.txt')).rejects.toThrow(EmptyDocumentError);
    await expect(first('scripts.html')).rejects.toThrow(EmptyDocumentError);
    await expect(plan(url('bad/image.bin'))).rejects.toThrow(UnsupportedDocumentError);
    const [text] = await plan(url('bad/empty.txt'));
    await expect(chunksOf([{ ...text!, kind: 'pdf' as never }])).rejects.toThrow(UnsupportedDocumentError);
    await expect(first('numbers.jsonl')).rejects.toThrow(MalformedDocumentError);
    await expect(first('numbers.jsonl')).rejects.toThrow(/numbers\.jsonl line 2: field "text" is a number/);
    await expect(first('not-json.jsonl')).rejects.toThrow(/not-json\.jsonl line 2: not JSON/);
    await expect(first('no-text.csv')).rejects.toThrow(/no column "text" \(its columns: a, b\)/);
    await expect(plan(url('bad/missing.txt'))).rejects.toThrow(InvalidArgumentError);
    await expect(plan(url('documents/'), { maxUnitBytes: 0 })).rejects.toThrow(InvalidArgumentError);
  });

  it('refuses to read an object changed after planning (a whole object and a part)', async () => {
    await fixture.store.put('stale/a.md', '# A\nfirst version');
    await fixture.store.put('stale/b.jsonl', '{"text": "first version"}\n');
    const units = await plan(url('stale/'));
    await fixture.store.put('stale/a.md', '# A\nsecond version');
    await fixture.store.put('stale/b.jsonl', '{"text": "second version"}\n');
    for (const unit of units) await expect(chunksOf([unit])).rejects.toThrow(StaleDatasetError);
  });
});
