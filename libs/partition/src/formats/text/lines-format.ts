import type { FormatHandler } from '../../format-handler.js';
import type { GenericStrategy } from '../../strategy.js';
import { LineScanner, withoutLineEnd } from './record-scanner.js';
import { contentHead, hasExtension, looksLikeText } from './text-detection.js';
import { textHandler } from './text-handler.js';
import type { TextIndex } from './text-index.js';
import { utf8Batch } from './utf8-batch.js';

const utf8 = new TextDecoder();

/**
 * Any line-delimited text, plain or gzip: one record per line (`\n` or `\r\n`, the last line may
 * lack it), read as the line's text. Recognised by `.txt`, `.log` or `.lines`, or, last of all
 * formats, by content that is valid UTF-8 text.
 */
export const linesFormat: FormatHandler<TextIndex, string, GenericStrategy> = textHandler<string>({
  name: 'lines',
  family: 'text',
  description: 'Line-delimited text (plain or gzip); a record is a line',
  unit: 'lines',
  extension: '.txt',
  detect(probe) {
    if (probe.size === undefined) return false;
    if (hasExtension(probe.key, ['.txt', '.log', '.lines'])) return true;
    const head = contentHead(probe);
    return head !== undefined && looksLikeText(head);
  },
  scanner: () => new LineScanner(),
  header: false,
  settings: () => ({}),
  decoder: () => (bytes) => utf8.decode(withoutLineEnd(bytes)),
  batch: (lines) => utf8Batch({ line: lines }),
});
