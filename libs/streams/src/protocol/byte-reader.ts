import { MalformedMessageError } from '../errors.js';

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A cursor over big-endian bytes reading the Kafka protocol's primitive types. Reading past the
 * end, an over-long varint or a negative non-null length throws `MalformedMessageError`.
 */
export class ByteReader {
  private readonly view: DataView;
  /** Position of the next byte to read. */
  offset: number;

  constructor(
    readonly buffer: Uint8Array,
    offset = 0,
  ) {
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    this.offset = offset;
  }

  /** Bytes left after the cursor. */
  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private take(size: number): number {
    const at = this.offset;
    if (size < 0 || at + size > this.buffer.length) {
      throw new MalformedMessageError(
        `needs ${size} bytes at offset ${at}, only ${this.buffer.length - at} left`,
      );
    }
    this.offset = at + size;
    return at;
  }

  /** Reads a signed 8-bit integer. */
  int8(): number {
    return this.view.getInt8(this.take(1));
  }

  /** Reads a signed 16-bit integer. */
  int16(): number {
    return this.view.getInt16(this.take(2));
  }

  /** Reads an unsigned 16-bit integer. */
  uint16(): number {
    return this.view.getUint16(this.take(2));
  }

  /** Reads a signed 32-bit integer. */
  int32(): number {
    return this.view.getInt32(this.take(4));
  }

  /** Reads an unsigned 32-bit integer. */
  uint32(): number {
    return this.view.getUint32(this.take(4));
  }

  /** Reads a signed 64-bit integer. */
  int64(): bigint {
    return this.view.getBigInt64(this.take(8));
  }

  /** Reads an IEEE 754 double. */
  float64(): number {
    return this.view.getFloat64(this.take(8));
  }

  /** Reads a boolean (any non-zero byte is true). */
  bool(): boolean {
    return this.int8() !== 0;
  }

  /** Reads an unsigned varint of at most 5 bytes (32 bits). */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buffer[this.take(1)] as number;
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new MalformedMessageError(`varint longer than 5 bytes at offset ${this.offset}`);
  }

  /** Reads a zig-zag varint (signed 32 bits). */
  varint(): number {
    const raw = this.uvarint();
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Reads a zig-zag varlong (signed 64 bits). */
  varlong(): bigint {
    let raw = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.buffer[this.take(1)] as number;
      raw |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        raw = BigInt.asUintN(64, raw);
        return BigInt.asIntN(64, (raw >> 1n) ^ -(raw & 1n));
      }
    }
    throw new MalformedMessageError(`varlong longer than 10 bytes at offset ${this.offset}`);
  }

  /** Reads `size` bytes as a view into the underlying buffer (no copy). */
  raw(size: number): Uint8Array {
    const at = this.take(size);
    return this.buffer.subarray(at, at + size);
  }

  private text(size: number): string {
    try {
      return textDecoder.decode(this.raw(size));
    } catch (error) {
      if (error instanceof MalformedMessageError) throw error;
      throw new MalformedMessageError(`string at offset ${this.offset - size} is not UTF-8`, {
        cause: error,
      });
    }
  }

  private length(size: number, what: string): number {
    if (size < -1)
      throw new MalformedMessageError(`negative ${what} length ${size} at offset ${this.offset}`);
    return size;
  }

  /** Reads a string with an int16 length (-1 is null). */
  string(): string | null {
    const size = this.length(this.int16(), 'string');
    return size === -1 ? null : this.text(size);
  }

  /** Reads a string with an unsigned varint length + 1 (0 is null). */
  compactString(): string | null {
    const size = this.uvarint() - 1;
    return size === -1 ? null : this.text(size);
  }

  /** Reads bytes with an int32 length (-1 is null); a view, not a copy. */
  bytes(): Uint8Array | null {
    const size = this.length(this.int32(), 'bytes');
    return size === -1 ? null : this.raw(size);
  }

  /** Reads bytes with an unsigned varint length + 1 (0 is null); a view, not a copy. */
  compactBytes(): Uint8Array | null {
    const size = this.uvarint() - 1;
    return size === -1 ? null : this.raw(size);
  }

  /** Reads bytes with a zig-zag varint length (-1 is null), as record keys and values are. */
  varintBytes(): Uint8Array | null {
    const size = this.length(this.varint(), 'bytes');
    return size === -1 ? null : this.raw(size);
  }

  /** Reads a string with a zig-zag varint length (-1 is null), as record header keys are. */
  varintString(): string | null {
    const size = this.length(this.varint(), 'string');
    return size === -1 ? null : this.text(size);
  }

  /** Reads 16 bytes as a uuid in canonical text form. */
  uuid(): string {
    const hex = Buffer.from(this.raw(16)).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
