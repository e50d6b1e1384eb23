/** Stable machine-readable codes of every error `@isthmus/storage` raises. */
export type StorageErrorCode =
  | 'ERR_STORAGE_NOT_FOUND'
  | 'ERR_STORAGE_PRECONDITION_FAILED'
  | 'ERR_STORAGE_INVALID_RANGE'
  | 'ERR_STORAGE_ACCESS_DENIED'
  | 'ERR_STORAGE_INVALID_KEY'
  | 'ERR_STORAGE_INVALID_URL'
  | 'ERR_STORAGE_UNAVAILABLE'
  | 'ERR_STORAGE_TOO_LARGE'
  | 'ERR_STORAGE_PATH_ESCAPE';

/** Base class of all storage errors; `code` is stable across releases, `message` is for people. */
export abstract class StorageError extends Error {
  abstract readonly code: StorageErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The key (or bucket) does not exist. */
export class NotFoundError extends StorageError {
  readonly code = 'ERR_STORAGE_NOT_FOUND';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`object not found: ${key}`, options);
  }
}

/** A conditional write (`ifMatch` / `ifNoneMatch`) or read lost: the object is not in the expected state. */
export class PreconditionFailedError extends StorageError {
  readonly code = 'ERR_STORAGE_PRECONDITION_FAILED';
  constructor(
    readonly key: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`precondition failed for ${key}: ${detail}`, options);
  }
}

/** A byte range that does not fit the object (or is malformed). */
export class InvalidRangeError extends StorageError {
  readonly code = 'ERR_STORAGE_INVALID_RANGE';
  constructor(
    readonly key: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid range for ${key}: ${detail}`, options);
  }
}

/** The credentials or file permissions do not allow the operation. */
export class AccessDeniedError extends StorageError {
  readonly code = 'ERR_STORAGE_ACCESS_DENIED';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`access denied: ${key}`, options);
  }
}

/** A key that no backend may store: empty, absolute, with `.`/`..` segments, control characters, …. */
export class InvalidKeyError extends StorageError {
  readonly code = 'ERR_STORAGE_INVALID_KEY';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`invalid key ${JSON.stringify(key)}: ${detail}`);
  }
}

/** A store URL that cannot be opened (unknown scheme, missing bucket, relative path, …). */
export class InvalidStoreUrlError extends StorageError {
  readonly code = 'ERR_STORAGE_INVALID_URL';
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`invalid store URL ${JSON.stringify(url)}: ${detail}`);
  }
}

/** The backend kept failing with transient errors after every retry, or cannot be reached. */
export class StorageUnavailableError extends StorageError {
  readonly code = 'ERR_STORAGE_UNAVAILABLE';
  constructor(
    readonly operation: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`${operation} failed after ${attempts} attempt(s)${reason}`, options);
  }
}

/** The object is larger than the operation supports (e.g. a conditional put above the single-PUT limit). */
export class ObjectTooLargeError extends StorageError {
  readonly code = 'ERR_STORAGE_TOO_LARGE';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`object too large for ${key}: ${detail}`);
  }
}

/**
 * On a file system, a key whose path leads out of the store's root through a symbolic link (in a
 * parent directory or as the object itself, dangling or not). Nothing outside the root is touched.
 */
export class PathEscapeError extends StorageError {
  readonly code = 'ERR_STORAGE_PATH_ESCAPE';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`key ${JSON.stringify(key)} leads out of the store's root: ${detail}`);
  }
}
