/** Thrown by `LoadedBytes` when a range was not loaded yet: the caller loads it and parses again. */
export class NeedBytes extends Error {
  constructor(
    /** First byte needed. */
    readonly offset: number,
    /** Bytes needed from there. */
    readonly length: number,
  ) {
    super(`bytes [${offset}, ${offset + length}) are not loaded`);
  }
}

/**
 * Windows of one object loaded so far (the header, IFDs elsewhere in the file), so that a
 * synchronous parser can run over the head bytes alone (detection) or over a few ranged reads
 * (the index pass), asking for what it lacks with `NeedBytes`.
 */
export class LoadedBytes {
  readonly #windows: Array<{ offset: number; bytes: Uint8Array }> = [];

  /** Starts with the bytes at `offset` (typically the object's head, at 0). */
  constructor(bytes: Uint8Array, offset = 0) {
    this.add(offset, bytes);
  }

  /** Adds a window of bytes read at `offset`. */
  add(offset: number, bytes: Uint8Array): void {
    this.#windows.push({ offset, bytes });
  }

  /** Total bytes held. */
  get size(): number {
    return this.#windows.reduce((total, window) => total + window.bytes.length, 0);
  }

  /** A view of `length` bytes at `offset`; `NeedBytes` when no loaded window holds them all. */
  view(offset: number, length: number): DataView {
    for (const window of this.#windows) {
      const start = offset - window.offset;
      if (start >= 0 && start + length <= window.bytes.length) {
        return new DataView(window.bytes.buffer, window.bytes.byteOffset + start, length);
      }
    }
    throw new NeedBytes(offset, length);
  }
}
