/** The two magic bytes every gzip member starts with (RFC 1952). */
export const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Bytes of the trailer after a member's deflate data: CRC-32 and ISIZE, little-endian. */
export const GZIP_TRAILER_BYTES = 8;

const FLAG_HCRC = 2;
const FLAG_EXTRA = 4;
const FLAG_NAME = 8;
const FLAG_COMMENT = 16;
const DEFLATE = 8;

/** Whether `bytes` start like a gzip member. */
export function startsWithGzipMagic(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/**
 * The length of the gzip member header at the start of `bytes` (RFC 1952: fixed part, then the
 * optional extra field, file name, comment and header CRC); `undefined` when `bytes` end before
 * the header does. Throws a plain `Error` describing what is wrong when it is not a gzip header.
 */
export function gzipHeaderLength(bytes: Uint8Array): number | undefined {
  if (
    (bytes.length >= 1 && bytes[0] !== GZIP_MAGIC[0]) ||
    (bytes.length >= 2 && bytes[1] !== GZIP_MAGIC[1])
  ) {
    throw new Error('not a gzip member (bad magic bytes)');
  }
  if (bytes.length < 10) return undefined;
  if (bytes[2] !== DEFLATE) throw new Error(`unknown gzip compression method ${bytes[2]}`);
  const flags = bytes[3]!;
  if (flags & 0xe0) throw new Error(`reserved gzip header flags set (${flags})`);
  let length = 10;
  if (flags & FLAG_EXTRA) {
    if (bytes.length < length + 2) return undefined;
    length += 2 + (bytes[length]! | (bytes[length + 1]! << 8));
  }
  for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
    if (!(flags & flag)) continue;
    const zero = bytes.indexOf(0, length);
    if (zero < 0) return undefined;
    length = zero + 1;
  }
  if (flags & FLAG_HCRC) length += 2;
  return length <= bytes.length ? length : undefined;
}
