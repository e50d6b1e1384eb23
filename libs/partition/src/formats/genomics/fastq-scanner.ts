import { CorruptDataError, TruncatedDataError } from '../../errors.js';
import { LineSplitter, type TextLine } from '../text/line-splitter.js';
import type { Locate, RecordScanner } from '../text/record-scanner.js';

const AT = 0x40;
const PLUS = 0x2b;

/**
 * Finds FASTQ record ends (4 lines each: `@name`, sequence, `+`, quality) and checks each record
 * as it goes: the `@` and `+` lines, and a quality as long as the sequence. Wrapped (multi-line)
 * sequences are not FASTQ as this reads it.
 */
export class FastqScanner implements RecordScanner {
  readonly #locate: Locate;
  readonly #lines = new LineSplitter();
  #line = 0;
  #recordStart = 0;
  #sequenceLength = 0;

  constructor(locate: Locate) {
    this.#locate = locate;
  }

  scan(chunk: Uint8Array, offset: number, end: (recordEnd: number) => void): void {
    this.#lines.scan(chunk, offset, (line) => this.#check(line, end));
  }

  finish(size: number): boolean {
    const last = (line: TextLine): void => {
      if (line.contentEnd - line.start < this.#sequenceLength) throw this.#truncated(3);
      this.#check(line, () => {});
    };
    if (this.#line === 3 && this.#lines.finish(size, last)) return true;
    if (this.#line === 0 && this.#lines.lineStart >= size) return false;
    throw this.#truncated(this.#line + (this.#lines.lineStart < size ? 1 : 0));
  }

  #truncated(lines: number): TruncatedDataError {
    return new TruncatedDataError(
      this.#locate(this.#recordStart),
      `the FASTQ record at text byte ${this.#recordStart} is cut off after ${lines} of 4 lines`,
    );
  }

  #check(line: TextLine, end: (recordEnd: number) => void): void {
    switch (this.#line) {
      case 0:
        if (line.first !== AT) this.#fail('does not start with "@"');
        break;
      case 1:
        this.#sequenceLength = line.contentEnd - line.start;
        break;
      case 2:
        if (line.first !== PLUS) this.#fail('has no "+" line after the sequence');
        break;
      case 3: {
        const length = line.contentEnd - line.start;
        if (length !== this.#sequenceLength) {
          this.#fail(`has ${length} quality values for ${this.#sequenceLength} bases`);
        }
        end(line.next);
        this.#recordStart = line.next;
        break;
      }
    }
    this.#line = (this.#line + 1) % 4;
  }

  #fail(problem: string): never {
    throw new CorruptDataError(
      this.#locate(this.#recordStart),
      `the FASTQ record at text byte ${this.#recordStart} ${problem}`,
    );
  }
}
