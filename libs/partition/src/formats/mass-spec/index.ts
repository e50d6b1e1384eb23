import type { AnyFormatHandler } from '../../format-handler.js';
import { imzmlFormat } from './imzml.js';
import { mzmlFormat } from './mzml.js';

/** The mass-spec formats, in detection order (imzML, an mzML with imaging terms, first). */
export const massSpecFormats: AnyFormatHandler[] = [imzmlFormat, mzmlFormat];
