// @isthmus/partition/genomics: BAM, VCF, SAM, FASTQ and FASTA. Loaded by the core on first use;
// importing it registers its formats, and gives their record and strategy types.
import { registerFormat } from '../../format-registry.js';
import { bamFormat } from './bam.js';
import { fastaFormat } from './fasta.js';
import { fastqFormat } from './fastq.js';
import { samFormat } from './sam.js';
import { vcfFormat } from './vcf.js';

registerFormat(bamFormat);
registerFormat(vcfFormat);
registerFormat(samFormat);
registerFormat(fastqFormat);
registerFormat(fastaFormat);

export type { AlignmentRecord } from './alignment-record.js';
export type { FastaPiece } from './fasta-read.js';
export type { FastqRecord } from './fastq.js';
export { type RegionStrategy, regionStrategy } from './region-strategy.js';
export type { VcfRecord } from './vcf.js';
