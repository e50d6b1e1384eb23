/// <reference path="./gzip-pako.d.ts" />
import { crc32, deflateRawSync } from 'node:zlib';
import * as pakoInflate from 'pako/lib/zlib/inflate.js';
import ZStream from 'pako/lib/zlib/zstream.js';
import { CorruptDataError, TrailingDataError, TruncatedDataError } from '../errors.js';
import { GZIP_TRAILER_BYTES, gzipHeaderLength, startsWithGzipMagic } from './gzip-member-header.js';

/** Bytes of history a deflate stream may refer back to: what a checkpoint keeps of the output. */
export const DEFLATE_WINDOW_BYTES = 32 * 1024;

/**
 * A place where decompression of a gzip file can start (as in zlib's `zran.c`): a deflate block
 * boundary inside a member, with the 32 KiB of output before it.
 */
export type GzipCheckpoint = {
  /** The compressed byte after the boundary (the boundary is `bits` bits before it). */
  in: number;
  /** Bits of the byte `in - 1` that belong to the next block (its high bits), 0–7. */
  bits: number;
  /** The decompressed offset of the boundary. */
  out: number;
  /** The compressed offset where the member's deflate data ends (its 8-byte trailer starts there). */
  memberEnd: number;
  /** Up to 32 KiB of output before the boundary (the member's only), raw-deflated, base64. */
  window: string;
};

/** What the index pass learns about a gzip file. */
export type GzipLayout = {
  /** Members (concatenated gzip streams; BGZF files have many). */
  members: number;
  /** Bytes of the gzip file. */
  compressedSize: number;
  /** Bytes of its content. */
  decompressedSize: number;
  /** Checkpoints by growing `out`; the first is at decompressed offset 0. */
  checkpoints: GzipCheckpoint[];
  /**
   * Block boundaries about every 64 KiB of output (the checkpoints' among them), flat:
   * `[in, out, in, out, …]`. No window: they only tell where a compressed range may end.
   */
  boundaries: number[];
};

/** Checkpoint spacing in decompressed bytes for a gzip file of `compressedSize` bytes: 64 KiB–4 MiB. */
export function gzipCheckpointSpacing(compressedSize: number): number {
  return Math.min(4 << 20, Math.max(64 << 10, Math.ceil(compressedSize / 8)));
}

const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const Z_BLOCK = 5;
const AT_BLOCK_BOUNDARY = 128;
const IN_LAST_BLOCK = 64;
const OUTPUT_BYTES = 1 << 20;
const BOUNDARY_SPACING = 64 << 10;

/**
 * The index pass over a gzip file: decompresses it once, sequentially (pako's inflate with
 * `Z_BLOCK`, which stops at every deflate block boundary), yields the content and records
 * checkpoints about every `spacing` decompressed bytes. Checks every member's CRC-32 and length;
 * truncation, corruption and bytes after the last member fail with the named errors.
 */
export class GzipIndexer {
  readonly #key: string;
  readonly #spacing: number;
  readonly #checkpoints: GzipCheckpoint[] = [];
  readonly #boundaries: number[] = [];
  #members = 0;
  #compressedSize = 0;
  #decompressedSize = 0;

  constructor(key: string, spacing: number) {
    this.#key = key;
    this.#spacing = spacing;
  }

  /** The checkpoints so far (all of them once `inflate` is done). */
  get checkpoints(): readonly GzipCheckpoint[] {
    return this.#checkpoints;
  }

