import type { DatasetSource } from '../../dataset-source.js';
import type { Partition, PartitionFile } from '../../partition.js';
import { sampleArrayType } from './block-decoder.js';
import { type GeoReference, type GeoTransform, windowTransform } from './georeference.js';
import type { RasterPartitionMeta } from './raster-plan.js';
import { type RasterBlock, readRaster } from './raster-read.js';
import { FIELD_TYPE, TAG } from './tiff-tags.js';
import { type TiffFieldToWrite, writeTiff } from './tiff-writer.js';

/** PhotometricInterpretation codes: RGB, and YCbCr (which decoders turn into RGB). */
const PHOTOMETRIC_RGB = 2;
const PHOTOMETRIC_YCBCR = 6;

/**
 * A stand-alone GeoTIFF of the partition's window (the bounding window of its blocks on its
 * level): uncompressed, same sample type and bands, georeferenced to the window (same CRS and
 * GeoKeys, origin moved to the window's corner). Pixels of the window outside the partition's
 * blocks (a run of blocks that wraps a row) hold the no-data value, or 0. An empty partition
 * gives no file.
 */
export async function rasterToFile(partition: Partition, source: DatasetSource): Promise<PartitionFile[]> {
  const meta = partition.meta as RasterPartitionMeta;
  const blocks: RasterBlock[] = [];
  for await (const block of readRaster(partition, source)) blocks.push(block);
  if (blocks.length === 0) return [];
  const [left, top, right, bottom] = blocks.reduce(
    ([minX, minY, maxX, maxY], { window: [x, y, w, h] }) => [
      Math.min(minX, x),
      Math.min(minY, y),
      Math.max(maxX, x + w),
      Math.max(maxY, y + h),
    ],
    [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 0],
  );
  const width = right - left;
  const height = bottom - top;
  const { image } = meta;
  const ArrayType = sampleArrayType(image);
  const samples = new ArrayType(width * height * image.samples);
  const noData = Number(meta.noData ?? 0);
  if (Number.isFinite(noData) && noData !== 0) samples.fill(noData);
  for (const { window, bands } of blocks) {
    const [x, y, blockWidth, blockHeight] = window;
    bands.forEach((band, s) => {
      for (let row = 0; row < blockHeight; row++) {
        const to = ((y - top + row) * width + (x - left)) * image.samples + s;
        for (let column = 0; column < blockWidth; column++) {
          samples[to + column * image.samples] = band[row * blockWidth + column]!;
        }
      }
    });
  }
  const data = writeTiff({
    width,
    height,
    samples: image.samples,
    bitsPerSample: image.bitsPerSample,
    sampleFormat: image.sampleFormat,
    photometric: image.photometric === PHOTOMETRIC_YCBCR ? PHOTOMETRIC_RGB : image.photometric,
    extraSamples: image.extraSamples,
    pixels: new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength),
    fields: [...geoFields(meta.georeference, left, top), ...noDataFields(meta.noData)],
  });
  return [{ name: `part-${String(partition.index).padStart(5, '0')}.tif`, data }];
}

/** The GeoTIFF fields of a window whose corner is pixel `(x, y)` of the partition's level. */
function geoFields(geo: GeoReference, x: number, y: number): TiffFieldToWrite[] {
  const fields: TiffFieldToWrite[] = [];
  if (geo.tagTransform) fields.push(...transformFields(windowTransform(geo.tagTransform, 1, 1, x, y)));
  if (geo.geoKeys) fields.push({ tag: TAG.GeoKeyDirectory, type: FIELD_TYPE.SHORT, values: geo.geoKeys });
  if (geo.geoDoubles)
    fields.push({ tag: TAG.GeoDoubleParams, type: FIELD_TYPE.DOUBLE, values: geo.geoDoubles });
  if (geo.geoAscii) fields.push({ tag: TAG.GeoAsciiParams, type: FIELD_TYPE.ASCII, values: geo.geoAscii });
  return fields;
}

/** North-up transforms as pixel scale + tiepoint (what GDAL writes), others as a model transformation. */
function transformFields(t: GeoTransform): TiffFieldToWrite[] {
  if (t[2] === 0 && t[4] === 0 && t[1] > 0 && t[5] < 0) {
    return [
      { tag: TAG.ModelPixelScale, type: FIELD_TYPE.DOUBLE, values: [t[1], -t[5], 0] },
      { tag: TAG.ModelTiepoint, type: FIELD_TYPE.DOUBLE, values: [0, 0, 0, t[0], t[3], 0] },
    ];
  }
  const matrix = [t[1], t[2], 0, t[0], t[4], t[5], 0, t[3], 0, 0, 0, 0, 0, 0, 0, 1];
  return [{ tag: TAG.ModelTransformation, type: FIELD_TYPE.DOUBLE, values: matrix }];
}

function noDataFields(noData: string | null): TiffFieldToWrite[] {
  return noData === null ? [] : [{ tag: TAG.GdalNoData, type: FIELD_TYPE.ASCII, values: noData }];
}
