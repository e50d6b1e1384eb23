import type { AnyFormatHandler } from '../../format-handler.js';

/** The point-cloud formats, in detection order. */
export const pointCloudFormats: AnyFormatHandler[] = [];
