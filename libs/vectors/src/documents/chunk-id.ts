import { createHash } from 'node:crypto';

/**
 * A chunk's id: the first 32 hex digits of the SHA-256 of its source URL, heading path, position
 * and text. The same document read with the same options always gives the same ids (what makes a
 * re-run of ingest write nothing twice), the same text in two documents gives two ids, and two
 * equal chunks of one document differ by position. The position (`record:ordinal`) does not
 * depend on how the document was cut into units where records are independent: `record` is the
 * JSONL value or CSV row (counted in the whole document) for those kinds, the unit's first line
 * for a part of a big text document, 0 for a whole document; `ordinal` counts chunks from there.
 */
export function chunkId(source: string, heading: string, position: string, text: string): string {
  return createHash('sha256')
    .update([source, heading, position, text].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}
