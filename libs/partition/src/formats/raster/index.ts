import type { AnyFormatHandler } from '../../format-handler.js';

/** The raster formats, in detection order. */
export const rasterFormats: AnyFormatHandler[] = [];
