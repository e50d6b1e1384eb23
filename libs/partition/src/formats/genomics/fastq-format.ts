import type { FormatHandler } from '../../format-handler.js';
import type { GenericStrategy } from '../../strategy.js';
import { withoutLineEnd } from '../text/record-scanner.js';
import { completeLines, contentHead } from '../text/text-detection.js';
import { textHandler } from '../text/text-handler.js';
import type { TextIndex } from '../text/text-index.js';
import { utf8Batch } from '../text/utf8-batch.js';
import { FastqScanner } from './fastq-scanner.js';

/** A FASTQ read: the name (up to the first blank), the rest of the `@` line if any, bases and qualities. */
export interface FastqRecord {
  name: string;
  description?: string;
  sequence: string;
  quality: string;
}

/** Whether head lines look like FASTQ rather than SAM (whose header lines also start with `@`). */
function looksLikeFastq(head: Uint8Array): boolean {
  if (head[0] !== 0x40) return false;
  const lines = completeLines(head, 3);
  if (lines.length === 3) return lines[2]!.startsWith('+');
  return !/^@[A-Za-z][A-Za-z0-9]\t/.test(lines[0] ?? '');
}

function parseFastq(bytes: Uint8Array): FastqRecord {
  const record = withoutLineEnd(bytes);
  const lines = Buffer.from(record.buffer, record.byteOffset, record.length).toString('latin1').split('\n');
  const title = lines[0]!.replace(/\r$/, '').slice(1);
  const blank = title.search(/[ \t]/);
  const read: FastqRecord = {
    name: blank < 0 ? title : title.slice(0, blank),
    sequence: lines[1]!.replace(/\r$/, ''),
    quality: lines[3]!.replace(/\r$/, ''),
  };
  if (blank >= 0) read.description = title.slice(blank + 1);
  return read;
}

/**
 * FASTQ, plain or gzip (plain gzip through gzip checkpoints, BGZF too): 4-line records checked
 * while scanning (the `@` and `+` lines, as many qualities as bases). Partition files are FASTQ,
 * gzip-compressed when the dataset is.
 */
export const fastqFormat: FormatHandler<TextIndex, FastqRecord, GenericStrategy> = textHandler<FastqRecord>({
  name: 'fastq',
  family: 'genomics',
  description: 'FASTQ reads (plain or gzip); a record is a read',
  unit: 'reads',
  extension: '.fastq',
  detect(probe) {
    if (probe.size === undefined) return false;
    const head = contentHead(probe);
    return head !== undefined && looksLikeFastq(head);
  },
  scanner: (locate) => new FastqScanner(locate),
  header: false,
  settings: () => ({}),
  decoder: () => parseFastq,
  batch: (reads) =>
    utf8Batch({
      name: reads.map((read) => read.name),
      description: reads.map((read) => read.description ?? null),
      sequence: reads.map((read) => read.sequence),
      quality: reads.map((read) => read.quality),
    }),
});
