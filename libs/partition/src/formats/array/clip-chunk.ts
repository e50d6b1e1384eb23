import type { DecodedChunk } from './chunk-decoder.js';
import { cellCount } from './chunk-grid.js';

/** The typed arrays records hold (one per Zarr numeric data type). */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/**
 * The part of a decoded chunk that lies in the array: its first `extent[d]` elements along every
 * dimension, copied in C order whatever the chunk's stored order (its strides).
 */
export function clipChunk(chunk: DecodedChunk, extent: readonly number[]): NumericArray {
  const source = chunk.data as NumericArray;
  const Typed = source.constructor as new (length: number) => NumericArray;
  const target = new Typed(cellCount(extent));
  const rank = extent.length;
  if (rank === 0) {
    target[0] = source[0]!;
    return target;
  }
  const innerStride = chunk.stride[rank - 1]!;
  const innerLength = extent[rank - 1]!;
  const outer = extent.slice(0, -1);
  const position = outer.map(() => 0);
  let written = 0;
  for (let row = 0; row < cellCount(outer); row++) {
    let from = position.reduce((start, index, d) => start + index * chunk.stride[d]!, 0);
    if (innerStride === 1) {
      target.set(source.subarray(from, from + innerLength) as never, written);
      written += innerLength;
    } else {
      for (let i = 0; i < innerLength; i++, from += innerStride) target[written++] = source[from]!;
    }
    for (let d = outer.length - 1; d >= 0 && ++position[d]! >= outer[d]!; d--) position[d] = 0;
  }
  return target;
}
