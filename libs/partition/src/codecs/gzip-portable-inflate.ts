/// <reference path="./pako-zlib.d.ts" />
import * as zlib from 'pako/lib/zlib/inflate.js';
import ZStream from 'pako/lib/zlib/zstream.js';
import { type BlockInflater, InflateError } from './gzip-block-inflater.js';

const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const ERROR_NAMES: Record<number, string> = {
  [-2]: 'Z_STREAM_ERROR',
  [-3]: 'Z_DATA_ERROR',
  [-4]: 'Z_MEM_ERROR',
};

/**
 * The portable engine of `BlockInflater`: pako's JavaScript port of zlib's inflate, driven one
 * call at a time as zlib's own API is. Slower than the native engine, and relying on nothing
 * internal to Node.js: the fallback when Node's zlib handle is not there.
 */
export class PortableInflater implements BlockInflater {
  consumed = 0;
  produced = 0;
  readonly #dictionary: Uint8Array | undefined;
  #stream = new ZStream();
  #error: InflateError | null = null;

  constructor(dictionary?: Uint8Array) {
    this.#dictionary = dictionary && dictionary.length > 0 ? dictionary : undefined;
    this.#start();
  }

  #start(): void {
    this.#stream = new ZStream();
    this.#error = null;
    zlib.inflateInit2(this.#stream, -15);
    if (this.#dictionary) zlib.inflateSetDictionary(this.#stream, this.#dictionary);
  }

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
    const stream = this.#stream;
    stream.input = input;
    stream.next_in = inputOffset;
    stream.avail_in = inputLength;
    stream.output = output;
    stream.next_out = outputOffset;
    stream.avail_out = outputLength;
    const status = zlib.inflate(stream, flush);
    this.consumed = stream.next_in - inputOffset;
    this.produced = stream.next_out - outputOffset;
    if (status !== Z_OK && status !== Z_STREAM_END && status !== Z_BUF_ERROR) {
      this.#error = new InflateError(
        stream.msg || `zlib status ${status}`,
        ERROR_NAMES[status] ?? `Z_ERRNO_${status}`,
      );
      throw this.#error;
    }
  }

  reset(): void {
    zlib.inflateEnd(this.#stream);
    this.#start();
  }

  close(): void {
    zlib.inflateEnd(this.#stream);
  }
}
