/**
 * The wire protocol between an executor and a function runtime, the same on every backend: an
 * envelope goes in (as a worker message, a Lambda event, an HTTP body, or an object in the store
 * for Slurm), an outcome comes back.
 */

/**
 * The version of this protocol. Envelopes and outcomes carry it; a runtime refuses an envelope of
 * another version with `ProtocolVersionError` (a bundle built by another `@isthmus/faas` version).
 */
export const PROTOCOL_VERSION = 1;

/** A value inline (encoded JSON text) or by reference to an object in the task's store. */
export type Payload = { inline: string } | { ref: string; bytes: number };

/** One task for a runtime. */
export interface TaskEnvelope {
  /** The protocol version the executor speaks (`PROTOCOL_VERSION`). */
  protocol: number;
  /** Unique per attempt; results are keyed by it, never by a backend's job id. */
  taskId: string;
  /** The export of the bundle to call. */
  fn: string;
  /** The function's argument. */
  input: Payload;
  /** URL of the store for referenced payloads (absent: everything inline). */
  store?: string;
  /** Results larger than this (bytes of encoded JSON) go to the store at `resultKey`. */
  inlineLimitBytes: number;
  /** Where a large result goes. */
  resultKey: string;
}

/** What a runtime measured about one task. */
export interface WorkerStats {
  /** First task in this runtime instance (module just loaded). */
  coldStart: boolean;
  /** Time inside the function, ms. */
  runMs: number;
  /** Bytes of input and output, encoded. */
  bytesIn: number;
  bytesOut: number;
  /** Which runtime instance ran it (host:pid[:thread]). */
  worker: string;
  /** The batch job that ran it: Slurm's `<array job id>_<index>` for an array task (absent elsewhere). */
  job?: string;
}

/** A remote error, as plain data. */
export interface RemoteErrorInfo {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

/** The result of one task attempt as the runtime reports it. */
export type TaskOutcome = {
  taskId: string;
  /** The protocol version the runtime speaks. */
  protocol: number;
  stats: WorkerStats;
} & ({ ok: true; output: Payload } | { ok: false; error: RemoteErrorInfo });
