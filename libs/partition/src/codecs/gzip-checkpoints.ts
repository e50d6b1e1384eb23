import { constants, crc32, deflateRawSync } from 'node:zlib';
import { CorruptDataError, TrailingDataError, TruncatedDataError } from '../errors.js';
import {
  type BlockInflater,
  InflateError,
  type InflaterEngine,
  type InflaterFactory,
} from './gzip-block-inflater.js';
import { GZIP_TRAILER_BYTES, gzipHeaderLength, startsWithGzipMagic } from './gzip-member-header.js';
import { NativeInflater } from './gzip-native-inflate.js';
import { type BlockStop, PendingCheckpoint } from './gzip-pending-checkpoint.js';
import { PortableInflater } from './gzip-portable-inflate.js';

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

const OUTPUT_BYTES = 1 << 20;
const BOUNDARY_SPACING = 64 << 10;
/** Compressed bytes each inflate call sees at most: up to the next multiple of this. */
const INPUT_SPAN = 64 << 10;

/** The engine used when none is asked for: native where this Node.js allows it, else portable. */
export function defaultInflaterEngine(): InflaterEngine {
  return NativeInflater.available() ? 'native' : 'portable';
}

/** The inflaters of an engine. */
function inflaterFactory(engine: InflaterEngine): InflaterFactory {
  return engine === 'native'
    ? (dictionary) => new NativeInflater(dictionary)
    : (dictionary) => new PortableInflater(dictionary);
}

/**
 * The index pass over a gzip file: decompresses it once, sequentially, with zlib's `Z_BLOCK`
 * (which stops at every deflate block boundary) on a `BlockInflater` engine — Node's native zlib
 * where its internals allow, else the portable one (`engine` forces either) — yields the content and
 * records checkpoints about every `spacing` decompressed bytes. A checkpoint's bit count, which
 * Node's zlib does not report, is found by trial from the output after it (`findBoundaryBits`);
 * content after a checkpoint is yielded only once the checkpoint is recorded. Checks every
 * member's CRC-32 and length; truncation, corruption and bytes after the last member fail with
 * the named errors.
 */
export class GzipIndexer {
  readonly #key: string;
  readonly #spacing: number;
  readonly #checkpoints: GzipCheckpoint[] = [];
  readonly #boundaries: number[] = [];
  #members = 0;
  #compressedSize = 0;
  #decompressedSize = 0;

  readonly #newInflater: InflaterFactory;
  /** The engine the pass runs on. */
  readonly engine: InflaterEngine;

