import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, createGzip, gunzipSync, gzipSync } from 'node:zlib';
import { sampleBytes } from '@isthmus/fixtures';
import { type ObjectStore, openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InflaterEngine } from '../../src/codecs/gzip-block-inflater.js';
import { defaultInflaterEngine, GzipIndexer, type GzipLayout } from '../../src/codecs/gzip-checkpoints.js';
import { NativeInflater } from '../../src/codecs/gzip-native-inflate.js';
import { gzipRange, inflateGzipRange } from '../../src/codecs/gzip-random-access.js';
import { DatasetSource } from '../../src/dataset-source.js';

/** Deterministic text that compresses like real data (words of a small vocabulary, random digits). */
function sampleText(bytes: number, seed: number): Buffer {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
  const words = ['alpha', 'beta', 'gamma', 'delta', 'ACGT', 'TTGA', 'quality', '\n', ', '];
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = next() % 3 === 0 ? String(next()) : words[next() % words.length]!;
    parts.push(word, ' ');
    length += word.length + 1;
  }
  return Buffer.from(parts.join('').slice(0, bytes));
}

/** A gzip member with a file name, a comment and an extra field in its header (what `gzip -N` and BGZF write). */
function memberWithHeaderFields(content: Buffer): Buffer {
  const plain = gzipSync(content);
  const extra = Buffer.from([4, 0, 0x42, 0x43, 0, 0]);
  const header = Buffer.from(plain.subarray(0, 10));
  header[3] = 4 | 8 | 16;
  return Buffer.concat([header, extra, Buffer.from('name.txt\0comment\0'), plain.subarray(10)]);
}

/** Deterministic bytes that do not compress (deflate stores them in stored blocks). */
function noise(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let state = seed;
  for (let i = 0; i < bytes; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

/** Gzip of `content` written in pieces of varying size, each followed by `flush` (stored blocks mid-byte). */
async function gzipWithFlushes(content: Buffer, flush: number): Promise<Buffer> {
  const gzip = createGzip();
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => gzip.on('end', resolve));
  for (let at = 0, i = 0; at < content.length; i++) {
    const length = 1000 + ((i * 7919) % 90_000);
    gzip.write(content.subarray(at, at + length));
    await new Promise<void>((resolve) => gzip.flush(flush, () => resolve()));
    at += length;
  }
  gzip.end();
  await ended;
  return Buffer.concat(parts);
}

/** Re-chunks a stream into pieces of `size` bytes (as a slow or small-buffered GET delivers it). */
async function* rechunk(chunks: AsyncIterable<Uint8Array>, size: number): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += size) yield chunk.subarray(at, at + size);
  }
}

let dir: string;
let store: ObjectStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isthmus-gzip-'));
  store = openStore(`file://${dir}`);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function indexBytes(
  engine: InflaterEngine,
  key: string,
  bytes: Uint8Array,
  spacing: number,
  chunkBytes?: number,
) {
  await store.put(key, bytes);
  const source = new DatasetSource(store, key);
  const indexer = new GzipIndexer(key, spacing, engine);
  expect(indexer.engine).toBe(engine);
  const parts: Uint8Array[] = [];
  /** For each content chunk: its end and the checkpoints recorded when it came. */
  const seen: Array<{ end: number; checkpoints: number }> = [];
  let end = 0;
  const compressed = chunkBytes === undefined ? source.stream() : rechunk(source.stream(), chunkBytes);
  for await (const chunk of indexer.inflate(compressed)) {
    parts.push(chunk);
    end += chunk.length;
    seen.push({ end, checkpoints: indexer.checkpoints.length });
  }
  const layout = indexer.layout();
  // A checkpoint is recorded before any content after it is yielded (record scans look it up).
  for (const [i, checkpoint] of layout.checkpoints.entries()) {
    const first = seen.find((chunk) => chunk.end > checkpoint.out);
    if (first) expect(first.checkpoints).toBeGreaterThan(i);
  }
  return { source, content: Buffer.concat(parts), layout };
}

async function inflateFrom(source: DatasetSource, layout: GzipLayout, at: number, end: number) {
  const start = layout.checkpoints[at]!;
  const range = gzipRange(source.key, layout, start, end);
  const parts: Uint8Array[] = [];
  for await (const chunk of inflateGzipRange(source, range, start)) parts.push(chunk);
  return { range, bytes: Buffer.concat(parts) };
}

/**
 * Every checkpoint decodes exactly what native gunzip gives there: its stretch, 70 KB (a range
 * ending at a block boundary between checkpoints), and everything after it.
 */
