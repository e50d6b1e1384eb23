import { CorruptDataError } from '../../errors.js';
import type { AlignmentHeader } from './alignment-record.js';
import type { DeclaredReference } from './genomic-record-spec.js';

const BAM_MAGIC = [66, 65, 77, 1];

/** Whether bytes start with the BAM magic `BAM\1`. */
export function hasBamMagic(bytes: Uint8Array, at = 0): boolean {
  return BAM_MAGIC.every((byte, i) => bytes[at + i] === byte);
}

/**
 * The length of the binary BAM header at `at` (magic, text, references), undefined when more
 * bytes are needed, or why the bytes are not a BAM header.
 */
export function bamHeaderLength(buffer: Uint8Array, at: number): number | undefined | string {
  if (buffer.length - at < 4) return undefined;
  if (!hasBamMagic(buffer, at)) return 'not BAM data (no BAM\\1 magic after inflation)';
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let p = at + 4;
  if (buffer.length - p < 4) return undefined;
  const textLength = view.getInt32(p, true);
  if (textLength < 0) return 'negative header text length';
  p += 4 + textLength;
  if (buffer.length - p < 4) return undefined;
  const references = view.getInt32(p, true);
  if (references < 0) return 'negative reference count';
  p += 4;
  for (let r = 0; r < references; r++) {
    if (buffer.length - p < 4) return undefined;
    const nameLength = view.getInt32(p, true);
    if (nameLength < 1) return `reference ${r} has a bad name length`;
    p += 4 + nameLength + 4;
  }
  return p <= buffer.length ? p - at : undefined;
}

/** Parses a whole binary BAM header (as `bamHeaderLength` framed it). */
export function parseBamHeader(bytes: Uint8Array, key: string): AlignmentHeader {
  const length = bamHeaderLength(bytes, 0);
  if (typeof length !== 'number') {
    throw new CorruptDataError(
      { key, offset: 0 },
      typeof length === 'string' ? length : 'the BAM header is cut',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const textLength = view.getInt32(4, true);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + 8, textLength)
    .toString('utf8')
    .replace(/\0+$/, '');
  let p = 8 + textLength;
  const count = view.getInt32(p, true);
  p += 4;
  const references: DeclaredReference[] = [];
  for (let r = 0; r < count; r++) {
    const nameLength = view.getInt32(p, true);
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + p + 4, nameLength - 1).toString('utf8');
    references.push({ name, length: view.getInt32(p + 4 + nameLength, true) });
    p += 8 + nameLength;
  }
  return { text, references };
}
