import { ArithmeticDecoder } from './arithmetic-decoder.js';
import { ArithmeticEncoder } from './arithmetic-encoder.js';
import { IntegerCodec } from './integer-codec.js';

/** One compressed chunk as the LAZ chunk table lists it. */
export interface LazChunkEntry {
  /** Compressed bytes of the chunk. */
  bytes: number;
  /** Points in it (listed only by tables of variable-size chunks). */
  points?: number;
}

/** The chunk table's header: version 0 and the number of chunks (two little-endian uint32). */
export const CHUNK_TABLE_HEADER_BYTES = 8;

/** At most this many coded bytes per chunk entry (two 32-bit values), to size reads of a table. */
export const MAX_CHUNK_ENTRY_BYTES = 12;

/**
 * Decodes the coded entries of a LAZ chunk table (what follows its 8-byte header): each chunk's
 * compressed size, and, for variable-size chunks, its point count. Both are coded as differences
 * to the previous chunk's (LASzip's integer compressor, two contexts). Returns `undefined` when
 * the bytes end before the last entry (a truncated table).
 */
export function decodeChunkEntries(
  coded: Uint8Array,
  chunks: number,
  variable: boolean,
): LazChunkEntry[] | undefined {
  if (chunks === 0) return [];
  const decoder = new ArithmeticDecoder(coded);
  const codec = new IntegerCodec(2);
  const entries: LazChunkEntry[] = [];
  let points = 0;
  let bytes = 0;
  for (let i = 0; i < chunks; i++) {
    if (variable) points = codec.decode(decoder, points, 0);
    bytes = codec.decode(decoder, bytes, 1);
    entries.push(variable ? { bytes, points } : { bytes });
  }
  return decoder.overrun ? undefined : entries;
}

/** A whole LAZ chunk table (header and coded entries) listing `entries`. */
export function encodeChunkTable(entries: LazChunkEntry[], variable: boolean): Uint8Array {
  const header = new Uint8Array(CHUNK_TABLE_HEADER_BYTES);
  new DataView(header.buffer).setUint32(4, entries.length, true);
  if (entries.length === 0) return header;
  const encoder = new ArithmeticEncoder();
  const codec = new IntegerCodec(2);
  let points = 0;
  let bytes = 0;
  for (const entry of entries) {
    if (variable) {
      codec.encode(encoder, points, entry.points ?? 0, 0);
      points = entry.points ?? 0;
    }
    codec.encode(encoder, bytes, entry.bytes, 1);
    bytes = entry.bytes;
  }
  const coded = encoder.finish();
  const table = new Uint8Array(header.length + coded.length);
  table.set(header);
  table.set(coded, header.length);
  return table;
}
