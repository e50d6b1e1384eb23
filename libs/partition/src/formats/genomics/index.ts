import type { AnyFormatHandler } from '../../format-handler.js';

/** The genomics formats, in detection order. */
export const genomicsFormats: AnyFormatHandler[] = [];
