const textEncoder = new TextEncoder();
const INITIAL_CAPACITY = 256;
/** Raw values at least this long are kept by reference until `finish`, which copies them once. */
const REFERENCED_BYTES = 64 * 1024;

/**
 * A growable big-endian buffer writing the Kafka protocol's primitive types: fixed-width integers,
 * zig-zag varints and varlongs, unsigned varints, (compact, nullable) strings and bytes, uuids.
 * Large raw values (record batches) are not copied when written but once, by `finish`, so they
 * must not change until then.
 */
export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  /** Bytes written into `buffer`. */
  private used = 0;
  /** What was written before `buffer`, in order: earlier buffers' bytes and referenced raw values. */
  private readonly pieces: Uint8Array[] = [];
  private piecesLength = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.buffer = new Uint8Array(capacity);
    this.view = new DataView(this.buffer.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.piecesLength + this.used;
  }

  /**
   * The bytes written so far, in one buffer: a view of the writer's own when no large value was
   * referenced, else a new buffer holding everything.
   */
  finish(): Uint8Array {
    const tail = this.buffer.subarray(0, this.used);
    if (this.pieces.length === 0) return tail;
    const bytes = new Uint8Array(this.length);
    let at = 0;
    for (const piece of [...this.pieces, tail]) {
      bytes.set(piece, at);
      at += piece.length;
    }
    return bytes;
  }

  /** Grows the buffer for `size` more bytes; returns where they start. Callers index `this.buffer` after it. */
  private reserve(size: number): number {
    const at = this.used;
    const needed = at + size;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, at));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.used = needed;
    return at;
  }

  /** Writes a signed 8-bit integer. */
  int8(value: number): this {
    const at = this.reserve(1);
    this.view.setInt8(at, value);
    return this;
  }

  /** Writes a signed 16-bit integer. */
  int16(value: number): this {
    const at = this.reserve(2);
    this.view.setInt16(at, value);
    return this;
  }

  /** Writes an unsigned 16-bit integer. */
  uint16(value: number): this {
    const at = this.reserve(2);
    this.view.setUint16(at, value);
    return this;
  }

  /** Writes a signed 32-bit integer. */
  int32(value: number): this {
    const at = this.reserve(4);
    this.view.setInt32(at, value);
    return this;
  }

  /** Writes an unsigned 32-bit integer. */
  uint32(value: number): this {
    const at = this.reserve(4);
    this.view.setUint32(at, value);
    return this;
  }

  /** Writes a signed 64-bit integer. */
  int64(value: bigint): this {
    const at = this.reserve(8);
    this.view.setBigInt64(at, value);
    return this;
  }

  /** Writes an IEEE 754 double. */
  float64(value: number): this {
    const at = this.reserve(8);
    this.view.setFloat64(at, value);
    return this;
  }

  /** Writes a boolean as one byte, 0 or 1. */
  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  /** Writes an unsigned varint (7 bits a byte, least significant group first), up to 32 bits. */
  uvarint(value: number): this {
    let rest = value >>> 0;
    while (rest >= 0x80) {
      const at = this.reserve(1);
      this.buffer[at] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    const at = this.reserve(1);
    this.buffer[at] = rest;
    return this;
  }

  /** Writes a signed 32-bit integer as a zig-zag varint. */
  varint(value: number): this {
    return this.uvarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /** Writes a signed 64-bit integer as a zig-zag varlong. */
  varlong(value: bigint): this {
    let rest = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
    while (rest >= 0x80n) {
      const at = this.reserve(1);
      this.buffer[at] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    const at = this.reserve(1);
    this.buffer[at] = Number(rest);
    return this;
  }

  /** Writes bytes as they are, with no length (a large value by reference, until `finish`). */
  raw(bytes: Uint8Array): this {
    if (bytes.length >= REFERENCED_BYTES) {
      this.pieces.push(this.buffer.subarray(0, this.used), bytes);
      this.piecesLength += this.used + bytes.length;
      this.buffer = new Uint8Array(INITIAL_CAPACITY);
      this.view = new DataView(this.buffer.buffer);
      this.used = 0;
      return this;
    }
    const at = this.reserve(bytes.length);
    this.buffer.set(bytes, at);
    return this;
  }

  /** Writes a string with an int16 length (-1 for null). */
  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = textEncoder.encode(value);
    return this.int16(bytes.length).raw(bytes);
  }

  /** Writes a string with an unsigned varint length + 1 (0 for null). */
  compactString(value: string | null): this {
    if (value === null) return this.uvarint(0);
    const bytes = textEncoder.encode(value);
    return this.uvarint(bytes.length + 1).raw(bytes);
  }

  /** Writes bytes with an int32 length (-1 for null). */
  bytes(value: Uint8Array | null): this {
    if (value === null) return this.int32(-1);
    return this.int32(value.length).raw(value);
  }

  /** Writes bytes with an unsigned varint length + 1 (0 for null). */
  compactBytes(value: Uint8Array | null): this {
    if (value === null) return this.uvarint(0);
    return this.uvarint(value.length + 1).raw(value);
  }

  /** Writes bytes with a zig-zag varint length (-1 for null), as record keys and values are. */
  varintBytes(value: Uint8Array | null): this {
    if (value === null) return this.varint(-1);
    return this.varint(value.length).raw(value);
  }

  /** Writes a uuid given in its canonical text form as 16 bytes. */
  uuid(value: string): this {
    const hex = value.replaceAll('-', '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a uuid: ${value}`);
    const at = this.reserve(16);
    for (let i = 0; i < 16; i++) this.buffer[at + i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return this;
  }
}
