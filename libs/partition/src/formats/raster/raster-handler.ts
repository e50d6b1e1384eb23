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

/** The handler of a TIFF-based raster format (COG, GeoTIFF): the index, plan and readers are shared, detection differs. */
export function rasterHandler(
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
