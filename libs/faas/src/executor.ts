import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ConcurrencyLimiter, type ObjectStore } from '@isthmus/storage';
import type { AttemptResult, Backend } from './backends/backend.js';
import type { Bundle } from './bundle/bundle.js';
import {
  MissingExportError,
  ProtocolVersionError,
  RemoteFunctionError,
  TaskCancelledError,
  TaskTimeoutError,
  WorkerDiedError,
} from './errors.js';
import { encodedToPayload, fromPayload } from './runtime/payload.js';
import { type Payload, PROTOCOL_VERSION, type TaskEnvelope, type TaskOutcome } from './runtime/protocol.js';
import { encodeValue } from './runtime/value-codec.js';
import { TaskFuture } from './task-future.js';

/** Options of `executor`. */
export interface ExecutorOptions {
  /** Where tasks run. */
  backend: Backend;
  /** The built functions (`buildBundle` / `loadBundle`). */
  bundle: Bundle;
  /** Object storage for payloads over the inline limit; runtimes open it by its URL. */
  storage?: ObjectStore;
  /** Tasks in flight at most (default: the backend's capacity). */
  maxConcurrency?: number;
  /** Per-attempt timeout in ms (default: none). */
  timeoutMs?: number;
  /** Further attempts after a failure, a timeout or a dead worker (default 2). */
  retries?: number;
  /** Arguments and results up to this many bytes of JSON travel inline (default 64 KiB). */
  inlineLimitBytes?: number;
  /** Prefix of the keys this executor writes in the store (default `isthmus-faas/<run id>`). */
  keyPrefix?: string;
}

/** Counts reported with every `progress` event. */
export interface ExecutorProgress {
  submitted: number;
  running: number;
  succeeded: number;
  failed: number;
}

/** A function of a module, as the executor types it: `(input, context) => result`. */
type AnyFunction = (input: never, context: never) => unknown;
/** The names of a module's functions. */
export type FunctionName<M> = Extract<
  { [K in keyof M]: M[K] extends AnyFunction ? K : never }[keyof M],
  string
>;
/** The input type of a module's function. */
export type InputOf<M, K extends keyof M> = M[K] extends (input: infer I, ...rest: never[]) => unknown
  ? I
  : never;
/** The result type of a module's function. */
export type OutputOf<M, K extends keyof M> = M[K] extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * Runs a bundle's functions on a backend, Lithops-style: `call`, `map`, `mapReduce`, futures.
 * Owns concurrency, per-attempt timeouts, retries and payload transport; emits `progress`.
 * `M` is the functions module's type (`typeof import('./functions.js')`) for typed calls.
 */
