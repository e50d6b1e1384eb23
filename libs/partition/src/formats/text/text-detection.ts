import { constants, gunzipSync } from 'node:zlib';
import { startsWithGzipMagic } from '../../codecs/gzip-member-header.js';
import type { FormatProbe } from '../../format-handler.js';

/** Whether the key ends with one of `extensions` (e.g. `.csv`), optionally followed by `.gz`. */
export function hasExtension(key: string, extensions: readonly string[]): boolean {
  const name = key.toLowerCase().replace(/\.gz$/, '');
  return extensions.some((extension) => name.endsWith(extension));
}

/**
 * The first bytes of the content: the probe's head, decompressed (as far as it goes) when the
 * object is gzip; `undefined` when it is gzip that does not decompress.
 */
export function contentHead(probe: FormatProbe): Uint8Array | undefined {
  if (!startsWithGzipMagic(probe.head)) return probe.head;
  try {
    return gunzipSync(probe.head, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether bytes read as text: valid UTF-8 without NUL bytes (a multi-byte character cut off at
 * the end of a probe is allowed).
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((byte & 0x80) === 0) break;
  }
  try {
    utf8.decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** The lines of a head that are complete (the last one, possibly cut by the probe, left out). */
export function completeLines(head: Uint8Array, count: number): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < count) {
    const newline = head.indexOf(0x0a, start);
    if (newline < 0) break;
    lines.push(Buffer.from(head.subarray(start, newline)).toString('latin1').replace(/\r$/, ''));
    start = newline + 1;
  }
  return lines;
}
