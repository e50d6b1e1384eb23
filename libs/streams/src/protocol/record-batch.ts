import { CorruptBatchError, InvalidArgumentError, MalformedMessageError } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { Compression, compress, decompress } from './compression.js';
import { crc32c } from './crc32c.js';

/*
 * Record batch v2 (magic 2), Kafka's only current on-disk and on-wire format:
 *   baseOffset int64 | length int32 (bytes after this field) | partitionLeaderEpoch int32 |
 *   magic int8 | crc uint32 (CRC-32C of attributes..end) | attributes int16 | lastOffsetDelta int32 |
 *   firstTimestamp int64 | maxTimestamp int64 | producerId int64 | producerEpoch int16 |
 *   baseSequence int32 | recordCount int32 | records (compressed as a whole when attributes say so)
 */
const LENGTH_AT = 8;
const LEADER_EPOCH_AT = 12;
const MAGIC_AT = 16;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;
const LAST_OFFSET_DELTA_AT = 23;
const FIRST_TIMESTAMP_AT = 27;
const MAX_TIMESTAMP_AT = 35;
const PRODUCER_ID_AT = 43;
const PRODUCER_EPOCH_AT = 51;
const BASE_SEQUENCE_AT = 53;
const RECORD_COUNT_AT = 57;
/** Bytes of a batch before its records. */
export const BATCH_HEADER_LENGTH = 61;
/** Bytes of the baseOffset and length fields, which `length` does not count. */
const LOG_OVERHEAD = 12;
const MAGIC = 2;

const COMPRESSION_MASK = 0x07;
const LOG_APPEND_TIME_FLAG = 0x08;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;

/** How the timestamps of a batch's records were set: by the producer, or by the broker on append. */
export type TimestampType = 'create' | 'logAppend';

