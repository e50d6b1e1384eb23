import type { AlignmentRecord } from './alignment-record.js';
import type { DeclaredReference, RecordLocus } from './genomic-record-spec.js';

const SEQUENCE_CODES = '=ACMGRSVTWYHKDBN';
const CIGAR_OPERATIONS = 'MIDNSHP=X';

/** Fixed-size part of a BAM record after `block_size`. */
const FIXED = 32;

function viewOf(record: Uint8Array): DataView {
  return new DataView(record.buffer, record.byteOffset, record.byteLength);
}

/** The length of the BAM record at `at` (`block_size` + 4), or why it cannot be one. */
export function bamRecordLength(buffer: Uint8Array, at: number): number | undefined | string {
  if (buffer.length - at < 4) return undefined;
  const size = viewOf(buffer).getInt32(at, true);
  return size < FIXED ? `BAM record block_size ${size} is below ${FIXED}` : size + 4;
}

/** Where a BAM record lies, checking that its fields fit its block and its reference exists. */
export function locateBamRecord(
  record: Uint8Array,
  references: readonly DeclaredReference[],
): RecordLocus | string {
  const view = viewOf(record);
  const referenceId = view.getInt32(4, true);
  const nameLength = record[12]!;
  const cigarLength = view.getUint16(16, true);
  const sequenceLength = view.getInt32(20, true);
  if (referenceId < -1 || referenceId >= references.length)
    return `reference id ${referenceId} is not in the header`;
  if (
    nameLength < 1 ||
    sequenceLength < 0 ||
    4 + FIXED + nameLength + 4 * cigarLength + ((sequenceLength + 1) >> 1) + sequenceLength > record.length
  ) {
    return 'BAM record fields overrun its block_size';
  }
  return {
    reference: referenceId < 0 ? null : references[referenceId]!.name,
    position: view.getInt32(8, true) + 1,
  };
}

/** A float as C's `%g` writes it (how samtools prints `f` tags). */
function formatFloat(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value).replace('Infinity', 'inf');
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(6)))));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, power] = value.toExponential(5).split('e');
    const digits = mantissa!.replace(/\.?0+$/, '');
    const sign = power!.startsWith('-') ? '-' : '+';
    return `${digits}e${sign}${power!.replace(/^[-+]/, '').padStart(2, '0')}`;
  }
  return value
    .toPrecision(6)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

const ARRAY_TYPES: Record<string, [size: number, read: (view: DataView, at: number) => number]> = {
  c: [1, (view, at) => view.getInt8(at)],
  C: [1, (view, at) => view.getUint8(at)],
  s: [2, (view, at) => view.getInt16(at, true)],
  S: [2, (view, at) => view.getUint16(at, true)],
  i: [4, (view, at) => view.getInt32(at, true)],
  I: [4, (view, at) => view.getUint32(at, true)],
  f: [4, (view, at) => view.getFloat32(at, true)],
};

function nulTerminated(record: Uint8Array, at: number): [text: string, next: number] {
  let end = record.indexOf(0, at);
  if (end < 0) end = record.length;
  return [Buffer.from(record.buffer, record.byteOffset + at, end - at).toString('utf8'), end + 1];
}

function valueType(type: string): [size: number, read: (view: DataView, at: number) => number] {
  const found = ARRAY_TYPES[type];
  if (!found) throw new Error(`unknown BAM tag value type ${JSON.stringify(type)}`);
  return found;
}

/** BAM optional fields as SAM text (integers as `i`, floats as `%g`); throws on malformed ones. */
function tagsText(record: Uint8Array, view: DataView, start: number): string {
  const tags: string[] = [];
  let at = start;
  while (at < record.length) {
    if (at + 4 > record.length) throw new Error('a BAM tag overruns its record');
    const tag = String.fromCharCode(record[at]!, record[at + 1]!);
    const type = String.fromCharCode(record[at + 2]!);
    at += 3;
    if (type === 'A') {
      tags.push(`${tag}:A:${String.fromCharCode(record[at]!)}`);
      at += 1;
    } else if (type === 'Z' || type === 'H') {
      const [text, next] = nulTerminated(record, at);
      tags.push(`${tag}:${type}:${text}`);
      at = next;
    } else if (type === 'B') {
      const subtype = String.fromCharCode(record[at]!);
      const count = view.getInt32(at + 1, true);
      const [size, read] = valueType(subtype);
      at += 5;
      const values: string[] = [];
      for (let i = 0; i < count; i++, at += size) {
        const value = read(view, at);
        values.push(subtype === 'f' ? formatFloat(value) : String(value));
      }
      tags.push(`${tag}:B:${[subtype, ...values].join(',')}`);
    } else {
      const [size, read] = valueType(type);
      const value = read(view, at);
      tags.push(`${tag}:${type === 'f' ? 'f' : 'i'}:${type === 'f' ? formatFloat(value) : value}`);
      at += size;
    }
  }
  return tags.join('\t');
}

/** Decodes a BAM record (with its `block_size` prefix) into SAM fields. */
export function decodeBamRecord(
  record: Uint8Array,
  references: readonly DeclaredReference[],
): AlignmentRecord {
  const view = viewOf(record);
  const referenceId = view.getInt32(4, true);
  const nameLength = record[12]!;
  const cigarLength = view.getUint16(16, true);
  const sequenceLength = view.getInt32(20, true);
  const mateId = view.getInt32(24, true);
  let at = 4 + FIXED;
  const name = Buffer.from(record.buffer, record.byteOffset + at, nameLength - 1).toString('utf8');
  at += nameLength;
  let cigar = '';
  for (let i = 0; i < cigarLength; i++, at += 4) {
    const operation = view.getUint32(at, true);
    cigar += `${operation >>> 4}${CIGAR_OPERATIONS[operation & 15]}`;
  }
  let sequence = '';
  for (let i = 0; i < sequenceLength; i++) {
    const byte = record[at + (i >> 1)]!;
    sequence += SEQUENCE_CODES[i % 2 === 0 ? byte >> 4 : byte & 15];
  }
  at += (sequenceLength + 1) >> 1;
  let quality = '*';
  if (sequenceLength > 0 && record[at] !== 0xff) {
    const scores = Buffer.from(record.subarray(at, at + sequenceLength));
    for (let i = 0; i < scores.length; i++) scores[i]! += 33;
    quality = scores.toString('latin1');
  }
  at += sequenceLength;
  const referenceName = (id: number) => (id < 0 ? '*' : references[id]!.name);
  return {
    name,
    flag: view.getUint16(18, true),
    reference: referenceName(referenceId),
    position: view.getInt32(8, true) + 1,
    mappingQuality: record[13]!,
    cigar: cigar || '*',
    mateReference: mateId >= 0 && mateId === referenceId ? '=' : referenceName(mateId),
    matePosition: view.getInt32(28, true) + 1,
    templateLength: view.getInt32(32, true),
    sequence: sequence || '*',
    quality,
    tags: tagsText(record, view, at),
  };
}
