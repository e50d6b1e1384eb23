import { randomUUID } from 'node:crypto';
import type { S3ConnectionOptions } from '@isthmus/storage';
import {
  buildIndexes,
  type EmbedderSpec,
  type IndexReport,
  type IngestProgress,
  type IngestReport,
  ingest,
} from '@isthmus/vectors';

/** Where an ingest job is: embedding and committing, building the indexes, or done. */
export type IngestJobState = 'ingesting' | 'indexing' | 'succeeded' | 'failed';

/** An ingest job as `GET /ingest/<id>` shows it. */
export interface IngestJobStatus {
  id: string;
  source: string;
  table: string;
  state: IngestJobState;
  /** The last progress report of the ingest. */
  progress?: IngestProgress;
  /** What the ingest did (from `indexing` on). */
  report?: IngestReport;
  /** The indexes built (state `succeeded`). */
  indexes?: IndexReport;
  /** Why it failed (state `failed`). */
  error?: { code?: string; message: string };
  startedAt: string;
  finishedAt?: string;
}

/** Settings every job of a server shares. */
export interface IngestJobSettings {
  embedder?: EmbedderSpec;
  s3?: S3ConnectionOptions;
}

/**
 * The server's ingest jobs: each ingests a source into a table, then (re)builds the table's
 * indexes (vector index once the table is large enough, and the BM25 index that `fts` and `hybrid`
 * search need). Jobs run in the background; their status is kept for the life of the server.
 */
export class IngestJobs {
  readonly #settings: IngestJobSettings;
  readonly #jobs = new Map<string, IngestJobStatus>();
  readonly #running = new Set<Promise<void>>();

  constructor(settings: IngestJobSettings = {}) {
    this.#settings = settings;
  }

  /** Starts ingesting `source` into `table` and returns the job's status (state `ingesting`). */
  start(source: string, table: string): IngestJobStatus {
    const job: IngestJobStatus = {
      id: randomUUID(),
      source,
      table,
      state: 'ingesting',
      startedAt: new Date().toISOString(),
    };
    this.#jobs.set(job.id, job);
    const run = this.#run(job).finally(() => this.#running.delete(run));
    this.#running.add(run);
    return { ...job };
  }

  /** The status of job `id`, or undefined. */
  get(id: string): IngestJobStatus | undefined {
    const job = this.#jobs.get(id);
    return job && { ...job };
  }

  /** Waits for the running jobs to end (each ends in `succeeded` or `failed`). */
  async settle(): Promise<void> {
    await Promise.all([...this.#running]);
  }

  async #run(job: IngestJobStatus): Promise<void> {
    const { embedder, s3 } = this.#settings;
    try {
      job.report = await ingest(job.source, {
        table: job.table,
        embedder,
        s3,
        onProgress: (progress) => {
          job.progress = progress;
        },
      });
      job.state = 'indexing';
      job.indexes = await buildIndexes(job.table, { s3 });
      job.state = 'succeeded';
    } catch (error) {
      job.state = 'failed';
      job.error = {
        code: (error as { code?: string }).code,
        message: error instanceof Error ? error.message : String(error),
      };
    } finally {
      job.finishedAt = new Date().toISOString();
    }
  }
}