async function expectCheckpointsDecode(source: DatasetSource, layout: GzipLayout, expected: Buffer) {
  for (const [i, checkpoint] of layout.checkpoints.entries()) {
    const next = layout.checkpoints[i + 1]?.out ?? expected.length;
    const stretch = await inflateFrom(source, layout, i, next);
    expect(stretch.bytes.length).toBeGreaterThanOrEqual(next - checkpoint.out);
    expect(stretch.range.offset + stretch.range.length).toBeLessThanOrEqual(layout.compressedSize);
    expect(
      Buffer.compare(stretch.bytes, expected.subarray(checkpoint.out, checkpoint.out + stretch.bytes.length)),
    ).toBe(0);
    const middle = Math.min(expected.length, checkpoint.out + 70_001);
    const part = await inflateFrom(source, layout, i, middle);
    expect(part.bytes.length).toBeGreaterThanOrEqual(middle - checkpoint.out);
    expect(part.range.length).toBeLessThanOrEqual(stretch.range.length);
    expect(
      Buffer.compare(part.bytes, expected.subarray(checkpoint.out, checkpoint.out + part.bytes.length)),
    ).toBe(0);
    const rest = await inflateFrom(source, layout, i, expected.length);
    expect(Buffer.compare(rest.bytes, expected.subarray(checkpoint.out))).toBe(0);
  }
}

