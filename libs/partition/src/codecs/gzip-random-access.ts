import { pipeline, Readable, type Transform } from 'node:stream';
import { constants, createGunzip, createInflateRaw, inflateRawSync } from 'node:zlib';
import type { DatasetSource } from '../dataset-source.js';
import { CorruptDataError } from '../errors.js';
import type { PartitionRange } from '../partition.js';
import { bitPrimer } from './gzip-bit-primer.js';
import type { GzipCheckpoint, GzipLayout } from './gzip-checkpoints.js';
import { GZIP_TRAILER_BYTES } from './gzip-member-header.js';

/** The checkpoint a gzip range starts at: the compressed bytes it begins with, and where its member ends. */
export type GzipStart = Pick<GzipCheckpoint, 'in' | 'bits' | 'memberEnd' | 'window'>;

/**
 * The compressed range to fetch for decompressing from `start` up to (at least) the decompressed
 * offset `end`: from the checkpoint's byte (one earlier when the block starts mid-byte) to the
 * first block boundary at or after `end` (the file's end when none is).
 */
export function gzipRange(
  key: string,
  layout: GzipLayout,
  start: GzipCheckpoint,
  end: number,
): PartitionRange {
  const offset = start.in - (start.bits > 0 ? 1 : 0);
  const { boundaries } = layout;
  let low = 0;
  let high = boundaries.length / 2;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (boundaries[2 * middle + 1]! >= end) high = middle;
    else low = middle + 1;
  }
  const stop = low < boundaries.length / 2 ? boundaries[2 * low]! : layout.compressedSize;
  return { key, offset, length: Math.max(stop, start.in) - offset };
}

/** The last checkpoint at or before the decompressed offset `out`. */
export function checkpointBefore(checkpoints: readonly GzipCheckpoint[], out: number): GzipCheckpoint {
  let low = 0;
  let high = checkpoints.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (checkpoints[middle]!.out <= out) low = middle;
    else high = middle - 1;
  }
  return checkpoints[low]!;
}

/**
 * Decompresses a gzip range that starts at a checkpoint, natively (Node's zlib): the rest of the
 * checkpoint's member as raw deflate, with the checkpoint's window as dictionary (and, when the
 * block starts mid-byte, `bitPrimer`'s bytes in place of the byte it starts in), then any whole
 * members after it. The range may end
 * anywhere: what its bytes decode to is yielded, starting at the checkpoint's decompressed offset.
 */
export async function* inflateGzipRange(
  source: DatasetSource,
  range: PartitionRange,
  start: GzipStart,
): AsyncIterable<Uint8Array> {
  const end = range.offset + range.length;
  const rawEnd = Math.min(start.memberEnd, end);
  const dictionary = start.window === '' ? undefined : inflateRawSync(Buffer.from(start.window, 'base64'));
  const raw = primed(source.stream(range.key, range.offset, rawEnd - range.offset), start.bits);
  yield* inflateNative(
    source.key,
    range.offset,
    raw,
    createInflateRaw({ dictionary, finishFlush: constants.Z_SYNC_FLUSH }),
  );
  const wholeMembers = start.memberEnd + GZIP_TRAILER_BYTES;
  if (end > wholeMembers) {
    yield* inflateNative(
      source.key,
      wholeMembers,
      source.stream(range.key, wholeMembers, end - wholeMembers),
      createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }),
    );
  }
}

async function* inflateNative(
  key: string,
  offset: number,
  compressed: AsyncIterable<Uint8Array>,
  inflater: Transform,
): AsyncIterable<Uint8Array> {
  const output = pipeline(Readable.from(compressed, { objectMode: false }), inflater, () => {});
  try {
    for await (const chunk of output) yield chunk as Uint8Array;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('Z_')) {
      throw new CorruptDataError(
        { key, offset },
        `gzip data from this offset does not decompress: ${(error as Error).message}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The compressed bytes of a range that starts `bits` bits before the end of its first byte, with
 * that byte replaced by `bitPrimer`'s bytes, which make a plain inflater start right there.
 */
async function* primed(bytes: AsyncIterable<Uint8Array>, bits: number): AsyncIterable<Uint8Array> {
  if (bits === 0) {
    yield* bytes;
    return;
  }
  let first = true;
  for await (const chunk of bytes) {
    if (first && chunk.length > 0) {
      first = false;
      yield bitPrimer(bits, chunk[0]!);
      yield chunk.subarray(1);
    } else if (!first) {
      yield chunk;
    }
  }
}
