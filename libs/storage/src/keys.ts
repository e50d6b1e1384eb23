import { InvalidKeyError } from './errors.js';

/** Longest key in UTF-8 bytes, as on S3. */
export const MAX_KEY_BYTES = 1024;

/** Name prefix reserved for the file-system backend's temporary and lock files. */
export const RESERVED_NAME_PREFIX = '.isthmus-';

/**
 * Throws `InvalidKeyError` unless `key` is a key every backend can store identically: a relative
 * `/`-separated path with no empty, `.` or `..` segment, no control characters, no trailing `/`,
 * no segment starting with `.isthmus-`, at most 1024 UTF-8 bytes. Such a key can never escape the
 * root of a `file://` store.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError(String(key), 'empty key');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new InvalidKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new InvalidKeyError(key, 'contains a control character');
  if (key.includes('\\')) throw new InvalidKeyError(key, 'contains a backslash');
  if (key.startsWith('/')) throw new InvalidKeyError(key, 'absolute keys are not allowed');
  if (key.endsWith('/')) throw new InvalidKeyError(key, 'keys may not end with "/"');
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidKeyError(key, 'empty path segment');
    if (segment === '.' || segment === '..') throw new InvalidKeyError(key, `"${segment}" segment`);
    if (segment.startsWith(RESERVED_NAME_PREFIX)) {
      throw new InvalidKeyError(key, `segments starting with "${RESERVED_NAME_PREFIX}" are reserved`);
    }
  }
}

/** Compares two keys in UTF-8 byte order, the order S3 lists in. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
