import type { S3ConnectionOptions } from '@isthmus/storage';
import { VectorTable } from '../table/vector-table.js';
import { type CommitOptions, retryingConflicts, underCommitLock } from './commit-chunks.js';

/** Options of `compactTable`. */
export interface CompactOptions extends CommitOptions {
  /** S3 connection of the table (default: the AWS environment). */
  s3?: S3ConnectionOptions;
  /** Remove table versions older than this many ms (default: LanceDB's 7 days). */
  cleanupOlderThanMs?: number;
}

/** What a compaction did. */
export interface CompactReport {
  /** Data files merged away / written by compaction. */
  fragmentsRemoved: number;
  fragmentsAdded: number;
  /** Old versions removed. */
  versionsRemoved: number;
  /** The table version after compaction. */
  version: number;
  /** Attempts it took (more than 1 after commit conflicts with concurrent writers). */
  attempts: number;
}

/**
 * Compacts a table (LanceDB `optimize()`: merges small fragments, e.g. of many small commits, and
 * prunes old versions) under the table's commit lock, retrying commit conflicts.
 * @throws {TableNotFoundError} no table at `url`.
 */
export async function compactTable(url: string, options: CompactOptions = {}): Promise<CompactReport> {
  const table = await VectorTable.open(url, { s3: options.s3 });
  try {
    return await underCommitLock(table, options, (lost) =>
      retryingConflicts(table, options, async () => {
        lost?.throwIfAborted();
        await table.lance.checkoutLatest();
        const stats = await table.lance.optimize(
          options.cleanupOlderThanMs === undefined
            ? {}
            : { cleanupOlderThan: new Date(Date.now() - options.cleanupOlderThanMs) },
        );
        return {
          fragmentsRemoved: stats.compaction.fragmentsRemoved,
          fragmentsAdded: stats.compaction.fragmentsAdded,
          versionsRemoved: stats.prune.oldVersionsRemoved,
          version: await table.lance.version(),
        };
      }),
    );
  } finally {
    table.close();
  }
}
