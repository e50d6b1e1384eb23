import { availableParallelism } from 'node:os';
import type { Bundle } from '../../bundle/bundle.js';
import { BundleError } from '../../errors.js';
import type { TaskEnvelope } from '../../runtime/protocol.js';
import type { AttemptResult, Backend } from '../backend.js';
import { ElasticPool } from '../elastic-pool.js';
import { ExecutionEnvironment } from './execution-environment.js';
import { findRuntimeInterfaceClient, type RuntimeInterfaceClient } from './runtime-interface-client.js';

/** Options of the Lambda backend. */
export interface LambdaBackendOptions {
  /** Runtime processes at most, each running one invocation at a time (default: the machine's cores). */
  maxConcurrency?: number;
  /** An idle runtime process is stopped after this long, so the backend scales to zero (default 10 s). */
  idleTimeoutMs?: number;
  /** Extra environment for the runtimes (e.g. AWS_* for an S3 store); they inherit the process's. */
  env?: NodeJS.ProcessEnv;
  /** `AWS_LAMBDA_FUNCTION_NAME` (default `isthmus-<first 12 hex digits of the bundle hash>`). */
  functionName?: string;
  /** Memory size in MB: caps each runtime's V8 heap at 90 % of it, like Lambda (default: no cap). */
  memoryMb?: number;
  /** A runtime must finish loading the bundle within this (default 10 s, Lambda's init limit). */
  initTimeoutMs?: number;
  /** The deadline handed to the function (`context.getRemainingTimeInMillis()`), ms (default 15 min). */
  functionTimeoutMs?: number;
}

/**
 * Runs tasks as AWS Lambda invocations, locally and for real: the bundle's `handler(event,
 * context)` is run by the official Runtime Interface Client (aws-lambda-ric) in its own process,
 * talking the Lambda Runtime API to a server of ours on loopback; the envelope is the event and
 * the outcome the response. Execution environments start as invocations queue up (to
 * `maxConcurrency`), stay warm while used, and stop when idle; one whose process dies is replaced
 * and its invocation reported as died; a stopped invocation kills its process, as Lambda does.
 */
export class LambdaBackend implements Backend {
  readonly name = 'lambda';
  readonly maxConcurrency: number;
  readonly #options: LambdaBackendOptions;
  readonly #env: NodeJS.ProcessEnv;
  readonly #pool: ElasticPool<ExecutionEnvironment>;
  #bundle: Bundle | undefined;
  #client: RuntimeInterfaceClient | undefined;
  #coldStarts = 0;
  #lastInitMs: number | undefined;

  constructor(options: LambdaBackendOptions = {}) {
    this.#options = options;
    this.maxConcurrency = options.maxConcurrency ?? availableParallelism();
    this.#env = { ...process.env, ...options.env };
    this.#pool = new ElasticPool(
      () => this.#startEnvironment(),
      this.maxConcurrency,
      options.idleTimeoutMs ?? 10_000,
    );
  }

  /** Runtime processes alive now (busy or idle). */
  get environments(): number {
    return this.#pool.size;
  }

  /** Runtime processes started so far (each one a cold start). */
  get coldStarts(): number {
    return this.#coldStarts;
  }

  /** Milliseconds the latest execution environment took from spawn to its first `next` (its init phase). */
  get lastInitMs(): number | undefined {
    return this.#lastInitMs;
  }

  /**
   * Finds aws-lambda-ric (BackendUnavailableError if it is missing or unbuilt), then starts one
   * execution environment to load the bundle: a bundle that does not load fails with BundleError.
   */
  async prepare(bundle: Bundle): Promise<void> {
    this.#client = findRuntimeInterfaceClient();
    this.#bundle = bundle;
    this.#pool.release(await this.#pool.acquire());
  }

  async invoke(envelope: TaskEnvelope, signal: AbortSignal): Promise<AttemptResult> {
    signal.throwIfAborted();
    const environment = await this.#pool.acquire();
    if (signal.aborted) {
      this.#pool.release(environment); // stopped while waiting for a free environment: it ran nothing
      return { kind: 'died', detail: `stopped: ${String(signal.reason?.message ?? signal.reason)}` };
    }
    const deadline = Date.now() + (this.#options.functionTimeoutMs ?? 15 * 60_000);
    const result = await environment.invoke(envelope, signal, deadline);
    if (result.kind === 'outcome') this.#pool.release(environment);
    else void this.#pool.discard(environment);
    return result;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #startEnvironment(): Promise<ExecutionEnvironment> {
    const bundle = this.#bundle;
    const client = this.#client;
    if (!bundle || !client) throw new BundleError('the lambda backend was not prepared with a bundle');
    const environment = await ExecutionEnvironment.start({
      bundle,
      client,
      env: this.#env,
      functionName: this.#options.functionName ?? `isthmus-${bundle.hash.slice(0, 12)}`,
      memoryMb: this.#options.memoryMb,
      initTimeoutMs: this.#options.initTimeoutMs ?? 10_000,
    });
    this.#coldStarts++;
    this.#lastInitMs = environment.initMs;
    return environment;
  }
}
