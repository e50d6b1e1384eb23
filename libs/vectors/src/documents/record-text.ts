import { MalformedDocumentError } from '../errors.js';

/** The field or column holding a record's text when none is named. */
export const DEFAULT_TEXT_FIELD = 'text';

/**
 * The text of one JSONL value: a string is its own text; an object's `field` holds it (absent,
 * null or empty: no text, the record is skipped). Any other value, or a field that is not a
 * string, is `MalformedDocumentError` naming the document and line.
 */
export function jsonRecordText(value: unknown, field: string, where: string): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedDocumentError(
      `${where}: a JSON ${Array.isArray(value) ? 'array' : typeof value}, not an object with a "${field}" field`,
    );
  }
  const text = (value as Record<string, unknown>)[field];
  if (text === undefined || text === null) return undefined;
  if (typeof text !== 'string') {
    throw new MalformedDocumentError(`${where}: field "${field}" is a ${typeof text}, not a string`);
  }
  return text;
}
