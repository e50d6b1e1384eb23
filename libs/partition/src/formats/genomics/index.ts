// @isthmus/partition/genomics: BAM, VCF, SAM, FASTQ and FASTA. Loaded by the core on first use;
// importing it registers its formats, and gives their record and strategy types.
import { registerFormat } from '../../format-registry.js';
import { bamFormat } from './bam-format.js';
import { fastaFormat } from './fasta-format.js';
import { fastqFormat } from './fastq-format.js';
import { samFormat } from './sam-format.js';
import { vcfFormat } from './vcf-format.js';

registerFormat(bamFormat);
registerFormat(vcfFormat);
registerFormat(samFormat);
registerFormat(fastqFormat);
registerFormat(fastaFormat);

export type { AlignmentRecord } from './alignment-record.js';
export type { FastaPiece } from './fasta-read.js';
export type { FastqRecord } from './fastq-format.js';
export { type RegionStrategy, regionStrategy } from './region-strategy.js';
export type { VcfRecord } from './vcf-format.js';
