import { createInflateRaw, type InflateRaw } from 'node:zlib';
import { type BlockInflater, InflateError } from './gzip-block-inflater.js';

/** The parts of a Node zlib stream's native handle that one synchronous `inflate()` call needs. */
type ZlibHandle = {
  writeSync(
    flush: number,
    input: Uint8Array,
    inputOffset: number,
    inputLength: number,
    output: Uint8Array,
    outputOffset: number,
    outputLength: number,
  ): void;
  reset(): void;
  onerror: (message: string, errno: number, code: string) => void;
};

type NativeInflateRaw = InflateRaw & { _handle?: ZlibHandle; _writeState?: Uint32Array };

/**
 * The native engine of `BlockInflater`: Node's own zlib (the handle behind
 * `zlib.createInflateRaw()`, driven the way Node's `processChunkSync` drives it), at native speed.
 * Relies on Node internals; `NativeInflater.available()` says whether they are there.
 */
export class NativeInflater implements BlockInflater {
  /** Input bytes the last `inflate` consumed. */
  consumed = 0;
  /** Output bytes the last `inflate` produced. */
  produced = 0;
  readonly #stream: NativeInflateRaw;
  readonly #handle: ZlibHandle;
  readonly #state: Uint32Array;
  #error: InflateError | null = null;

  static #available: boolean | undefined;

  /** Whether this Node.js exposes the zlib internals the native engine drives (checked once). */
  static available(): boolean {
    if (NativeInflater.#available === undefined) {
      try {
        new NativeInflater().close();
        NativeInflater.#available = true;
      } catch {
        NativeInflater.#available = false;
      }
    }
    return NativeInflater.#available;
  }

  /**
   * A raw inflater, primed with `dictionary` (up to 32 KiB of preceding output) when given; throws
   * when this Node.js lacks the internals it drives.
   */
  constructor(dictionary?: Uint8Array) {
    this.#stream = createInflateRaw(dictionary && dictionary.length > 0 ? { dictionary } : {});
    const handle = this.#stream._handle;
    const state = this.#stream._writeState;
    if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array)) {
      this.#stream.close();
      throw new Error('this Node.js zlib has no synchronous native handle (_handle.writeSync, _writeState)');
    }
    this.#handle = handle;
    this.#state = state;
    this.#handle.onerror = (message, _errno, code) => {
      this.#error = new InflateError(message, code);
    };
  }

  /**
   * One `inflate()` call with the flush mode `flush` (a `zlib.constants` value) on
   * `input[inputOffset, inputOffset + inputLength)` into `output[outputOffset, outputOffset + outputLength)`;
   * sets `consumed` and `produced`. Throws `InflateError` for invalid data (the inflater is
   * then unusable until `reset`).
   */
  inflate(
    flush: number,
    input: Uint8Array,
    inputOffset: number,
    inputLength: number,
    output: Uint8Array,
    outputOffset: number,
    outputLength: number,
  ): void {
    if (this.#error) throw this.#error;
    this.#handle.writeSync(flush, input, inputOffset, inputLength, output, outputOffset, outputLength);
    if (this.#error) throw this.#error;
    this.produced = outputLength - this.#state[0]!;
    this.consumed = inputLength - this.#state[1]!;
  }

  /** Starts a new raw deflate stream (the next gzip member's). */
  reset(): void {
    this.#error = null;
    this.#handle.reset();
  }

  /** Frees the native state. */
  close(): void {
    this.#stream.close();
  }
}
