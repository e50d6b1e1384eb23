// @isthmus/partition/raster: Cloud-Optimized GeoTIFF and GeoTIFF. Loaded by the core on first use;
// importing it registers its formats, and gives their record and strategy types.
import { registerFormat } from '../../format-registry.js';
import { cogFormat } from './cog-format.js';
import { geotiffFormat } from './geotiff-format.js';

registerFormat(cogFormat);
registerFormat(geotiffFormat);

export {
  type BoundingBoxStrategy,
  bboxStrategy,
  type TilesStrategy,
  tilesStrategy,
} from '../spatial-strategies.js';
export type { RasterBlock } from './raster-read.js';
