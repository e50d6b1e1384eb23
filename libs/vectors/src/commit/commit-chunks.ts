import type { ObjectStore } from '@isthmus/storage';
import { Table as ArrowTable, type RecordBatch } from 'apache-arrow';
import { CommitConflictError, NoConditionalPutError } from '../errors.js';
import type { VectorTable } from '../table/vector-table.js';
import { type Backoff, backoff } from './backoff.js';
import { CommitLock, type CommitLockOptions } from './commit-lock.js';
import { probeConditionalPut } from './conditional-put-probe.js';
import { asReadOnlyStoreError } from './store-errors.js';
import { uniqueRows } from './unique-rows.js';

/** How commits to a table are made safe against other writers. */
export interface CommitOptions {
  /**
   * The caller promises no other process writes the table: commits take no lock, and a store
   * without conditional PUTs is accepted (default false).
   */
  singleWriter?: boolean;
  /** Where the commit lock lives (default: the table's database store); must honour conditional PUTs. */
  lockStore?: ObjectStore;
  /** Lease settings of the commit lock. */
  lock?: CommitLockOptions;
  /** Attempts of a commit that conflicts with a concurrent one (e.g. an `optimize`), default 8. */
  maxAttempts?: number;
  /** Backoff between those attempts (default 50 ms doubling to 2 s). */
  conflictBackoff?: Backoff;
  /** Stop waiting for the lock or between attempts. */
  signal?: AbortSignal;
}

/** What one commit did. */
export interface CommitResult {
  /** Rows written (ids not yet in the table). */
  inserted: number;
  /** Rows skipped because their id was already present (or repeated in the input). */
  alreadyPresent: number;
  /** The table version after the commit. */
  version: number;
  /** Attempts it took (1 without conflicts). */
  attempts: number;
}

/**
 * Inserts chunk rows whose ids the table does not hold yet, as one LanceDB commit (`mergeInsert`
 * on `id`, inserting only the unmatched), under the table's commit lock, at the table's latest
 * version: a chunk already present is never written twice, whichever writer got there first, and
 * an id repeated in `batches` is written once.
 * Commit conflicts (e.g. with a concurrent `optimize` outside the lock) are retried with backoff.
 * @throws {NoConditionalPutError} the lock's store ignores conditional PUTs and `singleWriter` is not set.
 * @throws {ReadOnlyStoreError} the store refuses writes.
 * @throws {CommitConflictError} still conflicting after `maxAttempts`.
 */
export async function commitChunks(
  table: VectorTable,
  batches: ArrowTable | readonly RecordBatch[],
  options: CommitOptions = {},
): Promise<CommitResult> {
  const given = batches instanceof ArrowTable ? batches : new ArrowTable(batches as RecordBatch[]);
  const data = uniqueRows(given, table.embedder);
  if (data.numRows === 0) {
    return { inserted: 0, alreadyPresent: 0, version: await table.lance.version(), attempts: 0 };
  }
  return underCommitLock(table, options, (lost) =>
    retryingConflicts(table, options, async () => {
      lost?.throwIfAborted();
      await table.lance.checkoutLatest();
      const merged = await table.lance.mergeInsert('id').whenNotMatchedInsertAll().execute(data);
      return {
        inserted: merged.numInsertedRows,
        alreadyPresent: given.numRows - merged.numInsertedRows,
        version: merged.version,
      };
    }),
  );
}

/**
 * Runs `work` as the table's only committer: under its commit lock, or directly for a
 * `singleWriter`. Checks once per store that the lock can be trusted. `work` gets the lock's
 * signal that aborts if the lease is lost (none for a single writer): check it before committing.
 * @throws {NoConditionalPutError} / {ReadOnlyStoreError} as `commitChunks`.
 */
export async function underCommitLock<T>(
  table: VectorTable,
  options: CommitOptions,
  work: (lost: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (options.singleWriter) return work(undefined);
  await checkCommitPath(table, options);
  const lockStore = options.lockStore ?? table.location.store;
  const lock = CommitLock.forTable(table.location, { ...options.lock, store: lockStore });
  return lock.withLock(work, options.signal);
}

/**
 * Checks, before any work, that commits to `table` can be made safe: the lock's store honours
 * conditional PUTs (asked once per store), unless the caller is the only writer.
 * @throws {NoConditionalPutError} / {ReadOnlyStoreError} as `commitChunks`.
 */
export async function checkCommitPath(
  table: VectorTable,
  options: Pick<CommitOptions, 'singleWriter' | 'lockStore'>,
): Promise<void> {
  if (options.singleWriter) return;
  const lockStore = options.lockStore ?? table.location.store;
  if (!(await probeConditionalPut(lockStore))) {
    throw new NoConditionalPutError(
      `${lockStore.url} ignores conditional PUTs (If-None-Match), so commits of concurrent writers ` +
        'cannot be serialised there: pass singleWriter: true if this is the only writer, or a lockStore that honours them',
    );
  }
}

/** `attempt` until it commits without a conflict, at most `maxAttempts` times, with backoff. */
export async function retryingConflicts<T extends object>(
  table: VectorTable,
  options: CommitOptions,
  attempt: () => Promise<T>,
): Promise<T & { attempts: number }> {
  const maxAttempts = options.maxAttempts ?? 8;
  for (let at = 1; ; at++) {
    try {
      return { ...(await attempt()), attempts: at };
    } catch (error) {
      if (!isCommitConflict(error)) throw asReadOnlyStoreError(error, table.location.url);
      if (at >= maxAttempts) {
        throw new CommitConflictError(
          `${table.location.url}: the commit still conflicted with concurrent writers after ${at} attempts`,
          { cause: error },
        );
      }
      await backoff(at, options.conflictBackoff ?? { baseMs: 50, maxMs: 2_000 }, options.signal);
    }
  }
}

// Lance: "Commit conflict for version …", "Retryable commit conflict …", "… conflicts with concurrent transaction"
function isCommitConflict(error: unknown): boolean {
  return error instanceof Error && /commit conflict|conflicts? with (a )?concurrent/i.test(error.message);
}
