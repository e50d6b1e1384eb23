import type { AnyFormatHandler } from '../../format-handler.js';
import { zarrFormat } from './zarr-format.js';

/** The array formats, in detection order. */
export const arrayFormats: AnyFormatHandler[] = [zarrFormat];
