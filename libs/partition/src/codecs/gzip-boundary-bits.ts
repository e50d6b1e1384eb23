import { constants } from 'node:zlib';
import { bitPrimer } from './gzip-bit-primer.js';
import { type BlockInflater, InflateError, type InflaterFactory } from './gzip-block-inflater.js';

/** Output compared first (each of the 8 candidates decodes this much); less is not enough to tell. */
export const MIN_EXPECTED_BYTES = 4 << 10;
const FIRST_COMPARE_BYTES = MIN_EXPECTED_BYTES;
/** Compressed bytes usually enough for `FIRST_COMPARE_BYTES` of output (all of them when not). */
const FIRST_INPUT_BYTES = 6 << 10;
/** The longest deflate match. */
const MAX_MATCH_BYTES = 258;

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
 * The numbers of bits of `previousByte` (its high bits) where the next deflate block may start,
 * 0–7: what zlib's `data_type & 7` says after a `Z_BLOCK` stop, which Node's zlib does not
 * expose. Found by trial, decoding exactly as the partition reader (`inflateGzipRange`) does
 * (native raw inflate from `bitPrimer`'s bytes, the window as dictionary): the candidates whose
 * output is `expected` (4 KiB compared first, then all of it if more than one agrees), whose
 * stream does not end before `compressed` does and, with `complete`, ends where `expected` does.
 * Several may agree, e.g. a stored block's 3-bit header read from its zero padding too, or a
 * header misread as the last block's right where `compressed` ends: more evidence tells. None
 * when `expected` is shorter than 4 KiB (too little to be sure) or no candidate reproduces it.
 */
export function findBoundaryBits(evidence: BoundaryEvidence, newInflater: InflaterFactory): number[] {
  const { expected } = evidence;
  if (expected.length < MIN_EXPECTED_BYTES) return [];
  let candidates = [0, 1, 2, 3, 4, 5, 6, 7];
  const stages =
    expected.length > FIRST_COMPARE_BYTES ? [FIRST_COMPARE_BYTES, expected.length] : [expected.length];
  for (const length of stages) {
    const whole = length === expected.length;
    const tried = candidates;
    const match = (inputBytes: number) =>
      tried.filter((bits) =>
        decodesTo(evidence, bits, inputBytes, expected.subarray(0, length), whole, newInflater),
      );
    candidates = match(whole ? evidence.compressed.length : FIRST_INPUT_BYTES);
    if (candidates.length === 0 && !whole) candidates = match(evidence.compressed.length);
    if (candidates.length <= 1) break;
  }
  return candidates;
}

/**
 * Whether the first `inputBytes` compressed bytes, started `bits` bits before the boundary's byte
 * (`bitPrimer`), decode to `expected` at first. With `whole` (all the bytes and all the output
 * known), the stream must also not end before its bytes do (a block header misread as the last
 * block's), and with `complete` it must end exactly where `expected` does.
 */
function decodesTo(
  evidence: BoundaryEvidence,
  bits: number,
  inputBytes: number,
  expected: Uint8Array,
  whole: boolean,
  newInflater: InflaterFactory,
): boolean {
  const input = Buffer.concat([
    bitPrimer(bits, evidence.previousByte),
    evidence.compressed.subarray(0, inputBytes),
  ]);
  // Room for a literal or match decoded but not yet written when the index pass's output was full.
  const room = expected.length + (whole ? (evidence.complete ? 1 : MAX_MATCH_BYTES) : 0);
  const output = new Uint8Array(room);
  const inflater = newInflater(evidence.window);
  try {
    inflater.inflate(constants.Z_SYNC_FLUSH, input, 0, input.length, output, 0, output.length);
    const { consumed, produced } = inflater;
    if (produced < expected.length) return false;
    if (whole && consumed !== input.length) return false;
    if (whole && evidence.complete && produced !== expected.length) return false;
    if (whole && !evidence.complete && !wantsMore(inflater)) return false;
  } catch (error) {
    if (error instanceof InflateError) return false;
    throw error;
  } finally {
    inflater.close();
  }
  return Buffer.compare(output.subarray(0, expected.length), expected) === 0;
}

/**
 * Whether an inflater that has consumed all its input is inside the stream, not past its end
 * (a stream that ends right where the input does looks the same until offered one more byte).
 */
function wantsMore(inflater: BlockInflater): boolean {
  try {
    inflater.inflate(constants.Z_SYNC_FLUSH, PROBE, 0, 1, PROBE_OUTPUT, 0, PROBE_OUTPUT.length);
  } catch (error) {
    if (error instanceof InflateError) return true;
    throw error;
  }
  return inflater.consumed > 0 || inflater.produced > 0;
}

const PROBE = new Uint8Array(1);
const PROBE_OUTPUT = new Uint8Array(512);
