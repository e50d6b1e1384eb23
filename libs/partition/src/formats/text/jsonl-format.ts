import { CorruptDataError } from '../../errors.js';
import type { FormatHandler } from '../../format-handler.js';
import type { Json } from '../../json.js';
import type { GenericStrategy } from '../../strategy.js';
import { LineScanner, withoutLineEnd } from './record-scanner.js';
import { hasExtension } from './text-detection.js';
import { textHandler } from './text-handler.js';
import type { TextIndex } from './text-index.js';
import { utf8Batch } from './utf8-batch.js';

const utf8 = new TextDecoder();

/**
 * JSON Lines / NDJSON, plain or gzip (`.jsonl`, `.ndjson`): every line is one JSON value (an
 * empty line is not). Arrow batches have one Utf8 column `json` holding each value's JSON text.
 */
export const jsonlFormat: FormatHandler<TextIndex, Json, GenericStrategy> = textHandler<Json>({
  name: 'jsonl',
  family: 'text',
  description: 'JSON Lines / NDJSON (plain or gzip); a record is one JSON value per line',
  unit: 'values',
  extension: '.jsonl',
  detect: (probe) => probe.size !== undefined && hasExtension(probe.key, ['.jsonl', '.ndjson']),
  scanner: () => new LineScanner(),
  header: false,
  settings: () => ({}),
  decoder: () => (bytes, at) => {
    const line = utf8.decode(withoutLineEnd(bytes));
    try {
      return JSON.parse(line) as Json;
    } catch (error) {
      throw new CorruptDataError(at, `line is not a JSON value: ${(error as Error).message}`, {
        cause: error,
      });
    }
  },
  batch: (values) => utf8Batch({ json: values.map((value) => JSON.stringify(value)) }),
});
