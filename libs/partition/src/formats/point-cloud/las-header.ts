import { CorruptDataError, FormatMismatchError, TruncatedDataError } from '../../errors.js';

/** The LAS public header block's size in LAS 1.0–1.2 (1.3 adds 8 bytes, 1.4 adds 140 more). */
const MIN_HEADER_BYTES = 227;
/** Bytes of a VLR's header (user id, record id, length, description). */
export const VLR_HEADER_BYTES = 54;
/** Bit 7 (and the older bit 6) of the point format byte mark LAZ-compressed points. */
const COMPRESSION_BITS = 0xc0;

/** Bytes of the fields every record of each point format 0–10 has (more bytes are extra bytes). */
export const POINT_FORMAT_BYTES = [20, 28, 26, 34, 57, 63, 30, 36, 38, 59, 67] as const;

/**
 * What a reader needs of a LAS/LAZ header, as JSON (it travels in indexes and partitions).
 * `bounds` is `[minX, minY, minZ, maxX, maxY, maxZ]` as the header states it.
 */
export type LasLayout = {
  versionMinor: number;
  headerSize: number;
  pointDataOffset: number;
  vlrCount: number;
  /** The point data record format (0–10), without the compression bits. */
  pointFormat: number;
  recordLength: number;
  pointCount: number;
  scale: number[];
  offset: number[];
  bounds: number[];
  compressed: boolean;
  /** Where the extended VLRs start (LAS 1.4; 0 when there are none). */
  evlrStart: number;
  evlrCount: number;
};

/** A variable-length record of the header area. */
export interface Vlr {
  userId: string;
  recordId: number;
  /** Where the record (its 54-byte header) starts. */
  start: number;
  /** Bytes of its payload, which follows the header. */
  length: number;
}

/** Whether bytes start with the LAS signature `LASF`. */
export function hasLasSignature(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x4c && head[1] === 0x41 && head[2] === 0x53 && head[3] === 0x46;
}

/** Whether the point format byte of a LAS header marks compressed (LAZ) points. */
export function isCompressedHead(head: Uint8Array): boolean {
  return head.length > 104 && (head[104]! & COMPRESSION_BITS) !== 0;
}

/** A view of a byte array, for little-endian field reads. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Parses the public header block (LAS 1.0–1.4) from the first bytes of an object (at least the
 * header itself). Fails with `FormatMismatchError` without the `LASF` signature, with
 * `CorruptDataError` for impossible values.
 */
export function parseLasHeader(bytes: Uint8Array, key: string): LasLayout {
  if (!hasLasSignature(bytes)) throw new FormatMismatchError({ key, offset: 0 }, 'no LASF signature');
  if (bytes.length < MIN_HEADER_BYTES) {
    throw new TruncatedDataError({ key, offset: bytes.length }, 'the LAS header is cut short');
  }
  const view = viewOf(bytes);
  const versionMinor = bytes[25]!;
  const headerSize = view.getUint16(94, true);
  const pointFormat = bytes[104]! & ~COMPRESSION_BITS;
  const recordLength = view.getUint16(105, true);
  if (bytes[24] !== 1 || headerSize < MIN_HEADER_BYTES || bytes.length < headerSize) {
    throw new CorruptDataError({ key, offset: 24 }, `unsupported LAS version or header size ${headerSize}`);
  }
  if (pointFormat > 10 || recordLength < POINT_FORMAT_BYTES[pointFormat as 0]) {
    throw new CorruptDataError(
      { key, offset: 104 },
      `point format ${pointFormat} with records of ${recordLength} bytes is not LAS`,
    );
  }
  const isLas14 = versionMinor >= 4 && headerSize >= 375;
  const pointCount = isLas14 ? Number(view.getBigUint64(247, true)) : view.getUint32(107, true);
  const doubles = (at: number, n: number) =>
    Array.from({ length: n }, (_, i) => view.getFloat64(at + 8 * i, true));
  const [maxX, minX, maxY, minY, maxZ, minZ] = doubles(179, 6) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    versionMinor,
    headerSize,
    pointDataOffset: view.getUint32(96, true),
    vlrCount: view.getUint32(100, true),
    pointFormat,
    recordLength,
    pointCount: isLas14 && pointCount === 0 ? view.getUint32(107, true) : pointCount,
    scale: doubles(131, 3),
    offset: doubles(155, 3),
    bounds: [minX, minY, minZ, maxX, maxY, maxZ],
    compressed: (bytes[104]! & COMPRESSION_BITS) !== 0,
    evlrStart: isLas14 ? Number(view.getBigUint64(235, true)) : 0,
    evlrCount: isLas14 ? view.getUint32(243, true) : 0,
  };
}

/** The VLRs between the header and the point data (`bytes` from offset 0 to the point data). */
export function parseVlrs(bytes: Uint8Array, layout: LasLayout, key: string): Vlr[] {
  const view = viewOf(bytes);
  const vlrs: Vlr[] = [];
  let start = layout.headerSize;
  for (let i = 0; i < layout.vlrCount; i++) {
    if (start + VLR_HEADER_BYTES > layout.pointDataOffset) {
      throw new CorruptDataError({ key, offset: start }, `VLR ${i} runs into the point data`);
    }
    const length = view.getUint16(start + 20, true);
    vlrs.push({
      userId: asciiField(bytes, start + 2, 16),
      recordId: view.getUint16(start + 18, true),
      start,
      length,
    });
    start += VLR_HEADER_BYTES + length;
  }
  if (start > layout.pointDataOffset) {
    throw new CorruptDataError({ key, offset: start }, 'the VLRs run into the point data');
  }
  return vlrs;
}

/** A NUL-padded ASCII field. */
export function asciiField(bytes: Uint8Array, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const end = field.indexOf(0);
  return new TextDecoder('latin1').decode(end < 0 ? field : field.subarray(0, end));
}
