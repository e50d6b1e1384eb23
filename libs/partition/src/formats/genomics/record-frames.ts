import type { VirtualOffset } from '../../codecs/bgzf.js';
import { CorruptDataError, TruncatedDataError } from '../../errors.js';
import type { DecodedPiece } from './decoded-pieces.js';

/** One record (or header) as raw bytes, with the position where it starts. */
export interface Frame {
  bytes: Uint8Array;
  start: VirtualOffset;
  /** Compressed offset just after the block in which the frame starts. */
  blockEnd: number;
}

/**
 * How long the frame starting at `at` of `buffer` is: its length, undefined when more bytes are
 * needed to tell, or a string saying why the bytes there cannot start a frame.
 */
export type FrameLength = (
  buffer: Uint8Array,
  at: number,
  frameNumber: number,
) => number | undefined | string;

function positionIn(piece: DecodedPiece, index: number, compressed: boolean): VirtualOffset {
  return compressed
    ? { block: piece.start.block, within: piece.start.within + index }
    : { block: piece.start.block + index, within: 0 };
}

/** Options of `recordFrames`. */
export interface RecordFramesOptions {
  key: string;
  compressed: boolean;
  /** A cut last frame at the end of the data is a frame (a text line without its newline). */
  acceptCutLastFrame: boolean;
}

/**
 * Cuts decoded pieces into frames (records), carrying a frame that spans pieces. A frame the
 * data ends inside is `TruncatedDataError` (unless `acceptCutLastFrame`), one `length` refuses
 * is `CorruptDataError`; both name the compressed offset of the frame's block.
 */
export async function* recordFrames(
  pieces: AsyncIterable<DecodedPiece>,
  length: FrameLength,
  options: RecordFramesOptions,
): AsyncIterable<Frame> {
  let carry: Uint8Array = new Uint8Array(0);
  let carryStart: VirtualOffset = { block: 0, within: 0 };
  let carryBlockEnd = 0;
  let frameNumber = 0;
  for await (const piece of pieces) {
    const buffer = carry.length === 0 ? piece.data : Buffer.concat([carry, piece.data]);
    let at = 0;
    for (;;) {
      const inCarry = at < carry.length;
      const start = inCarry ? carryStart : positionIn(piece, at - carry.length, options.compressed);
      const frameLength = length(buffer, at, frameNumber);
      if (typeof frameLength === 'string') {
        throw new CorruptDataError({ key: options.key, offset: start.block }, frameLength);
      }
      if (frameLength === undefined || at + frameLength > buffer.length) {
        if (!inCarry) {
          carryStart = start;
          carryBlockEnd = piece.blockEnd;
        }
        break;
      }
      yield {
        bytes: buffer.subarray(at, at + frameLength),
        start,
        blockEnd: inCarry ? carryBlockEnd : piece.blockEnd,
      };
      frameNumber++;
      at += frameLength;
    }
    carry = buffer.subarray(at);
  }
  if (carry.length === 0) return;
  if (options.acceptCutLastFrame) {
    yield { bytes: carry, start: carryStart, blockEnd: carryBlockEnd };
    return;
  }
  throw new TruncatedDataError(
    { key: options.key, offset: carryStart.block },
    `the data ends inside a record (${carry.length} bytes of it)`,
  );
}

/** The length of the text line starting at `at` (with its newline), if the newline is there. */
export function lineLength(buffer: Uint8Array, at: number): number | undefined {
  const newline = buffer.indexOf(10, at);
  return newline < 0 ? undefined : newline - at + 1;
}
