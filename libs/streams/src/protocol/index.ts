export { ApiKey, type ApiName, apiName } from './api-keys.js';
export { Compression, compress, decompress } from './compression.js';
export {
  type DecodedRequest,
  decodeRequest,
  decodeRequestHeader,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type RequestHeader,
} from './frames.js';
export { KafkaErrorCode, type KafkaErrorName, kafkaErrorName } from './kafka-error-codes.js';
export { decodeMessage, encodeMessage, type MessageBody } from './message-codec.js';
export type {
  ApiDefinition,
  FieldDefinition,
  MessageDefinition,
  VersionRange,
} from './message-definition.js';
export { type ApiMessages, apiDefinitions } from './messages/index.js';
export {
  type BatchRecord,
  decodeRecords,
  type EncodeBatchOptions,
  encodeBatch,
  parseBatch,
  parseBatches,
  type RecordBatchView,
  type RecordHeader,
  type RecordToEncode,
  type TimestampType,
  verifyBatch,
  withBaseOffset,
} from './record-batch.js';
