// Types of the parts of pako 2's low-level zlib port that the portable inflater uses (pako ships none).

declare module 'pako/lib/zlib/zstream.js' {
  /** zlib's z_stream: buffers, positions and the state of one (de)compression. */
  export default class ZStream {
    input: Uint8Array | null;
    next_in: number;
    avail_in: number;
    output: Uint8Array | null;
    next_out: number;
    avail_out: number;
    msg: string;
  }
}

declare module 'pako/lib/zlib/inflate.js' {
  import type ZStream from 'pako/lib/zlib/zstream.js';
  /** zlib's inflateInit2: negative `windowBits` for a raw deflate stream. */
  export function inflateInit2(strm: ZStream, windowBits: number): number;
  /** zlib's inflateSetDictionary: the output before the stream's start, for a raw stream. */
  export function inflateSetDictionary(strm: ZStream, dictionary: Uint8Array): number;
  /** zlib's inflate with a flush mode (`Z_BLOCK` = 5 stops at deflate block boundaries). */
  export function inflate(strm: ZStream, flush: number): number;
  /** Frees the state. */
  export function inflateEnd(strm: ZStream): number;
}
