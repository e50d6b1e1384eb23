import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import type { Bundle } from '../../bundle/bundle.js';
import { BundleError } from '../../errors.js';
import type { TaskEnvelope } from '../../runtime/protocol.js';
import type { AttemptResult, Backend } from '../backend.js';
import { ElasticPool } from '../elastic-pool.js';
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
  readonly #resourceLimits: ResourceLimits | undefined;
  readonly #env: NodeJS.ProcessEnv;
  readonly #pool: ElasticPool<PoolWorker>;
  #bundle: Bundle | undefined;

  constructor(options: LocalBackendOptions = {}) {
    this.maxConcurrency = options.maxWorkers ?? availableParallelism();
    this.#resourceLimits = options.resourceLimits;
    this.#env = { ...process.env, ...options.env };
    this.#pool = new ElasticPool(
      () => this.#startWorker(),
      this.maxConcurrency,
      options.idleTimeoutMs ?? 2_000,
    );
  }

  /** Workers alive now (busy or idle). */
  get workers(): number {
    return this.#pool.size;
  }

  async prepare(bundle: Bundle): Promise<void> {
    this.#bundle = bundle;
    this.#pool.release(await this.#pool.acquire()); // loads the bundle once: a broken bundle fails here
  }

  async invoke(envelope: TaskEnvelope, signal: AbortSignal): Promise<AttemptResult> {
    signal.throwIfAborted();
    const worker = await this.#pool.acquire();
    const result = await worker.run(envelope, signal);
    this.#pool.release(worker);
    return result;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #startWorker(): Promise<PoolWorker> {
    const bundle = this.#bundle;
    if (!bundle) throw new BundleError('the local backend was not prepared with a bundle');
    return PoolWorker.start(bundle.file, this.#env, this.#resourceLimits);
  }
}
