import VcfParser from '@gmod/vcf';
import { inflateFirstBgzfBlock } from '../../codecs/bgzf.js';
import { CorruptDataError } from '../../errors.js';
import type { FormatHandler } from '../../format-handler.js';
import type { GenomicIndex } from './genomic-index.js';
import { type GenomicStrategy, genomicRecordHandler } from './genomic-record-handler.js';
import type { DeclaredReference, GenomicHeader, GenomicRecordSpec } from './genomic-record-spec.js';
import { lineLength } from './record-frames.js';
import { isUnsignedInteger, leadingFields, lineText, probeText } from './text-record-fields.js';

/** One VCF data line: the fixed columns, INFO typed by the header, and the raw sample columns. */
export interface VcfRecord {
  chrom: string;
  pos: number;
  /** IDs (none for `.`). */
  id: string[];
  ref: string;
  /** Alternate alleles (none for `.`). */
  alt: string[];
  qual: number | null;
  /** Filters (none for `.`). */
  filter: string[];
  /** INFO as written. */
  infoText: string;
  /** INFO parsed by the header's declarations (numbers, lists, `true` for flags). */
  info: Record<string, unknown>;
  /** The FORMAT column, or null when there are no samples. */
  format: string | null;
  /** The sample columns as written, one per sample. */
  samples: string[];
}

/** A VCF header: its text, its `##contig` references, the sample names and the INFO parser. */
export interface VcfHeader extends GenomicHeader {
  text: string;
  parser: VcfParser;
}

const FILE_FORMAT = '##fileformat=VCF';

function contigReferences(text: string): DeclaredReference[] {
  const references: DeclaredReference[] = [];
  for (const match of text.matchAll(/^##contig=<(.*)>\s*$/gm)) {
    const id = /(?:^|,)ID=([^,]+)/.exec(match[1]!)?.[1];
    const length = /(?:^|,)length=(\d+)/.exec(match[1]!)?.[1];
    if (id !== undefined) references.push({ name: id, length: length === undefined ? null : Number(length) });
  }
  return references;
}

function listOrNone(field: string, separator: string): string[] {
  return field === '.' ? [] : field.split(separator);
}

/** VCF text (plain or bgzip): `##` meta lines and the `#CHROM` line, then one variant per line. */
export const vcfSpec: GenomicRecordSpec<VcfHeader, VcfRecord> = {
  name: 'vcf',
  description: 'VCF variants, plain or bgzip-compressed (with its .tbi when present)',
  unit: 'variants',
  compression: 'detect',
  undeclaredReferences: true,
  textLines: true,
  siblingIndexKeys: (key) => [`${key}.tbi`],
  extension: (compressed) => (compressed ? 'vcf.gz' : 'vcf'),
  detect(probe) {
    const head = inflateFirstBgzfBlock(probe.head) ?? probe.head;
    return probeText(head.subarray(0, FILE_FORMAT.length)) === FILE_FORMAT;
  },
  isHeaderLine: (line) => line[0] === 35,
  recordLength: lineLength,
  parseHeader(bytes, key) {
    const text = Buffer.from(bytes).toString('utf8');
    if (!text.startsWith(FILE_FORMAT) || !/^#CHROM\t/m.test(text)) {
      throw new CorruptDataError(
        { key, offset: 0 },
        'a VCF header needs ##fileformat=VCF… and a #CHROM line',
      );
    }
    return {
      text,
      references: contigReferences(text),
      parser: new VcfParser({ header: text, strict: false }),
    };
  },
  locate(line) {
    const fields = leadingFields(line, 8);
    if (fields.length < 8) return 'a VCF data line needs at least 8 tab-separated fields';
    if (!isUnsignedInteger(fields[1])) return `POS ${JSON.stringify(fields[1])} is not an integer`;
    return { reference: fields[0]!, position: Number(fields[1]) };
  },
  decode(line, header) {
    const text = lineText(line);
    const fields = text.split('\t');
    return {
      chrom: fields[0]!,
      pos: Number(fields[1]),
      id: listOrNone(fields[2]!, ';'),
      ref: fields[3]!,
      alt: listOrNone(fields[4]!, ','),
      qual: fields[5] === '.' ? null : Number(fields[5]),
      filter: listOrNone(fields[6]!, ';'),
      infoText: fields[7]!,
      info: header.parser.parseLine(fields.slice(0, 8).join('\t')).INFO,
      format: fields[8] ?? null,
      samples: fields.slice(9),
    };
  },
  columns: [
    { name: 'CHROM', type: 'utf8', value: (record) => record.chrom },
    { name: 'POS', type: 'int32', value: (record) => record.pos },
    { name: 'ID', type: 'utf8', value: (record) => record.id.join(';') || '.' },
    { name: 'REF', type: 'utf8', value: (record) => record.ref },
    { name: 'ALT', type: 'utf8', value: (record) => record.alt.join(',') || '.' },
    { name: 'QUAL', type: 'float64', value: (record) => record.qual },
    { name: 'FILTER', type: 'utf8', value: (record) => record.filter.join(';') || '.' },
    { name: 'INFO', type: 'utf8', value: (record) => record.infoText },
  ],
};

/** VCF variants, plain or bgzip. */
export const vcfFormat: FormatHandler<GenomicIndex, VcfRecord, GenomicStrategy> =
  genomicRecordHandler(vcfSpec);
