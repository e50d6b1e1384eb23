/** CRC-32C (Castagnoli) polynomial, reflected. */
const CASTAGNOLI_REFLECTED = 0x82f63b78;

/** Lookup tables for slicing-by-8: `TABLES[k][b]` is the CRC of byte `b` followed by `k` zero bytes. */
const TABLES = buildTables();

function buildTables(): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  const [first, ...rest] = tables as [Uint32Array, ...Uint32Array[]];
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ CASTAGNOLI_REFLECTED : crc >>> 1;
    first[byte] = crc >>> 0;
  }
  let previous = first;
  for (const table of rest) {
    for (let byte = 0; byte < 256; byte++) {
      const crc = previous[byte] as number;
      table[byte] = ((crc >>> 8) ^ (first[crc & 0xff] as number)) >>> 0;
    }
    previous = table;
  }
  return tables;
}

/**
 * The CRC-32C (Castagnoli) checksum of `bytes`, as an unsigned 32-bit number: the checksum a Kafka
 * v2 record batch carries over its bytes from the attributes to the end. Eight bytes a step
 * (slicing-by-8), the tail byte by byte.
 */
export function crc32c(bytes: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  let crc = 0xffffffff;
  let i = 0;
  const aligned = bytes.length - (bytes.length % 8);
  for (; i < aligned; i += 8) {
    const low =
      crc ^
      ((bytes[i] as number) |
        ((bytes[i + 1] as number) << 8) |
        ((bytes[i + 2] as number) << 16) |
        ((bytes[i + 3] as number) << 24));
    const high =
      (bytes[i + 4] as number) |
      ((bytes[i + 5] as number) << 8) |
      ((bytes[i + 6] as number) << 16) |
      ((bytes[i + 7] as number) << 24);
    crc =
      (t7[low & 0xff] as number) ^
      (t6[(low >>> 8) & 0xff] as number) ^
      (t5[(low >>> 16) & 0xff] as number) ^
      (t4[low >>> 24] as number) ^
      (t3[high & 0xff] as number) ^
      (t2[(high >>> 8) & 0xff] as number) ^
      (t1[(high >>> 16) & 0xff] as number) ^
      (t0[high >>> 24] as number);
  }
  for (; i < bytes.length; i++) crc = (t0[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
