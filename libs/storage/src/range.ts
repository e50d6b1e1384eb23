import { InvalidRangeError } from './errors.js';
import type { ByteRange } from './object-store.js';

/** Throws `InvalidRangeError` for ranges that are malformed whatever the object size. */
export function assertWellFormedRange(key: string, range: ByteRange): void {
  if ('suffix' in range) {
    if (!Number.isSafeInteger(range.suffix) || range.suffix <= 0) {
      throw new InvalidRangeError(key, `suffix must be a positive integer, got ${range.suffix}`);
    }
    return;
  }
  if (!Number.isSafeInteger(range.offset) || range.offset < 0) {
    throw new InvalidRangeError(key, `offset must be a non-negative integer, got ${range.offset}`);
  }
  if (range.length !== undefined && (!Number.isSafeInteger(range.length) || range.length <= 0)) {
    throw new InvalidRangeError(key, `length must be a positive integer, got ${range.length}`);
  }
}

/**
 * Resolves a range against an object of `size` bytes to `[start, endExclusive)`, with S3's rules:
 * a range starting at or past the end is invalid, one running past the end is cut at the end.
 */
export function resolveRange(key: string, range: ByteRange, size: number): { start: number; end: number } {
  assertWellFormedRange(key, range);
  if ('suffix' in range) {
    if (size === 0) throw new InvalidRangeError(key, 'suffix range of an empty object');
    return { start: Math.max(0, size - range.suffix), end: size };
  }
  if (range.offset >= size) {
    throw new InvalidRangeError(key, `offset ${range.offset} is past the end (size ${size})`);
  }
  const end = range.length === undefined ? size : Math.min(size, range.offset + range.length);
  return { start: range.offset, end };
}

/** The HTTP `Range` header value for a range. */
export function toHttpRange(range: ByteRange): string {
  if ('suffix' in range) return `bytes=-${range.suffix}`;
  return range.length === undefined
    ? `bytes=${range.offset}-`
    : `bytes=${range.offset}-${range.offset + range.length - 1}`;
}
