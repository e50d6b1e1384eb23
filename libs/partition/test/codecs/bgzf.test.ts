import { randomBytes } from 'node:crypto';
import { runTool } from '@isthmus/fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BGZF_EOF_BLOCK,
  compareVirtualOffsets,
  compressBgzf,
  inflateBgzf,
  inflateBgzfBlock,
  isBgzfBlockStart,
} from '../../src/codecs/bgzf.js';
import { type BgzfBlock, bgzfBlocks } from '../../src/codecs/bgzf-blocks.js';
import { CorruptDataError, TrailingDataError, TruncatedDataError } from '../../src/errors.js';

/** Compressible test data: random bytes mixed with repeated text. */
function sampleData(size: number): Buffer {
  const parts: Buffer[] = [];
  for (let length = 0; length < size; length += 1000) {
    parts.push(length % 3000 === 0 ? randomBytes(1000) : Buffer.from('ACGT'.repeat(250)));
  }
  return Buffer.concat(parts).subarray(0, size);
}

/** Block offsets found by walking the BSIZE fields (bytes 16–17 of each block header). */
function blockOffsets(bgzf: Uint8Array): number[] {
  const offsets: number[] = [];
  const view = new DataView(bgzf.buffer, bgzf.byteOffset, bgzf.byteLength);
  for (let at = 0; at < bgzf.length; at += view.getUint16(at + 16, true) + 1) offsets.push(at);
  return offsets;
}

/** Whether two byte arrays are equal (vitest's deep equality is slow on large buffers). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

async function* chunked(bytes: Uint8Array, sizes: number[]): AsyncIterable<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function collect(blocks: AsyncIterable<BgzfBlock>): Promise<BgzfBlock[]> {
  const all: BgzfBlock[] = [];
  for await (const block of blocks) all.push(block);
  return all;
}

describe('BGZF', () => {
  const data = sampleData(300_000);

  it('writes blocks bgzip decompresses, ending with the EOF block', async () => {
    const bgzf = compressBgzf(data);
    expect(sameBytes(await runTool('bgzip', ['-dc'], { input: bgzf }), data)).toBe(true);
    expect(sameBytes(bgzf.subarray(-28), BGZF_EOF_BLOCK)).toBe(true);
    expect(blockOffsets(bgzf).length).toBeGreaterThan(4);
  });

  it('inflates what bgzip writes, and its EOF block is the one bgzip writes', async () => {
    const bgzip = await runTool('bgzip', ['-c'], { input: data });
    expect(isBgzfBlockStart(bgzip)).toBe(true);
    expect(sameBytes(inflateBgzf(bgzip, 'x.gz'), data)).toBe(true);
    expect(sameBytes(bgzip.subarray(-28), BGZF_EOF_BLOCK)).toBe(true);
  });

  it('streams the blocks of any chunking, with the offsets of the block headers', async () => {
    const bgzip = await runTool('bgzip', ['-c'], { input: data });
    const offsets = blockOffsets(bgzip);
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 5 })
          .filter((sizes) => sizes.some((size) => size > 512)),
        async (sizes) => {
          const blocks = await collect(bgzfBlocks(chunked(bgzip, sizes), 'x.gz', { wholeObject: true }));
          expect(blocks.map((block) => block.offset)).toEqual(offsets);
          expect(sameBytes(Buffer.concat(blocks.map((block) => block.data)), data)).toBe(true);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('names the key and block offset of a block that fails its CRC32 or does not inflate', () => {
    const bgzf = Buffer.from(compressBgzf(data));
    const [, second, third] = blockOffsets(bgzf);
    const badCrc = Buffer.from(bgzf);
    badCrc[third! - 8]! ^= 0xff;
    expect(() => inflateBgzf(badCrc, 'x.gz')).toThrow(CorruptDataError);
    expect(() => inflateBgzf(badCrc, 'x.gz')).toThrow(
      `x.gz at byte ${second}: BGZF block fails its CRC32 check`,
    );
    const badDeflate = Buffer.from(bgzf);
    badDeflate.fill(0xff, second! + 18, second! + 40);
    expect(() => inflateBgzfBlock(badDeflate.subarray(second, third), 'x.gz', second!)).toThrow(
      new RegExp(`x.gz at byte ${second}: BGZF block (does not inflate|inflates to|fails)`),
    );
  });

  it('tells a cut block, a missing EOF block and bytes after the EOF block apart', async () => {
    const bgzf = compressBgzf(data);
    const offsets = blockOffsets(bgzf);
    const cut = bgzf.subarray(0, offsets[2]! + 100);
    await expect(collect(bgzfBlocks(chunked(cut, [4096]), 'x.gz', { wholeObject: true }))).rejects.toThrow(
      new TruncatedDataError(
        { key: 'x.gz', offset: offsets[2] },
        'the data ends inside a BGZF block (100 bytes)',
      ),
    );
    const noEof = bgzf.subarray(0, -28);
    await expect(collect(bgzfBlocks(chunked(noEof, [4096]), 'x.gz', { wholeObject: true }))).rejects.toThrow(
      TruncatedDataError,
    );
    const trailing = Buffer.concat([bgzf, Buffer.from('garbage after the end of the data')]);
    await expect(
      collect(bgzfBlocks(chunked(trailing, [4096]), 'x.gz', { wholeObject: true })),
    ).rejects.toThrow(
      new TrailingDataError(
        { key: 'x.gz', offset: bgzf.length },
        'bytes after the BGZF EOF block are not a BGZF block',
      ),
    );
    const concatenated = Buffer.concat([bgzf, bgzf]);
    const blocks = await collect(bgzfBlocks(chunked(concatenated, [9999]), 'x.gz', { wholeObject: true }));
    expect(sameBytes(Buffer.concat(blocks.map((block) => block.data)), Buffer.concat([data, data]))).toBe(
      true,
    );
  });

  it('orders virtual offsets by block, then by offset within the block', () => {
    const offsets = [
      { block: 2 ** 40, within: 0 },
      { block: 5, within: 65535 },
      { block: 5, within: 7 },
      { block: 0, within: 0 },
    ];
    expect([...offsets].sort(compareVirtualOffsets)).toEqual([...offsets].reverse());
  });
});
