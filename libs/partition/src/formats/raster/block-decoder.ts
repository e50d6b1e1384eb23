import { getDecoder } from 'geotiff';
import { CorruptDataError } from '../../errors.js';
import type { RasterImage } from './raster-level.js';

/** The samples of one band of a block. */
export type SampleArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

type SampleArrayConstructor = {
  new (length: number): SampleArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): SampleArray;
};

/** The typed array of a sample type (the index admits only these). */
export function sampleArrayType(
  image: Pick<RasterImage, 'sampleFormat' | 'bitsPerSample'>,
): SampleArrayConstructor {
  const { sampleFormat, bitsPerSample } = image;
  if (sampleFormat === 3) return bitsPerSample === 64 ? Float64Array : Float32Array;
  const unsigned = sampleFormat !== 2;
  if (bitsPerSample === 8) return unsigned ? Uint8Array : Int8Array;
  if (bitsPerSample === 16) return unsigned ? Uint16Array : Int16Array;
  return unsigned ? Uint32Array : Int32Array;
}

/** Where a block is and which bytes hold it, as a partition lists it. */
export interface BlockAt {
  column: number;
  row: number;
  /** Its pixel window `[x, y, width, height]`, clipped to the image. */
  window: [number, number, number, number];
  /** Offset of each plane's bytes (for error messages). */
  offsets: number[];
}

/** Turns the stored bytes of a block's planes into one array per band, clipped to its window. */
export type DecodeBlock = (at: BlockAt, planes: Uint8Array[]) => Promise<SampleArray[]>;

/**
 * A decoder for the blocks of one image: geotiff's decoder of the image's compression (which also
 * undoes the predictor), then byte order, de-interleaving and clipping done here. Sparse blocks
 * (no bytes) read as the no-data value, or 0. A block that does not decode is a `CorruptDataError`
 * naming its offset.
 */
export async function blockDecoder(
  image: RasterImage,
  key: string,
  noData: string | null,
): Promise<DecodeBlock> {
  const perPlane = image.planar === 2 ? 1 : image.samples;
  const decoder = await getDecoder(image.compression, {
    tileWidth: image.blockWidth,
    tileHeight: image.blockHeight,
    predictor: image.predictor,
    bitsPerSample: new Array<number>(perPlane).fill(image.bitsPerSample),
    planarConfiguration: image.planar,
    samplesPerPixel: image.samples,
    ...(image.jpegTables ? { JPEGTables: Buffer.from(image.jpegTables, 'base64') } : {}),
  });
  const ArrayType = sampleArrayType(image);
  const sampleBytes = image.bitsPerSample / 8;
  const fill = Number(noData ?? 0);
  return async (at, planes) => {
    const [, , width, height] = at.window;
    const storedRows = image.tiled ? image.blockHeight : height;
    const need = image.blockWidth * storedRows * perPlane * sampleBytes;
    const bands: SampleArray[] = [];
    for (const [plane, stored] of planes.entries()) {
      if (stored.length === 0) {
        for (let s = 0; s < perPlane; s++)
          bands.push(new ArrayType(width * height).fill(Number.isFinite(fill) ? fill : 0));
        continue;
      }
      const decoded = await decodePlane(stored, at, plane, need);
      if (!image.littleEndian && sampleBytes > 1) swapBytes(decoded, sampleBytes);
      const samples = new ArrayType(decoded.buffer, 0, decoded.length / sampleBytes);
      for (let s = 0; s < perPlane; s++) {
        const band = new ArrayType(width * height);
        for (let y = 0; y < height; y++) {
          const from = y * image.blockWidth * perPlane + s;
          for (let x = 0; x < width; x++) band[y * width + x] = samples[from + x * perPlane]!;
        }
        bands.push(band);
      }
    }
    return bands;
  };

  async function decodePlane(
    stored: Uint8Array,
    at: BlockAt,
    plane: number,
    need: number,
  ): Promise<Uint8Array> {
    const where = { key, offset: at.offsets[plane]! };
    const what = `block ${at.column},${at.row}${image.planar === 2 ? ` band ${plane + 1}` : ''}`;
    let decoded: Uint8Array;
    try {
      // A copy with a buffer of its own (a Node Buffer may be a view into a shared pool).
      decoded = new Uint8Array(await decoder.decode(new Uint8Array(stored).buffer));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CorruptDataError(
        where,
        `${what} does not decode (compression ${image.compression}): ${reason}`,
        {
          cause: error,
        },
      );
    }
    if (decoded.length < need) {
      throw new CorruptDataError(where, `${what} decodes to ${decoded.length} bytes, expected ${need}`);
    }
    return decoded.slice(0, need);
  }
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}