  constructor(key: string, spacing: number, engine: InflaterEngine = defaultInflaterEngine()) {
    this.#key = key;
    this.#spacing = spacing;
    this.engine = engine;
    this.#newInflater = inflaterFactory(engine);
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
    /** Output buffer; yielded content is a view of it, never written again (a full buffer is replaced). */
    let output = new Uint8Array(DEFLATE_WINDOW_BYTES + OUTPUT_BYTES);
    const inflater: BlockInflater = this.#newInflater();
    /** Decompressed offset of `output[0]`. */
    let outputBase = 0;
    let outputEnd = 0;
    let yielded = 0;
    let lastCheckpoint = Number.NEGATIVE_INFINITY;
    let lastBoundary = Number.NEGATIVE_INFINITY;
    /** The due checkpoint whose bit count is still to be found; `lastCheckpoint` is its `out` meanwhile. */
    let pending = null as PendingCheckpoint | null;
    try {
      while (true) {
        const memberStart = input.position;
        const headerLength = await this.#header(input);
        input.advance(headerLength);
        const memberOut = outputBase + outputEnd;
        const memberCheckpoints: GzipCheckpoint[] = [];
        const windowBefore = (out: number): Uint8Array =>
          output.slice(out - outputBase - Math.min(DEFLATE_WINDOW_BYTES, out - memberOut), out - outputBase);
        const keep = (stop: BlockStop, bits: number, window: Uint8Array): void => {
          const { in: at, out } = stop;
          const checkpoint = { in: at, bits, out, memberEnd: -1, window: encodeWindow(window) };
          this.#checkpoints.push(checkpoint);
          memberCheckpoints.push(checkpoint);
        };
        /** A block boundary: recorded if due, as a checkpoint once its bit count is known. */
        const boundary = (stop: BlockStop): void => {
          const { out } = stop;
          const due = this.#checkpoints.length === 0 || out - lastCheckpoint >= this.#spacing;
          if (due || out - lastBoundary >= BOUNDARY_SPACING) {
            this.#boundaries.push(stop.in, out);
            lastBoundary = out;
          }
          if (pending) {
            pending.add(stop, windowBefore(out));
          } else if (due) {
            pending = new PendingCheckpoint(stop, windowBefore(out), this.#newInflater);
            lastCheckpoint = out;
          }
        };
        /** Tries the pending checkpoint against the output after it. */
        const resolve = (complete: boolean): void => {
          const resolution = pending!.resolve(
            output.subarray(pending!.out - outputBase, outputEnd),
            complete,
          );
          if (resolution.kind === 'wait') {
            lastCheckpoint = pending!.out;
            return;
          }
          pending = null;
          lastCheckpoint = this.#checkpoints.at(-1)?.out ?? Number.NEGATIVE_INFINITY;
          if (resolution.kind === 'found') {
            keep(resolution.stop, resolution.bits, resolution.window);
            lastCheckpoint = resolution.stop.out;
          }
        };
        const start = { in: input.position, out: memberOut, previousByte: 0 };
        const due = this.#checkpoints.length === 0 || memberOut - lastCheckpoint >= this.#spacing;
        if (due) {
          keep(start, 0, new Uint8Array(0));
          lastCheckpoint = memberOut;
        }
        if (due || memberOut - lastBoundary >= BOUNDARY_SPACING) {
          this.#boundaries.push(start.in, memberOut);
          lastBoundary = memberOut;
        }
        inflater.reset();
        let crc = 0;
        /** Where the last call stopped with input left and output room: a block boundary, or the end. */
        let stop: BlockStop | null = null;
        while (true) {
          // Input up to the next multiple of INPUT_SPAN, however it arrives: a stop with no input
          // left may or may not be a boundary, and which boundaries are found must not depend on
          // the chunks.
          const spanEnd = (Math.floor(input.position / INPUT_SPAN) + 1) * INPUT_SPAN;
          await input.fill(spanEnd - input.position);
          if (input.available === 0) {
            throw new TruncatedDataError(
              { key: this.#key, offset: input.position },
              `the gzip member at byte ${memberStart} ends inside its deflate data`,
            );
          }
          const given = Math.min(input.available, spanEnd - input.position);
          try {
            inflater.inflate(
              constants.Z_BLOCK,
              input.bytes,
              input.offset,
              given,
              output,
              outputEnd,
              output.length - outputEnd,
            );
          } catch (error) {
            if (!(error instanceof InflateError)) throw error;
            throw new CorruptDataError(
              { key: this.#key, offset: input.position + input.available },
              `invalid deflate data in the gzip member at byte ${memberStart}, after byte ` +
                `${input.position}: ${error.message}`,
              { cause: error },
            );
          }
          const { consumed, produced } = inflater;
          // Nothing consumed or produced right after a stop: the deflate data has ended there.
          if (consumed === 0 && produced === 0 && stop !== null) break;
          // Otherwise the deflate data goes on after the last stop, which was a block boundary.
          if (stop !== null) boundary(stop);
          pending?.collect(input.bytes.subarray(input.offset, input.offset + consumed));
          input.advance(consumed);
          crc = crc32(output.subarray(outputEnd, outputEnd + produced), crc);
          outputEnd += produced;
          stop =
            consumed < given && outputEnd < output.length
              ? { in: input.position, out: outputBase + outputEnd, previousByte: input.lastByte }
              : null;
          if (pending && outputBase + outputEnd - pending.out >= DEFLATE_WINDOW_BYTES) resolve(false);
          if (outputEnd === output.length) {
            // Content after a pending checkpoint waits, and is kept (less than SETTLED_BYTES).
            const end = pending ? pending.out - outputBase : outputEnd;
            if (end > yielded) yield output.subarray(yielded, end);
            const kept = Math.min(outputEnd - DEFLATE_WINDOW_BYTES, end);
            const next = new Uint8Array(output.length);
            next.set(output.subarray(kept, outputEnd));
            output = next;
            outputBase += kept;
            yielded = Math.max(end, yielded) - kept;
            outputEnd -= kept;
          }
        }
        if (pending) resolve(true);
        if (
          outputBase + outputEnd === memberOut &&
          memberCheckpoints.length > 0 &&
          this.#checkpoints.length > 1
        ) {
          // An empty member is no place to start at (nothing would be read from it), unless all are.
          this.#checkpoints.pop();
          memberCheckpoints.pop();
          lastCheckpoint = this.#checkpoints.at(-1)?.out ?? Number.NEGATIVE_INFINITY;
        }
        const memberEnd = input.position;
        for (const checkpoint of memberCheckpoints) checkpoint.memberEnd = memberEnd;
        this.#members++;
        await this.#trailer(input, memberStart, crc, outputBase + outputEnd - memberOut);
        if (input.available === 0 && !(await input.more())) break;
        if (outputEnd > yielded) {
          yield output.subarray(yielded, outputEnd);
          yielded = outputEnd;
        }
      }
    } finally {
      inflater.close();
    }
    if (outputEnd > yielded) yield output.subarray(yielded, outputEnd);
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
  /** The last byte consumed (`advance`d over). */
  lastByte = 0;
  #base = 0;
  #ended = false;
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
    if (bytes > 0) this.lastByte = this.bytes[this.offset - 1]!;
  }

  /** Appends the next chunk to what is unread; false at the end of the input. */
  async more(): Promise<boolean> {
    if (this.#ended) return false;
    const next = await this.#chunks.next();
    if (next.done) {
      this.#ended = true;
      return false;
    }
    this.#append([next.value]);
    return true;
  }

  /** Reads on until at least `bytes` are unread or the input ends (joining chunks once). */
  async fill(bytes: number): Promise<void> {
    const chunks: Uint8Array[] = [];
    let available = this.available;
    while (available < bytes && !this.#ended) {
      const next = await this.#chunks.next();
      if (next.done) this.#ended = true;
      else {
        chunks.push(next.value);
        available += next.value.length;
      }
    }
    if (chunks.length > 0) this.#append(chunks);
  }

  #append(chunks: Uint8Array[]): void {
    const unread = this.bytes.subarray(this.offset);
    this.#base += this.offset;
    this.offset = 0;
    this.bytes = unread.length === 0 && chunks.length === 1 ? chunks[0]! : Buffer.concat([unread, ...chunks]);
  }
}
