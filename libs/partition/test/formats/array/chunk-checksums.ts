// Test helper: what the Zarr tests compare chunk records by (digests of a chunk's values).
import { createHash } from 'node:crypto';
import type { NumericArray } from '../../../src/formats/array/clip-chunk.js';

/** The SHA-1 (hex) of a typed array's bytes (little-endian, as numpy's `tobytes` on this machine). */
export function dataSha1(data: NumericArray): string {
  return createHash('sha1')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex');
}

/** The sum of a typed array's values, as a number. */
export function dataSum(data: NumericArray): number {
  let sum = 0;
  for (const value of data) sum += Number(value);
  return sum;
}
