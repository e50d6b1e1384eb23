/** What the executor measured about one task, with what its runtime reported. */
export interface TaskStats {
  backend: string;
  /** From submission until the first attempt was handed to the backend. */
  queueWaitMs: number;
  /** From submission until the result was decoded. */
  totalMs: number;
  attempts: number;
  /** Whether the successful attempt (or the last one) ran in a freshly loaded runtime. */
  coldStart: boolean;
  /** Time inside the function, as the runtime measured it. */
  runMs: number;
  bytesIn: number;
  bytesOut: number;
  /** The runtime instance: host:pid[:thread]. */
  worker: string;
  /** The batch job that ran it: Slurm's `<array job id>_<index>` for an array task (absent elsewhere). */
  job?: string;
}

/** Where a task is in its life. */
export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * The future result of one task: `await future.result()`; `stats` is set once it settles. A
 * failure is one of the named faas errors.
 */
export class TaskFuture<T = unknown> {
  state: TaskState = 'queued';
  stats: TaskStats | undefined;
  readonly #promise: Promise<T>;
  readonly #controller = new AbortController();

  constructor(
    /** Unique within its executor. */
    readonly id: string,
    /** The function it calls. */
    readonly fn: string,
    /** Position in the `map` it came from (0 for `call`). */
    readonly index: number,
    run: (future: TaskFuture<T>, cancelled: AbortSignal) => Promise<T>,
  ) {
    this.#promise = run(this, this.#controller.signal);
    this.#promise.catch(() => undefined); // failures surface where the result is awaited
  }

  /** The task's result; rejects with a named faas error. */
  result(): Promise<T> {
    return this.#promise;
  }

  /** Whether the task has settled. */
  get done(): boolean {
    return this.state === 'succeeded' || this.state === 'failed' || this.state === 'cancelled';
  }

  /** Cancels the task: a queued task never runs, a running attempt is stopped. */
  cancel(): void {
    this.#controller.abort();
  }
}
