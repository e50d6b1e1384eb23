import { CorruptDataError, FormatMismatchError } from '../../errors.js';
import type { LoadedBytes } from './loaded-bytes.js';
import { FIELD_TYPE, FIELD_TYPE_SIZE } from './tiff-tags.js';

/** The 8-byte (classic) or 16-byte (BigTIFF) TIFF header. */
export interface TiffHeader {
  littleEndian: boolean;
  bigTiff: boolean;
  /** Offset of the first IFD. */
  firstIfd: number;
}

/** One field of an IFD: ASCII as a string, every other type as numbers. */
export type TiffValue = number[] | string;

/** One image file directory: its fields and where its structures lie in the file. */
export interface TiffDirectory {
  /** Where the IFD starts. */
  offset: number;
  /** Field values by tag. */
  fields: Map<number, TiffValue>;
  /** Offset of the next IFD (0 for the last one). */
  next: number;
  /** The end of the furthest byte of this IFD and of the values it points to. */
  end: number;
}

/** Most IFDs a file may chain (a guard against loops and garbage). */
const MAX_DIRECTORIES = 4096;

/** Whether bytes start like a TIFF: `II*\0`, `MM\0*` (classic) or `II+\0`, `MM\0+` (BigTIFF). */
export function hasTiffMagic(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const order = String.fromCharCode(head[0]!, head[1]!);
  if (order === 'II') return head[3] === 0 && (head[2] === 42 || head[2] === 43);
  if (order === 'MM') return head[2] === 0 && (head[3] === 42 || head[3] === 43);
  return false;
}

/** Reads the header; `FormatMismatchError` when the bytes are not a TIFF. */
export function parseTiffHeader(bytes: LoadedBytes, key: string): TiffHeader {
  const order = bytes.view(0, 2).getUint16(0, false);
  if (order !== 0x4949 && order !== 0x4d4d) {
    throw new FormatMismatchError({ key, offset: 0 }, 'not a TIFF: no II or MM byte order mark');
  }
  const littleEndian = order === 0x4949;
  const magic = bytes.view(2, 2).getUint16(0, littleEndian);
  if (magic === 42)
    return { littleEndian, bigTiff: false, firstIfd: bytes.view(4, 4).getUint32(0, littleEndian) };
  if (magic !== 43) throw new FormatMismatchError({ key, offset: 2 }, `not a TIFF: magic number ${magic}`);
  const head = bytes.view(4, 12);
  if (head.getUint16(0, littleEndian) !== 8) {
    throw new CorruptDataError({ key, offset: 4 }, 'BigTIFF offsets must be 8 bytes wide');
  }
  return { littleEndian, bigTiff: true, firstIfd: uint64(head, 4, littleEndian, key, 8) };
}

/**
 * Every IFD of the chain, in file order. Throws `NeedBytes` for bytes not loaded yet, and
 * `CorruptDataError` for a looping or malformed chain.
 */
export function parseTiffDirectories(bytes: LoadedBytes, header: TiffHeader, key: string): TiffDirectory[] {
  const directories: TiffDirectory[] = [];
  const seen = new Set<number>();
  for (let offset = header.firstIfd; offset !== 0; offset = directories.at(-1)!.next) {
    if (seen.has(offset) || directories.length >= MAX_DIRECTORIES) {
      throw new CorruptDataError({ key, offset }, 'the IFD chain loops or is implausibly long');
    }
    seen.add(offset);
    directories.push(parseDirectory(bytes, header, key, offset));
  }
  return directories;
}

