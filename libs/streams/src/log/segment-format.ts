import { CorruptSegmentError } from '../errors.js';

/** The batches one flush writes for one partition, in arrival order. */
export interface SegmentPart {
  topicId: string;
  partition: number;
  batches: Uint8Array[];
}

/** Where one batch sits in a segment object. */
export interface BatchLocation {
  byteOffset: number;
  byteLength: number;
}

/** The index a segment carries at its end: for each part, where its batches are. */
export interface SegmentIndex {
  version: 1;
  parts: Array<{ topicId: string; partition: number; batches: BatchLocation[] }>;
}

const MAGIC = new TextEncoder().encode('ISEG');
/** Bytes before the first batch: magic, format version, 3 reserved bytes. */
export const SEGMENT_HEADER_BYTES = 8;
/** Bytes after the index: its length (uint32 BE) and the magic again. */
const TRAILER_BYTES = 8;

/**
 * Encodes one segment object: an 8-byte header (`ISEG`, version 1), the batches of every part back
 * to back (each part's batches contiguous, as the clients sent them, base offset untouched), then
 * the JSON index, its length (uint32 BE) and `ISEG`. Readers never need the index: partition heads
 * name the byte ranges, so a fetch is a ranged GET. The index serves recovery and sweeping.
 */
export function encodeSegment(parts: SegmentPart[]): { bytes: Uint8Array; index: SegmentIndex } {
  const index: SegmentIndex = { version: 1, parts: [] };
  let at = SEGMENT_HEADER_BYTES;
  for (const part of parts) {
    const batches = part.batches.map((batch) => {
      const location = { byteOffset: at, byteLength: batch.byteLength };
      at += batch.byteLength;
      return location;
    });
    index.parts.push({ topicId: part.topicId, partition: part.partition, batches });
  }
  const indexBytes = new TextEncoder().encode(JSON.stringify(index));
  const bytes = new Uint8Array(at + indexBytes.byteLength + TRAILER_BYTES);
  bytes.set(MAGIC, 0);
  bytes[4] = 1;
  let cursor = SEGMENT_HEADER_BYTES;
  for (const part of parts) {
    for (const batch of part.batches) {
      bytes.set(batch, cursor);
      cursor += batch.byteLength;
    }
  }
  bytes.set(indexBytes, cursor);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(cursor + indexBytes.byteLength, indexBytes.byteLength);
  bytes.set(MAGIC, bytes.byteLength - MAGIC.byteLength);
  return { bytes, index };
}

/** Reads the index of a whole segment object; `CorruptSegmentError` if it is not one. */
export function decodeSegmentIndex(key: string, bytes: Uint8Array): SegmentIndex {
  const fail = (why: string) => new CorruptSegmentError(`${key} is not a segment: ${why}`);
  if (bytes.byteLength < SEGMENT_HEADER_BYTES + TRAILER_BYTES) throw fail('too short');
  if (!hasMagicAt(bytes, 0) || !hasMagicAt(bytes, bytes.byteLength - MAGIC.byteLength))
    throw fail('no ISEG magic');
  if (bytes[4] !== 1) throw fail(`unknown format version ${bytes[4]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(bytes.byteLength - TRAILER_BYTES);
  const start = bytes.byteLength - TRAILER_BYTES - length;
  if (start < SEGMENT_HEADER_BYTES) throw fail('index length out of bounds');
  try {
    return JSON.parse(new TextDecoder().decode(bytes.subarray(start, start + length))) as SegmentIndex;
  } catch (error) {
    throw new CorruptSegmentError(`${key}: the segment index is not valid JSON`, { cause: error });
  }
}

function hasMagicAt(bytes: Uint8Array, at: number): boolean {
  return MAGIC.every((byte, i) => bytes[at + i] === byte);
}
