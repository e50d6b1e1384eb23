import { createRequire } from 'node:module';

/*
 * The LZ4 frame format (the lz4 project's lz4_Frame_format.md), which Kafka uses for
 * LZ4-compressed record batches: magic 0x184D2204, a descriptor (FLG, BD, optional content size
 * and dictionary id, header checksum), data blocks (int32 LE size, high bit = stored uncompressed,
 * optional block checksum after the data) up to a zero end mark, an optional content checksum.
 * Checksums are skipped, not verified: the record batch's CRC-32C already covers these bytes.
 * Blocks may be linked (a match may reach into earlier blocks), so all decode into one buffer.
 * Frames are written as Kafka's Java producer writes them: independent 64 KiB blocks, no
 * checksums (Java's reader decodes each block on its own, so linked blocks would not read there);
 * the block compressor is lz4js's.
 */
const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const MIN_MATCH = 4;
const UNCOMPRESSED_BIT = 0x80000000;
/** FLG: version 1, independent blocks, no checksums, no content size. */
const WRITTEN_FLAGS = 0x60;
/** BD: 64 KiB maximum block size. */
const WRITTEN_BLOCK_DESCRIPTOR = 0x40;
const WRITTEN_BLOCK_SIZE = 64 * 1024;
/** lz4js's hash table: 2^16 slots. */
const HASH_TABLE_SLOTS = 1 << 16;

interface Lz4js {
  compressBlock(
    source: Uint8Array,
    target: Uint8Array,
    at: number,
    length: number,
    hashTable: Uint32Array,
  ): number;
  compressBound(length: number): number;
}
const require = createRequire(import.meta.url);
const lz4js = require('lz4js') as Lz4js;
const xxh32 = require('lz4js/xxh32.js') as {
  hash(seed: number, bytes: Uint8Array, at: number, length: number): number;
};
/** The frame descriptor's checksum byte: the second byte of the xxHash32 of FLG and BD. */
const WRITTEN_HEADER_CHECKSUM =
  (xxh32.hash(0, Uint8Array.of(WRITTEN_FLAGS, WRITTEN_BLOCK_DESCRIPTOR), 0, 2) >> 8) & 0xff;

/** Encodes `input` as one LZ4 frame of independent 64 KiB blocks (stored raw where they do not shrink). */
export function encodeLz4Frame(input: Uint8Array): Uint8Array {
  const blockCount = Math.ceil(input.length / WRITTEN_BLOCK_SIZE);
  const output = new Uint8Array(7 + blockCount * (4 + lz4js.compressBound(WRITTEN_BLOCK_SIZE)) + 4);
  const view = new DataView(output.buffer);
  view.setUint32(0, FRAME_MAGIC, true);
  output.set([WRITTEN_FLAGS, WRITTEN_BLOCK_DESCRIPTOR, WRITTEN_HEADER_CHECKSUM], 4);
  const hashTable = new Uint32Array(HASH_TABLE_SLOTS);
  const scratch = new Uint8Array(lz4js.compressBound(WRITTEN_BLOCK_SIZE));
  let at = 7;
  for (let from = 0; from < input.length; from += WRITTEN_BLOCK_SIZE) {
    const length = Math.min(WRITTEN_BLOCK_SIZE, input.length - from);
    hashTable.fill(0); // no match may reach into an earlier block
    const packed = lz4js.compressBlock(input, scratch, from, length, hashTable);
    if (packed > 0 && packed < length) {
      view.setUint32(at, packed, true);
      output.set(scratch.subarray(0, packed), at + 4);
      at += 4 + packed;
    } else {
      view.setUint32(at, (length | UNCOMPRESSED_BIT) >>> 0, true);
      output.set(input.subarray(from, from + length), at + 4);
      at += 4 + length;
    }
  }
  view.setUint32(at, 0, true); // end mark
  return output.subarray(0, at + 4);
}

