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

/** One of kafkajs's request definitions at one version: `encode()` gives its body. */
export interface KafkajsRequest {
  readonly apiKey: number;
  readonly apiVersion: number;
  encode(): Promise<KafkajsEncoder>;
}

/** kafkajs's response decoder of one API version: `decode` reads the body after the correlation id. */
export interface KafkajsResponse {
  decode(payload: Buffer): Promise<Record<string, unknown>>;
  parse(decoded: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** kafkajs's protocol of one API: the versions it implements and, per version, its request and response. */
export interface KafkajsApi {
  readonly versions: string[];
  protocol(options: {
    version: number;
  }): (args: unknown) => { request: KafkajsRequest; response: KafkajsResponse };
}

/** kafkajs's protocol module of the API named as in its `requests/` folder (e.g. `metadata`). */
export function kafkajsApi(name: string): KafkajsApi {
  return require(`${PROTOCOL}/requests/${name}`) as KafkajsApi;
}

/** A request framed as kafkajs sends it: size, header v1 (key, version, correlation id, client id), body. */
export async function kafkajsFrame(
  request: KafkajsRequest,
  correlationId: number,
  clientId: string,
): Promise<Buffer> {
  const frame = require(`${PROTOCOL}/request`) as (options: object) => Promise<KafkajsEncoder>;
  return (await frame({ correlationId, clientId, request })).buffer;
}
