/** Stable machine-readable codes of every error `@isthmus/faas` raises. */
export type FaasErrorCode =
  | 'ERR_FAAS_REMOTE'
  | 'ERR_FAAS_TIMEOUT'
  | 'ERR_FAAS_WORKER_DIED'
  | 'ERR_FAAS_CANCELLED'
  | 'ERR_FAAS_NOT_SERIALIZABLE'
  | 'ERR_FAAS_MISSING_EXPORT'
  | 'ERR_FAAS_BUNDLE'
  | 'ERR_FAAS_BACKEND_UNAVAILABLE'
  | 'ERR_FAAS_NO_STORAGE'
  | 'ERR_FAAS_PROTOCOL_VERSION';

/** Base class of all faas errors; `code` is stable across releases. */
export abstract class FaasError extends Error {
  abstract readonly code: FaasErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A function threw: carries the remote error's name, message and stack. */
export class RemoteFunctionError extends FaasError {
  readonly code = 'ERR_FAAS_REMOTE';
  constructor(
    readonly taskId: string,
    readonly remoteName: string,
    readonly remoteMessage: string,
    readonly remoteStack: string | undefined,
    readonly attempts: number,
  ) {
    super(`task ${taskId} failed after ${attempts} attempt(s): ${remoteName}: ${remoteMessage}`);
    if (remoteStack) this.stack = `${this.name}: ${this.message}\n--- remote stack ---\n${remoteStack}`;
  }
}

/** A task ran longer than its timeout on every attempt. */
export class TaskTimeoutError extends FaasError {
  readonly code = 'ERR_FAAS_TIMEOUT';
  constructor(
    readonly taskId: string,
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(`task ${taskId} timed out after ${timeoutMs} ms on each of ${attempts} attempt(s)`);
  }
}

/** The worker running a task died (process.exit, out of memory, killed node) on every attempt. */
export class WorkerDiedError extends FaasError {
  readonly code = 'ERR_FAAS_WORKER_DIED';
  constructor(
    readonly taskId: string,
    readonly detail: string,
    readonly attempts: number,
  ) {
    super(`the worker running task ${taskId} died on each of ${attempts} attempt(s): ${detail}`);
  }
}

/** The task was cancelled before it finished. */
export class TaskCancelledError extends FaasError {
  readonly code = 'ERR_FAAS_CANCELLED';
  constructor(readonly taskId: string) {
    super(`task ${taskId} was cancelled`);
  }
}

/** An argument or result that cannot cross to another runtime (functions, Maps, Dates, cycles, …). */
export class NotSerializableError extends FaasError {
  readonly code = 'ERR_FAAS_NOT_SERIALIZABLE';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path} is not serializable: ${detail}`);
  }
}

/** The bundle has no export of that name. */
export class MissingExportError extends FaasError {
  readonly code = 'ERR_FAAS_MISSING_EXPORT';
  constructor(
    readonly exportName: string,
    readonly available: readonly string[],
  ) {
    super(
      `the bundle exports no function "${exportName}" (it exports: ${available.join(', ') || 'nothing'})`,
    );
  }
}

/** A bundle that cannot be built or loaded. */
export class BundleError extends FaasError {
  readonly code = 'ERR_FAAS_BUNDLE';
}

/** The backend cannot run tasks (not installed, not running, unreachable); the message says how to fix it. */
export class BackendUnavailableError extends FaasError {
  readonly code = 'ERR_FAAS_BACKEND_UNAVAILABLE';
}

/** A payload needs object storage but the executor was given none. */
export class NoStorageError extends FaasError {
  readonly code = 'ERR_FAAS_NO_STORAGE';
}

/**
 * The executor and the runtime speak different versions of the wire protocol: the bundle was built
 * by another `@isthmus/faas` version than the executor's. The runtime refuses the task before
 * running anything; the executor does not retry it.
 */
export class ProtocolVersionError extends FaasError {
  readonly code = 'ERR_FAAS_PROTOCOL_VERSION';
  constructor(
    readonly taskId: string,
    /** The version the task was sent in. */
    readonly sent: unknown,
    /** The version the runtime speaks. */
    readonly supported: unknown,
  ) {
    super(
      `task ${taskId} was sent in wire protocol version ${String(sent)} to a runtime that speaks version ` +
        `${String(supported)}: build the bundle with the @isthmus/faas version the executor runs`,
    );
  }
}
