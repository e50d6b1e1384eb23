/**
 * A record as one line of JSON: typed arrays become arrays, bytes become base64, bigints strings,
 * so every format's records print.
 */
export function toJsonLine(value: unknown): string {
  return `${JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return item.toString();
    if (item instanceof Uint8Array)
      return Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('base64');
    if (ArrayBuffer.isView(item)) return Array.from(item as unknown as ArrayLike<number>);
    return item;
  })}\n`;
}
