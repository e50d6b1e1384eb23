import { inflateSync } from 'node:zlib';
import { CorruptDataError, type DataLocation } from '../../errors.js';
import { CV, type CvParams, NUMPRESS_ACCESSIONS } from './cv-params.js';

/** How a binary data array is stored: its number type and compression. */
export type ArrayEncoding = {
  type: 'float32' | 'float64' | 'int32' | 'int64';
  zlib: boolean;
};

const TYPES: Array<[string, ArrayEncoding['type']]> = [
  [CV.float32, 'float32'],
  [CV.float64, 'float64'],
  [CV.int32, 'int32'],
  [CV.int64, 'int64'],
];

/** Bytes per value of an encoding's number type. */
export function valueBytes(encoding: ArrayEncoding): number {
  return encoding.type === 'float32' || encoding.type === 'int32' ? 4 : 8;
}

/** The encoding a binary data array's CV parameters declare; MS-Numpress is a `CorruptDataError` (not decoded). */
export function arrayEncoding(params: CvParams, location: DataLocation): ArrayEncoding {
  const numpress = NUMPRESS_ACCESSIONS.find((accession) => params.has(accession));
  if (numpress) {
    throw new CorruptDataError(
      location,
      `binary array uses MS-Numpress (${numpress}), which is not supported`,
    );
  }
  const type = TYPES.find(([accession]) => params.has(accession))?.[1];
  if (!type)
    throw new CorruptDataError(location, 'binary array declares no number type (32/64-bit float or int)');
  return { type, zlib: params.has(CV.zlib) };
}

/**
 * Decodes an array's raw bytes (after base64, if any): inflates zlib, then reads little-endian
 * numbers; integers come as Float64Array. `length` (when known) must match.
 */
export function decodeArray(
  raw: Uint8Array,
  encoding: ArrayEncoding,
  length: number | undefined,
  location: DataLocation,
): Float32Array | Float64Array {
  let bytes = raw;
  if (encoding.zlib) {
    try {
      bytes = inflateSync(raw);
    } catch (error) {
      throw new CorruptDataError(
        location,
        `zlib-compressed array does not inflate: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  const size = valueBytes(encoding);
  if (bytes.length % size !== 0 || (length !== undefined && bytes.length !== length * size)) {
    throw new CorruptDataError(
      location,
      `binary array holds ${bytes.length} bytes, not ${length ?? 'a whole number of'} ${encoding.type} values`,
    );
  }
  const aligned = new Uint8Array(bytes).buffer;
  const count = bytes.length / size;
  if (encoding.type === 'float32') return new Float32Array(aligned, 0, count);
  if (encoding.type === 'float64') return new Float64Array(aligned, 0, count);
  if (encoding.type === 'int32') return Float64Array.from(new Int32Array(aligned, 0, count));
  return Float64Array.from(new BigInt64Array(aligned, 0, count), Number);
}

/** An m/z array as 64-bit floats (32-bit arrays are widened). */
export function asFloat64(values: Float32Array | Float64Array): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}
