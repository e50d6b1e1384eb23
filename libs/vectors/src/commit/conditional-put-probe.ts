import { randomBytes } from 'node:crypto';
import { type ObjectStore, PreconditionFailedError } from '@isthmus/storage';
import { asReadOnlyStoreError } from './store-errors.js';

/** Where probes are written (and removed again) in a store. */
export const PROBE_PREFIX = '_isthmus/probes/';

const verdicts = new Map<string, Promise<boolean>>();

/**
 * Whether `store` honours conditional PUTs: a create-only PUT (`If-None-Match: *`) of a fresh probe
 * object, then a second one of the same key, which a store that honours conditions refuses with
 * `PreconditionFailedError`. The probe is removed afterwards. Asked once per store URL per process.
 * @throws {ReadOnlyStoreError} the store refuses the first write.
 */
export function probeConditionalPut(store: ObjectStore): Promise<boolean> {
  let verdict = verdicts.get(store.url);
  if (!verdict) {
    verdict = probe(store);
    verdicts.set(store.url, verdict);
    verdict.catch(() => verdicts.delete(store.url));
  }
  return verdict;
}

async function probe(store: ObjectStore): Promise<boolean> {
  const key = `${PROBE_PREFIX}${Date.now()}-${randomBytes(8).toString('hex')}`;
  try {
    await store.put(key, 'first', { ifNoneMatch: '*' });
  } catch (error) {
    throw asReadOnlyStoreError(error, store.url);
  }
  try {
    await store.put(key, 'second', { ifNoneMatch: '*' });
    return false;
  } catch (error) {
    if (error instanceof PreconditionFailedError) return true;
    throw asReadOnlyStoreError(error, store.url);
  } finally {
    await store.delete(key);
  }
}
