import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptBatchError, InvalidArgumentError } from '../../src/errors.js';
import { Compression } from '../../src/protocol/compression.js';
import {
  type BatchRecord,
  decodeRecords,
  encodeBatch,
  parseBatch,
  parseBatches,
  type RecordToEncode,
  verifyBatch,
  withBaseOffset,
  withBaseOffsets,
} from '../../src/protocol/record-batch.js';
import { KafkajsDecoder, KafkajsLong, kafkajsRecordBatch } from './support/kafkajs-internals.js';

const bytesOf = (text: string) => new Uint8Array(Buffer.from(text));
const textOf = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString());

/** A batch as kafkajs's producer writes one: idempotent, with headers and a null key. */
async function kafkajsBatch(compression: number) {
  const timestamp = 1_700_000_000_000;
  const records = [
    { key: Buffer.from('k0'), value: Buffer.from('v0'), headers: { h: 'x', other: Buffer.from('y') } },
    { key: null, value: Buffer.from('v1') },
    { key: Buffer.from('k2'), value: null },
  ].map((record, offsetDelta) =>
    kafkajsRecordBatch.record({ ...record, offsetDelta, timestampDelta: offsetDelta * 5 }),
  );
  const encoder = await kafkajsRecordBatch.encode({
    compression,
    firstOffset: KafkajsLong.fromValue('42'),
    firstTimestamp: timestamp,
    maxTimestamp: timestamp + 10,
    lastOffsetDelta: 2,
    producerId: KafkajsLong.fromValue('7'),
    producerEpoch: 3,
    firstSequence: 11,
    records,
  });
  return new Uint8Array(encoder.buffer);
}

