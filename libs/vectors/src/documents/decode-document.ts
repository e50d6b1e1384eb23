import { BinaryDocumentError, InvalidUtf8Error } from '../errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenientUtf8 = new TextDecoder('utf-8');

/** C0 controls that text does not hold (all but tab, line feed, vertical tab, form feed, carriage return, backspace and escape). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
const FOREIGN_CONTROLS = /[\u0001-\u0007\u000e-\u001a\u001c-\u001f\u007f]/g;

/** The share of foreign control characters above which text is taken for binary data. */
const MAX_CONTROL_SHARE = 0.3;

/**
 * The text of a document's bytes, decoded strictly: a NUL byte or text made mostly of control
 * characters is `BinaryDocumentError`, bytes that are not UTF-8 are `InvalidUtf8Error` (both
 * naming `name`, and the byte offset where there is one); a byte-order mark is dropped.
 */
export function decodeDocument(bytes: Uint8Array, name: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new BinaryDocumentError(`${name}: binary, not text (a NUL byte at byte ${nul})`);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch (error) {
    const lenient = lenientUtf8.decode(bytes);
    const offset = Buffer.byteLength(lenient.slice(0, lenient.indexOf('\uFFFD')), 'utf8');
    throw new InvalidUtf8Error(`${name}: not valid UTF-8 (at byte ${offset})`, { cause: error });
  }
  return requireText(text, name);
}

/** `text` unless it holds a NUL or is made mostly of control characters (`BinaryDocumentError` naming `name`). */
export function requireText(text: string, name: string): string {
  if (text.includes('\u0000')) throw new BinaryDocumentError(`${name}: binary, not text (a NUL character)`);
  const controls = text.match(FOREIGN_CONTROLS)?.length ?? 0;
  if (controls > MAX_CONTROL_SHARE * text.length) {
    throw new BinaryDocumentError(
      `${name}: binary, not text (${controls} of ${text.length} characters are control characters)`,
    );
  }
  return text;
}