/** Decodes one or more concatenated LZ4 frames; throws `RangeError` on malformed input. */
export function decodeLz4Frames(input: Uint8Array): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const output = new GrowableBytes();
  let at = 0;
  do {
    need(input, at, 4);
    const magic = view.getUint32(at, true);
    if ((magic & SKIPPABLE_MAGIC_MASK) === SKIPPABLE_MAGIC) {
      need(input, at, 8);
      at += 8 + view.getUint32(at + 4, true);
      continue;
    }
    if (magic !== FRAME_MAGIC) throw new RangeError(`not an LZ4 frame (magic ${magic.toString(16)})`);
    at = decodeFrame(input, view, at + 4, output);
  } while (at < input.length);
  return output.finish();
}

function need(input: Uint8Array, at: number, size: number): void {
  if (at + size > input.length) throw new RangeError(`LZ4 frame truncated at byte ${at}`);
}

function decodeFrame(input: Uint8Array, view: DataView, start: number, output: GrowableBytes): number {
  need(input, start, 3);
  const flags = input[start] as number;
  if (flags >> 6 !== 1) throw new RangeError(`LZ4 frame version ${flags >> 6} is not 1`);
  const blockChecksums = (flags & 0x10) !== 0;
  const contentSize = (flags & 0x08) !== 0;
  const contentChecksum = (flags & 0x04) !== 0;
  const dictionaryId = (flags & 0x01) !== 0;
  const blockMaxSize = 1 << (2 * (((input[start + 1] as number) >> 4) & 0x07) + 8);
  let at = start + 2 + (contentSize ? 8 : 0) + (dictionaryId ? 4 : 0) + 1; // + header checksum
  for (;;) {
    need(input, at, 4);
    const word = view.getUint32(at, true);
    at += 4;
    if (word === 0) break;
    const size = word & ~UNCOMPRESSED_BIT;
    if (size > blockMaxSize)
      throw new RangeError(`LZ4 block of ${size} bytes exceeds the frame's ${blockMaxSize}`);
    need(input, at, size);
    if (word & UNCOMPRESSED_BIT) output.append(input.subarray(at, at + size));
    else decodeBlock(input, at, at + size, output, blockMaxSize);
    at += size + (blockChecksums ? 4 : 0);
  }
  return at + (contentChecksum ? 4 : 0);
}

/** Decodes one LZ4 block (sequences of literals and matches) from `input[at, end)` onto `output`. */
function decodeBlock(
  input: Uint8Array,
  at: number,
  end: number,
  output: GrowableBytes,
  blockMaxSize: number,
): void {
  const limit = output.length + blockMaxSize;
  output.reserve(Math.min(blockMaxSize, (end - at) * 255 + 16));
  const lengthAt = (initial: number): number => {
    let length = initial;
    if (initial === 15) {
      let byte: number;
      do {
        if (at >= end) throw new RangeError('LZ4 length runs past its block');
        byte = input[at++] as number;
        length += byte;
      } while (byte === 255);
    }
    return length;
  };
  while (at < end) {
    const token = input[at++] as number;
    const literals = lengthAt(token >> 4);
    if (at + literals > end) throw new RangeError('LZ4 literals run past their block');
    output.append(input.subarray(at, at + literals));
    at += literals;
    if (at >= end) break; // the last sequence has literals only
    if (at + 2 > end) throw new RangeError('LZ4 match offset runs past its block');
    const offset = (input[at] as number) | ((input[at + 1] as number) << 8);
    at += 2;
    const length = lengthAt(token & 0x0f) + MIN_MATCH;
    if (offset === 0 || offset > output.length)
      throw new RangeError(`LZ4 match offset ${offset} out of range`);
    if (output.length + length > limit) throw new RangeError('LZ4 block decodes past its maximum size');
    output.copyWithin(offset, length);
  }
}

/** A byte buffer that grows by doubling. */
class GrowableBytes {
  private bytes = new Uint8Array(1024);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.length + extra, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  append(chunk: Uint8Array): void {
    this.reserve(chunk.length);
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }

  /** Appends `length` bytes copied from `offset` bytes back; the ranges may overlap (runs repeat). */
  copyWithin(offset: number, length: number): void {
    this.reserve(length);
    const { bytes } = this;
    let from = this.length - offset;
    if (offset >= length) {
      bytes.copyWithin(this.length, from, from + length);
      this.length += length;
      return;
    }
    for (let i = 0; i < length; i++) bytes[this.length++] = bytes[from++] as number;
  }

  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
