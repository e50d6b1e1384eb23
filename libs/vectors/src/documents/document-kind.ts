import { constants, gunzipSync } from 'node:zlib';
import { UnsupportedDocumentError } from '../errors.js';
import type { DocumentKind } from './document-unit.js';

const EXTENSIONS: ReadonlyArray<[string, DocumentKind]> = [
  ['.txt', 'text'],
  ['.text', 'text'],
  ['.log', 'text'],
  ['.md', 'markdown'],
  ['.markdown', 'markdown'],
  ['.html', 'html'],
  ['.htm', 'html'],
  ['.xhtml', 'html'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.csv', 'csv'],
  ['.tsv', 'csv'],
];

/** Whether a key names a gzip-compressed document (`.gz`). */
export function isGzipKey(key: string): boolean {
  return key.toLowerCase().endsWith('.gz');
}

/** The kind a key's extension says (`notes.md`, `rows.csv.gz`), or undefined when it says none. */
export function kindOfKey(key: string): DocumentKind | undefined {
  const name = key.toLowerCase().replace(/\.gz$/, '');
  return EXTENSIONS.find(([extension]) => name.endsWith(extension))?.[1];
}

/** Bytes detection looks at, for objects whose name says no kind. */
export const SNIFF_BYTES = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The kind of an object whose name says none, from its first bytes (decompressed for `.gz`):
 * HTML when it opens with a doctype or `<html>`, text when it is UTF-8 without NUL bytes (a
 * character cut by the end of `head` allowed); anything else is `UnsupportedDocumentError`.
 */
export function sniffKind(head: Uint8Array, key: string, url: string): DocumentKind {
  let bytes = head;
  if (isGzipKey(key)) {
    try {
      bytes = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (error) {
      throw new UnsupportedDocumentError(`${url}: named .gz but does not decompress`, { cause: error });
    }
  }
  const text = head.length >= SNIFF_BYTES ? bytes.subarray(0, cutCharacterStart(bytes)) : bytes;
  let decoded: string;
  try {
    if (text.includes(0)) throw new Error('a NUL byte');
    decoded = utf8.decode(text);
  } catch (error) {
    throw new UnsupportedDocumentError(
      `${url}: not a document kind ingest reads (its name says none and its first bytes are not UTF-8 text)`,
      { cause: error },
    );
  }
  return /^\s*<(!doctype\s+html|html[\s>])/i.test(decoded) ? 'html' : 'text';
}

/** Where a multi-byte UTF-8 character cut off at the end of `bytes` starts (or the length when none is). */
function cutCharacterStart(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0xc0) return bytes.length - back;
    if ((byte & 0x80) === 0) break;
  }
  return bytes.length;
}
