import {
  AccessDeniedError,
  InvalidRangeError,
  NotFoundError,
  PreconditionFailedError,
  StorageError,
} from '../errors.js';

interface SdkError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** The HTTP status of an AWS SDK error, if it got as far as a response. */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as SdkError | undefined)?.$metadata?.httpStatusCode;
}

const TRANSIENT_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
]);

const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/** Whether an S3 call failed in a way worth retrying: throttling, 5xx, or a broken connection. */
export function isTransientS3Error(error: unknown): boolean {
  if (error instanceof StorageError) return false;
  const sdk = error as SdkError | undefined;
  const status = httpStatusOf(error);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (sdk?.name && TRANSIENT_NAMES.has(sdk.name)) return true;
  if (sdk?.code && TRANSIENT_SOCKET_CODES.has(sdk.code)) return true;
  return /socket hang up|premature close|aborted/i.test(String((error as Error | undefined)?.message));
}

/** Maps an S3 error about `key` to a storage error; transient and unknown errors pass through. */
export function mapS3Error(key: string, error: unknown): unknown {
  if (error instanceof StorageError) return error;
  const name = (error as SdkError | undefined)?.name;
  const status = httpStatusOf(error);
  if (name === 'NoSuchBucket')
    return new NotFoundError(`${key} (the bucket does not exist)`, { cause: error });
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404)
    return new NotFoundError(key, { cause: error });
  if (name === 'PreconditionFailed' || status === 412) {
    return new PreconditionFailedError(key, 'the object is not in the expected state', { cause: error });
  }
  if (name === 'InvalidRange' || status === 416) {
    return new InvalidRangeError(key, 'the range does not fit the object', { cause: error });
  }
  if (
    name === 'AccessDenied' ||
    name === 'InvalidAccessKeyId' ||
    name === 'SignatureDoesNotMatch' ||
    status === 403
  ) {
    return new AccessDeniedError(key, { cause: error });
  }
  return error;
}
