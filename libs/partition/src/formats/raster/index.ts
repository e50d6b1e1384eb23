import type { AnyFormatHandler } from '../../format-handler.js';
import { cogFormat, geotiffFormat } from './tiff-formats.js';

/** The raster formats, in detection order: a COG is recognised before any other TIFF. */
export const rasterFormats: AnyFormatHandler[] = [cogFormat, geotiffFormat];
