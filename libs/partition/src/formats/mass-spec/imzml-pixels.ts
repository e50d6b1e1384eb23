import type { DatasetSource } from '../../dataset-source.js';
import type { Partition, PartitionRange } from '../../partition.js';
import { asFloat64, decodeArray } from './binary-array.js';
import type { ExternalArray } from './imzml-index.js';
import type { ImzmlPartitionMeta } from './imzml-plan.js';

/** A pixel of an imzML image: its position and spectrum. */
export interface Pixel {
  x: number;
  y: number;
  mz: Float64Array;
  intensity: Float32Array | Float64Array;
}

/** A pixel with its arrays' bytes as stored in the .ibd (for partition files). */
export interface StoredPixel {
  x: number;
  y: number;
  mzBytes: Uint8Array;
  intensityBytes: Uint8Array;
  mzLength: number;
  intensityLength: number;
  /** Where the intensities lie in the .ibd (for error messages). */
  intensityOffset: number;
}

/** The stored bytes of a partition's pixels, fetched range by range (only the partition's ranges). */
export async function* storedPixels(partition: Partition, source: DatasetSource): AsyncIterable<StoredPixel> {
  const meta = partition.meta as ImzmlPartitionMeta;
  const loaded: Array<{ range: PartitionRange; bytes: Uint8Array }> = [];
  for (const range of partition.ranges) {
    loaded.push({ range, bytes: await source.read(range.key, range.offset, range.length) });
  }
  const slice = ([offset, , bytes]: ExternalArray): Uint8Array => {
    const piece = loaded.find(
      ({ range }) => offset >= range.offset && offset + bytes <= range.offset + range.length,
    )!;
    return piece.bytes.subarray(offset - piece.range.offset, offset - piece.range.offset + bytes);
  };
  for (const pixel of meta.pixels) {
    const mz = pixel.slice(2, 5) as ExternalArray;
    const intensity = pixel.slice(5, 8) as ExternalArray;
    yield {
      x: pixel[0],
      y: pixel[1],
      mzBytes: slice(mz),
      intensityBytes: slice(intensity),
      mzLength: mz[1],
      intensityLength: intensity[1],
      intensityOffset: intensity[0],
    };
  }
}

/** The partition's pixels, decoded. */
export async function* readPixels(partition: Partition, source: DatasetSource): AsyncIterable<Pixel> {
  const meta = partition.meta as ImzmlPartitionMeta;
  for await (const pixel of storedPixels(partition, source)) {
    const location = { key: meta.ibdKey, offset: pixel.intensityOffset };
    yield {
      x: pixel.x,
      y: pixel.y,
      mz: asFloat64(decodeArray(pixel.mzBytes, meta.mzEncoding, pixel.mzLength, location)),
      intensity: decodeArray(pixel.intensityBytes, meta.intensityEncoding, pixel.intensityLength, location),
    };
  }
}
