import type { FormatHandler, FormatProbe, IndexSummary } from '../../format-handler.js';
import { GENERIC_STRATEGIES } from '../../generic-strategies.js';
import type { GenericStrategy } from '../../strategy.js';
import {
  type BoundingBoxStrategy,
  bboxStrategy,
  type TilesStrategy,
  tilesStrategy,
} from '../spatial-strategies.js';
import { geoTransformOf } from './georeference.js';
import { indexTiff, type RasterIndex } from './raster-index.js';
import { blockBytes, blockCount } from './raster-level.js';
import { planRaster } from './raster-plan.js';
import { type RasterBlock, readRaster } from './raster-read.js';
import { rasterToFile } from './raster-to-file.js';
import { headLooksLikeCog } from './tiff-layout.js';
import { hasTiffMagic } from './tiff-structure.js';

const RASTER_STRATEGIES = [...GENERIC_STRATEGIES, tilesStrategy, bboxStrategy];

/** Sample types by SampleFormat and size, as GDAL names them. */
function dataType(sampleFormat: number, bits: number): string {
  if (sampleFormat === 3) return `Float${bits}`;
  if (bits === 8) return sampleFormat === 2 ? 'Int8' : 'Byte';
  return `${sampleFormat === 2 ? 'Int' : 'UInt'}${bits}`;
}

function summarizeRaster(index: RasterIndex): IndexSummary {
  const level = index.levels[0]!;
  let bytes = 0;
  for (let block = 0; block < blockCount(level); block++) bytes += blockBytes(level, block);
  return {
    records: blockCount(level),
    unit: level.tiled ? 'tiles' : 'strips',
    bytes,
    details: {
      width: level.width,
      height: level.height,
      bands: level.samples,
      dataType: dataType(level.sampleFormat, level.bitsPerSample),
      blockSize: [level.blockWidth, level.blockHeight],
      compression: level.compression,
      layout: index.layout,
      ghostArea: index.ghostArea,
      bigTiff: index.bigTiff,
      levels: index.levels.map((each) => [each.width, each.height]),
      epsg: index.georeference.epsg,
      geoTransform: geoTransformOf(index.georeference),
      noData: index.noData,
    },
  };
}

/** A TIFF-based raster format: the index, plan and readers are shared, detection differs. */
function tiffFormat(
  name: string,
  description: string,
  detect: (probe: FormatProbe) => boolean,
): FormatHandler<RasterIndex, RasterBlock, GenericStrategy | TilesStrategy | BoundingBoxStrategy> {
  return {
    name,
    family: 'raster',
    description,
    indexVersion: 1,
    strategies: RASTER_STRATEGIES,
    detect,
    index: indexTiff,
    summarize: summarizeRaster,
    plan: planRaster,
    read: readRaster,
    toFile: rasterToFile,
  };
}

/**
 * Cloud-Optimized GeoTIFF: a tiled GeoTIFF whose IFDs (full resolution and overviews) all come
 * before the pixel data, as GDAL's ghost area (`LAYOUT=IFDS_BEFORE_DATA`) or the IFDs in the
 * first bytes show. Records are tiles; `tiles` and `bbox` may pick an overview level.
 */
export const cogFormat = tiffFormat(
  'cog',
  'Cloud-Optimized GeoTIFF: tiles of the full resolution or of an overview',
  (probe) => hasTiffMagic(probe.head) && headLooksLikeCog(probe.head, probe.key),
);

/**
 * GeoTIFF (and any classic or BigTIFF TIFF, COGs included): records are the tiles or strips of
 * the full-resolution image (or of an overview with `tiles` and `bbox`).
 */
export const geotiffFormat = tiffFormat(
  'geotiff',
  'GeoTIFF / TIFF (classic or BigTIFF): tiles or strips of an image level',
  (probe) => hasTiffMagic(probe.head),
);
