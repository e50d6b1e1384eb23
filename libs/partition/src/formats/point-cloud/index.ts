import type { AnyFormatHandler } from '../../format-handler.js';
import { copcFormat } from './copc-format.js';
import { lasFormat } from './las-format.js';
import { lazFormat } from './laz-format.js';

/** The point-cloud formats, in detection order: COPC (a kind of LAZ) before LAZ, LAZ before LAS. */
export const pointCloudFormats: AnyFormatHandler[] = [copcFormat, lazFormat, lasFormat];
