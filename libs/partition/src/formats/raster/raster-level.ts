import { CorruptDataError, InconsistentDataError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import type { TiffDirectory, TiffValue } from './tiff-structure.js';
import { TAG } from './tiff-tags.js';

/** How the pixels of one image (level) are stored: what a worker needs to decode its blocks. */
export interface RasterImage extends JsonObject {
  width: number;
  height: number;
  /** Tile size, or the image width × rows per strip. */
  blockWidth: number;
  blockHeight: number;
  tiled: boolean;
  samples: number;
  bitsPerSample: number;
  /** 1 unsigned integer, 2 signed integer, 3 IEEE float. */
  sampleFormat: number;
  /** TIFF compression code (1 none, 5 LZW, 7 JPEG, 8 deflate, …). */
  compression: number;
  predictor: number;
  /** 1 interleaved (chunky), 2 one plane per band. */
  planar: number;
  photometric: number;
  extraSamples: number[];
  /** JPEGTables, base64, for JPEG-compressed images. */
  jpegTables: string | null;
  littleEndian: boolean;
}

/** One image of the file (full resolution or an overview) with where each of its blocks lies. */
export interface RasterLevel extends RasterImage {
  /** Offset of its IFD. */
  ifd: number;
  /** Block offsets and byte counts, plane after plane, blocks row-major within a plane. */
  offsets: number[];
  byteCounts: number[];
}

/** Compression codes geotiff's decoders read. */
const DECODABLE = new Set([1, 5, 7, 8, 32946, 32773, 34887, 50000, 50001]);

function first(fields: Map<number, TiffValue>, tag: number): number | undefined {
  const value = fields.get(tag);
  return Array.isArray(value) ? value[0] : undefined;
}

/** The level an IFD describes; `CorruptDataError` / `InconsistentDataError` for what cannot be read. */
export function rasterLevelOf(directory: TiffDirectory, littleEndian: boolean, key: string): RasterLevel {
  const { fields, offset: ifd } = directory;
  const at = { key, offset: ifd };
  const width = first(fields, TAG.ImageWidth);
  const height = first(fields, TAG.ImageLength);
  if (!width || !height) throw new CorruptDataError(at, 'an IFD without ImageWidth or ImageLength');
  const tiled = fields.has(TAG.TileWidth);
  const blockWidth = tiled ? first(fields, TAG.TileWidth) : width;
  const blockHeight = tiled
    ? first(fields, TAG.TileLength)
    : Math.min(first(fields, TAG.RowsPerStrip) ?? height, height);
  if (!blockWidth || !blockHeight) throw new CorruptDataError(at, 'a block size of 0');
  const samples = first(fields, TAG.SamplesPerPixel) ?? 1;
  const bits = (fields.get(TAG.BitsPerSample) as number[] | undefined) ?? [1];
  const formats = (fields.get(TAG.SampleFormat) as number[] | undefined) ?? [1];
  const bitsPerSample = bits[0]!;
  const sampleFormat = formats[0]!;
  if (bits.some((b) => b !== bitsPerSample) || formats.some((f) => f !== sampleFormat)) {
    throw new CorruptDataError(at, 'bands of different sample types are not supported');
  }
  if (!sampleArrayFits(sampleFormat, bitsPerSample)) {
    throw new CorruptDataError(
      at,
      `unsupported samples: ${bitsPerSample}-bit, SampleFormat ${sampleFormat} (8/16/32-bit integers, 32/64-bit floats)`,
    );
  }
  const compression = first(fields, TAG.Compression) ?? 1;
  if (!DECODABLE.has(compression)) throw new CorruptDataError(at, `unsupported compression ${compression}`);
  const planar = first(fields, TAG.PlanarConfiguration) ?? 1;
  const offsets = fields.get(tiled ? TAG.TileOffsets : TAG.StripOffsets);
  const byteCounts = fields.get(tiled ? TAG.TileByteCounts : TAG.StripByteCounts);
  if (!Array.isArray(offsets) || !Array.isArray(byteCounts)) {
    throw new CorruptDataError(
      at,
      `no ${tiled ? 'TileOffsets/TileByteCounts' : 'StripOffsets/StripByteCounts'}`,
    );
  }
  const jpegTables = fields.get(TAG.JPEGTables);
  const level: RasterLevel = {
    ifd,
    width,
    height,
    blockWidth,
    blockHeight,
    tiled,
    samples,
    bitsPerSample,
    sampleFormat,
    compression,
    predictor: first(fields, TAG.Predictor) ?? 1,
    planar,
    photometric: first(fields, TAG.PhotometricInterpretation) ?? 1,
    extraSamples: (fields.get(TAG.ExtraSamples) as number[] | undefined) ?? [],
    jpegTables: Array.isArray(jpegTables) ? Buffer.from(jpegTables).toString('base64') : null,
    littleEndian,
    offsets,
    byteCounts,
  };
  const expected = blockCount(level) * planes(level);
  if (offsets.length !== expected || byteCounts.length !== expected) {
    throw new InconsistentDataError(
      at,
      `${offsets.length} block offsets and ${byteCounts.length} byte counts for ${expected} blocks of ${width}×${height}`,
    );
  }
  return level;
}

/** Whether a typed array holds this sample type. */
function sampleArrayFits(sampleFormat: number, bits: number): boolean {
  if (sampleFormat === 3) return bits === 32 || bits === 64;
  return (sampleFormat === 1 || sampleFormat === 2) && (bits === 8 || bits === 16 || bits === 32);
}

/** Blocks across the image. */
export function blocksAcross(image: RasterImage): number {
  return Math.ceil(image.width / image.blockWidth);
}

/** Blocks down the image. */
export function blocksDown(image: RasterImage): number {
  return Math.ceil(image.height / image.blockHeight);
}

/** Block positions (column, row) of one plane. */
export function blockCount(image: RasterImage): number {
  return blocksAcross(image) * blocksDown(image);
}

/** Planes the blocks are stored in: one per band when planar, else one. */
export function planes(image: RasterImage): number {
  return image.planar === 2 ? image.samples : 1;
}

/** The pixel window `[x, y, width, height]` of block `block` (row-major), clipped to the image. */
export function blockWindow(image: RasterImage, block: number): [number, number, number, number] {
  const across = blocksAcross(image);
  const x = (block % across) * image.blockWidth;
  const y = Math.floor(block / across) * image.blockHeight;
  return [x, y, Math.min(image.blockWidth, image.width - x), Math.min(image.blockHeight, image.height - y)];
}

/** The byte segments `[offset, length]` of a block, one per plane. */
export function blockSegments(level: RasterLevel, block: number): Array<[number, number]> {
  const perPlane = blockCount(level);
  return Array.from({ length: planes(level) }, (_, plane) => {
    const i = plane * perPlane + block;
    return [level.offsets[i]!, level.byteCounts[i]!];
  });
}

/** Bytes of all a block's segments. */
export function blockBytes(level: RasterLevel, block: number): number {
  return blockSegments(level, block).reduce((total, [, length]) => total + length, 0);
}
