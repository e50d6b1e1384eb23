import { type ResourceLimits, Worker } from 'node:worker_threads';
import { BundleError } from '../../errors.js';
import { WORKER_MARKER, type WorkerMessage } from '../../runtime/handlers.js';
import type { TaskEnvelope } from '../../runtime/protocol.js';
import type { AttemptResult } from '../backend.js';
import type { PoolMember } from '../elastic-pool.js';

/**
 * One worker thread of the local pool, running the bundle and one task at a time. Its listeners
 * are attached once, for its whole life: a task's end is an `outcome` message, or the thread's
 * exit (process.exit, out of memory, uncaught exception), reported as died.
 */
export class PoolWorker implements PoolMember {
  readonly #worker: Worker;
  #current: { taskId: string; resolve(result: AttemptResult): void } | undefined;
  #lastError: Error | undefined;
  #exited = false;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'outcome' && message.outcome.taskId === this.#current?.taskId) {
        this.#settle({ kind: 'outcome', outcome: message.outcome });
      }
    });
    worker.on('error', (error) => {
      this.#lastError = error;
    });
    worker.on('exit', (code) => {
      this.#exited = true;
      const error = this.#lastError as NodeJS.ErrnoException | undefined;
      const why = error ? `${error.code ?? error.name}: ${error.message}` : `exit code ${code}`;
      this.#settle({ kind: 'died', detail: `worker thread ended (${why})` });
    });
  }

  /** Starts a worker on the bundle and waits until it is ready; a bundle that fails to load is a `BundleError`. */
  static async start(
    bundleFile: string,
    env: NodeJS.ProcessEnv,
    resourceLimits?: ResourceLimits,
  ): Promise<PoolWorker> {
    // The bundle is plain JavaScript: workers need none of the parent's loaders (e.g. a TypeScript one).
    const worker = new Worker(bundleFile, { workerData: WORKER_MARKER, resourceLimits, env, execArgv: [] });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== 'ready') return;
        worker.off('error', onError).off('exit', onExit).off('message', onMessage);
        resolve();
      };
      const onError = (error: Error) =>
        reject(new BundleError(`the bundle ${bundleFile} does not load: ${error.message}`, { cause: error }));
      const onExit = (code: number) =>
        reject(new BundleError(`the bundle ${bundleFile} exited while loading (code ${code})`));
      worker.on('message', onMessage).once('error', onError).once('exit', onExit);
    });
    return new PoolWorker(worker);
  }

  /** Whether the thread can take another task (it has not ended). */
  get reusable(): boolean {
    return !this.#exited;
  }

  /** Runs one task; on `signal` abort the thread is terminated and the attempt reported as died. */
  run(envelope: TaskEnvelope, signal: AbortSignal): Promise<AttemptResult> {
    return new Promise((resolve) => {
      const onAbort = () => {
        this.#settle({ kind: 'died', detail: `stopped: ${String(signal.reason?.message ?? signal.reason)}` });
        void this.stop();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#current = {
        taskId: envelope.taskId,
        resolve: (result) => {
          signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
      };
      this.#worker.postMessage({ type: 'task', envelope } satisfies WorkerMessage);
    });
  }

  /** Ends the thread. */
  async stop(): Promise<void> {
    this.#exited = true;
    await this.#worker.terminate();
  }

  #settle(result: AttemptResult): void {
    const current = this.#current;
    this.#current = undefined;
    current?.resolve(result);
  }
}
