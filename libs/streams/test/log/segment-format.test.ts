import { describe, expect, it } from 'vitest';
import { decodeSegmentIndex, encodeSegment, SEGMENT_HEADER_BYTES } from '../../src/log/segment-format.js';

describe('segment format', () => {
  it('lays out each part’s batches contiguously after the header and indexes where they are', () => {
    const batch = (size: number, fill: number) => new Uint8Array(size).fill(fill);
    const { bytes, index } = encodeSegment([
      { topicId: 'a', partition: 0, batches: [batch(10, 1), batch(5, 2)] },
      { topicId: 'b', partition: 3, batches: [batch(7, 3)] },
    ]);
    expect(index.parts).toEqual([
      {
        topicId: 'a',
        partition: 0,
        batches: [
          { byteOffset: SEGMENT_HEADER_BYTES, byteLength: 10 },
          { byteOffset: SEGMENT_HEADER_BYTES + 10, byteLength: 5 },
        ],
      },
      { topicId: 'b', partition: 3, batches: [{ byteOffset: SEGMENT_HEADER_BYTES + 15, byteLength: 7 }] },
    ]);
    expect([...bytes.subarray(SEGMENT_HEADER_BYTES + 15, SEGMENT_HEADER_BYTES + 22)]).toEqual(
      Array(7).fill(3),
    );
    expect(decodeSegmentIndex('s', bytes)).toEqual(index);
  });

  it('refuses bytes that are not a segment', () => {
    const { bytes } = encodeSegment([{ topicId: 'a', partition: 0, batches: [new Uint8Array(3)] }]);
    expect(() => decodeSegmentIndex('s', bytes.subarray(0, bytes.length - 1))).toThrow(/not a segment/);
    expect(() => decodeSegmentIndex('s', new Uint8Array(4))).toThrow(/too short/);
    const damaged = bytes.slice();
    damaged[damaged.length - 6] = 0xff; // the index length
    expect(() => decodeSegmentIndex('s', damaged)).toThrow(/out of bounds/);
  });
});