function parseDirectory(bytes: LoadedBytes, header: TiffHeader, key: string, offset: number): TiffDirectory {
  const { littleEndian, bigTiff } = header;
  const countSize = bigTiff ? 8 : 2;
  const entrySize = bigTiff ? 20 : 12;
  const pointerSize = bigTiff ? 8 : 4;
  const countView = bytes.view(offset, countSize);
  const count = bigTiff
    ? uint64(countView, 0, littleEndian, key, offset)
    : countView.getUint16(0, littleEndian);
  if (count === 0) throw new CorruptDataError({ key, offset }, 'an IFD with no entries');
  const entriesEnd = offset + countSize + count * entrySize;
  const entries = bytes.view(offset + countSize, count * entrySize + pointerSize);
  const fields = new Map<number, TiffValue>();
  let end = entriesEnd + pointerSize;
  for (let i = 0; i < count; i++) {
    const at = i * entrySize;
    const tag = entries.getUint16(at, littleEndian);
    const type = entries.getUint16(at + 2, littleEndian);
    const size = FIELD_TYPE_SIZE[type];
    if (size === undefined) continue;
    const valueCount = bigTiff
      ? uint64(entries, at + 4, littleEndian, key, offset)
      : entries.getUint32(at + 4, littleEndian);
    const byteLength = valueCount * size;
    let valueView: DataView;
    if (byteLength <= pointerSize) {
      valueView = new DataView(entries.buffer, entries.byteOffset + at + 4 + (bigTiff ? 8 : 4), byteLength);
    } else {
      const valueOffset = bigTiff
        ? uint64(entries, at + 12, littleEndian, key, offset)
        : entries.getUint32(at + 8, littleEndian);
      valueView = bytes.view(valueOffset, byteLength);
      end = Math.max(end, valueOffset + byteLength);
    }
    fields.set(tag, decodeValues(valueView, type, valueCount, littleEndian, key, offset));
  }
  const next = bigTiff
    ? uint64(entries, count * entrySize, littleEndian, key, offset)
    : entries.getUint32(count * entrySize, littleEndian);
  return { offset, fields, next, end };
}

function decodeValues(
  view: DataView,
  type: number,
  count: number,
  littleEndian: boolean,
  key: string,
  ifd: number,
): TiffValue {
  if (type === FIELD_TYPE.ASCII) {
    const text = new TextDecoder('latin1').decode(view);
    return text.replace(/\0+$/, '');
  }
  const size = FIELD_TYPE_SIZE[type]!;
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) values[i] = readValue(view, i * size, type, littleEndian, key, ifd);
  return values;
}

function readValue(
  view: DataView,
  at: number,
  type: number,
  littleEndian: boolean,
  key: string,
  ifd: number,
): number {
  switch (type) {
    case FIELD_TYPE.BYTE:
    case FIELD_TYPE.UNDEFINED:
      return view.getUint8(at);
    case FIELD_TYPE.SBYTE:
      return view.getInt8(at);
    case FIELD_TYPE.SHORT:
      return view.getUint16(at, littleEndian);
    case FIELD_TYPE.SSHORT:
      return view.getInt16(at, littleEndian);
    case FIELD_TYPE.LONG:
    case FIELD_TYPE.IFD:
      return view.getUint32(at, littleEndian);
    case FIELD_TYPE.SLONG:
      return view.getInt32(at, littleEndian);
    case FIELD_TYPE.RATIONAL:
      return view.getUint32(at, littleEndian) / view.getUint32(at + 4, littleEndian);
    case FIELD_TYPE.SRATIONAL:
      return view.getInt32(at, littleEndian) / view.getInt32(at + 4, littleEndian);
    case FIELD_TYPE.FLOAT:
      return view.getFloat32(at, littleEndian);
    case FIELD_TYPE.DOUBLE:
      return view.getFloat64(at, littleEndian);
    case FIELD_TYPE.SLONG8:
      return Number(view.getBigInt64(at, littleEndian));
    default:
      return uint64(view, at, littleEndian, key, ifd);
  }
}

/** An unsigned 64-bit value as a number; `CorruptDataError` beyond 2^53. */
function uint64(view: DataView, at: number, littleEndian: boolean, key: string, ifd: number): number {
  const value = view.getBigUint64(at, littleEndian);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new CorruptDataError({ key, offset: ifd }, `a 64-bit value ${value} beyond 2^53 in the IFD`);
  }
  return Number(value);
}
