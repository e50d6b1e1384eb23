import { inflateFirstBgzfBlock } from '../../codecs/bgzf.js';
import type { FormatHandler } from '../../format-handler.js';
import { ALIGNMENT_COLUMNS, type AlignmentHeader, type AlignmentRecord } from './alignment-record.js';
import { bamHeaderLength, hasBamMagic, parseBamHeader } from './bam-header.js';
import { bamRecordLength, decodeBamRecord, locateBamRecord } from './bam-record.js';
import type { GenomicIndex } from './genomic-index.js';
import { type GenomicStrategy, genomicRecordHandler } from './genomic-record-handler.js';
import type { GenomicRecordSpec } from './genomic-record-spec.js';

/** BAM: BGZF blocks holding `BAM\1`, the binary header and length-prefixed records. */
export const bamSpec: GenomicRecordSpec<AlignmentHeader, AlignmentRecord> = {
  name: 'bam',
  description: 'BAM binary alignments (BGZF-compressed SAM), with its .bai when present',
  unit: 'alignments',
  compression: 'bgzf',
  undeclaredReferences: false,
  textLines: false,
  columns: ALIGNMENT_COLUMNS,
  siblingIndexKeys: (key) => [`${key}.bai`, ...(key.endsWith('.bam') ? [`${key.slice(0, -4)}.bai`] : [])],
  extension: () => 'bam',
  detect(probe) {
    const first = inflateFirstBgzfBlock(probe.head);
    return first !== undefined && hasBamMagic(first);
  },
  headerLength: bamHeaderLength,
  recordLength: bamRecordLength,
  parseHeader: parseBamHeader,
  locate: (record, header) => locateBamRecord(record, header.references),
  decode: (record, header) => decodeBamRecord(record, header.references),
};

/** BAM alignments. */
export const bamFormat: FormatHandler<GenomicIndex, AlignmentRecord, GenomicStrategy> =
  genomicRecordHandler(bamSpec);
