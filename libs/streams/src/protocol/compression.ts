import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { CorruptBatchError, UnsupportedCompressionError } from '../errors.js';
import { decodeLz4Frames, encodeLz4Frame } from './lz4-frame.js';

/** The compression codecs of a record batch, by the number in its attributes' low 3 bits. */
export const Compression = { None: 0, Gzip: 1, Snappy: 2, Lz4: 3, Zstd: 4 } as const;
/** One of `Compression`'s codec numbers. */
export type Compression = (typeof Compression)[keyof typeof Compression];

interface SnappyModule {
  compress(input: Uint8Array): Uint8Array;
  uncompress(input: Uint8Array): Uint8Array;
}
interface ZstdModule {
  init(): Promise<void>;
  compress(input: Uint8Array, level?: number): Uint8Array;
  decompress(input: Uint8Array): Uint8Array;
}

const require = createRequire(import.meta.url);
const snappy = require('snappyjs') as SnappyModule;
let zstdReady: Promise<ZstdModule> | undefined;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The zstd wasm module, instantiated once on first use. */
function zstd(): Promise<ZstdModule> {
  zstdReady ??= (async () => {
    const module = require('@bokuweb/zstd-wasm') as ZstdModule;
    await module.init();
    return module;
  })();
  return zstdReady;
}

/** The zstd level Kafka's producers use by default. */
const ZSTD_LEVEL = 3;
/** Magic of the xerial snappy-java framing: 0x82 "SNAPPY" 0, then version 1 and compatible version 1. */
const XERIAL_MAGIC = Uint8Array.of(0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00);
const XERIAL_HEADER_LENGTH = 16;
/** Uncompressed bytes per xerial chunk, as snappy-java's default block size. */
const XERIAL_CHUNK = 32 * 1024;

/**
 * Compresses the records section of a batch with codec `type` (gzip, snappy in the xerial framing
 * Java clients write, the LZ4 frame format with independent 64 KiB blocks, zstd level 3); `None`
 * returns the bytes as they are.
 * Throws `UnsupportedCompressionError` for any other codec number.
 */
export async function compress(type: number, bytes: Uint8Array): Promise<Uint8Array> {
  switch (type) {
    case Compression.None:
      return bytes;
    case Compression.Gzip:
      return plain(await gzipAsync(bytes));
    case Compression.Snappy:
      return xerialFrame(bytes);
    case Compression.Lz4:
      return encodeLz4Frame(bytes);
    case Compression.Zstd:
      return plain((await zstd()).compress(bytes, ZSTD_LEVEL));
    default:
      throw new UnsupportedCompressionError(`compression codec ${type} is not supported`);
  }
}

/**
 * Decompresses the records section of a batch written with codec `type`: gzip, snappy (raw, as
 * librdkafka writes it, or xerial-framed, as Java clients do), LZ4 frames, zstd. Throws
 * `UnsupportedCompressionError` for an unknown codec and `CorruptBatchError` for bytes the codec
 * rejects.
 */
export async function decompress(type: number, bytes: Uint8Array): Promise<Uint8Array> {
  try {
    switch (type) {
      case Compression.None:
        return bytes;
      case Compression.Gzip:
        return plain(await gunzipAsync(bytes));
      case Compression.Snappy:
        return isXerialFramed(bytes) ? xerialUnframe(bytes) : plain(snappy.uncompress(bytes));
      case Compression.Lz4:
        return decodeLz4Frames(bytes);
      case Compression.Zstd:
        return plain((await zstd()).decompress(bytes));
    }
  } catch (error) {
    throw new CorruptBatchError(`records do not decompress with codec ${type}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  throw new UnsupportedCompressionError(`compression codec ${type} is not supported`);
}

function isXerialFramed(bytes: Uint8Array): boolean {
  return bytes.length >= XERIAL_HEADER_LENGTH && XERIAL_MAGIC.every((byte, i) => bytes[i] === byte);
}

/** Snappy-java's stream framing: the 16-byte header, then chunks of int32 length + raw snappy block. */
function xerialFrame(bytes: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += XERIAL_CHUNK) {
    chunks.push(snappy.compress(bytes.subarray(at, at + XERIAL_CHUNK)));
  }
  const total = XERIAL_HEADER_LENGTH + chunks.reduce((sum, chunk) => sum + 4 + chunk.length, 0);
  const framed = new Uint8Array(total);
  const view = new DataView(framed.buffer);
  framed.set(XERIAL_MAGIC);
  view.setInt32(8, 1);
  view.setInt32(12, 1);
  let at = XERIAL_HEADER_LENGTH;
  for (const chunk of chunks) {
    view.setInt32(at, chunk.length);
    framed.set(chunk, at + 4);
    at += 4 + chunk.length;
  }
  return framed;
}

function xerialUnframe(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: Uint8Array[] = [];
  let at = XERIAL_HEADER_LENGTH;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw new RangeError('truncated xerial chunk length');
    const size = view.getInt32(at);
    if (size < 0 || at + 4 + size > bytes.length) throw new RangeError('truncated xerial chunk');
    blocks.push(snappy.uncompress(bytes.subarray(at + 4, at + 4 + size)));
    at += 4 + size;
  }
  return plain(Buffer.concat(blocks));
}

/** The same bytes as a plain `Uint8Array` (codecs return Node Buffers, which compare unequal). */
function plain(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
