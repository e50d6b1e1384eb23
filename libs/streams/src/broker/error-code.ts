import { StorageError } from '@isthmus/storage';
import { StreamsError } from '../errors.js';
import { KafkaErrorCode } from '../protocol/kafka-error-codes.js';

/**
 * The Kafka error code a handler answers with for `error`: a `StreamsError`'s own; KAFKA_STORAGE_ERROR
 * (which clients retry) when the store stayed unreachable past its own retries; else
 * UNKNOWN_SERVER_ERROR.
 */
export function kafkaErrorCodeOf(error: unknown): number {
  if (error instanceof StreamsError) return error.kafkaErrorCode;
  if (error instanceof StorageError && error.code === 'ERR_STORAGE_UNAVAILABLE')
    return KafkaErrorCode.KAFKA_STORAGE_ERROR;
  return KafkaErrorCode.UNKNOWN_SERVER_ERROR;
}

/** The message a response's `errorMessage` carries for `error`. */
export function errorMessageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
