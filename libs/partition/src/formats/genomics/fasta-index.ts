import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError, InconsistentDataError } from '../../errors.js';
import { LineSplitter, type TextLine } from '../text/line-splitter.js';
import { type FastaSequence, pieceByteRange, pieceCount } from './fasta-pieces.js';

/** The index of a FASTA file: its sequences as `.fai` lines, from the `.fai` sibling or one scan. */
export type FastaIndex = {
  /** The dataset's key (where partitions read). */
  key: string;
  /** Bytes of the FASTA file. */
  size: number;
  /** Whether the sequences come from the `.fai` sibling (else from scanning the file). */
  fromFai: boolean;
  sequences: FastaSequence[];
};

/**
 * The index pass: reads the `.fai` sibling when there is one (checking that it fits the file),
 * else streams the file once and builds the same (as `samtools faidx` does: every line of a
 * sequence as long as the first, except the last; empty sequences left out).
 */
export async function indexFasta(source: DatasetSource): Promise<FastaIndex> {
  const { size } = await source.head();
  const faiKey = `${source.key}.fai`;
  if (await source.exists(faiKey)) {
    source.expectBytes((await source.head(faiKey)).size);
    const fai = await source.readAll(faiKey);
    return { key: source.key, size, fromFai: true, sequences: parseFai(faiKey, fai, size) };
  }
  source.expectBytes(size);
  const scanner = new FastaScanner(source.key);
  let offset = 0;
  for await (const chunk of source.stream()) {
    scanner.scan(chunk, offset);
    offset += chunk.length;
  }
  return { key: source.key, size, fromFai: false, sequences: scanner.finish(offset) };
}

function parseFai(key: string, bytes: Uint8Array, size: number): FastaSequence[] {
  const sequences: FastaSequence[] = [];
  let lineOffset = 0;
  for (const line of Buffer.from(bytes).toString('utf8').split('\n')) {
    const at = { key, offset: lineOffset };
    lineOffset += line.length + 1;
    if (line.trim() === '') continue;
    const [name, ...numbers] = line.replace(/\r$/, '').split('\t');
    const [length, offset, lineBases, lineWidth] = numbers.map(Number) as number[];
    if (!name || numbers.length < 4 || ![length, offset, lineBases, lineWidth].every(Number.isSafeInteger)) {
      throw new CorruptDataError(at, `not a .fai line: ${JSON.stringify(line.slice(0, 80))}`);
    }
    const sequence: FastaSequence = [name, length!, offset!, lineBases!, lineWidth!];
    if (length === 0) continue;
    if (
      lineBases! < 1 ||
      lineWidth! <= lineBases! ||
      pieceByteRange(sequence, pieceCount(sequence) - 1)[1] > size
    ) {
      throw new InconsistentDataError(at, `sequence ${name} does not fit the ${size}-byte FASTA file`);
    }
    sequences.push(sequence);
  }
  return sequences;
}

const HEADER = 0x3e;

/** Builds `.fai` lines from a stream of FASTA text. */
class FastaScanner {
  readonly #key: string;
  readonly #lines = new LineSplitter(HEADER);
  readonly #sequences: FastaSequence[] = [];
  #current: FastaSequence | undefined;
  /** Whether the current sequence had a line shorter than its first (then only its end may follow). */
  #short = false;

  constructor(key: string) {
    this.#key = key;
  }

  scan(chunk: Uint8Array, offset: number): void {
    this.#lines.scan(chunk, offset, (line) => this.#line(line, true));
  }

  finish(size: number): FastaSequence[] {
    this.#lines.finish(size, (line) => this.#line(line, false));
    this.#close();
    return this.#sequences;
  }

  /** Keeps the current sequence unless it is empty (as `samtools faidx` leaves those out). */
  #close(): void {
    if (this.#current && this.#current[1] > 0) this.#sequences.push(this.#current);
  }

  #line(line: TextLine, terminated: boolean): void {
    const bases = line.contentEnd - line.start;
    const width = line.next - line.start;
    const at = { key: this.#key, offset: line.start };
    if (line.first === HEADER) {
      this.#close();
      const title = Buffer.from(line.content!).toString('utf8').slice(1);
      this.#current = [title.split(/[ \t]/, 1)[0]!, 0, line.next, 0, 0];
      this.#short = false;
      return;
    }
    const sequence = this.#current;
    if (!sequence) {
      if (bases === 0) return;
      throw new CorruptDataError(at, 'sequence data before the first ">" header line');
    }
    if (bases > 0 && this.#short) {
      throw new CorruptDataError(at, `sequence ${sequence[0]} has lines of different lengths`);
    }
    if (sequence[3] === 0 && bases > 0) {
      sequence[3] = bases;
      sequence[4] = terminated ? width : bases + 1;
    } else if (bases < sequence[3] || (terminated && bases === sequence[3] && width !== sequence[4])) {
      this.#short = true;
    } else if (bases > sequence[3]) {
      throw new CorruptDataError(at, `sequence ${sequence[0]} has lines of different lengths`);
    }
    if (bases === 0) this.#short = true;
    sequence[1] += bases;
  }
}
