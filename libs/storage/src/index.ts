export { ConcurrencyLimiter, mapConcurrent } from './concurrency.js';
export {
  AccessDeniedError,
  InvalidKeyError,
  InvalidRangeError,
  InvalidStoreUrlError,
  NotFoundError,
  ObjectTooLargeError,
  PathEscapeError,
  PreconditionFailedError,
  StorageError,
  type StorageErrorCode,
  StorageUnavailableError,
} from './errors.js';
export { FileObjectStore, type FileStoreOptions } from './fs/fs-store.js';
export { assertValidKey, compareKeys } from './keys.js';
export type {
  ByteRange,
  GetOptions,
  ListEntry,
  ListOptions,
  ObjectInfo,
  ObjectStore,
  PutBody,
  PutOptions,
  PutResult,
} from './object-store.js';
export { type OpenStoreOptions, openStore } from './open-store.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
export { createS3Client, resolveEndpoint, type S3ConnectionOptions, s3Environment } from './s3/s3-client.js';
export { MAX_SINGLE_PUT_BYTES, S3ObjectStore, type S3StoreOptions } from './s3/s3-store.js';
