import {
  asCompleted,
  type Bundle,
  executor as createExecutor,
  type Executor,
  LocalBackend,
  type TaskFuture,
} from '@isthmus/faas';
import { openStore, type S3ConnectionOptions, s3Environment } from '@isthmus/storage';
import { type CommitOptions, checkCommitPath } from '../commit/commit-chunks.js';
import { planDocuments } from '../documents/plan-documents.js';
import type { EmbedderSpec } from '../embedders/embedder-spec.js';
import { InvalidArgumentError } from '../errors.js';
import { embedderFor, type StagedBatch, type UnitChunking } from '../functions/embed-unit.js';
import type * as VectorFunctions from '../functions/vector-functions.js';
import { vectorFunctionsBundle } from '../functions/vector-functions-bundle.js';
import { VectorTable } from '../table/vector-table.js';
import { Coalescer } from './coalescer.js';
import { stagingOf } from './staging.js';

/** Options of `ingest`. */
export interface IngestOptions extends Pick<CommitOptions, 'singleWriter' | 'lockStore' | 'lock'> {
  /** The table's URL (`file:///dir/name`, `s3://bucket/prefix/name`); created when missing. */
  table: string;
  /** The model (default: the offline word vectors, `{ kind: 'word-vectors' }`). */
  embedder?: EmbedderSpec;
  /**
   * Where the functions run: an executor of a `vectorFunctionsBundle()` bundle on any backend
   * (its runtimes need the store's AWS environment). Default: a local worker pool, made and
   * closed by `ingest`.
   */
  executor?: Executor<typeof VectorFunctions> | Executor;
  /** How documents are cut into chunks (and which JSONL field / CSV column holds the text). */
  chunking?: UnitChunking;
  /** Largest document unit (bytes) before a big text, JSONL or CSV input is split. */
  maxUnitBytes?: number;
  /** Rows gathered before a commit (default 50,000); fewer, larger commits fragment the table less. */
  commitRows?: number;
  /**
   * Compact the table (`compactTable`: LanceDB `optimize`, which merges fragments and folds new rows
   * into existing indexes) as a function on the executor after every this many commits, in the
   * background while ingest goes on (it takes the commit lock like any writer); ingest waits for it
   * before returning. Default: never (compact later, e.g. `isthmus vectors compact`).
   */
  compactEvery?: number;
  /** S3 connection of the sources and the table (default: the AWS environment). */
  s3?: S3ConnectionOptions;
  /** Called as units finish and commits land. */
  onProgress?: (progress: IngestProgress) => void;
  /** Cancels the tasks and stops (what was committed stays). */
  signal?: AbortSignal;
}

/** Where an ingest stands. */
export interface IngestProgress {
  /** Document units planned. */
  units: number;
  /** Units embedded and staged. */
  unitsDone: number;
  /** Chunks staged so far. */
  chunks: number;
  /** Rows committed so far (new and already present). */
  rowsCommitted: number;
  /** Commits so far. */
  commits: number;
}

/** What an ingest did. */
export interface IngestReport {
  /** The table's URL. */
  table: string;
  /** Document units read. */
  units: number;
  /** Chunks embedded. */
  chunks: number;
  /** Rows written (chunk ids the table did not hold). */
  inserted: number;
  /** Chunks whose id the table held already (a re-run, or overlapping inputs). */
  alreadyPresent: number;
  /** Table commits made. */
  commits: number;
  /** Background compactions run (`compactEvery`). */
  compactions: number;
  /** Wall time in ms. */
  ms: number;
}

/**
 * Embeds documents into a table, exactly once: plans the documents under `source` into units,
 * embeds each unit as a function on the executor (rows staged in the store as Arrow), and commits
 * the staged rows in few large `mergeInsert`s under the table's commit lock. Chunk ids are content
 * hashes, so a re-run after a crash, or overlapping concurrent ingests, never write a chunk twice.
 * The embedder is checked against the table before any task runs.
 * @throws {DimensionMismatchError} / {EmbedderMismatchError} the table holds another model's vectors.
 * @throws {NoConditionalPutError} the store ignores conditional PUTs and `singleWriter` is not set.
 * @throws {ReadOnlyStoreError} the table's store refuses writes.
 * @throws {InvalidArgumentError} no documents under `source` (an empty or missing folder or prefix).
 */
