import { NotFoundError, type ObjectStore } from '@isthmus/storage';
import type { Table as ArrowTable } from 'apache-arrow';
import { type CommitOptions, type CommitResult, commitChunks } from '../commit/commit-chunks.js';
import type { StagedBatch } from '../functions/embed-unit.js';
import { ipcToTable } from '../table/chunk-batch.js';
import type { VectorTable } from '../table/vector-table.js';

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
  /** Reads of the gathered staged objects, started as they are added (undefined: already gone). */
  #reads: Promise<ArrowTable | undefined>[] = [];
  #keys: string[] = [];
  #rows = 0;

  /** A coalescer committing into `table` what functions staged in `staging`. */
  constructor(
    private readonly table: VectorTable,
    private readonly staging: ObjectStore,
    private readonly commitRows: number,
    private readonly commitOptions: CommitOptions,
  ) {}

  /**
   * Takes one staged batch, starting its read at once (reads overlap each other and the caller's
   * wait for the next function); commits when the staged rows gathered reach `commitRows`.
   */
  async add(staged: StagedBatch): Promise<CommitResult | undefined> {
    const read = this.#read(staged.key);
    read.catch(() => {}); // surfaced by flush
    this.#reads.push(read);
    this.#rows += staged.rows;
    this.#keys.push(staged.key);
    return this.#rows >= this.commitRows ? this.flush() : undefined;
  }

  /** Commits what is gathered (if anything) and deletes its staged objects. */
  async flush(): Promise<CommitResult | undefined> {
    if (this.#keys.length === 0) return undefined;
    const tables = (await Promise.all(this.#reads)).filter((table) => table !== undefined);
    const result = await commitChunks(
      this.table,
      tables.flatMap((table) => table.batches),
      this.commitOptions,
    );
    await this.staging.deleteMany(this.#keys);
    this.totals.rows += tables.reduce((sum, table) => sum + table.numRows, 0);
    this.totals.inserted += result.inserted;
    this.totals.alreadyPresent += result.alreadyPresent;
    this.totals.commits++;
    this.#reads = [];
    this.#keys = [];
    this.#rows = 0;
    return result;
  }

  async #read(key: string): Promise<ArrowTable | undefined> {
    try {
      return ipcToTable(await this.staging.get(key));
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }
}
