import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/protocol/byte-writer.js';

describe('byte writer', () => {
  it('writes large raw values by reference and finishes with every byte in order, in one buffer', () => {
    const large = new Uint8Array(200_000).map((_, i) => i % 251);
    const writer = new ByteWriter()
      .int32(7)
      .raw(large)
      .int16(-2)
      .raw(new Uint8Array([9, 9]))
      .raw(large);
    expect(writer.length).toBe(4 + 200_000 + 2 + 2 + 200_000);
    const bytes = writer.finish();
    const expected = Buffer.concat([
      Buffer.from([0, 0, 0, 7]),
      large,
      Buffer.from([0xff, 0xfe, 9, 9]),
      large,
    ]);
    expect(Buffer.from(bytes).equals(expected)).toBe(true);
    expect(bytes.byteOffset).toBe(0);
  });

  it('finishes as a view of its own buffer when every value was small', () => {
    const writer = new ByteWriter(16).int8(1).compactString('hi');
    const bytes = writer.finish();
    expect([...bytes]).toEqual([1, 3, 0x68, 0x69]);
    expect(bytes.buffer.byteLength).toBe(16);
  });
});