/** The header of one v2 record batch, read from its bytes (which it keeps, uncopied). */
export interface RecordBatchView {
  /** The whole batch, header and records. `bytes.length === length + 12`. */
  readonly bytes: Uint8Array;
  readonly baseOffset: bigint;
  /** The batch's Length field: its byte count after the baseOffset and length fields. */
  readonly length: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  /** The CRC-32C the batch claims, unsigned. */
  readonly crc: number;
  readonly attributes: number;
  readonly compression: number;
  readonly timestampType: TimestampType;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
  readonly lastOffsetDelta: number;
  /** `baseOffset + lastOffsetDelta`. */
  readonly lastOffset: bigint;
  /** The batch's base timestamp (Kafka's `baseTimestamp`, kafkajs's `firstTimestamp`), ms. */
  readonly firstTimestamp: bigint;
  readonly maxTimestamp: bigint;
  /** -1 when the producer is not idempotent. */
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

/** A record header: a string key and a nullable byte value. */
export interface RecordHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** One record of a batch, with its absolute offset and timestamp. */
export interface BatchRecord {
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly RecordHeader[];
}

/** Reads the header of the v2 batch that fills `bytes`; throws `CorruptBatchError` if it is not one. */
export function parseBatch(bytes: Uint8Array): RecordBatchView {
  if (bytes.length < BATCH_HEADER_LENGTH) {
    throw new CorruptBatchError(`a record batch needs ${BATCH_HEADER_LENGTH} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getInt32(LENGTH_AT);
  if (length + LOG_OVERHEAD !== bytes.length) {
    throw new CorruptBatchError(`record batch length ${length} does not match its ${bytes.length} bytes`);
  }
  const magic = view.getInt8(MAGIC_AT);
  if (magic !== MAGIC) throw new CorruptBatchError(`record batch magic ${magic} is not 2`);
  const attributes = view.getInt16(ATTRIBUTES_AT);
  const baseOffset = view.getBigInt64(0);
  const lastOffsetDelta = view.getInt32(LAST_OFFSET_DELTA_AT);
  return {
    bytes,
    baseOffset,
    length,
    partitionLeaderEpoch: view.getInt32(LEADER_EPOCH_AT),
    magic,
    crc: view.getUint32(CRC_AT),
    attributes,
    compression: attributes & COMPRESSION_MASK,
    timestampType: attributes & LOG_APPEND_TIME_FLAG ? 'logAppend' : 'create',
    isTransactional: (attributes & TRANSACTIONAL_FLAG) !== 0,
    isControl: (attributes & CONTROL_FLAG) !== 0,
    lastOffsetDelta,
    lastOffset: baseOffset + BigInt(lastOffsetDelta),
    firstTimestamp: view.getBigInt64(FIRST_TIMESTAMP_AT),
    maxTimestamp: view.getBigInt64(MAX_TIMESTAMP_AT),
    producerId: view.getBigInt64(PRODUCER_ID_AT),
    producerEpoch: view.getInt16(PRODUCER_EPOCH_AT),
    baseSequence: view.getInt32(BASE_SEQUENCE_AT),
    recordCount: view.getInt32(RECORD_COUNT_AT),
  };
}

/**
 * Splits concatenated v2 batches (a produce request's or fetch response's records) into views,
 * without copying. A batch cut off at the end throws `CorruptBatchError`, unless
 * `allowTruncatedTail` is set (fetch data, which a broker may cut at its size limit): then it is
 * left out.
 */
export function parseBatches(
  bytes: Uint8Array,
  options: { allowTruncatedTail?: boolean } = {},
): RecordBatchView[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const batches: RecordBatchView[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end =
      at + LOG_OVERHEAD <= bytes.length ? at + LOG_OVERHEAD + view.getInt32(at + LENGTH_AT) : Infinity;
    if (end > bytes.length) {
      if (options.allowTruncatedTail) break;
      throw new CorruptBatchError(
        `record batch at byte ${at} is truncated (${bytes.length - at} bytes left)`,
      );
    }
    if (end < at + BATCH_HEADER_LENGTH)
      throw new CorruptBatchError(`record batch at byte ${at} is too short`);
    batches.push(parseBatch(bytes.subarray(at, end)));
    at = end;
  }
  return batches;
}

/** The CRC-32C of a batch's bytes from its attributes to its end: the value its crc field must hold. */
export function computeBatchCrc(bytes: Uint8Array): number {
  return crc32c(bytes.subarray(ATTRIBUTES_AT));
}

/** Throws `CorruptBatchError` unless the batch's CRC-32C matches its bytes. */
export function verifyBatch(batch: RecordBatchView): void {
  const actual = computeBatchCrc(batch.bytes);
  if (actual !== batch.crc) {
    throw new CorruptBatchError(
      `record batch at offset ${batch.baseOffset} fails its CRC-32C (${batch.crc.toString(16)} stored, ${actual.toString(16)} computed)`,
    );
  }
}

/**
 * A copy of the batch `bytes` with its baseOffset set to `offset`. The baseOffset lies outside the
 * CRC, so the batch stays valid; the copy leaves shared (cached) bytes untouched.
 */
export function withBaseOffset(bytes: Uint8Array, offset: bigint): Uint8Array {
  return withBaseOffsets([{ bytes, baseOffset: offset }])[0]!;
}

/**
 * Copies of `batches`, back to back in one new buffer, each with its baseOffset set (as
 * `withBaseOffset` does): views of that buffer, which concatenate without a copy.
 */
export function withBaseOffsets(
  batches: ReadonlyArray<{ bytes: Uint8Array; baseOffset: bigint }>,
): Uint8Array[] {
  const copy = new Uint8Array(batches.reduce((sum, batch) => sum + batch.bytes.length, 0));
  const view = new DataView(copy.buffer);
  let at = 0;
  return batches.map(({ bytes, baseOffset }) => {
    copy.set(bytes, at);
    view.setBigInt64(at, baseOffset);
    at += bytes.length;
    return copy.subarray(at - bytes.length, at);
  });
}

/**
 * The records of a batch, decompressed, with absolute offsets and timestamps (a batch with log
 * append time gives every record its maxTimestamp). Keys, values and header values are views into
 * the batch (or its decompressed records), not copies. Throws `CorruptBatchError` for records that
 * do not parse or do not match the batch's count, `UnsupportedCompressionError` for an unknown codec.
 */
export async function decodeRecords(batch: RecordBatchView): Promise<BatchRecord[]> {
  const body = await decompress(batch.compression, batch.bytes.subarray(BATCH_HEADER_LENGTH));
  const reader = new ByteReader(body);
  const records: BatchRecord[] = [];
  try {
    for (let i = 0; i < batch.recordCount; i++) records.push(readRecord(reader, batch));
  } catch (error) {
    if (!(error instanceof MalformedMessageError)) throw error;
    throw new CorruptBatchError(
      `records of the batch at offset ${batch.baseOffset} do not parse: ${error.message}`,
      {
        cause: error,
      },
    );
  }
  if (reader.remaining !== 0) {
    throw new CorruptBatchError(
      `batch at offset ${batch.baseOffset} has ${reader.remaining} bytes after its records`,
    );
  }
  return records;
}

function readRecord(reader: ByteReader, batch: RecordBatchView): BatchRecord {
  const length = reader.varint();
  const start = reader.offset;
  reader.int8(); // record attributes: unused
  const timestampDelta = reader.varlong();
  const offsetDelta = reader.varint();
  const key = reader.varintBytes();
  const value = reader.varintBytes();
  const headerCount = reader.varint();
  if (headerCount < 0) throw new MalformedMessageError(`negative header count ${headerCount}`);
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const headerKey = reader.varintString();
    if (headerKey === null) throw new MalformedMessageError('null record header key');
    headers.push({ key: headerKey, value: reader.varintBytes() });
  }
  if (reader.offset - start !== length) {
    throw new MalformedMessageError(`record of length ${length} spans ${reader.offset - start} bytes`);
  }
  return {
    offset: batch.baseOffset + BigInt(offsetDelta),
    timestamp:
      batch.timestampType === 'logAppend' ? batch.maxTimestamp : batch.firstTimestamp + timestampDelta,
    key,
    value,
    headers,
  };
}

/** A record to encode; the batch assigns offsets in order and `Date.now()` to a missing timestamp. */
export interface RecordToEncode {
  readonly key?: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: readonly RecordHeader[];
  readonly timestamp?: bigint;
}

/** What `encodeBatch` writes; every field but `records` has the default a plain producer uses. */
export interface EncodeBatchOptions {
  readonly records: readonly RecordToEncode[];
  /** Codec of the records section (default `Compression.None`). */
  readonly compression?: Compression;
  /** Default 0. */
  readonly baseOffset?: bigint;
  /** Default -1 (none). */
  readonly partitionLeaderEpoch?: number;
  /** Default -1 (not idempotent). */
  readonly producerId?: bigint;
  /** Default -1. */
  readonly producerEpoch?: number;
  /** Default -1. */
  readonly baseSequence?: number;
  readonly isTransactional?: boolean;
  readonly isControl?: boolean;
  /** Default `create`. */
  readonly timestampType?: TimestampType;
  /** Default: the smallest record timestamp. */
  readonly firstTimestamp?: bigint;
  /** Default: the largest record timestamp. */
  readonly maxTimestamp?: bigint;
}

/** Encodes one v2 record batch, compressed and with its CRC-32C. An empty batch is refused. */
export async function encodeBatch(options: EncodeBatchOptions): Promise<Uint8Array> {
  const { records } = options;
  if (records.length === 0) throw new InvalidArgumentError('a record batch needs at least one record');
  const now = BigInt(Date.now());
  const timestamps = records.map((record) => record.timestamp ?? now);
  const sorted = [...timestamps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const firstTimestamp = options.firstTimestamp ?? (sorted[0] as bigint);
  const maxTimestamp = options.maxTimestamp ?? (sorted[sorted.length - 1] as bigint);

  const body = new ByteWriter();
  records.forEach((record, offsetDelta) => {
    writeRecord(body, record, (timestamps[offsetDelta] as bigint) - firstTimestamp, offsetDelta);
  });
  const compression = options.compression ?? Compression.None;
  const recordsSection = await compress(compression, body.finish());

  const attributes =
    compression |
    (options.timestampType === 'logAppend' ? LOG_APPEND_TIME_FLAG : 0) |
    (options.isTransactional ? TRANSACTIONAL_FLAG : 0) |
    (options.isControl ? CONTROL_FLAG : 0);
  const batch = new ByteWriter(BATCH_HEADER_LENGTH + recordsSection.length)
    .int64(options.baseOffset ?? 0n)
    .int32(BATCH_HEADER_LENGTH - LOG_OVERHEAD + recordsSection.length)
    .int32(options.partitionLeaderEpoch ?? -1)
    .int8(MAGIC)
    .uint32(0) // the CRC, filled in below
    .int16(attributes)
    .int32(records.length - 1)
    .int64(firstTimestamp)
    .int64(maxTimestamp)
    .int64(options.producerId ?? -1n)
    .int16(options.producerEpoch ?? -1)
    .int32(options.baseSequence ?? -1)
    .int32(records.length)
    .raw(recordsSection)
    .finish();
  new DataView(batch.buffer, batch.byteOffset).setUint32(CRC_AT, computeBatchCrc(batch));
  return batch;
}

const textEncoder = new TextEncoder();

function writeRecord(
  writer: ByteWriter,
  record: RecordToEncode,
  timestampDelta: bigint,
  offsetDelta: number,
): void {
  const body = new ByteWriter(64)
    .int8(0)
    .varlong(timestampDelta)
    .varint(offsetDelta)
    .varintBytes(record.key ?? null)
    .varintBytes(record.value);
  const headers = record.headers ?? [];
  body.varint(headers.length);
  for (const header of headers) body.varintBytes(textEncoder.encode(header.key)).varintBytes(header.value);
  const bytes = body.finish();
  writer.varint(bytes.length).raw(bytes);
}
