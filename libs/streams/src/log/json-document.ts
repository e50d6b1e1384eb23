import { randomUUID } from 'node:crypto';
import { NotFoundError, type ObjectStore, PreconditionFailedError } from '@isthmus/storage';
import { CommitConflictError, CorruptSegmentError, InvalidArgumentError } from '../errors.js';

/** A JSON document as read from the store, with the etag a compare-and-swap write must match. */
export interface VersionedDocument<T> {
  value: T;
  etag: string;
}

/** Retry budget of `JsonDocuments.update` when other writers keep winning the compare-and-swap. */
export interface CasRetryPolicy {
  /** Attempts in all, the first included (default 12). */
  maxAttempts: number;
  /** Delay before the first retry; each retry doubles it, with full jitter (default 5 ms). */
  baseDelayMs: number;
  /** Longest delay between two attempts (default 400 ms). */
  maxDelayMs: number;
}

/** The default retry budget: about 2–3 s of losing before `CommitConflictError`. */
export const DEFAULT_CAS_RETRY: CasRetryPolicy = { maxAttempts: 12, baseDelayMs: 5, maxDelayMs: 400 };

/**
 * Computes the next version of a document from the current one (`undefined`: it does not exist).
 * Returning `undefined` leaves the document as it is (nothing is written). It may throw to abort
 * the update; it runs again, on the newer version, after every lost compare-and-swap.
 */
export type DocumentUpdate<T> = (current: T | undefined) => T | undefined | Promise<T | undefined>;

/**
 * Read-with-etag and compare-and-swap update of JSON objects in a store: the one way every piece of
 * log metadata (topics, partition heads, counters, leases, offsets) changes. Documents are JSON
 * objects; the member `writeId` is reserved (each write sets it, reads leave it out).
 */
export class JsonDocuments {
  readonly #store: ObjectStore;
  readonly #retry: CasRetryPolicy;

  constructor(store: ObjectStore, retry: CasRetryPolicy = DEFAULT_CAS_RETRY) {
    this.#store = store;
    this.#retry = retry;
  }

  /**
   * The document at `key` with its etag, or `undefined` if there is none. The etag comes from a HEAD
   * and the GET is pinned to it (`ifMatch`), so value and etag always belong together.
   */
  async read<T>(key: string): Promise<VersionedDocument<T> | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { etag } = await this.#store.head(key);
        const { writeId: _, ...value } = parseJson<{ writeId?: string }>(
          key,
          await this.#store.get(key, { ifMatch: etag }),
        );
        return { value: value as T, etag };
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        // Rewritten between the HEAD and the GET: read the newer version.
        if (!(error instanceof PreconditionFailedError) || attempt >= this.#retry.maxAttempts) throw error;
      }
    }
  }

  /**
   * Applies `update` to the document at `key` by compare-and-swap, re-reading and re-applying after
   * each lost race (with jittered, growing delays); `CommitConflictError` once the budget is spent.
   * `known` (e.g. a cached version) saves the first read; a stale one only costs a retry. Resolves
   * with the version now stored (the unchanged one when `update` returned `undefined`).
   */
  async update<T>(
    key: string,
    update: DocumentUpdate<T>,
    known?: VersionedDocument<T>,
  ): Promise<VersionedDocument<T> | undefined> {
    let current = known ?? (await this.read<T>(key));
    for (let attempt = 1; ; attempt++) {
      const next = await update(current?.value);
      if (next === undefined) return current;
      try {
        const { etag } = await this.#store.put(key, serialise(next), {
          contentType: 'application/json',
          ...(current ? { ifMatch: current.etag } : { ifNoneMatch: '*' as const }),
        });
        return { value: next, etag };
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error;
        if (attempt >= this.#retry.maxAttempts) {
          throw new CommitConflictError(
            `${key}: still losing the compare-and-swap to other writers after ${attempt} attempts`,
            { cause: error },
          );
        }
        await jitteredDelay(this.#retry, attempt);
        current = await this.read<T>(key);
      }
    }
  }

  /**
   * Takes the next number of the counter document at `key` (0 first) by compare-and-swap: callers
   * in any process never get the same number.
   */
  async takeNext(key: string): Promise<number> {
    const counter = await this.update<{ next: number }>(key, (current) => ({
      next: (current?.next ?? 0) + 1,
    }));
    return counter!.value.next - 1;
  }

  /** Writes `value` at `key` unconditionally (for documents with a single writer, e.g. a lease). */
  async write<T>(key: string, value: T): Promise<VersionedDocument<T>> {
    const { etag } = await this.#store.put(key, serialise(value), { contentType: 'application/json' });
    return { value, etag };
  }
}

/** Parses a stored JSON document; damaged bytes are `CorruptSegmentError`. */
export function parseJson<T>(key: string, bytes: Uint8Array): T {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (error) {
    throw new CorruptSegmentError(`${key} is not valid JSON`, { cause: error });
  }
}

/**
 * A document's bytes, with a fresh `writeId` member: two writers' bytes never coincide, so when a
 * store settles an ambiguous write by comparing the stored bytes with its own (as the S3 store does
 * after a lost answer), a rival who wrote the same value is not mistaken for itself.
 */
function serialise(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('a JSON document must be an object');
  }
  return JSON.stringify({ writeId: randomUUID(), ...value });
}

function jitteredDelay(policy: CasRetryPolicy, attempt: number): Promise<void> {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
