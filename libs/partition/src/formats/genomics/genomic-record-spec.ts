import type { FormatProbe } from '../../format-handler.js';
import type { ArrowColumn } from './arrow-columns.js';
import type { FrameLength } from './record-frames.js';

/** A reference sequence a header declares. */
export interface DeclaredReference {
  name: string;
  /** Its length, when the header says. */
  length: number | null;
}

/** What every genomic header gives: the reference sequences it declares, in order. */
export interface GenomicHeader {
  references: DeclaredReference[];
}

/** Where a record lies: its reference (null: unplaced) and 1-based position (POS). */
export interface RecordLocus {
  reference: string | null;
  position: number;
}

/**
 * What makes SAM, BAM and VCF different; the index pass, planning, reading and `toFile` over
 * plain or BGZF bytes are shared (`genomicRecordHandler`).
 */
export interface GenomicRecordSpec<THeader extends GenomicHeader, TRecord> {
  /** The format's name. */
  readonly name: string;
  /** One line for people. */
  readonly description: string;
  /** The unit of records, plural. */
  readonly unit: string;
  /** Whether the data is BGZF: always, never, or as its first bytes say. */
  readonly compression: 'bgzf' | 'plain' | 'detect';
  /** Whether records may name references the header does not declare (VCF without `##contig`). */
  readonly undeclaredReferences: boolean;
  /** Keys of a binning index (.bai, .tbi) for the dataset `key`, tried in order, for BGZF data. */
  siblingIndexKeys(key: string): string[];
  /** File name extension of `toFile` output (without the dot), by compression. */
  extension(compressed: boolean): string;
  /** Whether the probe's decoded first bytes are this format. */
  detect(probe: FormatProbe): boolean;
  /** Length of the header frame at `at`; for line formats, header lines are told by `isHeaderLine`. */
  headerLength?: FrameLength;
  /** Whether a line belongs to the header (line formats). */
  isHeaderLine?(line: Uint8Array): boolean;
  /** Length of the record frame at `at`. */
  recordLength: FrameLength;
  /** Whether the last record may lack its terminator (text lines). */
  readonly textLines: boolean;
  /** Parses the header bytes (every byte before the first record); throws `CorruptDataError`. */
  parseHeader(bytes: Uint8Array, key: string): THeader;
  /** Where a record lies; a string says why it is malformed. */
  locate(record: Uint8Array, header: THeader): RecordLocus | string;
  /** Decodes a record. */
  decode(record: Uint8Array, header: THeader): TRecord;
  /** The Arrow columns of `readBatches`. */
  readonly columns: readonly ArrowColumn<TRecord>[];
}

/** A spec of any header and record type. */
// biome-ignore lint/suspicious/noExplicitAny: the shared format code is generic over every spec
export type AnyGenomicRecordSpec = GenomicRecordSpec<any, any>;
