import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptBatchError, UnsupportedCompressionError } from '../../src/errors.js';
import { Compression, compress, decompress } from '../../src/protocol/compression.js';
import { decodeRecords, encodeBatch, parseBatch, verifyBatch } from '../../src/protocol/record-batch.js';

const CODECS = [
  ['gzip', Compression.Gzip],
  ['snappy', Compression.Snappy],
  ['lz4', Compression.Lz4],
  ['zstd', Compression.Zstd],
] as const;

/** Runs a command-line codec (installed by libs/streams/install-deps.sh) on `input`. */
function cli(command: string, args: string[], input: Uint8Array): Uint8Array {
  return new Uint8Array(execFileSync(command, args, { input, maxBuffer: 64 << 20 }));
}

/** 300 KiB of compressible text: several lz4 (64 KiB) and xerial snappy (32 KiB) blocks. */
const LARGE = new Uint8Array(
  Buffer.from(
    Array.from({ length: 6000 }, (_, i) => `record ${i} of a batch that repeats itself\n`).join(''),
  ),
);

describe('compression codecs', () => {
  for (const [name, type] of CODECS) {
    it(`${name}: round-trips any bytes and large compressible data`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
          expect(await decompress(type, await compress(type, bytes))).toEqual(bytes);
        }),
        { numRuns: 50 },
      );
      const packed = await compress(type, LARGE);
      expect(packed.length).toBeLessThan(LARGE.length / 4);
      expect(Buffer.from(await decompress(type, packed)).equals(LARGE)).toBe(true);
    });

    it(`${name}: compresses and decompresses the records of a batch`, async () => {
      const records = [
        { key: null, value: new Uint8Array(Buffer.from('first')), timestamp: 10n },
        { key: new Uint8Array(Buffer.from('k')), value: LARGE.subarray(0, 100_000), timestamp: 12n },
      ];
      const batch = parseBatch(await encodeBatch({ records, compression: type }));
      verifyBatch(batch);
      expect(batch.compression).toBe(type);
      expect(batch.bytes.length).toBeLessThan(50_000);
      const decoded = await decodeRecords(batch);
      expect(decoded.map((r) => Buffer.from(r.value ?? []).length)).toEqual([5, 100_000]);
      expect(Buffer.from(decoded[1]?.value ?? []).equals(Buffer.from(LARGE.subarray(0, 100_000)))).toBe(true);
    });
  }

  it('gzip: reads what the gzip tool writes and writes what it reads', async () => {
    expect(Buffer.from(await decompress(Compression.Gzip, cli('gzip', ['-c'], LARGE))).equals(LARGE)).toBe(
      true,
    );
    expect(Buffer.from(cli('gzip', ['-dc'], await compress(Compression.Gzip, LARGE))).equals(LARGE)).toBe(
      true,
    );
  });

  it('lz4: reads LZ4 frames the lz4 tool writes with any frame options, and writes frames it reads', async () => {
    const variants = [
      [], // defaults: 4 MiB blocks, independent, content checksum
      ['-B4', '-BD'], // 64 KiB linked (dependent) blocks
      ['-B4', '-BX', '--no-frame-crc'], // 64 KiB independent blocks with block checksums, no content checksum
      ['--content-size', '-B5'],
    ];
    for (const options of variants) {
      const framed = cli('lz4', ['-c', '-q', ...options], LARGE);
      expect(Buffer.from(await decompress(Compression.Lz4, framed)).equals(LARGE), options.join(' ')).toBe(
        true,
      );
    }
    const random = randomBytes(70_000); // incompressible: stored blocks
    expect(
      Buffer.from(await decompress(Compression.Lz4, cli('lz4', ['-c', '-q', '-B4'], random))).equals(random),
    ).toBe(true);
    for (const input of [LARGE, random, new Uint8Array(0)]) {
      expect(
        Buffer.from(cli('lz4', ['-dc', '-q'], await compress(Compression.Lz4, input))).equals(input),
      ).toBe(true);
    }
  });

  it('lz4: writes frames as the Java producer of Kafka does: independent 64 KiB blocks, no checksums', async () => {
    const frame = await compress(Compression.Lz4, LARGE);
    expect([...frame.subarray(4, 7)]).toEqual([0x60, 0x40, 0x82]); // FLG, BD, header checksum (as the lz4 tool writes them)
    const view = new DataView(frame.buffer, frame.byteOffset);
    const firstBlock = view.getUint32(7, true) & 0x7fffffff;
    const secondAt = 7 + 4 + firstBlock;
    const secondBlock = view.getUint32(secondAt, true) & 0x7fffffff;
    // the second block alone, in a frame of its own, decodes to the second 64 KiB: it needs nothing before it
    const alone = Uint8Array.from([
      ...frame.subarray(0, 7),
      ...frame.subarray(secondAt, secondAt + 4 + secondBlock),
      0,
      0,
      0,
      0,
    ]);
    expect(Buffer.from(await decompress(Compression.Lz4, alone)).equals(LARGE.subarray(65536, 131072))).toBe(
      true,
    );
  });

  it('zstd: reads frames the zstd tool writes (with and without content size) and writes frames it reads', async () => {
    for (const options of [[], ['--no-check'], ['--no-content-size'], ['-19']]) {
      const framed = cli('zstd', ['-c', '-q', ...options], LARGE);
      expect(Buffer.from(await decompress(Compression.Zstd, framed)).equals(LARGE), options.join(' ')).toBe(
        true,
      );
    }
    // streamed input: the frame carries no content size, as Kafka's Java producer writes it
    const streamed = new Uint8Array(execFileSync('sh', ['-c', 'cat | zstd -c -q'], { input: LARGE }));
    expect(Buffer.from(await decompress(Compression.Zstd, streamed)).equals(LARGE)).toBe(true);
    for (const input of [LARGE, new Uint8Array(randomBytes(5000)), new Uint8Array(0)]) {
      expect(
        Buffer.from(cli('zstd', ['-dc', '-q'], await compress(Compression.Zstd, input))).equals(input),
      ).toBe(true);
    }
  });

  it('snappy: reads raw blocks (librdkafka) and xerial-framed chunks (Java clients), from hand-built vectors', async () => {
    // "abcabcabcabc": uncompressed length 12, literal "abc" (tag (3-1)<<2), copy of 9 from offset 3 (tag (9-4)<<2|1)
    const raw = Uint8Array.of(12, 0x08, 0x61, 0x62, 0x63, 0x15, 3);
    expect(Buffer.from(await decompress(Compression.Snappy, raw)).toString()).toBe('abcabcabcabc');
    // "xyz" as a literal only
    const literal = Uint8Array.of(3, 0x08, 0x78, 0x79, 0x7a);
    const header = [0x82, ...Buffer.from('SNAPPY'), 0, 0, 0, 0, 1, 0, 0, 0, 1];
    const xerial = Uint8Array.from([
      ...header,
      0,
      0,
      0,
      raw.length,
      ...raw,
      0,
      0,
      0,
      literal.length,
      ...literal,
    ]);
    expect(Buffer.from(await decompress(Compression.Snappy, xerial)).toString()).toBe('abcabcabcabcxyz');
    // what we write is xerial-framed, with a chunk per 32 KiB
    const written = await compress(Compression.Snappy, LARGE);
    expect([...written.subarray(0, 16)]).toEqual(header);
    expect(
      await decompress(
        Compression.Snappy,
        written
          .subarray(16, 16 + 4 + new DataView(written.buffer, written.byteOffset).getInt32(16))
          .subarray(4),
      ),
    ).toEqual(LARGE.subarray(0, 32 * 1024));
  });

  it('refuses unknown codecs and bytes a codec rejects', async () => {
    for (const type of [5, 6, 7]) {
      await expect(compress(type, LARGE)).rejects.toThrow(UnsupportedCompressionError);
      await expect(decompress(type, LARGE)).rejects.toThrow(UnsupportedCompressionError);
    }
    for (const [name, type] of CODECS) {
      await expect(decompress(type, Uint8Array.of(0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa)), name).rejects.toThrow(
        CorruptBatchError,
      );
    }
    const batch = await encodeBatch({ records: [{ value: null }] });
    const view = new DataView(batch.buffer, batch.byteOffset);
    view.setInt16(21, 5); // attributes: codec 5
    await expect(decodeRecords(parseBatch(batch))).rejects.toThrow(UnsupportedCompressionError);
  });
});
