import { createHash } from 'node:crypto';
import { Vocabulary } from './vocabulary.js';

/** A word-vector model as the embedder uses it: views into one cache file's bytes. */
export interface WordVectorModel {
  /** The length of every vector. */
  readonly dimension: number;
  /** The words, row by row in frequency order (row 0 is the most frequent). */
  readonly vocabulary: Vocabulary;
  /** Row `r`'s vector is `vectors[r·dimension + d] · scales[r]` for d < dimension. */
  readonly vectors: Int8Array;
  /** Each row's quantisation step: its largest absolute value / 127. */
  readonly scales: Float32Array;
  /** The unit vector SIF removes from passage vectors (see `commonDirection`). */
  readonly commonDirection: Float32Array;
  /** Size in bytes of the JSON the cache was converted from (tells a stale cache). */
  readonly sourceBytes: number;
}

/** The cache file's first bytes. */
const CACHE_MAGIC = 'ISTHWVEC';
/** The cache layout's version; a file of another version is converted again. */
const CACHE_VERSION = 1;

// Header (little endian): magic[8] version:u32 dimension:u32 count:u32 slotCount:u32 unitCount:u32
// padding:u32 sourceBytes:f64 sha256(payload)[32]; then the payload, each section 4-byte aligned:
// commonDirection:f32[dimension] scales:f32[count] offsets:u32[count+1] slots:u32[slotCount]
// units:u16[unitCount] (padded to 4 bytes) vectors:i8[count·dimension].
const HEADER_BYTES = 72;
const DIGEST_AT = 40;

interface Layout {
  commonDirection: number;
  scales: number;
  offsets: number;
  slots: number;
  units: number;
  vectors: number;
  total: number;
}

function layout(dimension: number, count: number, slotCount: number, unitCount: number): Layout {
  const commonDirection = HEADER_BYTES;
  const scales = commonDirection + 4 * dimension;
  const offsets = scales + 4 * count;
  const slots = offsets + 4 * (count + 1);
  const units = slots + 4 * slotCount;
  const vectors = units + 4 * Math.ceil(unitCount / 2);
  return { commonDirection, scales, offsets, slots, units, vectors, total: vectors + count * dimension };
}

/** Lays a model out as cache file bytes, header and checksum included. */
export function encodeCache(model: WordVectorModel): Uint8Array {
  const { dimension, vocabulary } = model;
  const count = vocabulary.size;
  const at = layout(dimension, count, vocabulary.slots.length, vocabulary.units.length);
  const bytes = new Uint8Array(at.total);
  const header = new DataView(bytes.buffer);
  bytes.set(Buffer.from(CACHE_MAGIC, 'ascii'));
  header.setUint32(8, CACHE_VERSION, true);
  header.setUint32(12, dimension, true);
  header.setUint32(16, count, true);
  header.setUint32(20, vocabulary.slots.length, true);
  header.setUint32(24, vocabulary.units.length, true);
  header.setFloat64(32, model.sourceBytes, true);
  const put = (offset: number, section: ArrayBufferView) =>
    bytes.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), offset);
  put(at.commonDirection, model.commonDirection);
  put(at.scales, model.scales);
  put(at.offsets, vocabulary.offsets);
  put(at.slots, vocabulary.slots);
  put(at.units, vocabulary.units);
  put(at.vectors, model.vectors);
  bytes.set(digest(bytes), DIGEST_AT);
  return bytes;
}

/** What reading a cache file gave: the model, or why the bytes are not a usable cache. */
export type DecodedCache = { model: WordVectorModel } | { problem: string };

/**
 * Reads cache file bytes back into a model (views, no copies when the bytes are 8-byte aligned),
 * after checking the magic, the version, the length the header implies (a truncated file) and the
 * SHA-256 of the payload (a corrupt one).
 */
export function decodeCache(file: Uint8Array): DecodedCache {
  if (file.length < HEADER_BYTES || Buffer.from(file.subarray(0, 8)).toString('latin1') !== CACHE_MAGIC) {
    return { problem: 'it is not a word-vector cache (no magic number)' };
  }
  const bytes = file.byteOffset % 8 === 0 ? file : file.slice();
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const version = header.getUint32(8, true);
  if (version !== CACHE_VERSION) return { problem: `it has layout version ${version}, not ${CACHE_VERSION}` };
  const dimension = header.getUint32(12, true);
  const count = header.getUint32(16, true);
  const slotCount = header.getUint32(20, true);
  const unitCount = header.getUint32(24, true);
  const at = layout(dimension, count, slotCount, unitCount);
  if (bytes.length !== at.total) {
    return { problem: `it has ${bytes.length} bytes where its header implies ${at.total} (truncated?)` };
  }
  if (!Buffer.from(digest(bytes)).equals(bytes.subarray(DIGEST_AT, HEADER_BYTES))) {
    return { problem: 'its checksum does not match its contents (corrupt)' };
  }
  const view = <T>(
    Type: new (buffer: ArrayBufferLike, offset: number, length: number) => T,
    offset: number,
    length: number,
  ) => new Type(bytes.buffer, bytes.byteOffset + offset, length);
  return {
    model: {
      dimension,
      vocabulary: new Vocabulary(
        view(Uint16Array, at.units, unitCount),
        view(Uint32Array, at.offsets, count + 1),
        view(Uint32Array, at.slots, slotCount),
      ),
      vectors: view(Int8Array, at.vectors, count * dimension),
      scales: view(Float32Array, at.scales, count),
      commonDirection: view(Float32Array, at.commonDirection, dimension),
      sourceBytes: header.getFloat64(32, true),
    },
  };
}

function digest(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes.subarray(HEADER_BYTES)).digest();
}
