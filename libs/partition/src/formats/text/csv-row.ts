import { CorruptDataError, type DataLocation } from '../../errors.js';

/**
 * The fields of one CSV row (RFC 4180, without its line terminator): fields separated by the
 * delimiter; a quoted field may hold delimiters, newlines and doubled quotes. A quote inside an
 * unquoted field, or text after a closing quote, is an error.
 */
export function csvFields(row: string, delimiter: string, at: DataLocation): string[] {
  const fields: string[] = [];
  let i = 0;
  while (true) {
    if (row[i] === '"') {
      let value = '';
      let from = i + 1;
      while (true) {
        const quote = row.indexOf('"', from);
        if (quote < 0) throw new CorruptDataError(at, 'a quoted field never closes');
        value += row.slice(from, quote);
        if (row[quote + 1] === '"') {
          value += '"';
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      fields.push(value);
    } else {
      const next = row.indexOf(delimiter, i);
      const value = row.slice(i, next < 0 ? row.length : next);
      if (value.includes('"'))
        throw new CorruptDataError(at, `a quote inside the unquoted field ${JSON.stringify(value)}`);
      fields.push(value);
      i = next < 0 ? row.length : next;
    }
    if (i >= row.length) return fields;
    if (row[i] !== delimiter) {
      throw new CorruptDataError(at, `text after a closing quote: ${JSON.stringify(row.slice(i, i + 20))}`);
    }
    i++;
    if (i === row.length) {
      fields.push('');
      return fields;
    }
  }
}
