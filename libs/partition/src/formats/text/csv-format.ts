import { CorruptDataError } from '../../errors.js';
import type { FormatHandler } from '../../format-handler.js';
import type { GenericStrategy } from '../../strategy.js';
import { csvFields } from './csv-row.js';
import { CsvScanner } from './csv-scanner.js';
import { withoutLineEnd } from './record-scanner.js';
import { hasExtension } from './text-detection.js';
import { textHandler } from './text-handler.js';
import type { TextIndex } from './text-index.js';
import { utf8Batch } from './utf8-batch.js';

const utf8 = new TextDecoder();

/** A CSV row keyed by the header's field names. */
export type CsvRow = Record<string, string>;

function headerFields(header: string | null, delimiter: string, key: string): string[] {
  if (header === null) return [];
  return csvFields(utf8.decode(withoutLineEnd(Buffer.from(header, 'utf8'))), delimiter, { key, offset: 0 });
}

/**
 * CSV and TSV with a header row (RFC 4180 quoting, also for TSV), plain or gzip (`.csv`, `.tsv`):
 * a record is a row, which may span lines inside quoted fields; checkpoints are only at true row
 * starts. Rows read as objects keyed by the header; every partition keeps the header, so its
 * file is header + rows. A row with another number of fields than the header is an error.
 */
export const csvFormat: FormatHandler<TextIndex, CsvRow, GenericStrategy> = textHandler<CsvRow>({
  name: 'csv',
  family: 'text',
  description: 'CSV/TSV with a header row (RFC 4180, plain or gzip); a record is a row',
  unit: 'rows',
  extension: '.csv',
  detect: (probe) => probe.size !== undefined && hasExtension(probe.key, ['.csv', '.tsv']),
  scanner: (locate) => new CsvScanner(locate),
  header: true,
  settings: (key) => ({ delimiter: hasExtension(key, ['.tsv']) ? '\t' : ',' }),
  decoder(header, settings, key) {
    const delimiter = settings.delimiter as string;
    const names = headerFields(header, delimiter, key);
    return (bytes, at) => {
      const fields = csvFields(utf8.decode(withoutLineEnd(bytes)), delimiter, at);
      if (fields.length !== names.length) {
        throw new CorruptDataError(at, `a row of ${fields.length} fields under a header of ${names.length}`);
      }
      const row: CsvRow = {};
      names.forEach((name, i) => {
        row[name] = fields[i]!;
      });
      return row;
    };
  },
  batch(rows, header, settings) {
    const names = headerFields(header, settings.delimiter as string, '');
    return utf8Batch(Object.fromEntries(names.map((name) => [name, rows.map((row) => row[name] ?? null)])));
  },
});
