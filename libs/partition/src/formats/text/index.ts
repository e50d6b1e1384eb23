// @isthmus/partition/text: CSV/TSV, JSON Lines and plain lines, each plain or gzip. Loaded by the
// core on first use; importing it registers its formats, and gives their record types.
import { registerFormat } from '../../format-registry.js';
import { csvFormat } from './csv-format.js';
import { jsonlFormat } from './jsonl-format.js';
import { linesFormat } from './lines-format.js';

registerFormat(csvFormat);
registerFormat(jsonlFormat);
registerFormat(linesFormat);

export type { CsvRow } from './csv-format.js';
