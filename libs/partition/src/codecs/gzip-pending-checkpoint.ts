import type { InflaterFactory } from './gzip-block-inflater.js';
import { findBoundaryBits, MIN_EXPECTED_BYTES } from './gzip-boundary-bits.js';

/** A deflate block boundary native zlib stopped at: where, and the compressed byte before it. */
export type BlockStop = {
  /** The compressed byte after the boundary. */
  in: number;
  /** The decompressed offset of the boundary. */
  out: number;
  /** The compressed byte `in - 1`, whose high bits may belong to the next block. */
  previousByte: number;
};

/**
 * Output after a boundary beyond which candidate bit counts that still agree are taken to be
 * equivalent (they then decode alike, as when a stored block's header is also read from its
 * padding); before, more output is awaited.
 */
export const SETTLED_BYTES = 128 << 10;

/** A boundary with the member's output before it (up to 32 KiB). */
type Candidate = { stop: BlockStop; window: Uint8Array };

/** What trying a pending checkpoint's boundaries gave. */
export type CheckpointResolution =
  /** A boundary to keep as a checkpoint, with its bit count and window. */
  | { kind: 'found'; stop: BlockStop; bits: number; window: Uint8Array }
  /** Not enough output after the remaining boundaries yet (`out` moved to the first of them). */
  | { kind: 'wait' }
  /** No boundary is a place to start at. */
  | { kind: 'none' };

/**
 * A checkpoint waiting for its bit count: the boundary it is due at, and the boundaries after it
 * to fall back on (in order) if that one turns out to be no place to start at. Collects the
 * compressed bytes consumed after the first boundary, which, with the output after it, are the
 * evidence `findBoundaryBits` decides on.
 */
export class PendingCheckpoint {
  #candidates: Candidate[];
  #compressed: Uint8Array[] = [];
  /** The compressed offset of the first collected byte. */
  #compressedStart: number;

  readonly #newInflater: InflaterFactory;

  /** `newInflater` makes the inflaters the trial decoding runs on. */
  constructor(stop: BlockStop, window: Uint8Array, newInflater: InflaterFactory) {
    this.#candidates = [{ stop, window }];
    this.#newInflater = newInflater;
    this.#compressedStart = stop.in;
  }

  /** The decompressed offset of the first boundary still to try. */
  get out(): number {
    return this.#candidates[0]!.stop.out;
  }

  /** Adds a later boundary to fall back on (`window` is kept, not copied). */
  add(stop: BlockStop, window: Uint8Array): void {
    this.#candidates.push({ stop, window });
  }

  /** Keeps a copy of compressed bytes consumed after the boundaries so far (in order, none skipped). */
  collect(bytes: Uint8Array): void {
    if (bytes.length > 0) this.#compressed.push(bytes.slice());
  }

  /**
   * Tries the boundaries in order against `content`, the output from `out` on; `complete` when
   * that is all of the member's remaining output (and the collected bytes all its remaining
   * deflate data). Without `complete`, a boundary with less than 4 KiB of output after it, or
   * with several candidate bit counts and less than `SETTLED_BYTES`, waits for more.
   */
  resolve(content: Uint8Array, complete: boolean): CheckpointResolution {
    const compressed = Buffer.concat(this.#compressed);
    const first = this.out;
    for (const [i, { stop, window }] of this.#candidates.entries()) {
      const expected = content.subarray(stop.out - first);
      if (!complete && expected.length < MIN_EXPECTED_BYTES) {
        this.#keepFrom(i, compressed);
        return { kind: 'wait' };
      }
      const bits = findBoundaryBits(
        {
          previousByte: stop.previousByte,
          compressed: compressed.subarray(stop.in - this.#compressedStart),
          window,
          expected,
          complete,
        },
        this.#newInflater,
      );
      if (bits.length === 1 || (bits.length > 1 && (complete || expected.length >= SETTLED_BYTES))) {
        // Candidates that agree this far decode alike (stored-block padding): any will do.
        return { kind: 'found', stop, bits: bits.at(-1)!, window };
      }
      if (bits.length > 1) {
        this.#keepFrom(i, compressed);
        return { kind: 'wait' };
      }
    }
    return { kind: 'none' };
  }

  /** Drops the boundaries before the `i`th and the compressed bytes before it. */
  #keepFrom(i: number, compressed: Buffer): void {
    this.#candidates = this.#candidates.slice(i);
    const start = this.#candidates[0]!.stop.in;
    this.#compressed = [compressed.subarray(start - this.#compressedStart)];
    this.#compressedStart = start;
  }
}
