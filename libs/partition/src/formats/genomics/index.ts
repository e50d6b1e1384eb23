import type { AnyFormatHandler } from '../../format-handler.js';
import { bamFormat } from './bam.js';
import { fastaFormat } from './fasta.js';
import { fastqFormat } from './fastq.js';
import { samFormat } from './sam.js';
import { vcfFormat } from './vcf.js';

/** The genomics formats, in detection order. */
export const genomicsFormats: AnyFormatHandler[] = [
  bamFormat,
  vcfFormat,
  samFormat,
  fastqFormat,
  fastaFormat,
];
