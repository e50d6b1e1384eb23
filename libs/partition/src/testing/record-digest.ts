import { createHash } from 'node:crypto';

/** A stable digest of a record: equal records (bytes, typed arrays, bigints included) digest equal. */
export function recordDigest(record: unknown): string {
  return createHash('sha1').update(stableText(record)).digest('base64url');
}

function stableText(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object') return JSON.stringify(value);
  if (ArrayBuffer.isView(value)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return `${value.constructor.name}:${Buffer.from(bytes).toString('base64')}`;
  }
  if (Array.isArray(value)) return `[${value.map(stableText).join(',')}]`;
  if (value instanceof Map) return stableText(Object.fromEntries(value));
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableText(v)}`).join(',')}}`;
}
