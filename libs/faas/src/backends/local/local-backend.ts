import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import type { Bundle } from '../../bundle/bundle.js';
import { BundleError } from '../../errors.js';
import type { TaskEnvelope } from '../../runtime/protocol.js';
import type { AttemptResult, Backend } from '../backend.js';
import { PoolWorker } from './pool-worker.js';

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
  readonly #idle: PoolWorker[] = [];
  readonly #all = new Set<PoolWorker>();
  readonly #idleTimers = new Map<PoolWorker, NodeJS.Timeout>();
  readonly #waiting: Array<{ resolve(worker: PoolWorker): void; reject(error: unknown): void }> = [];
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
    const result = await worker.run(envelope, signal);
    if (worker.exited) this.#discard(worker);
    else this.#release(worker);
    return result;
  }

  async close(): Promise<void> {
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    this.#idleTimers.clear();
    const workers = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  async #acquire(): Promise<PoolWorker> {
    const idle = this.#idle.pop();
    if (idle) {
      clearTimeout(this.#idleTimers.get(idle));
      this.#idleTimers.delete(idle);
      return idle;
    }
    if (this.#all.size + this.#starting < this.maxConcurrency) return this.#spawn();
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  #release(worker: PoolWorker): void {
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

  #discard(worker: PoolWorker): void {
    this.#all.delete(worker);
    // a waiter queued behind a full pool gets a fresh worker in the freed slot
    const waiter = this.#waiting.shift();
    if (waiter) this.#spawn().then(waiter.resolve, waiter.reject);
  }

  async #spawn(): Promise<PoolWorker> {
    const bundle = this.#bundle;
    if (!bundle) throw new BundleError('the local backend was not prepared with a bundle');
    this.#starting++;
    try {
      const worker = await PoolWorker.start(bundle.file, this.#env, this.#resourceLimits);
      this.#all.add(worker);
      return worker;
    } finally {
      this.#starting--;
    }
  }
}
