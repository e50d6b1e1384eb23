import type { FormatHandler } from '../../format-handler.js';
import {
  ALIGNMENT_COLUMNS,
  type AlignmentHeader,
  type AlignmentRecord,
  samTextReferences,
} from './alignment-record.js';
import type { GenomicIndex } from './genomic-index.js';
import { type GenomicStrategy, genomicRecordHandler } from './genomic-record-handler.js';
import type { GenomicRecordSpec } from './genomic-record-spec.js';
import { lineLength } from './record-frames.js';
import { isUnsignedInteger, leadingFields, lineText, probeText } from './text-record-fields.js';

const HEADER_LINE = /^@(HD|SQ|RG|PG|CO)\t/;

function isAlignmentLine(line: string): boolean {
  const fields = line.split('\t');
  return fields.length >= 11 && isUnsignedInteger(fields[1]) && isUnsignedInteger(fields[3]);
}

/** The mate reference as SAM writes it: `=` when it is the record's own reference. */
function mateReference(reference: string, mate: string): string {
  return mate === reference && reference !== '*' ? '=' : mate;
}

/** SAM text: header lines, then one alignment per line. */
export const samSpec: GenomicRecordSpec<AlignmentHeader, AlignmentRecord> = {
  name: 'sam',
  description: 'SAM text alignments (sequence alignment/map)',
  unit: 'alignments',
  compression: 'plain',
  undeclaredReferences: false,
  textLines: true,
  columns: ALIGNMENT_COLUMNS,
  siblingIndexKeys: () => [],
  extension: () => 'sam',
  detect(probe) {
    const text = probeText(probe.head);
    if (text === undefined) return false;
    const newline = text.indexOf('\n');
    if (newline < 0) return false;
    const first = text.slice(0, newline).replace(/\r$/, '');
    return HEADER_LINE.test(first) || isAlignmentLine(first);
  },
  isHeaderLine: (line) => line[0] === 64,
  recordLength: lineLength,
  parseHeader(bytes) {
    const text = Buffer.from(bytes).toString('utf8');
    return { text, references: samTextReferences(text) };
  },
  locate(line) {
    const fields = leadingFields(line, 11);
    if (fields.length < 11) return 'an alignment line needs 11 tab-separated fields';
    const [, flag, reference, position] = fields;
    if (!isUnsignedInteger(flag) || !isUnsignedInteger(position)) return 'FLAG and POS must be integers';
    return { reference: reference === '*' ? null : reference!, position: Number(position) };
  },
  decode(line) {
    const fields = lineText(line).split('\t');
    return {
      name: fields[0]!,
      flag: Number(fields[1]),
      reference: fields[2]!,
      position: Number(fields[3]),
      mappingQuality: Number(fields[4]),
      cigar: fields[5]!,
      mateReference: mateReference(fields[2]!, fields[6]!),
      matePosition: Number(fields[7]),
      templateLength: Number(fields[8]),
      sequence: fields[9]!,
      quality: fields[10]!,
      tags: fields.slice(11).join('\t'),
    };
  },
};

/** SAM text alignments. */
export const samFormat: FormatHandler<GenomicIndex, AlignmentRecord, GenomicStrategy> =
  genomicRecordHandler(samSpec);
