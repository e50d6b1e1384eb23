import { NotFoundError, type ObjectStore } from '@isthmus/storage';
import type { RecordBatch } from 'apache-arrow';
import { type CommitOptions, type CommitResult, commitChunks } from '../commit/commit-chunks.js';
import type { StagedBatch } from '../functions/embed-unit.js';
import type { VectorTable } from '../table/vector-table.js';
import { ipcToTable } from './chunk-batch.js';

/** Totals of a coalescer's commits. */
export interface CoalescerTotals {
  /** Rows handed to commits. */
  rows: number;
  /** Rows written (new ids). */
  inserted: number;
  /** Rows skipped as already present. */
  alreadyPresent: number;
  /** Commits made. */
  commits: number;
}

/**
 * Gathers the batches functions staged and commits them in few large `mergeInsert`s of at least
 * `commitRows` rows (plus a final `flush`), then deletes the staged objects. A staged object
 * already gone was committed and removed by a concurrent run of the same unit (staged objects are
 * only deleted after their commit), so it is skipped.
 */
export class Coalescer {
  /** What the commits so far did. */
  readonly totals: CoalescerTotals = { rows: 0, inserted: 0, alreadyPresent: 0, commits: 0 };
  #batches: RecordBatch[] = [];
  #keys: string[] = [];
  #rows = 0;

  /** A coalescer committing into `table` what functions staged in `staging`. */
  constructor(
    private readonly table: VectorTable,
    private readonly staging: ObjectStore,
    private readonly commitRows: number,
    private readonly commitOptions: CommitOptions,
  ) {}

  /** Takes one staged batch; commits when enough rows are gathered. */
  async add(staged: StagedBatch): Promise<CommitResult | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await this.staging.get(staged.key);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    const rows = ipcToTable(bytes);
    this.#batches.push(...rows.batches);
    this.#rows += rows.numRows;
    this.#keys.push(staged.key);
    return this.#rows >= this.commitRows ? this.flush() : undefined;
  }

  /** Commits what is gathered (if anything) and deletes its staged objects. */
  async flush(): Promise<CommitResult | undefined> {
    if (this.#keys.length === 0) return undefined;
    const result = await commitChunks(this.table, this.#batches, this.commitOptions);
    await this.staging.deleteMany(this.#keys);
    this.totals.rows += this.#rows;
    this.totals.inserted += result.inserted;
    this.totals.alreadyPresent += result.alreadyPresent;
    this.totals.commits++;
    this.#batches = [];
    this.#keys = [];
    this.#rows = 0;
    return result;
  }
}