describe('record batch v2', () => {
  for (const [name, compression] of [
    ['uncompressed', Compression.None],
    ['gzip', Compression.Gzip],
  ] as const) {
    it(`reads the header and records of a ${name} batch kafkajs encodes`, async () => {
      const [batch, ...rest] = parseBatches(await kafkajsBatch(compression));
      expect(rest).toEqual([]);
      if (!batch) throw new Error('no batch');
      verifyBatch(batch);
      expect(batch).toMatchObject({
        baseOffset: 42n,
        lastOffset: 44n,
        magic: 2,
        compression,
        isTransactional: false,
        isControl: false,
        timestampType: 'create',
        lastOffsetDelta: 2,
        firstTimestamp: 1_700_000_000_000n,
        maxTimestamp: 1_700_000_000_010n,
        producerId: 7n,
        producerEpoch: 3,
        baseSequence: 11,
        recordCount: 3,
      });
      expect(batch.bytes.length).toBe(batch.length + 12);
      const records = await decodeRecords(batch);
      expect(records.map((r) => [r.offset, r.timestamp, textOf(r.key), textOf(r.value)])).toEqual([
        [42n, 1_700_000_000_000n, 'k0', 'v0'],
        [43n, 1_700_000_000_005n, null, 'v1'],
        [44n, 1_700_000_000_010n, 'k2', null],
      ]);
      expect(records[0]?.headers.map((h) => [h.key, textOf(h.value)])).toEqual([
        ['h', 'x'],
        ['other', 'y'],
      ]);
    });

    it(`writes ${name} batches that kafkajs decodes`, async () => {
      const bytes = await encodeBatch({
        records: [
          {
            key: bytesOf('a'),
            value: bytesOf('1'),
            timestamp: 1000n,
            headers: [{ key: 'h', value: bytesOf('v') }],
          },
          { key: null, value: null, timestamp: 1003n },
        ],
        compression,
        baseOffset: 5n,
        producerId: 9n,
        producerEpoch: 1,
        baseSequence: 4,
        isTransactional: true,
      });
      const decoded = await kafkajsRecordBatch.decode(new KafkajsDecoder(Buffer.from(bytes)));
      expect(decoded).toMatchObject({
        firstOffset: '5',
        producerId: '9',
        producerEpoch: 1,
        firstSequence: 4,
        inTransaction: true,
        lastOffsetDelta: 1,
      });
      expect(decoded.records.map((r) => [r.offset, r.timestamp, textOf(r.key), textOf(r.value)])).toEqual([
        ['5', '1000', 'a', '1'],
        ['6', '1003', null, null],
      ]);
      expect(textOf(decoded.records[0]?.headers.h as Buffer)).toBe('v');
    });
  }

  it('fails verification when any byte under the CRC changes', async () => {
    const bytes = await encodeBatch({ records: [{ value: bytesOf('payload') }] });
    verifyBatch(parseBatch(bytes));
    for (const at of [21, 30, bytes.length - 1]) {
      const damaged = new Uint8Array(bytes);
      damaged[at] = (damaged[at] as number) ^ 1;
      expect(() => verifyBatch(parseBatch(damaged))).toThrow(CorruptBatchError);
    }
  });

  it('rewrites the base offset outside the CRC, into a copy', async () => {
    const bytes = await encodeBatch({ records: [{ value: bytesOf('a') }, { value: bytesOf('b') }] });
    const moved = withBaseOffset(bytes, 1_000_000_000_000n);
    const batch = parseBatch(moved);
    verifyBatch(batch);
    expect(batch.baseOffset).toBe(1_000_000_000_000n);
    expect((await decodeRecords(batch)).map((r) => r.offset)).toEqual([
      1_000_000_000_000n,
      1_000_000_000_001n,
    ]);
    expect(parseBatch(bytes).baseOffset).toBe(0n);
  });

  it('rewrites the base offsets of several batches into one buffer, leaving the originals untouched', async () => {
    const first = await encodeBatch({ records: [{ value: bytesOf('a') }, { value: bytesOf('b') }] });
    const second = await encodeBatch({ records: [{ value: bytesOf('c') }] });
    const moved = withBaseOffsets([
      { bytes: first, baseOffset: 10n },
      { bytes: second, baseOffset: 12n },
    ]);
    expect(moved.map((batch) => parseBatch(batch).baseOffset)).toEqual([10n, 12n]);
    for (const batch of moved) verifyBatch(parseBatch(batch));
    expect(moved[1]!.buffer).toBe(moved[0]!.buffer);
    expect(moved[1]!.byteOffset).toBe(moved[0]!.byteOffset + first.length);
    expect([parseBatch(first).baseOffset, parseBatch(second).baseOffset]).toEqual([0n, 0n]);
  });

  it('splits concatenated batches, and drops a truncated tail only when asked', async () => {
    const first = await encodeBatch({ records: [{ value: bytesOf('one') }], baseOffset: 0n });
    const second = await encodeBatch({
      records: [{ value: bytesOf('two') }, { value: null }],
      baseOffset: 1n,
    });
    const joined = Buffer.concat([first, second]);
    expect(parseBatches(joined).map((b) => [b.baseOffset, b.recordCount])).toEqual([
      [0n, 1],
      [1n, 2],
    ]);
    for (const cut of [joined.length - 1, first.length + 5, first.length + 20]) {
      const truncated = joined.subarray(0, cut);
      expect(() => parseBatches(truncated)).toThrow(CorruptBatchError);
      expect(parseBatches(truncated, { allowTruncatedTail: true }).map((b) => b.baseOffset)).toEqual([0n]);
    }
    expect(parseBatches(new Uint8Array(0))).toEqual([]);
  });

  it('rejects a batch that is not magic 2, whose length lies, or whose records do not parse', async () => {
    const bytes = await encodeBatch({ records: [{ value: bytesOf('x') }] });
    const oldMagic = new Uint8Array(bytes);
    oldMagic[16] = 1;
    expect(() => parseBatch(oldMagic)).toThrow(CorruptBatchError);
    const longer = new Uint8Array(bytes);
    new DataView(longer.buffer).setInt32(8, bytes.length);
    expect(() => parseBatch(longer)).toThrow(CorruptBatchError);
    const miscounted = new Uint8Array(bytes);
    new DataView(miscounted.buffer).setInt32(57, 2);
    await expect(decodeRecords(parseBatch(miscounted))).rejects.toThrow(CorruptBatchError);
    await expect(encodeBatch({ records: [] })).rejects.toThrow(InvalidArgumentError);
  });

  it('gives every record the max timestamp under log append time', async () => {
    const bytes = await encodeBatch({
      records: [
        { value: null, timestamp: 10n },
        { value: null, timestamp: 20n },
      ],
      timestampType: 'logAppend',
      maxTimestamp: 99n,
    });
    const batch = parseBatch(bytes);
    expect(batch.timestampType).toBe('logAppend');
    expect((await decodeRecords(batch)).map((r) => r.timestamp)).toEqual([99n, 99n]);
  });

  it('round-trips any records through encode and decode', async () => {
    const bytes = fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null });
    const record = fc.record({
      key: bytes,
      value: bytes,
      timestamp: fc.bigInt({ min: 0n, max: 1n << 50n }),
      headers: fc.array(fc.record({ key: fc.string({ maxLength: 10 }), value: bytes }), { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.bigInt({ min: 0n, max: (1n << 62n) - 100n }),
        async (records: RecordToEncode[], baseOffset) => {
          const batch = parseBatch(await encodeBatch({ records, baseOffset }));
          verifyBatch(batch);
          const decoded = await decodeRecords(batch);
          const expected: BatchRecord[] = records.map((r, i) => ({
            offset: baseOffset + BigInt(i),
            timestamp: r.timestamp as bigint,
            key: r.key ?? null,
            value: r.value,
            headers: r.headers ?? [],
          }));
          expect(decoded.map(plain)).toEqual(expected.map(plain));
        },
      ),
      { numRuns: 100 },
    );
  });
});

function plain(record: BatchRecord) {
  const hex = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('hex'));
  return {
    ...record,
    key: hex(record.key),
    value: hex(record.value),
    headers: record.headers.map((h) => [h.key, hex(h.value)]),
  };
}
