const NEWLINE = 0x0a;
const RETURN = 0x0d;
const UNKNOWN = -1;
/** `keep` for a splitter that keeps no line's content. */
const KEEP_NONE = -2;

/** One line of a text stream: where it starts, where its content ends (before `\r\n` or `\n`), where the next starts. */
export interface TextLine {
  start: number;
  contentEnd: number;
  next: number;
  /** Its first byte (the terminator's for an empty line). */
  first: number;
  /** Its content, for lines the splitter was asked to keep. */
  content: Uint8Array | undefined;
}

/**
 * Splits a stream of text into lines, one chunk at a time, for scanners that look at every line
 * (FASTQ, FASTA): lines may span chunks; `\r\n` and `\n` both end a line. Lines whose first byte
 * is `keep` come with their content. Each line is reported in the same object, updated in
 * place (so that millions of lines allocate nothing): callbacks read it and do not keep it.
 */
export class LineSplitter {
  readonly #keep: number;
  #lineStart = 0;
  #first = UNKNOWN;
  #last = UNKNOWN;
  #kept: Uint8Array[] = [];
  /** The line reported to callbacks: one object, updated for every line (callbacks must not keep it). */
  readonly #report: TextLine = { start: 0, contentEnd: 0, next: 0, first: UNKNOWN, content: undefined };

  constructor(keep: number = KEEP_NONE) {
    this.#keep = keep;
  }

  /** Where the line being read started. */
  get lineStart(): number {
    return this.#lineStart;
  }

  /** Reports every line that ends in `chunk` (which starts at text offset `offset`). */
  scan(chunk: Uint8Array, offset: number, line: (line: TextLine) => void): void {
    if (chunk.length === 0) return;
    if (this.#first === UNKNOWN) this.#first = chunk[0]!;
    let from = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline >= 0; newline = chunk.indexOf(NEWLINE, from)) {
      const before = newline > 0 ? chunk[newline - 1]! : this.#last;
      const contentEnd = Math.max(this.#lineStart, offset + newline - (before === RETURN ? 1 : 0));
      const content =
        this.#first === this.#keep
          ? this.#content(chunk.subarray(from, newline), contentEnd - this.#lineStart)
          : undefined;
      line(this.#reported(contentEnd, offset + newline + 1, content));
      this.#lineStart = offset + newline + 1;
      from = newline + 1;
      this.#first = from < chunk.length ? chunk[from]! : UNKNOWN;
    }
    if (from < chunk.length && this.#first === this.#keep) this.#kept.push(chunk.slice(from));
    this.#last = chunk[chunk.length - 1]!;
  }

  /** At the end of the text (`size` bytes): reports a last line without terminator; false when there is none. */
  finish(size: number, line: (line: TextLine) => void): boolean {
    if (this.#lineStart >= size) return false;
    const contentEnd = size - (this.#last === RETURN ? 1 : 0);
    const content =
      this.#first === this.#keep ? this.#content(new Uint8Array(0), contentEnd - this.#lineStart) : undefined;
    line(this.#reported(contentEnd, size, content));
    this.#lineStart = size;
    return true;
  }

  #reported(contentEnd: number, next: number, content: Uint8Array | undefined): TextLine {
    const report = this.#report;
    report.start = this.#lineStart;
    report.contentEnd = contentEnd;
    report.next = next;
    report.first = this.#first;
    report.content = content;
    return report;
  }

  #content(tail: Uint8Array, length: number): Uint8Array {
    const whole = this.#kept.length === 0 ? tail : Buffer.concat([...this.#kept, tail]);
    this.#kept = [];
    return whole.subarray(0, length);
  }
}
