import { StreamsError } from '../errors.js';
import { KafkaErrorCode } from '../protocol/kafka-error-codes.js';

/** The Kafka error code a handler answers with for `error`: a `StreamsError`'s own, else UNKNOWN_SERVER_ERROR. */
export function kafkaErrorCodeOf(error: unknown): number {
  return error instanceof StreamsError ? error.kafkaErrorCode : KafkaErrorCode.UNKNOWN_SERVER_ERROR;
}

/** The message a response's `errorMessage` carries for `error`. */
export function errorMessageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
