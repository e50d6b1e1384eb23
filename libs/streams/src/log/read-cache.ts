/**
 * A bounded least-recently-used cache of immutable byte ranges (segment ranges, index chunks), by
 * key. Values may be views sharing one buffer (the ranges of one segment, uncopied): the budget
 * counts the memory they keep alive, each underlying buffer once, for as long as any view of it is
 * cached. It holds at most `maxBytes`; a value whose buffer is larger than that is not kept.
 */
export class ReadCache {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Uint8Array>();
  /** Cached views per underlying buffer. */
  readonly #views = new Map<ArrayBufferLike, number>();
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
    if (previous !== undefined) this.#forget(key, previous);
    if (value.buffer.byteLength > this.#maxBytes) return;
    this.#entries.set(key, value);
    const views = this.#views.get(value.buffer) ?? 0;
    if (views === 0) this.#bytes += value.buffer.byteLength;
    this.#views.set(value.buffer, views + 1);
    for (const [oldest, bytes] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#forget(oldest, bytes);
    }
  }

  #forget(key: string, value: Uint8Array): void {
    this.#entries.delete(key);
    const views = this.#views.get(value.buffer)! - 1;
    if (views > 0) {
      this.#views.set(value.buffer, views);
      return;
    }
    this.#views.delete(value.buffer);
    this.#bytes -= value.buffer.byteLength;
  }
}
