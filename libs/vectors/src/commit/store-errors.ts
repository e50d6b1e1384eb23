import { AccessDeniedError } from '@isthmus/storage';
import { ReadOnlyStoreError } from '../errors.js';

// What LanceDB (object_store, std::io) says when a store refuses a write.
const LANCE_WRITE_REFUSED = /permission denied|access ?denied|read-only file system|forbidden|\b403\b/i;

/**
 * `error` as a `ReadOnlyStoreError` when it says the store refuses writes (an `AccessDeniedError`
 * of `@isthmus/storage`, or LanceDB's words for it); otherwise `error` unchanged.
 */
export function asReadOnlyStoreError(error: unknown, where: string): unknown {
  if (error instanceof ReadOnlyStoreError) return error;
  const refused =
    error instanceof AccessDeniedError ||
    (error instanceof Error &&
      !('code' in error && String(error.code).startsWith('ERR_')) &&
      LANCE_WRITE_REFUSED.test(error.message));
  return refused
    ? new ReadOnlyStoreError(`${where} refuses writes: ${(error as Error).message}`, { cause: error })
    : error;
}
