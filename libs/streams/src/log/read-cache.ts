/**
 * A bounded least-recently-used cache of immutable byte ranges (segment ranges, index chunks), by
 * key. It holds at most `maxBytes`; a value larger than that is not kept.
 */
export class ReadCache {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Uint8Array>();
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The value under `key` (now the most recently used), or `undefined`. */
  get(key: string): Uint8Array | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Keeps `value` under `key`, evicting the least recently used values beyond the budget. */
  set(key: string, value: Uint8Array): void {
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= previous.byteLength;
    }
    if (value.byteLength > this.#maxBytes) return;
    this.#entries.set(key, value);
    this.#bytes += value.byteLength;
    for (const [oldest, bytes] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= bytes.byteLength;
    }
  }
}