export class Executor<M = Record<string, AnyFunction>> extends EventEmitter<{
  progress: [ExecutorProgress];
}> {
  readonly #options: Required<Omit<ExecutorOptions, 'storage' | 'timeoutMs'>> &
    Pick<ExecutorOptions, 'storage' | 'timeoutMs'>;
  readonly #limiter: ConcurrencyLimiter;
  readonly #progress: ExecutorProgress = { submitted: 0, running: 0, succeeded: 0, failed: 0 };
  readonly #futures = new Set<TaskFuture<unknown>>();
  #sequence = 0;

  /** Use `executor(options)`, which also prepares the backend. */
  constructor(options: ExecutorOptions) {
    super();
    this.#options = {
      ...options,
      maxConcurrency: options.maxConcurrency ?? options.backend.maxConcurrency,
      retries: options.retries ?? 2,
      inlineLimitBytes: options.inlineLimitBytes ?? 64 * 1024,
      keyPrefix:
        options.keyPrefix ??
        `isthmus-faas/${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`,
    };
    this.#limiter = new ConcurrencyLimiter(this.#options.maxConcurrency);
  }

  /** The backend tasks run on. */
  get backend(): Backend {
    return this.#options.backend;
  }

  /** Runs `fn(input)` as one task. Throws at once if `fn` is not exported or `input` cannot be serialized. */
  call<K extends FunctionName<M>>(fn: K, input: InputOf<M, K>): TaskFuture<OutputOf<M, K>> {
    return this.#submit<OutputOf<M, K>>(fn, [input])[0]!;
  }

  /**
   * Runs `fn` on every input, one task each; results keep the input order. Every input is checked
   * for serializability before any task starts.
   */
  map<K extends FunctionName<M>>(fn: K, inputs: Iterable<InputOf<M, K>>): TaskFuture<OutputOf<M, K>>[] {
    return this.#submit<OutputOf<M, K>>(fn, [...inputs]);
  }

  /** Maps, then runs `reduceFn` once on the array of all map results (in input order). */
  async mapReduce<K extends FunctionName<M>, R extends FunctionName<M>>(
    mapFn: K,
    inputs: Iterable<InputOf<M, K>>,
    reduceFn: R,
  ): Promise<OutputOf<M, R>> {
    this.#assertExported(reduceFn);
    const futures = this.map(mapFn, inputs);
    const mapped = await Promise.all(futures.map((future) => future.result()));
    return this.call(reduceFn, mapped as InputOf<M, R>).result();
  }

  /** Cancels every task not yet settled. */
  cancelAll(): void {
    for (const future of this.#futures) future.cancel();
  }

  /** Cancels what is left and closes the backend. */
  async close(): Promise<void> {
    this.cancelAll();
    await Promise.allSettled([...this.#futures].map((future) => future.result()));
    await this.#options.backend.close();
  }

  #submit<T>(fn: string, inputs: unknown[]): TaskFuture<T>[] {
    this.#assertExported(fn);
    const encoded = inputs.map((input, index) =>
      encodeValue(input, inputs.length === 1 ? 'input' : `inputs[${index}]`),
    );
    return encoded.map((text, index) => {
      const id = `t${++this.#sequence}`;
      const future = new TaskFuture<T>(id, fn, index, (self, cancelled) => this.#run(self, text, cancelled));
      this.#futures.add(future as TaskFuture<unknown>);
      this.#progress.submitted++;
      return future;
    });
  }

  #assertExported(fn: string): void {
    if (!this.#options.bundle.functions.includes(fn))
      throw new MissingExportError(fn, this.#options.bundle.functions);
  }

  async #run<T>(future: TaskFuture<T>, encodedInput: string, cancelled: AbortSignal): Promise<T> {
    const submitted = performance.now();
    try {
      const value = await this.#limiter.run(async () => {
        if (cancelled.aborted) throw new TaskCancelledError(future.id);
        const queueWaitMs = performance.now() - submitted;
        future.state = 'running';
        this.#progress.running++;
        this.#emitProgress();
        try {
          const { outcome, attempts } = await this.#attempts(future, encodedInput, cancelled);
          const store = this.#options.storage;
          const decoded = await fromPayload(outcome.output, store);
          future.stats = {
            backend: this.#options.backend.name,
            queueWaitMs,
            totalMs: performance.now() - submitted,
            attempts,
            ...outcome.stats,
          };
          return decoded.value as T;
        } finally {
          this.#progress.running--;
        }
      });
      future.state = 'succeeded';
      this.#progress.succeeded++;
      return value;
    } catch (error) {
      future.state = error instanceof TaskCancelledError ? 'cancelled' : 'failed';
      this.#progress.failed++;
      throw error;
    } finally {
      this.#futures.delete(future as TaskFuture<unknown>);
      this.#emitProgress();
    }
  }

  /** Attempts a task until one succeeds or the retries run out; throws the named error of the last failure. */
  async #attempts(future: TaskFuture<unknown>, encodedInput: string, cancelled: AbortSignal) {
    const { backend, storage, retries, inlineLimitBytes, keyPrefix, timeoutMs } = this.#options;
    const input: Payload = await encodedToPayload(encodedInput, {
      store: storage,
      key: `${keyPrefix}/inputs/${future.id}.json`,
      inlineLimitBytes,
    });
    let failure: Error | undefined;
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      if (cancelled.aborted) throw new TaskCancelledError(future.id);
      const taskId = `${future.id}.${attempt}`;
      const envelope: TaskEnvelope = {
        protocol: PROTOCOL_VERSION,
        taskId,
        fn: future.fn,
        input,
        store: storage?.url,
        inlineLimitBytes,
        resultKey: `${keyPrefix}/results/${taskId}.json`,
      };
      const result = await this.#invokeWithTimeout(backend, envelope, cancelled, timeoutMs);
      if (result === 'cancelled') throw new TaskCancelledError(future.id);
      if (result === 'timeout') {
        failure = new TaskTimeoutError(future.id, timeoutMs!, attempt);
      } else if (result.kind === 'died') {
        failure = new WorkerDiedError(future.id, result.detail, attempt);
      } else if (result.outcome.ok) {
        return { outcome: result.outcome as Extract<TaskOutcome, { ok: true }>, attempts: attempt };
      } else {
        const { error, protocol } = result.outcome;
        if (error.code === 'ERR_FAAS_PROTOCOL_VERSION')
          throw new ProtocolVersionError(future.id, PROTOCOL_VERSION, protocol);
        failure = new RemoteFunctionError(future.id, error.name, error.message, error.stack, attempt);
        if (error.code?.startsWith('ERR_FAAS_')) break; // our own deterministic errors: retrying cannot help
      }
    }
    throw failure;
  }

  async #invokeWithTimeout(
    backend: Backend,
    envelope: TaskEnvelope,
    cancelled: AbortSignal,
    timeoutMs: number | undefined,
  ): Promise<AttemptResult | 'timeout' | 'cancelled'> {
    const attempt = new AbortController();
    const onCancel = () => attempt.abort(new TaskCancelledError(envelope.taskId));
    cancelled.addEventListener('abort', onCancel, { once: true });
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => attempt.abort(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    try {
      const result = await backend.invoke(envelope, attempt.signal).catch((error: unknown): AttemptResult => {
        if (attempt.signal.aborted) return { kind: 'died', detail: 'stopped' };
        return { kind: 'died', detail: error instanceof Error ? error.message : String(error) };
      });
      if (cancelled.aborted) return 'cancelled';
      if (attempt.signal.aborted) return 'timeout';
      return result;
    } finally {
      clearTimeout(timer);
      cancelled.removeEventListener('abort', onCancel);
    }
  }

  #emitProgress(): void {
    this.emit('progress', { ...this.#progress });
  }
}

/** Creates an executor and prepares its backend for the bundle: a bundle that does not load fails here. */
export async function executor<M = Record<string, AnyFunction>>(
  options: ExecutorOptions,
): Promise<Executor<M>> {
  await options.backend.prepare(options.bundle, options.storage);
  return new Executor<M>(options);
}
