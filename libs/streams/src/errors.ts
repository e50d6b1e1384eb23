/** Stable machine-readable codes of every error `@isthmus/streams` raises. */
export type StreamsErrorCode =
  | 'ERR_STREAMS_INVALID_ARGUMENT'
  | 'ERR_STREAMS_TOPIC_EXISTS'
  | 'ERR_STREAMS_INVALID_TOPIC'
  | 'ERR_STREAMS_INVALID_PARTITIONS'
  | 'ERR_STREAMS_UNKNOWN_TOPIC'
  | 'ERR_STREAMS_UNKNOWN_PARTITION'
  | 'ERR_STREAMS_OFFSET_OUT_OF_RANGE'
  | 'ERR_STREAMS_CORRUPT_BATCH'
  | 'ERR_STREAMS_INVALID_RECORD'
  | 'ERR_STREAMS_INVALID_REQUIRED_ACKS'
  | 'ERR_STREAMS_UNSUPPORTED_COMPRESSION'
  | 'ERR_STREAMS_MESSAGE_TOO_LARGE'
  | 'ERR_STREAMS_MALFORMED_MESSAGE'
  | 'ERR_STREAMS_UNSUPPORTED_VERSION'
  | 'ERR_STREAMS_OUT_OF_ORDER_SEQUENCE'
  | 'ERR_STREAMS_INVALID_PRODUCER_EPOCH'
  | 'ERR_STREAMS_COMMIT_CONFLICT'
  | 'ERR_STREAMS_CORRUPT_SEGMENT'
  | 'ERR_STREAMS_CLOSED';

/**
 * Base class of all streams errors; `code` is stable across releases, `message` is for people, and
 * `kafkaErrorCode` is the Kafka protocol error code a broker answers with (Apache Kafka's
 * `Errors` table), so one error travels from the log to the wire unchanged.
 */
export abstract class StreamsError extends Error {
  abstract readonly code: StreamsErrorCode;
  abstract readonly kafkaErrorCode: number;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option or argument is out of its domain (e.g. a negative partition count, a bad topic name). */
export class InvalidArgumentError extends StreamsError {
  readonly code = 'ERR_STREAMS_INVALID_ARGUMENT';
  readonly kafkaErrorCode = 42; // INVALID_REQUEST
}

/** A topic of that name exists already. */
export class TopicExistsError extends StreamsError {
  readonly code = 'ERR_STREAMS_TOPIC_EXISTS';
  readonly kafkaErrorCode = 36; // TOPIC_ALREADY_EXISTS
}

/** A topic name Kafka does not allow: empty, `.` or `..`, over 249 characters, or outside `[a-zA-Z0-9._-]`. */
export class InvalidTopicError extends StreamsError {
  readonly code = 'ERR_STREAMS_INVALID_TOPIC';
  readonly kafkaErrorCode = 17; // INVALID_TOPIC_EXCEPTION
}

/** A partition count below 1, or a new count that does not grow the topic. */
export class InvalidPartitionsError extends StreamsError {
  readonly code = 'ERR_STREAMS_INVALID_PARTITIONS';
  readonly kafkaErrorCode = 37; // INVALID_PARTITIONS
}

/** No topic of that name (or id) exists in the store. */
export class UnknownTopicError extends StreamsError {
  readonly code = 'ERR_STREAMS_UNKNOWN_TOPIC';
  readonly kafkaErrorCode = 3; // UNKNOWN_TOPIC_OR_PARTITION
}

/** The topic exists but has no partition of that number. */
export class UnknownPartitionError extends StreamsError {
  readonly code = 'ERR_STREAMS_UNKNOWN_PARTITION';
  readonly kafkaErrorCode = 3; // UNKNOWN_TOPIC_OR_PARTITION
}

/** A read asked for an offset below the log start or above the high watermark. */
export class OffsetOutOfRangeError extends StreamsError {
  readonly code = 'ERR_STREAMS_OFFSET_OUT_OF_RANGE';
  readonly kafkaErrorCode = 1; // OFFSET_OUT_OF_RANGE
}

/** A record batch fails its CRC-32C, is truncated, or is not a v2 batch. */
export class CorruptBatchError extends StreamsError {
  readonly code = 'ERR_STREAMS_CORRUPT_BATCH';
  readonly kafkaErrorCode = 2; // CORRUPT_MESSAGE
}

/** A produce request's partition data is not exactly one record batch (Kafka requires one since v3). */
export class InvalidRecordError extends StreamsError {
  readonly code = 'ERR_STREAMS_INVALID_RECORD';
  readonly kafkaErrorCode = 87; // INVALID_RECORD
}

/** A produce request asks for acknowledgements other than 0, 1 or -1 (all). */
export class InvalidRequiredAcksError extends StreamsError {
  readonly code = 'ERR_STREAMS_INVALID_REQUIRED_ACKS';
  readonly kafkaErrorCode = 21; // INVALID_REQUIRED_ACKS
}

/** A batch uses a compression codec this library does not implement. */
export class UnsupportedCompressionError extends StreamsError {
  readonly code = 'ERR_STREAMS_UNSUPPORTED_COMPRESSION';
  readonly kafkaErrorCode = 76; // UNSUPPORTED_COMPRESSION_TYPE
}

/** A request or batch exceeds the configured maximum size. */
export class MessageTooLargeError extends StreamsError {
  readonly code = 'ERR_STREAMS_MESSAGE_TOO_LARGE';
  readonly kafkaErrorCode = 10; // MESSAGE_TOO_LARGE
}

/** Bytes that do not decode as the protocol message they claim to be. */
export class MalformedMessageError extends StreamsError {
  readonly code = 'ERR_STREAMS_MALFORMED_MESSAGE';
  readonly kafkaErrorCode = 42; // INVALID_REQUEST
}

/** An API key or version this broker does not serve. */
export class UnsupportedVersionError extends StreamsError {
  readonly code = 'ERR_STREAMS_UNSUPPORTED_VERSION';
  readonly kafkaErrorCode = 35; // UNSUPPORTED_VERSION
}

/** An idempotent producer's batch skips or repeats sequence numbers in a way that is not a retry. */
export class OutOfOrderSequenceError extends StreamsError {
  readonly code = 'ERR_STREAMS_OUT_OF_ORDER_SEQUENCE';
  readonly kafkaErrorCode = 45; // OUT_OF_ORDER_SEQUENCE_NUMBER
}

/** A producer writes with an epoch older than the partition has seen for its id (it was fenced). */
export class InvalidProducerEpochError extends StreamsError {
  readonly code = 'ERR_STREAMS_INVALID_PRODUCER_EPOCH';
  readonly kafkaErrorCode = 47; // INVALID_PRODUCER_EPOCH
}

/** A compare-and-swap commit kept losing to other writers past its retry budget. */
export class CommitConflictError extends StreamsError {
  readonly code = 'ERR_STREAMS_COMMIT_CONFLICT';
  readonly kafkaErrorCode = 7; // REQUEST_TIMED_OUT: the client retries
}

/** A segment object or log metadata object in the store does not parse (damaged or foreign). */
export class CorruptSegmentError extends StreamsError {
  readonly code = 'ERR_STREAMS_CORRUPT_SEGMENT';
  readonly kafkaErrorCode = 2; // CORRUPT_MESSAGE
}

/** The log or broker was closed while the call was pending. */
export class ClosedError extends StreamsError {
  readonly code = 'ERR_STREAMS_CLOSED';
  readonly kafkaErrorCode = 6; // NOT_LEADER_OR_FOLLOWER: the client refreshes metadata and retries elsewhere
}
