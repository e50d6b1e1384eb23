import { CorruptDataError, TruncatedDataError } from '../../errors.js';
import type { Locate, RecordScanner } from '../text/record-scanner.js';

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const AT = 0x40;
const PLUS = 0x2b;
const UNKNOWN = -1;

/**
 * Finds FASTQ record ends (4 lines each: `@name`, sequence, `+`, quality) and checks each record
 * as it goes: the `@` and `+` lines, and a quality as long as the sequence. Wrapped (multi-line)
 * sequences are not FASTQ as this reads it.
 */
export class FastqScanner implements RecordScanner {
  readonly #locate: Locate;
  #line = 0;
  #lineStart = 0;
  #recordStart = 0;
  #firstByte = UNKNOWN;
  #lastByte = UNKNOWN;
  #sequenceLength = 0;

  constructor(locate: Locate) {
    this.#locate = locate;
  }

  scan(chunk: Uint8Array, offset: number, end: (recordEnd: number) => void): void {
    if (chunk.length === 0) return;
    if (this.#firstByte === UNKNOWN) this.#firstByte = chunk[0]!;
    let newline = chunk.indexOf(NEWLINE);
    while (newline >= 0) {
      const before = newline > 0 ? chunk[newline - 1]! : this.#lastByte;
      const lineEnd = offset + newline - (before === RETURN ? 1 : 0);
      this.#endLine(Math.max(this.#lineStart, lineEnd), offset + newline + 1, end);
      this.#firstByte = newline + 1 < chunk.length ? chunk[newline + 1]! : UNKNOWN;
      newline = chunk.indexOf(NEWLINE, newline + 1);
    }
    this.#lastByte = chunk[chunk.length - 1]!;
  }

  finish(size: number): boolean {
    const open = this.#lineStart < size;
    if (this.#line === 0 && !open) return false;
    if (this.#line === 3 && open) {
      this.#endLine(size - (this.#lastByte === RETURN ? 1 : 0), size, () => {});
      return true;
    }
    throw new TruncatedDataError(
      this.#locate(this.#recordStart),
      `the FASTQ record at text byte ${this.#recordStart} is cut off after ${this.#line + (open ? 1 : 0)} of 4 lines`,
    );
  }

  #endLine(contentEnd: number, next: number, end: (recordEnd: number) => void): void {
    const length = contentEnd - this.#lineStart;
    switch (this.#line) {
      case 0:
        if (this.#firstByte !== AT) this.#fail('does not start with "@"');
        break;
      case 1:
        this.#sequenceLength = length;
        break;
      case 2:
        if (this.#firstByte !== PLUS) this.#fail('has no "+" line after the sequence');
        break;
      case 3:
        if (length !== this.#sequenceLength) {
          this.#fail(`has ${length} quality values for ${this.#sequenceLength} bases`);
        }
        end(next);
        this.#recordStart = next;
        break;
    }
    this.#line = (this.#line + 1) % 4;
    this.#lineStart = next;
  }

  #fail(problem: string): never {
    throw new CorruptDataError(
      this.#locate(this.#recordStart),
      `the FASTQ record at text byte ${this.#recordStart} ${problem}`,
    );
  }
}
