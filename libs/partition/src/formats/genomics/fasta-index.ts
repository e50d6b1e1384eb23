import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError, InconsistentDataError } from '../../errors.js';
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

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const HEADER = 0x3e;
const UNKNOWN = -1;

/** Builds `.fai` lines from a stream of FASTA text. */
class FastaScanner {
  readonly #key: string;
  readonly #sequences: FastaSequence[] = [];
  #current: FastaSequence | undefined;
  /** Whether the current sequence had a line shorter than its first (then only its end may follow). */
  #short = false;
  #lineStart = 0;
  #firstByte = UNKNOWN;
  #lastByte = UNKNOWN;
  #header: Uint8Array[] = [];

  constructor(key: string) {
    this.#key = key;
  }

  scan(chunk: Uint8Array, offset: number): void {
    if (chunk.length === 0) return;
    if (this.#firstByte === UNKNOWN) this.#firstByte = chunk[0]!;
    let from = 0;
    let newline = chunk.indexOf(NEWLINE);
    while (newline >= 0) {
      if (this.#firstByte === HEADER) this.#header.push(chunk.subarray(from, newline));
      const before = newline > 0 ? chunk[newline - 1]! : this.#lastByte;
      const contentEnd = Math.max(this.#lineStart, offset + newline - (before === RETURN ? 1 : 0));
      this.#line(contentEnd, offset + newline + 1, true);
      from = newline + 1;
      this.#firstByte = from < chunk.length ? chunk[from]! : UNKNOWN;
      newline = chunk.indexOf(NEWLINE, from);
    }
    if (this.#firstByte === HEADER) this.#header.push(chunk.slice(from));
    this.#lastByte = chunk[chunk.length - 1]!;
  }

  finish(size: number): FastaSequence[] {
    if (this.#lineStart < size) this.#line(size - (this.#lastByte === RETURN ? 1 : 0), size, false);
    this.#close();
    return this.#sequences;
  }

  /** Keeps the current sequence unless it is empty (as `samtools faidx` leaves those out). */
  #close(): void {
    if (this.#current && this.#current[1] > 0) this.#sequences.push(this.#current);
  }

  #line(contentEnd: number, next: number, terminated: boolean): void {
    const bases = contentEnd - this.#lineStart;
    const width = next - this.#lineStart;
    const at = { key: this.#key, offset: this.#lineStart };
    this.#lineStart = next;
    if (this.#firstByte === HEADER) {
      this.#close();
      const title = Buffer.concat(this.#header).toString('utf8').replace(/\r$/, '').slice(1);
      this.#header = [];
      this.#current = [title.split(/[ \t]/, 1)[0]!, 0, next, 0, 0];
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
