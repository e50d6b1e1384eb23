import type { ObjectStore } from '@isthmus/storage';
import type { Bundle } from '../bundle/bundle.js';
import type { TaskEnvelope, TaskOutcome } from '../runtime/protocol.js';

/** How one attempt ended, seen from the client: the runtime's outcome, or the runtime died. */
export type AttemptResult = { kind: 'outcome'; outcome: TaskOutcome } | { kind: 'died'; detail: string };

/**
 * Where tasks run: a local worker pool, Slurm, an HTTP function runtime, AWS Lambda. The executor
 * owns concurrency, timeouts and retries; a backend runs single attempts.
 */
export interface Backend {
  /** Short name for messages and stats: `local`, `slurm`, `http`, `lambda`. */
  readonly name: string;
  /** Attempts this backend can run at once. */
  readonly maxConcurrency: number;
  /**
   * Readies the backend for a bundle (loads or deploys it); fails with a clear error if it cannot
   * run. `storage` is the executor's store, for backends that pass envelopes or outcomes through it.
   */
  prepare(bundle: Bundle, storage?: ObjectStore): Promise<void>;
  /**
   * Runs one attempt. When `signal` aborts (timeout, cancel), the backend stops the attempt (kills
   * the worker, cancels the job) and resolves `{ kind: 'died' }` or rejects with the abort reason.
   */
  invoke(envelope: TaskEnvelope, signal: AbortSignal): Promise<AttemptResult>;
  /** Stops every worker and releases resources. */
  close(): Promise<void>;
}
