import { constants } from 'node:zlib';
import { NativeInflateError, NativeInflater } from './gzip-native-inflate.js';

/** Output compared first (each of the 8 candidates decodes this much); less is not enough to tell. */
export const MIN_EXPECTED_BYTES = 4 << 10;
const FIRST_COMPARE_BYTES = MIN_EXPECTED_BYTES;
/** Compressed bytes always enough for `FIRST_COMPARE_BYTES` of output (deflate expands by < 1 %, plus a block header). */
const FIRST_INPUT_BYTES = 16 << 10;

/** What is known about a deflate block boundary in a raw deflate stream, except where in its byte it is. */
export type BoundaryEvidence = {
  /** The compressed byte before the boundary's byte (the last one consumed up to the boundary). */
  previousByte: number;
  /** The compressed bytes from the boundary's byte on, as far as known. */
  compressed: Uint8Array;
  /** The member's output before the boundary, up to 32 KiB (the dictionary to decode with). */
  window: Uint8Array;
  /** The output that `compressed` decodes to after the boundary (at least). */
  expected: Uint8Array;
  /** Whether `compressed` runs to the end of the deflate stream and `expected` is all its remaining output. */
  complete: boolean;
};

/**
 * The number of bits of `previousByte` (its high bits) where the next deflate block starts, 0–7,
 * as the partition reader (`inflateGzipRange`) will use it: what zlib's `data_type & 7` says
 * after a `Z_BLOCK` stop, which Node's zlib does not expose. Found by trial, decoding exactly as
 * the reader does (the bit stream shifted to start at bit 0, native raw inflate with the window
 * as dictionary): of the 8 candidates, the one whose output equals `expected` wins (4 KiB
 * compared first, then all of `expected` if more than one agrees; with `complete`, the output
 * must also end where `expected` does). Candidates that still agree decode the same bytes in the
 * same way: the largest count is returned. `undefined` when `expected` is shorter than 4 KiB (too
 * little to be sure) or no candidate reproduces it: the boundary is no place to start at. That
 * happens where a stored block starts mid-byte, as after a `Z_SYNC_FLUSH`: a stored block's data
 * starts at the next byte of the original stream, which shifting the bits misaligns.
 */
export function findBoundaryBits(evidence: BoundaryEvidence): number | undefined {
  const { expected, complete } = evidence;
  if (expected.length < MIN_EXPECTED_BYTES) return undefined;
  let candidates = [0, 1, 2, 3, 4, 5, 6, 7];
  const stages =
    expected.length > FIRST_COMPARE_BYTES ? [FIRST_COMPARE_BYTES, expected.length] : [expected.length];
  for (const length of stages) {
    const whole = length === expected.length;
    const inputBytes = whole ? evidence.compressed.length : FIRST_INPUT_BYTES;
    candidates = candidates.filter((bits) =>
      decodesTo(evidence, bits, inputBytes, expected.subarray(0, length), whole && complete),
    );
    if (candidates.length <= 1) break;
  }
  return candidates.at(-1);
}

/**
 * Whether the compressed bytes, started `bits` bits before the boundary's byte, decode to
 * `expected` (and to nothing more with `exact`).
 */
function decodesTo(
  evidence: BoundaryEvidence,
  bits: number,
  inputBytes: number,
  expected: Uint8Array,
  exact: boolean,
): boolean {
  const input = shiftedStart(evidence.previousByte, evidence.compressed.subarray(0, inputBytes), bits);
  const output = new Uint8Array(expected.length + (exact ? 1 : 0));
  const inflater = new NativeInflater(evidence.window);
  try {
    inflater.inflate(constants.Z_SYNC_FLUSH, input, 0, input.length, output, 0, output.length);
  } catch (error) {
    if (error instanceof NativeInflateError) return false;
    throw error;
  } finally {
    inflater.close();
  }
  return (
    inflater.produced === expected.length &&
    Buffer.compare(output.subarray(0, expected.length), expected) === 0
  );
}

/**
 * The bit stream that starts `bits` bits before the end of `previousByte` and goes on with
 * `bytes`, shifted to start at bit 0 (deflate fills bytes from the lowest bit).
 */
function shiftedStart(previousByte: number, bytes: Uint8Array, bits: number): Uint8Array {
  if (bits === 0) return bytes;
  const drop = 8 - bits;
  const shifted = new Uint8Array(bytes.length + 1);
  let carry = previousByte >> drop;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    shifted[i] = (carry | (byte << bits)) & 0xff;
    carry = byte >> drop;
  }
  shifted[bytes.length] = carry;
  return shifted;
}
