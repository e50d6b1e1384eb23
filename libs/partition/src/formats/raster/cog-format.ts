import { rasterHandler } from './raster-handler.js';
import { headLooksLikeCog } from './tiff-layout.js';
import { hasTiffMagic } from './tiff-structure.js';

/**
 * Cloud-Optimized GeoTIFF: a tiled GeoTIFF whose IFDs (full resolution and overviews) all come
 * before the pixel data, as GDAL's ghost area (`LAYOUT=IFDS_BEFORE_DATA`) or the IFDs in the
 * first bytes show. Records are tiles; `tiles` and `bbox` may pick an overview level.
 */
export const cogFormat = rasterHandler(
  'cog',
  'Cloud-Optimized GeoTIFF: tiles of the full resolution or of an overview',
  (probe) => hasTiffMagic(probe.head) && headLooksLikeCog(probe.head, probe.key),
);
