/**
 * Raw-deflate decompression one zlib `inflate()` call at a time, the caller choosing the flush
 * mode: with `Z_BLOCK` a call stops at the next deflate block boundary. What the gzip index pass
 * runs on. A call that stopped with input left and output room to spare stopped at a block
 * boundary or at the end of the stream.
 */
export interface BlockInflater {
  /** Input bytes the last `inflate` consumed. */
  readonly consumed: number;
  /** Output bytes the last `inflate` produced. */
  readonly produced: number;
  /**
   * One `inflate()` call with the flush mode `flush` (a `zlib.constants` value) on
   * `input[inputOffset, +inputLength)` into `output[outputOffset, +outputLength)`. Throws
   * `InflateError` for invalid data (the inflater is then unusable until `reset`).
   */
  inflate(
    flush: number,
    input: Uint8Array,
    inputOffset: number,
    inputLength: number,
    output: Uint8Array,
    outputOffset: number,
    outputLength: number,
  ): void;
  /** Starts a new raw deflate stream (the next gzip member's). */
  reset(): void;
  /** Frees the state. */
  close(): void;
}

/** What a failed `inflate()` call reports: zlib's message and code (such as `Z_DATA_ERROR`). */
export class InflateError extends Error {
  /** zlib's error code name, such as `Z_DATA_ERROR`. */
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.name = 'InflateError';
    this.code = code;
  }
}

/**
 * The engines a `BlockInflater` runs on: `native` is Node's own zlib driven through its
 * undocumented synchronous handle (the speed of `gunzip`); `portable` is pako's JavaScript port of
 * zlib (about 1.7× slower, relying on nothing internal).
 */
export type InflaterEngine = 'native' | 'portable';

/** Makes a raw inflater, primed with `dictionary` (up to 32 KiB of preceding output) when given. */
export type InflaterFactory = (dictionary?: Uint8Array) => BlockInflater;
