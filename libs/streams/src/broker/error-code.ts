import { StreamsError } from '../errors.js';

/** Kafka's UNKNOWN_SERVER_ERROR: what a client sees of a failure that is not a `StreamsError`. */
export const UNKNOWN_SERVER_ERROR = -1;

/** The Kafka error code a handler answers with for `error`: a `StreamsError`'s own, else UNKNOWN_SERVER_ERROR. */
export function kafkaErrorCodeOf(error: unknown): number {
  return error instanceof StreamsError ? error.kafkaErrorCode : UNKNOWN_SERVER_ERROR;
}

/** The message a response's `errorMessage` carries for `error`. */
export function errorMessageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
