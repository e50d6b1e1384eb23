import type { ArrowColumn } from './arrow-columns.js';
import type { DeclaredReference, GenomicHeader } from './genomic-record-spec.js';

/**
 * One alignment of a SAM or BAM file, with the fields as SAM text writes them (so that a BAM
 * and the SAM it was made from give equal records). `position` is 1-based, 0 when unplaced.
 */
export interface AlignmentRecord {
  name: string;
  flag: number;
  /** The reference name, or `*`. */
  reference: string;
  position: number;
  mappingQuality: number;
  cigar: string;
  /** The mate's reference: a name, `=` (the same) or `*`. */
  mateReference: string;
  matePosition: number;
  templateLength: number;
  sequence: string;
  /** Phred+33 qualities, or `*`. */
  quality: string;
  /** The optional fields as SAM text (`NM:i:1\tMD:Z:10A3`), empty when none. */
  tags: string;
}

/** A SAM or BAM header: its text and the reference sequences it declares. */
export interface AlignmentHeader extends GenomicHeader {
  text: string;
}

/** The `@SQ` reference sequences of SAM header text. */
export function samTextReferences(text: string): DeclaredReference[] {
  const references: DeclaredReference[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('@SQ\t')) continue;
    const fields = new Map(line.split('\t').map((field) => [field.slice(0, 2), field.slice(3)]));
    const name = fields.get('SN');
    if (name !== undefined)
      references.push({ name, length: fields.has('LN') ? Number(fields.get('LN')) : null });
  }
  return references;
}

/** The Arrow columns of alignments (the eleven mandatory SAM fields and the tags). */
export const ALIGNMENT_COLUMNS: readonly ArrowColumn<AlignmentRecord>[] = [
  { name: 'QNAME', type: 'utf8', value: (record) => record.name },
  { name: 'FLAG', type: 'int32', value: (record) => record.flag },
  { name: 'RNAME', type: 'utf8', value: (record) => record.reference },
  { name: 'POS', type: 'int32', value: (record) => record.position },
  { name: 'MAPQ', type: 'int32', value: (record) => record.mappingQuality },
  { name: 'CIGAR', type: 'utf8', value: (record) => record.cigar },
  { name: 'RNEXT', type: 'utf8', value: (record) => record.mateReference },
  { name: 'PNEXT', type: 'int32', value: (record) => record.matePosition },
  { name: 'TLEN', type: 'int32', value: (record) => record.templateLength },
  { name: 'SEQ', type: 'utf8', value: (record) => record.sequence },
  { name: 'QUAL', type: 'utf8', value: (record) => record.quality },
  { name: 'TAGS', type: 'utf8', value: (record) => record.tags },
];
