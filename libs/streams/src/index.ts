export { Broker, type BrokerOptions } from './broker/broker.js';
export {
  ClosedError,
  CommitConflictError,
  CorruptBatchError,
  CorruptSegmentError,
  InvalidArgumentError,
  InvalidPartitionsError,
  InvalidProducerEpochError,
  InvalidRecordError,
  InvalidRequiredAcksError,
  InvalidTopicError,
  MalformedMessageError,
  MessageTooLargeError,
  OffsetOutOfRangeError,
  OutOfOrderSequenceError,
  StreamsError,
  type StreamsErrorCode,
  TopicExistsError,
  UnknownPartitionError,
  UnknownTopicError,
  UnsupportedCompressionError,
  UnsupportedVersionError,
} from './errors.js';
export type { BrokerInfo, BrokerRegistry } from './log/broker-registry.js';
export type { MaintenanceOptions, MaintenanceReport } from './log/log-maintenance.js';
export type { CommittedOffset, OffsetCommit, OffsetStore, TopicPartition } from './log/offset-store.js';
export type { RetentionPolicy } from './log/retention.js';
export { type AppendedBatch, type ReadBatches, StreamLog, type StreamLogOptions } from './log/stream-log.js';
export type { TopicInfo } from './log/topic-catalog.js';
export * from './protocol/index.js';
