import type { AnyFormatHandler } from '../../format-handler.js';
import { csvFormat } from './csv.js';
import { jsonlFormat } from './jsonl.js';
import { linesFormat } from './lines.js';

/** The text formats, in detection order: by name first, any valid UTF-8 text (`lines`) last. */
export const textFormats: AnyFormatHandler[] = [csvFormat, jsonlFormat, linesFormat];
