import { CorruptDataError } from '../../errors.js';
import type { Locate, RecordScanner } from './record-scanner.js';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Finds CSV row ends (RFC 4180): a newline ends a row unless it is inside a quoted field, so a
 * row may span lines. Quote state flips at every `"` (a doubled `""` flips twice).
 */
export class CsvScanner implements RecordScanner {
  #quoted = false;
  #open = false;
  #rowStart = 0;
  readonly #locate: Locate;

  constructor(locate: Locate) {
    this.#locate = locate;
  }

  scan(chunk: Uint8Array, offset: number, end: (recordEnd: number) => void): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.#quoted) {
        const quote = chunk.indexOf(QUOTE, at);
        if (quote < 0) break;
        this.#quoted = false;
        at = quote + 1;
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, at);
      const quote = chunk.indexOf(QUOTE, at);
      if (quote >= 0 && (newline < 0 || quote < newline)) {
        this.#quoted = true;
        at = quote + 1;
        continue;
      }
      if (newline < 0) break;
      end(offset + newline + 1);
      this.#rowStart = offset + newline + 1;
      at = newline + 1;
    }
    if (chunk.length > 0) this.#open = this.#quoted || chunk[chunk.length - 1] !== NEWLINE;
  }

  finish(size: number): boolean {
    if (this.#quoted) {
      throw new CorruptDataError(
        this.#locate(this.#rowStart),
        `the row at text byte ${this.#rowStart} has a quoted field that never closes (the text ends at ${size})`,
      );
    }
    return this.#open;
  }
}