// Both engines of the index pass: Node's zlib through its internals, and the portable fallback
// used where those are missing (forced here), must find the same checkpoints.
describe.each(['native', 'portable'] as const)(
  'gzip checkpoints (zran-style random access), %s engine',
  (engine) => {
    it('indexes a real FASTQ.gz and a reader decodes exactly from every checkpoint', async () => {
      const bytes = await sampleBytes('fastq/ERR127302_2_subset.fastq.gz');
      const { source, content, layout } = await indexBytes(engine, 'reads.fastq.gz', bytes, 256 << 10);
      const expected = gunzipSync(bytes);
      expect(Buffer.compare(content, expected)).toBe(0);
      expect(layout).toMatchObject({
        members: 1,
        compressedSize: bytes.length,
        decompressedSize: expected.length,
      });
      expect(layout.checkpoints.length).toBeGreaterThanOrEqual(Math.floor(expected.length / (512 << 10)));
      expect(layout.checkpoints.length).toBeLessThanOrEqual(Math.ceil(expected.length / (256 << 10)) + 1);
      expect(layout.checkpoints.some((checkpoint) => checkpoint.bits > 0)).toBe(true);
      expect(layout.checkpoints.every((checkpoint) => checkpoint.memberEnd === bytes.length - 8)).toBe(true);
      await expectCheckpointsDecode(source, layout, expected);
    });

    it('handles multi-member gzip: header fields, levels, many small members (as BGZF), an empty member', async () => {
      const text = sampleText(1_500_000, 7);
      const pieces = [
        text.subarray(0, 400_000),
        text.subarray(400_000, 400_000),
        text.subarray(400_000, 900_000),
      ];
      const small: Buffer[] = [];
      for (let at = 900_000; at < text.length; at += 65_280) small.push(text.subarray(at, at + 65_280));
      const bytes = Buffer.concat([
        memberWithHeaderFields(pieces[0]!),
        gzipSync(pieces[1]!),
        gzipSync(pieces[2]!, { level: 1 }),
        ...small.map((piece) => memberWithHeaderFields(piece)),
      ]);
      const { source, content, layout } = await indexBytes(engine, 'multi.txt.gz', bytes, 100_000);
      expect(Buffer.compare(content, text)).toBe(0);
      expect(layout.members).toBe(3 + small.length);
      expect(new Set(layout.checkpoints.map((checkpoint) => checkpoint.memberEnd)).size).toBeGreaterThan(3);
      await expectCheckpointsDecode(source, layout, text);
    });

    it('indexes BGZF (bgzip output: many members and the empty EOF member) like any multi-member gzip', async () => {
      const bytes = await sampleBytes('vcf/1kg.vcf.gz');
      const { source, content, layout } = await indexBytes(engine, '1kg.vcf.gz', bytes, 512 << 10);
      const expected = gunzipSync(bytes);
      expect(Buffer.compare(content, expected)).toBe(0);
      expect(layout.members).toBeGreaterThan(10);
      await expectCheckpointsDecode(source, layout, expected);
    });

    it('keeps only checkpoints the reader decodes where stored blocks start mid-byte (flushes, incompressible data)', async () => {
      const content = Buffer.concat([
        sampleText(300_000, 11),
        noise(200_000, 12),
        sampleText(400_000, 13),
        noise(150_000, 14),
      ]);
      for (const [name, bytes] of [
        ['sync.gz', await gzipWithFlushes(content, constants.Z_SYNC_FLUSH)],
        ['full.gz', await gzipWithFlushes(content, constants.Z_FULL_FLUSH)],
        ['level9.gz', gzipSync(content, { level: 9 })],
        ['stored.gz', gzipSync(content, { level: 0 })],
      ] as const) {
        const { source, content: inflated, layout } = await indexBytes(engine, name, bytes, 100_000);
        expect(Buffer.compare(inflated, content)).toBe(0);
        expect(layout.checkpoints.length).toBeGreaterThanOrEqual(content.length / (200 << 10));
        await expectCheckpointsDecode(source, layout, content);
      }
    });

    it('finds the same layout whatever the size of the compressed chunks', async () => {
      const fastq = await sampleBytes('fastq/ERR127302_2_subset.fastq.gz');
      const text = Buffer.concat([gzipSync(sampleText(150_000, 21)), gzipSync(sampleText(90_000, 22))]);
      for (const [bytes, spacing, sizes] of [
        [fastq, 128 << 10, [777, 65_537]],
        [text, 16 << 10, [1, 5]],
      ] as const) {
        const whole = await indexBytes(engine, 'chunks.gz', bytes, spacing);
        expect(whole.layout.checkpoints.length).toBeGreaterThan(2);
        for (const size of sizes) {
          const chunked = await indexBytes(engine, 'chunks.gz', bytes, spacing, size);
          expect(chunked.layout).toEqual(whole.layout);
          expect(Buffer.compare(chunked.content, whole.content)).toBe(0);
        }
      }
    });

    const broken: Array<[string, (gz: Buffer) => Buffer, string, (gz: Buffer) => number]> = [
      [
        'cut inside the deflate data',
        (gz) => gz.subarray(0, gz.length >> 1),
        'ERR_PARTITION_TRUNCATED',
        (gz) => gz.length >> 1,
      ],
      [
        'cut inside the trailer',
        (gz) => gz.subarray(0, gz.length - 3),
        'ERR_PARTITION_TRUNCATED',
        (gz) => gz.length - 3,
      ],
      [
        'cut inside a header',
        (gz) => Buffer.concat([gz, gz.subarray(0, 6)]),
        'ERR_PARTITION_TRUNCATED',
        (gz) => gz.length + 6,
      ],
      [
        'with a wrong CRC-32',
        (gz) =>
          Buffer.concat([
            gz.subarray(0, gz.length - 8),
            Buffer.from([1, 2, 3, 4]),
            gz.subarray(gz.length - 4),
          ]),
        'ERR_PARTITION_CORRUPT',
        (gz) => gz.length - 8,
      ],
      [
        'with trailing garbage',
        (gz) => Buffer.concat([gz, Buffer.from('garbage')]),
        'ERR_PARTITION_TRAILING_DATA',
        (gz) => gz.length,
      ],
      [
        'with one trailing zero byte',
        (gz) => Buffer.concat([gz, Buffer.from([0])]),
        'ERR_PARTITION_TRAILING_DATA',
        (gz) => gz.length,
      ],
    ];
    for (const [what, breakIt, code, offset] of broken) {
      it(`fails with ${code} naming key and byte for gzip ${what}`, async () => {
        const gz = gzipSync(sampleText(300_000, 3));
        const key = `broken-${code}.gz`;
        await expect(indexBytes(engine, key, breakIt(gz), 64 << 10)).rejects.toMatchObject({
          code,
          key,
          offset: offset(gz),
          message: expect.stringContaining(`${key} at byte ${offset(gz)}`),
        });
      });
    }

    it('fails with ERR_PARTITION_CORRUPT for a corrupt deflate block', async () => {
      const gz = gzipSync(sampleText(300_000, 5), { strategy: constants.Z_HUFFMAN_ONLY });
      const corrupt = Buffer.from(gz);
      for (let at = 2000; at < 2064; at++) corrupt[at] = 0xff;
      const error = await indexBytes(engine, 'corrupt.gz', corrupt, 64 << 10).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'ERR_PARTITION_CORRUPT', key: 'corrupt.gz' });
      expect((error as { offset: number }).offset).toBeGreaterThanOrEqual(2000);
      expect((error as Error).message).toMatch(/^corrupt\.gz at byte \d+: /);
    });
  },
);

describe('the gzip index pass engine', () => {
  it('is native on this Node.js, and both engines find the same layout of a real file', async () => {
    expect(NativeInflater.available()).toBe(true);
    expect(defaultInflaterEngine()).toBe('native');
    const bytes = await sampleBytes('fastq/ERR127302_2_subset.fastq.gz');
    const native = await indexBytes('native', 'engines.fastq.gz', bytes, 128 << 10);
    const portable = await indexBytes('portable', 'engines.fastq.gz', bytes, 128 << 10);
    expect(portable.layout).toEqual(native.layout);
  });
});
