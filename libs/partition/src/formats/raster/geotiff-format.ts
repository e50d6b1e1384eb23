import { rasterHandler } from './raster-handler.js';
import { hasTiffMagic } from './tiff-structure.js';

/**
 * GeoTIFF (and any classic or BigTIFF TIFF, COGs included): records are the tiles or strips of
 * the full-resolution image (or of an overview with `tiles` and `bbox`).
 */
export const geotiffFormat = rasterHandler(
  'geotiff',
  'GeoTIFF / TIFF (classic or BigTIFF): tiles or strips of an image level',
  (probe) => hasTiffMagic(probe.head),
);
