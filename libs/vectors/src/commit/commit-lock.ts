import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { NotFoundError, type ObjectStore, PreconditionFailedError } from '@isthmus/storage';
import { CommitConflictError } from '../errors.js';
import type { TableLocation } from '../table/table-location.js';
import { type Backoff, backoff } from './backoff.js';
import { asReadOnlyStoreError } from './store-errors.js';

/** Options of a `CommitLock`. */
export interface CommitLockOptions {
  /** How long a lease lasts unless renewed (default 30 s); a holder that dies frees the lock after it. */
  leaseMs?: number;
  /** Renew the lease this often while held (default a third of `leaseMs`). */
  renewEveryMs?: number;
  /** Give up waiting after this many ms with `CommitConflictError` (default: wait as long as it takes). */
  maxWaitMs?: number;
  /** Backoff between attempts while another writer holds the lock (default 10 ms doubling to 250 ms). */
  backoff?: Backoff;
  /** Who holds the lock, as recorded in it (default host:pid:random). */
  owner?: string;
}

/** The lease object's content. */
interface Lease {
  owner: string;
  /** Epoch ms after which the lease may be taken over; 0 once released. */
  expiresAt: number;
}

/** Key of a table's commit lock in its database store. */
export function commitLockKey(location: TableLocation): string {
  return `_isthmus/${location.name}/commit.lock`;
}

/**
 * A lease lock in an object store, by compare-and-swap, serialising the commits of every writer of
 * a table (processes, nodes, functions). The lease is a small JSON object `{ owner, expiresAt }`:
 * acquired by creating it (`If-None-Match: *`) or by taking over a released or expired one
 * (`If-Match` its etag), renewed by a timer while held, released by overwriting it as expired
 * (`If-Match`), so a lease taken over in between is never clobbered. Waiting writers back off with
 * jitter. Leases compare wall clocks: writers' clocks must agree to well within `leaseMs`.
 */
export class CommitLock {
  readonly #store: ObjectStore;
  readonly #key: string;
  readonly #leaseMs: number;
  readonly #renewEveryMs: number;
  readonly #maxWaitMs: number;
  readonly #backoff: Backoff;
  readonly #owner: string;
  #etag: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #renewal: Promise<void> = Promise.resolve();
  #lost: AbortController | undefined;

  /** A lock at `key` of `store` (see `CommitLock.forTable`). */
  constructor(store: ObjectStore, key: string, options: CommitLockOptions = {}) {
    this.#store = store;
    this.#key = key;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(this.#leaseMs / 3));
    this.#maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    this.#backoff = options.backoff ?? { baseMs: 10, maxMs: 250 };
    this.#owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  }

  /** The commit lock of a table: `_isthmus/<name>/commit.lock` in its database's store (or in `store`). */
  static forTable(
    location: TableLocation,
    options: CommitLockOptions & { store?: ObjectStore } = {},
  ): CommitLock {
    return new CommitLock(options.store ?? location.store, commitLockKey(location), options);
  }

  /** Whether this instance holds the lease now. */
  get held(): boolean {
    return this.#etag !== undefined;
  }

  /** Aborts when a held lease is lost (a renewal found it taken over); undefined while not held. */
  get lostSignal(): AbortSignal | undefined {
    return this.#lost?.signal;
  }

  /**
   * Waits until this instance holds the lease.
   * @throws {CommitConflictError} `maxWaitMs` passed.
   * @throws {ReadOnlyStoreError} the store refuses writes.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.held) throw new Error(`${this.#key} is already held by this lock`);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      if (await this.#tryAcquire()) {
        this.#lost = new AbortController();
        this.#timer = setInterval(() => this.#scheduleRenewal(), this.#renewEveryMs);
        this.#timer.unref();
        return;
      }
      if (Date.now() - started > this.#maxWaitMs) {
        throw new CommitConflictError(
          `${this.#store.url}/${this.#key} stayed held by other writers for ${this.#maxWaitMs} ms`,
        );
      }
      await backoff(attempt, this.#backoff, signal);
    }
  }

  /** Releases the lease (marks it expired, if still ours). */
  async release(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#renewal;
    const etag = this.#etag;
    this.#etag = undefined;
    this.#lost = undefined;
    if (etag === undefined) return;
    try {
      await this.#store.put(this.#key, this.#record(0), { ifMatch: etag });
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      // taken over after expiring: nothing of ours to release
    }
  }

  /** Runs `work` while holding the lease; `work` gets a signal that aborts if the lease is lost. */
  async withLock<T>(work: (lost: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await work(this.#lost!.signal);
    } finally {
      await this.release();
    }
  }

  async #tryAcquire(): Promise<boolean> {
    // read first: while another writer holds the lease, waiting costs reads, not contended writes
    const current = await this.#read();
    if (current && current.lease.expiresAt > Date.now()) return false;
    try {
      const condition = current ? { ifMatch: current.etag } : { ifNoneMatch: '*' as const };
      this.#etag = (await this.#store.put(this.#key, this.#record(), condition)).etag;
      return true;
    } catch (error) {
      if (error instanceof PreconditionFailedError) return false;
      throw asReadOnlyStoreError(error, this.#store.url);
    }
  }

  /** The lease and its etag, read consistently; undefined when it changed or vanished meanwhile. */
  async #read(): Promise<{ lease: Lease; etag: string } | undefined> {
    try {
      const { etag } = await this.#store.head(this.#key);
      const bytes = await this.#store.get(this.#key, { ifMatch: etag });
      return { lease: JSON.parse(Buffer.from(bytes).toString('utf8')) as Lease, etag };
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof PreconditionFailedError) return undefined;
      throw error;
    }
  }

  #scheduleRenewal(): void {
    this.#renewal = this.#renewal.then(() => this.#renew());
  }

  async #renew(): Promise<void> {
    const etag = this.#etag;
    if (etag === undefined) return;
    try {
      this.#etag = (await this.#store.put(this.#key, this.#record(), { ifMatch: etag })).etag;
    } catch (error) {
      if (error instanceof PreconditionFailedError) {
        this.#etag = undefined;
        clearInterval(this.#timer);
        this.#lost?.abort(
          new CommitConflictError(
            `the lease ${this.#store.url}/${this.#key} was taken over by another writer`,
          ),
        );
      }
      // other failures (a transient outage): the next renewal tries again while the lease lasts
    }
  }

  #record(expiresAt = Date.now() + this.#leaseMs): string {
    return JSON.stringify({ owner: this.#owner, expiresAt } satisfies Lease);
  }
}
