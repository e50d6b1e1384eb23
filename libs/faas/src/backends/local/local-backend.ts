import { availableParallelism } from 'node:os';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { Bundle } from '../../bundle/bundle.js';
import { BundleError } from '../../errors.js';
import { WORKER_MARKER, type WorkerMessage } from '../../runtime/handlers.js';
import type { TaskEnvelope } from '../../runtime/protocol.js';
import type { AttemptResult, Backend } from '../backend.js';

/** Options of the local pool. */
export interface LocalBackendOptions {
  /** Worker threads at most (default: the machine's cores). */
  maxWorkers?: number;
  /** An idle worker exits after this long, so the pool scales down to zero (default 2 s). */
  idleTimeoutMs?: number;
  /** Heap limits per worker; a worker over them dies and its task is retried. */
  resourceLimits?: ResourceLimits;
  /** Extra environment for the workers (e.g. AWS_* for an S3 store); they inherit the process's. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The embedded default backend: a `worker_threads` pool running the bundle. Workers are started
 * as tasks queue up (to `maxWorkers`), reused while warm, and exit when idle; a worker that dies
 * (process.exit, out of memory, uncaught exception) is replaced and its task reported as died.
 */
export class LocalBackend implements Backend {
  readonly name = 'local';
  readonly maxConcurrency: number;
  readonly #idleTimeoutMs: number;
  readonly #resourceLimits: ResourceLimits | undefined;
  readonly #env: NodeJS.ProcessEnv;
  readonly #idle: Worker[] = [];
  readonly #all = new Set<Worker>();
  readonly #idleTimers = new Map<Worker, NodeJS.Timeout>();
  readonly #waiting: Array<{ resolve(worker: Worker): void; reject(error: unknown): void }> = [];
  #bundle: Bundle | undefined;
  #starting = 0;

  constructor(options: LocalBackendOptions = {}) {
    this.maxConcurrency = options.maxWorkers ?? availableParallelism();
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 2_000;
    this.#resourceLimits = options.resourceLimits;
    this.#env = { ...process.env, ...options.env };
  }

  /** Workers alive now (busy or idle). */
  get workers(): number {
    return this.#all.size;
  }

  async prepare(bundle: Bundle): Promise<void> {
    this.#bundle = bundle;
    this.#release(await this.#spawn()); // loads the bundle once: a broken bundle fails here
  }

  async invoke(envelope: TaskEnvelope, signal: AbortSignal): Promise<AttemptResult> {
    signal.throwIfAborted();
    const worker = await this.#acquire();
    return new Promise<AttemptResult>((resolve) => {
      let lastError: Error | undefined;
      const finish = (result: AttemptResult, keep: boolean) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        signal.removeEventListener('abort', onAbort);
        if (keep) this.#release(worker);
        else this.#discard(worker);
        resolve(result);
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'outcome' && message.outcome.taskId === envelope.taskId) {
          finish({ kind: 'outcome', outcome: message.outcome }, true);
        }
      };
      const onError = (error: Error) => {
        lastError = error;
      };
      const onExit = (code: number) => {
        const why = lastError
          ? `${(lastError as NodeJS.ErrnoException).code ?? lastError.name}: ${lastError.message}`
          : `exit code ${code}`;
        finish({ kind: 'died', detail: `worker thread ended (${why})` }, false);
      };
      const onAbort = () => {
        void worker.terminate();
        finish(
          { kind: 'died', detail: `stopped: ${String(signal.reason?.message ?? signal.reason)}` },
          false,
        );
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ type: 'task', envelope } satisfies WorkerMessage);
    });
  }

  async close(): Promise<void> {
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    this.#idleTimers.clear();
    const workers = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  async #acquire(): Promise<Worker> {
    const idle = this.#idle.pop();
    if (idle) {
      clearTimeout(this.#idleTimers.get(idle));
      this.#idleTimers.delete(idle);
      return idle;
    }
    if (this.#all.size + this.#starting < this.maxConcurrency) return this.#spawn();
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #release(worker: Worker): void {
    if (!this.#all.has(worker)) return;
    const waiter = this.#waiting.shift();
    if (waiter) {
      waiter.resolve(worker);
      return;
    }
    this.#idle.push(worker);
    const timer = setTimeout(() => {
      this.#idleTimers.delete(worker);
      const at = this.#idle.indexOf(worker);
      if (at >= 0) this.#idle.splice(at, 1);
      this.#discard(worker);
      void worker.terminate();
    }, this.#idleTimeoutMs);
    timer.unref();
    this.#idleTimers.set(worker, timer);
  }

  #discard(worker: Worker): void {
    this.#all.delete(worker);
    // a waiter queued behind a full pool gets a fresh worker in the freed slot
    const waiter = this.#waiting.shift();
    if (waiter) this.#spawn().then(waiter.resolve, waiter.reject);
  }

  async #spawn(): Promise<Worker> {
    const bundle = this.#bundle;
    if (!bundle) throw new BundleError('the local backend was not prepared with a bundle');
    this.#starting++;
    try {
      const worker = new Worker(bundle.file, {
        workerData: WORKER_MARKER,
        resourceLimits: this.#resourceLimits,
        env: this.#env,
      });
      await new Promise<void>((resolve, reject) => {
        const onMessage = (message: WorkerMessage) => {
          if (message.type !== 'ready') return;
          worker.off('error', onError).off('exit', onExit).off('message', onMessage);
          resolve();
        };
        const onError = (error: Error) =>
          reject(
            new BundleError(`the bundle ${bundle.file} does not load: ${error.message}`, { cause: error }),
          );
        const onExit = (code: number) =>
          reject(new BundleError(`the bundle ${bundle.file} exited while loading (code ${code})`));
        worker.on('message', onMessage).once('error', onError).once('exit', onExit);
      });
      this.#all.add(worker);
      return worker;
    } finally {
      this.#starting--;
    }
  }
}