export async function ingest(source: string | string[], options: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  options.signal?.throwIfAborted();
  for (const name of ['commitRows', 'compactEvery'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      throw new InvalidArgumentError(`${name} must be a whole number ≥ 1, not ${value}`);
    }
  }
  const spec = options.embedder ?? { kind: 'word-vectors' };
  const model = await embedderFor(spec);
  const table = await VectorTable.open(options.table, {
    embedder: { modelId: model.modelId, dimension: model.dimension },
    s3: options.s3,
  });
  try {
    await checkCommitPath(table, options);
    const units = await planDocuments(source, {
      s3: options.s3,
      maxUnitBytes: options.maxUnitBytes,
      textField: options.chunking?.textField,
      textColumn: options.chunking?.textColumn,
    });
    if (units.length === 0) {
      throw new InvalidArgumentError(`no documents under ${[source].flat().join(', ')}: nothing to ingest`);
    }
    const staging = stagingOf(table.location);
    const coalescer = new Coalescer(
      table,
      openStore(staging.url, { s3: options.s3 }),
      options.commitRows ?? 50_000,
      options,
    );
    const progress: IngestProgress = {
      units: units.length,
      unitsDone: 0,
      chunks: 0,
      rowsCommitted: 0,
      commits: 0,
    };
    const run = await executorFor(options);
    const compactions: TaskFuture<unknown>[] = [];
    const report = () => {
      progress.rowsCommitted = coalescer.totals.rows;
      progress.commits = coalescer.totals.commits;
      options.onProgress?.({ ...progress });
      if (options.compactEvery && progress.commits % options.compactEvery === 0) {
        compactions.push(
          (run.executor as Executor<typeof VectorFunctions>).call('compactTable', {
            table: table.location.url,
          }),
        );
      }
    };
    let failure: unknown;
    try {
      const futures = (run.executor as Executor<typeof VectorFunctions>).map(
        'embedUnit',
        units.map((unit) => ({ unit, embedder: spec, chunking: options.chunking, stagingUrl: staging.url })),
      );
      const cancel = () => {
        for (const future of futures) future.cancel();
      };
      options.signal?.addEventListener('abort', cancel, { once: true });
      try {
        for await (const future of asCompleted<StagedBatch>(futures)) {
          if (options.signal?.aborted) break;
          const staged = await settled(future);
          if (!staged.ok) {
            failure ??= staged.error;
            continue;
          }
          progress.unitsDone++;
          progress.chunks += staged.value.chunks;
          if (await coalescer.add(staged.value)) report();
          else options.onProgress?.({ ...progress });
        }
        options.signal?.throwIfAborted();
        if (await coalescer.flush()) report();
      } finally {
        options.signal?.removeEventListener('abort', cancel);
        for (const compaction of compactions) {
          const done = await settled(compaction);
          if (!done.ok) failure ??= done.error;
        }
      }
    } finally {
      await run.close();
    }
    if (failure !== undefined) throw failure;
    return {
      table: table.location.url,
      units: units.length,
      chunks: progress.chunks,
      inserted: coalescer.totals.inserted,
      alreadyPresent: coalescer.totals.alreadyPresent,
      commits: coalescer.totals.commits,
      compactions: compactions.length,
      ms: performance.now() - started,
    };
  } finally {
    table.close();
  }
}

async function settled<T>(
  future: TaskFuture<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await future.result() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The caller's executor, or a local pool over the vector functions bundle that `close` shuts down. */
async function executorFor(
  options: IngestOptions,
): Promise<{ executor: Executor; close: () => Promise<void> }> {
  if (options.executor) return { executor: options.executor as Executor, close: async () => {} };
  const local = await createExecutor<typeof VectorFunctions>({
    backend: new LocalBackend({ env: s3Environment(options.s3) }),
    bundle: await sharedBundle(),
  });
  return { executor: local as Executor, close: () => local.close() };
}

let defaultBundle: Promise<Bundle> | undefined;

/** The vector functions bundle of this process's default executors, built once. */
function sharedBundle(): Promise<Bundle> {
  if (!defaultBundle) {
    defaultBundle = vectorFunctionsBundle();
    defaultBundle.catch(() => {
      defaultBundle = undefined;
    });
  }
  return defaultBundle;
}
