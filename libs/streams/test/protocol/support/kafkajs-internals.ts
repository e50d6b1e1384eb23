import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4's own protocol modules (its encoders, decoders and CRC), loaded from the installed
 * package: the independent implementation the protocol tests check this library's bytes against.
 */
const require = createRequire(import.meta.url);
const PROTOCOL = 'kafkajs/src/protocol';

/** kafkajs's `Encoder`: `.buffer` holds what was written. */
export interface KafkajsEncoder {
  readonly buffer: Buffer;
}

/** kafkajs's `Decoder` over a buffer. */
export const KafkajsDecoder = require(`${PROTOCOL}/decoder`) as new (buffer: Buffer) => unknown;

/** A record as kafkajs's batch decoder returns it. */
export interface KafkajsDecodedRecord {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  offset: string;
  headers: Record<string, Buffer | Buffer[] | null>;
}

/** kafkajs's record batch v2 encoder (`RecordBatch`) and decoder. */
export const kafkajsRecordBatch = {
  encode: (
    require(`${PROTOCOL}/recordBatch/v0`) as { RecordBatch: (options: object) => Promise<KafkajsEncoder> }
  ).RecordBatch,
  record: require(`${PROTOCOL}/recordBatch/record/v0`) as (options: {
    offsetDelta: number;
    timestampDelta: number;
    key: Buffer | null;
    value: Buffer | null;
    headers?: Record<string, Buffer | string>;
  }) => KafkajsEncoder,
  decode: require(`${PROTOCOL}/recordBatch/v0/decoder`) as (decoder: unknown) => Promise<{
    firstOffset: string;
    producerId: string;
    producerEpoch: number;
    firstSequence: number;
    inTransaction: boolean;
    lastOffsetDelta: number;
    records: KafkajsDecodedRecord[];
  }>,
};

/** kafkajs's CRC-32C (unsigned). */
export const kafkajsCrc32c = require(`${PROTOCOL}/recordBatch/crc32C`) as (buffer: Buffer) => number;

/** kafkajs's 64-bit integer type, as its encoders take int64 fields. */
export const KafkajsLong = require('kafkajs/src/utils/long') as {
  fromValue(value: string | number): unknown;
};
