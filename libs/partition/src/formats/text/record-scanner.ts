import type { DataLocation } from '../../errors.js';

/** Where a text offset (in the decompressed content) is, for error messages. */
export type Locate = (textOffset: number) => DataLocation;

/**
 * Finds where records end in a stream of text, one chunk at a time, keeping what it needs across
 * chunks (an open quote, the line of a FASTQ record). A fresh scanner starts at a record start.
 */
export interface RecordScanner {
  /** Scans `chunk`, which starts at text offset `offset`; calls `end` with the offset just past each record ending in it. */
  scan(chunk: Uint8Array, offset: number, end: (recordEnd: number) => void): void;
  /**
   * At the end of the text (`size` bytes): whether an unterminated last record is left (it ends at
   * `size`); throws a named error when the text cannot end there.
   */
  finish(size: number): boolean;
}

/** Makes a scanner whose errors name places found by `locate`. */
export type ScannerFactory = (locate: Locate) => RecordScanner;

/** A scanner of records that are each one line (`\n`-terminated; the last one may lack it). */
export class LineScanner implements RecordScanner {
  #open = false;

  scan(chunk: Uint8Array, offset: number, end: (recordEnd: number) => void): void {
    let newline = chunk.indexOf(0x0a);
    if (newline < 0) {
      if (chunk.length > 0) this.#open = true;
      return;
    }
    while (newline >= 0) {
      end(offset + newline + 1);
      newline = chunk.indexOf(0x0a, newline + 1);
    }
    this.#open = chunk[chunk.length - 1] !== 0x0a;
  }

  finish(): boolean {
    return this.#open;
  }
}

/** Bytes of a record without its line terminator (`\n` or `\r\n`). */
export function withoutLineEnd(record: Uint8Array): Uint8Array {
  let end = record.length;
  if (record[end - 1] === 0x0a) end--;
  if (record[end - 1] === 0x0d) end--;
  return record.subarray(0, end);
}
