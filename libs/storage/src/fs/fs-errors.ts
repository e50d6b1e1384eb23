import { AccessDeniedError, InvalidKeyError, NotFoundError } from '../errors.js';

/** The errno code of a Node file-system error, if any. */
export function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

const TRANSIENT_CODES = new Set(['EAGAIN', 'EBUSY', 'EINTR', 'ETIMEDOUT', 'EMFILE', 'ENFILE', 'ESTALE']);

/** Whether a file-system error is worth retrying (busy, interrupted, out of descriptors, stale NFS handle). */
export function isTransientFsError(error: unknown): boolean {
  const code = errnoCode(error);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** Maps a file-system error met while reading `key` to a storage error (others pass through). */
export function mapReadError(key: string, error: unknown): unknown {
  switch (errnoCode(error)) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EISDIR':
    case 'ELOOP': // a cycle of symbolic links
      return new NotFoundError(key, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new AccessDeniedError(key, { cause: error });
    default:
      return error;
  }
}

/** Maps a file-system error met while writing `key` to a storage error (others pass through). */
export function mapWriteError(key: string, error: unknown): unknown {
  switch (errnoCode(error)) {
    case 'EISDIR':
    case 'ENOTDIR':
    case 'EEXIST':
    case 'ENOTEMPTY':
      return new InvalidKeyError(
        key,
        'a file-system store cannot hold both an object and a prefix of that name',
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new AccessDeniedError(key, { cause: error });
    default:
      return error;
  }
}