  /** The layout, once `inflate` has run to the end. */
  layout(): GzipLayout {
    return {
      members: this.#members,
      compressedSize: this.#compressedSize,
      decompressedSize: this.#decompressedSize,
      checkpoints: [...this.#checkpoints],
      boundaries: [...this.#boundaries],
    };
  }

  /**
   * Decompresses `compressed` (the whole file, in order), yielding the content in chunks of about
   * 1 MiB. A checkpoint is recorded before the content after it is yielded.
   */
  async *inflate(compressed: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    const input = new InputCursor(compressed[Symbol.asyncIterator]());
    const output = new Uint8Array(DEFLATE_WINDOW_BYTES + OUTPUT_BYTES);
    /** Decompressed offset of `output[0]`. */
    let outputBase = 0;
    let outputEnd = 0;
    let yielded = 0;
    let lastCheckpoint = Number.NEGATIVE_INFINITY;
    let lastBoundary = Number.NEGATIVE_INFINITY;
    while (true) {
      const memberStart = input.position;
      const headerLength = await this.#header(input);
      input.advance(headerLength);
      const memberOut = outputBase + outputEnd;
      const memberCheckpoints: GzipCheckpoint[] = [];
      const boundary = (bits: number, window: Uint8Array): void => {
        const out = outputBase + outputEnd;
        const due = this.#checkpoints.length === 0 || out - lastCheckpoint >= this.#spacing;
        if (due || out - lastBoundary >= BOUNDARY_SPACING) {
          this.#boundaries.push(input.position, out);
          lastBoundary = out;
        }
        if (!due) return;
        const point = { in: input.position, bits, out, memberEnd: -1, window: encodeWindow(window) };
        this.#checkpoints.push(point);
        memberCheckpoints.push(point);
        lastCheckpoint = out;
      };
      boundary(0, new Uint8Array(0));
      const stream = new ZStream();
      pakoInflate.inflateInit2(stream, -15);
      stream.output = output;
      let crc = 0;
      while (true) {
        if (input.available === 0 && !(await input.more())) {
          throw new TruncatedDataError(
            { key: this.#key, offset: input.position },
            `the gzip member at byte ${memberStart} ends inside its deflate data`,
          );
        }
        stream.input = input.bytes;
        stream.next_in = input.offset;
        stream.avail_in = input.available;
        stream.next_out = outputEnd;
        stream.avail_out = output.length - outputEnd;
        const status = pakoInflate.inflate(stream, Z_BLOCK);
        input.advance(stream.next_in - input.offset);
        crc = crc32(output.subarray(outputEnd, stream.next_out), crc);
        outputEnd = stream.next_out;
        if (status === Z_STREAM_END) break;
        if (status !== Z_OK && status !== Z_BUF_ERROR) {
          throw new CorruptDataError(
            { key: this.#key, offset: input.position },
            `invalid deflate data in the gzip member at byte ${memberStart}: ${stream.msg || `zlib status ${status}`}`,
          );
        }
        if (stream.data_type & AT_BLOCK_BOUNDARY && !(stream.data_type & IN_LAST_BLOCK)) {
          const windowBytes = Math.min(DEFLATE_WINDOW_BYTES, outputBase + outputEnd - memberOut);
          boundary(stream.data_type & 7, output.subarray(outputEnd - windowBytes, outputEnd));
        }
        if (outputEnd === output.length) {
          yield output.slice(yielded, outputEnd);
          output.copyWithin(0, outputEnd - DEFLATE_WINDOW_BYTES, outputEnd);
          outputBase += outputEnd - DEFLATE_WINDOW_BYTES;
          outputEnd = yielded = DEFLATE_WINDOW_BYTES;
        }
      }
      pakoInflate.inflateEnd(stream);
      const memberEnd = input.position;
      for (const checkpoint of memberCheckpoints) checkpoint.memberEnd = memberEnd;
      this.#members++;
      await this.#trailer(input, memberStart, crc, outputBase + outputEnd - memberOut);
      if (input.available === 0 && !(await input.more())) break;
      if (outputEnd > yielded) {
        yield output.slice(yielded, outputEnd);
        yielded = outputEnd;
      }
    }
    if (outputEnd > yielded) yield output.slice(yielded, outputEnd);
    this.#compressedSize = input.position;
    this.#decompressedSize = outputBase + outputEnd;
  }

  async #header(input: InputCursor): Promise<number> {
    while (true) {
      let length: number | undefined;
      try {
        length = gzipHeaderLength(input.bytes.subarray(input.offset));
      } catch (error) {
        if (this.#members > 0 && !startsWithGzipMagic(input.bytes.subarray(input.offset))) {
          throw new TrailingDataError(
            { key: this.#key, offset: input.position },
            `bytes that are not a gzip member follow the last member`,
          );
        }
        throw new CorruptDataError({ key: this.#key, offset: input.position }, (error as Error).message);
      }
      if (length !== undefined) return length;
      if (!(await input.more())) {
        throw new TruncatedDataError(
          { key: this.#key, offset: input.position + input.available },
          'the data ends inside a gzip member header',
        );
      }
    }
  }

  async #trailer(input: InputCursor, memberStart: number, crc: number, size: number): Promise<void> {
    while (input.available < GZIP_TRAILER_BYTES) {
      if (!(await input.more())) {
        throw new TruncatedDataError(
          { key: this.#key, offset: input.position + input.available },
          `the gzip member at byte ${memberStart} ends inside its 8-byte trailer`,
        );
      }
    }
    const trailer = new DataView(
      input.bytes.buffer,
      input.bytes.byteOffset + input.offset,
      GZIP_TRAILER_BYTES,
    );
    const storedCrc = trailer.getUint32(0, true);
    const storedSize = trailer.getUint32(4, true);
    if (storedCrc !== crc >>> 0 || storedSize !== size % 2 ** 32) {
      throw new CorruptDataError(
        { key: this.#key, offset: input.position },
        `the gzip member at byte ${memberStart} fails its check: CRC-32 ${hex(crc)} and ${size} bytes ` +
          `decompressed, the trailer says ${hex(storedCrc)} and ${storedSize}`,
      );
    }
    input.advance(GZIP_TRAILER_BYTES);
  }
}

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/** A checkpoint's window as stored in JSON: raw-deflated, base64. */
export function encodeWindow(window: Uint8Array): string {
  return window.length === 0 ? '' : deflateRawSync(window).toString('base64');
}

/** Compressed input as it streams in: the current bytes and the absolute position in them. */
class InputCursor {
  bytes: Uint8Array = new Uint8Array(0);
  offset = 0;
  #base = 0;
  readonly #chunks: AsyncIterator<Uint8Array>;

  constructor(chunks: AsyncIterator<Uint8Array>) {
    this.#chunks = chunks;
  }

  /** The absolute position of `bytes[offset]`. */
  get position(): number {
    return this.#base + this.offset;
  }

  get available(): number {
    return this.bytes.length - this.offset;
  }

  advance(bytes: number): void {
    this.offset += bytes;
  }

  /** Appends the next chunk to what is unread; false at the end of the input. */
  async more(): Promise<boolean> {
    const next = await this.#chunks.next();
    if (next.done) return false;
    const unread = this.bytes.subarray(this.offset);
    this.#base += this.offset;
    this.offset = 0;
    if (unread.length === 0) {
      this.bytes = next.value;
    } else {
      const joined = new Uint8Array(unread.length + next.value.length);
      joined.set(unread);
      joined.set(next.value, unread.length);
      this.bytes = joined;
    }
    return true;
  }
}
