import type { AnyFormatHandler } from '../../format-handler.js';

/** The array formats, in detection order. */
export const arrayFormats: AnyFormatHandler[] = [];
