import type { AnyFormatHandler } from '../../format-handler.js';

/** The text formats, in detection order. */
export const textFormats: AnyFormatHandler[] = [];
