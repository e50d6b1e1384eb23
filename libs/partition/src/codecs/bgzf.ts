import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { CorruptDataError, TruncatedDataError } from '../errors.js';

/**
 * A BGZF virtual offset kept as two numbers (a 64-bit `coffset << 16 | uoffset` does not fit a JS
 * number): `block` is the compressed offset of a block, `within` the offset in its inflated data.
 * Plain (uncompressed) data uses `within = 0` and the byte offset as `block`.
 */
export interface VirtualOffset {
  block: number;
  within: number;
}

/** Orders virtual offsets: negative when `a` comes first. */
export function compareVirtualOffsets(a: VirtualOffset, b: VirtualOffset): number {
  return a.block - b.block || a.within - b.within;
}

/** The 28-byte empty block that ends every BGZF file (SAM/BAM specification, 4.1.2). */
export const BGZF_EOF_BLOCK = Uint8Array.from(
  Buffer.from('1f8b08040000000000ff0600424302001b0003000000000000000000', 'hex'),
);

/** Bytes of data per written block (as htslib writes them: room for incompressible data). */
const BGZF_WRITE_BLOCK = 0xff00;

/** The fixed part of a block header (up to XLEN) and the footer (CRC32, ISIZE). */
const HEADER_FIXED = 12;
const FOOTER = 8;

/** Whether the bytes at `at` start a gzip member with the BGZF extra field (looks at up to 18 bytes). */
export function isBgzfBlockStart(bytes: Uint8Array, at = 0): boolean {
  return (
    bytes.length - at >= 18 &&
    bytes[at] === 0x1f &&
    bytes[at + 1] === 0x8b &&
    bytes[at + 2] === 8 &&
    (bytes[at + 3]! & 4) !== 0 &&
    bgzfExtraBlockSize(bytes, at) !== undefined
  );
}

function bgzfExtraBlockSize(bytes: Uint8Array, at: number): number | undefined {
  const extraLength = bytes[at + 10]! | (bytes[at + 11]! << 8);
  let field = at + HEADER_FIXED;
  const end = Math.min(bytes.length, field + extraLength);
  while (field + 4 <= end) {
    const length = bytes[field + 2]! | (bytes[field + 3]! << 8);
    if (bytes[field] === 66 && bytes[field + 1] === 67 && length === 2 && field + 6 <= end) {
      return (bytes[field + 4]! | (bytes[field + 5]! << 8)) + 1;
    }
    field += 4 + length;
  }
  return undefined;
}

/**
 * The total size of the block starting at `at` of `bytes` (BSIZE + 1, from the `BC` extra field),
 * or undefined when fewer than its 18 header bytes are there. `CorruptDataError` (naming `key` and
 * the block's offset `fileOffset`) when the bytes are not a BGZF block header.
 */
export function bgzfBlockSize(
  bytes: Uint8Array,
  at: number,
  key: string,
  fileOffset: number,
): number | undefined {
  if (bytes.length - at < 18) return undefined;
  if (!(bytes[at] === 0x1f && bytes[at + 1] === 0x8b && bytes[at + 2] === 8 && (bytes[at + 3]! & 4) !== 0)) {
    throw new CorruptDataError(
      { key, offset: fileOffset },
      'not a BGZF block (no gzip header with extra field)',
    );
  }
  const size = bgzfExtraBlockSize(bytes, at);
  if (size === undefined) {
    throw new CorruptDataError({ key, offset: fileOffset }, 'gzip member without the BGZF BC extra field');
  }
  const extraLength = bytes[at + 10]! | (bytes[at + 11]! << 8);
  if (size < HEADER_FIXED + extraLength + FOOTER) {
    throw new CorruptDataError({ key, offset: fileOffset }, `BGZF block size ${size} is too small`);
  }
  return size;
}

/**
 * Inflates one whole BGZF block (`block` holds exactly its bytes) with native zlib, checking the
 * CRC32 and ISIZE of its footer; `CorruptDataError` at `fileOffset` of `key` when they disagree or
 * the deflate data is bad.
 */
export function inflateBgzfBlock(block: Uint8Array, key: string, fileOffset: number): Uint8Array {
  const extraLength = block[10]! | (block[11]! << 8);
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const expectedCrc = view.getUint32(block.length - FOOTER, true);
  const expectedSize = view.getUint32(block.length - 4, true);
  let data: Uint8Array;
  try {
    data = inflateRawSync(block.subarray(HEADER_FIXED + extraLength, block.length - FOOTER));
  } catch (error) {
    throw new CorruptDataError({ key, offset: fileOffset }, `BGZF block does not inflate: ${error}`, {
      cause: error,
    });
  }
  if (data.length !== expectedSize) {
    throw new CorruptDataError(
      { key, offset: fileOffset },
      `BGZF block inflates to ${data.length} bytes, its footer says ${expectedSize}`,
    );
  }
  if (crc32(data) !== expectedCrc) {
    throw new CorruptDataError({ key, offset: fileOffset }, 'BGZF block fails its CRC32 check');
  }
  return data;
}

/**
 * Inflates the whole blocks of `bytes` (which must start at a block), or only the data before
 * `end` (a virtual offset relative to `bytes[0]`); `TruncatedDataError` when a block is cut.
 */
export function inflateBgzf(bytes: Uint8Array, key: string, end?: VirtualOffset): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length && (end === undefined || at <= end.block)) {
    const size = bgzfBlockSize(bytes, at, key, at);
    if (size === undefined || at + size > bytes.length) {
      throw new TruncatedDataError({ key, offset: at }, 'the data ends inside a BGZF block');
    }
    const data = inflateBgzfBlock(bytes.subarray(at, at + size), key, at);
    parts.push(at === end?.block ? data.subarray(0, end.within) : data);
    at += size;
  }
  return Buffer.concat(parts);
}

/** Compresses data into BGZF blocks with native deflate, optionally followed by the EOF block. */
export function compressBgzf(data: Uint8Array, options: { eof?: boolean } = {}): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += BGZF_WRITE_BLOCK) {
    blocks.push(bgzfBlock(data.subarray(at, at + BGZF_WRITE_BLOCK)));
  }
  if (options.eof ?? true) blocks.push(BGZF_EOF_BLOCK);
  return Buffer.concat(blocks);
}

function bgzfBlock(data: Uint8Array): Uint8Array {
  const deflated = deflateRawSync(data);
  const size = 18 + deflated.length + FOOTER;
  const block = Buffer.alloc(size);
  block.set([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 66, 67, 2, 0]);
  block.writeUInt16LE(size - 1, 16);
  block.set(deflated, 18);
  block.writeUInt32LE(crc32(data), size - FOOTER);
  block.writeUInt32LE(data.length, size - 4);
  return block;
}

/** The inflated bytes of BGZF data, or the bytes themselves when they are not BGZF. */
export function inflateIfBgzf(bytes: Uint8Array, key: string): Uint8Array {
  return isBgzfBlockStart(bytes) ? inflateBgzf(bytes, key) : bytes;
}

/** The inflated first block of a probe's head, if the head starts with a whole, valid BGZF block. */
export function inflateFirstBgzfBlock(head: Uint8Array): Uint8Array | undefined {
  if (!isBgzfBlockStart(head)) return undefined;
  try {
    const size = bgzfBlockSize(head, 0, '', 0)!;
    return size <= head.length ? inflateBgzfBlock(head.subarray(0, size), '', 0) : undefined;
  } catch {
    return undefined;
  }
}
