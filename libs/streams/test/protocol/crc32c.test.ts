import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/protocol/crc32c.js';
import { kafkajsCrc32c } from './support/kafkajs-internals.js';

describe('crc32c', () => {
  it('gives the check value of the CRC-32C catalogue for "123456789"', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43); // RFC 3720 B.4: 32 bytes of 0xff
  });

  it('agrees with kafkajs on any bytes, at any length and alignment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), (bytes, skip) => {
        const slice = bytes.subarray(Math.min(skip, bytes.length));
        expect(crc32c(slice)).toBe(kafkajsCrc32c(Buffer.from(slice)));
      }),
    );
  });
});
