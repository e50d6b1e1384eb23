import type { AnyFormatHandler } from '../../format-handler.js';
import { mzmlFormat } from './mzml.js';

/** The mass-spec formats, in detection order. */
export const massSpecFormats: AnyFormatHandler[] = [mzmlFormat];
