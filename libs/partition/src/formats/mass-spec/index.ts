import type { AnyFormatHandler } from '../../format-handler.js';

/** The mass-spec formats, in detection order. */
export const massSpecFormats: AnyFormatHandler[] = [];
