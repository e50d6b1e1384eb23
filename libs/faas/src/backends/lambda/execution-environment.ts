import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { basename, extname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Bundle } from '../../bundle/bundle.js';
import { BackendUnavailableError, BundleError } from '../../errors.js';
import { PROTOCOL_VERSION, type TaskEnvelope, type TaskOutcome } from '../../runtime/protocol.js';
import type { AttemptResult } from '../backend.js';
import { type InvocationResult, RuntimeApiServer, type RuntimeErrorReport } from './runtime-api-server.js';
import type { RuntimeInterfaceClient } from './runtime-interface-client.js';

/** How to start an execution environment. */
export interface ExecutionEnvironmentOptions {
  bundle: Bundle;
  /** The runtime interface client to run (aws-lambda-ric). */
  client: RuntimeInterfaceClient;
  /** Environment of the runtime process (already merged with the parent's). */
  env: NodeJS.ProcessEnv;
  /** `AWS_LAMBDA_FUNCTION_NAME`, and the last part of the function ARN. */
  functionName: string;
  /** Memory size in MB: sets `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` and caps the V8 heap at 90 % of it. */
  memoryMb?: number;
  /** The init phase (process start until its first `next`) must end within this (Lambda: 10 s). */
  initTimeoutMs: number;
}

/**
 * One Lambda execution environment: a runtime process (aws-lambda-ric running the bundle's
 * `handler`) with its own Runtime API server, serving one invocation at a time. It is warm after
 * its first invocation, and killed when an invocation must be stopped, as Lambda does on timeout.
 */
export class ExecutionEnvironment {
  readonly #api: RuntimeApiServer;
  readonly #child: ChildProcess;
  readonly #spawnedAt = performance.now();
  readonly #ended: Promise<string>;
  #initMs = Number.NaN;
  #exit: string | undefined;
  #output = '';
  #invocationOutput = '';
  #invocations = 0;
  #failed = false;

  private constructor(api: RuntimeApiServer, child: ChildProcess) {
    this.#api = api;
    this.#child = child;
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-4000);
      if (this.#invocationOutput.length < 4000) this.#invocationOutput += chunk.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.#ended = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(`the runtime process failed to start (${error.message})`));
      child.once('exit', (code, signal) => {
        const detail = `the Lambda runtime process ended (${signal ? `signal ${signal}` : `exit code ${code}`})`;
        // its last output (V8's out-of-memory report) is read by 'close', unless something it
        // started still holds the pipes
        const timer = setTimeout(() => resolve(detail), 250);
        child.once('close', () => {
          clearTimeout(timer);
          resolve(detail);
        });
      });
    }).then((detail) => {
      this.#exit = detail;
      return detail;
    });
  }

  /**
   * Spawns the runtime and waits for its init phase to end. A handler that does not load (the
   * runtime posts `/init/error`) fails with BundleError; a runtime that exits or hangs before
   * asking for work fails with BackendUnavailableError, with the end of its output.
   */
  static async start(options: ExecutionEnvironmentOptions): Promise<ExecutionEnvironment> {
    const { bundle, client } = options;
    const api = await RuntimeApiServer.start({
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${options.functionName}`,
    });
    const handler = `${basename(bundle.file, extname(bundle.file))}.handler`;
    const child = spawn(
      process.execPath,
      [
        ...(options.memoryMb ? [`--max-old-space-size=${Math.floor(options.memoryMb * 0.9)}`] : []),
        client.bin,
        handler,
      ],
      {
        cwd: bundle.dir,
        env: {
          ...options.env,
          AWS_LAMBDA_RUNTIME_API: api.address,
          LAMBDA_TASK_ROOT: bundle.dir,
          _HANDLER: handler,
          AWS_LAMBDA_FUNCTION_NAME: options.functionName,
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          ...(options.memoryMb ? { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb) } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const environment = new ExecutionEnvironment(api, child);
    let initError: RuntimeErrorReport | undefined;
    let timer: NodeJS.Timeout | undefined;
    const init = await new Promise<'ready' | 'init-error' | 'ended' | 'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.initTimeoutMs);
      api.once('poll', () => resolve('ready'));
      api.once('initError', (report) => {
        initError = report;
        resolve('init-error');
      });
      void environment.#ended.then(() => resolve('ended'));
    });
    clearTimeout(timer);
    api.removeAllListeners();
    if (init === 'ready') {
      environment.#initMs = performance.now() - environment.#spawnedAt;
      return environment;
    }
    await environment.stop();
    if (init === 'init-error') {
      const { errorType, errorMessage } = initError!;
      throw new BundleError(
        `the bundle ${bundle.file} does not load in the Lambda runtime: ${errorType}: ${errorMessage}`,
      );
    }
    const why =
      init === 'timeout'
        ? `did not ask for an invocation within ${options.initTimeoutMs} ms`
        : `ended before asking for an invocation (${environment.#exit})`;
    throw new BackendUnavailableError(
      `the Lambda runtime (aws-lambda-ric ${client.version}) running ${bundle.file} ${why}:\n${environment.output}`,
    );
  }

  /** Milliseconds from spawning the process to its first `next`: the init phase of a cold start. */
  get initMs(): number {
    return this.#initMs;
  }

  /** Whether the runtime process is still running. */
  get alive(): boolean {
    return this.#exit === undefined;
  }

  /** Alive, and its runtime did not report a failure of its own (after which it exits). */
  get reusable(): boolean {
    return this.alive && !this.#failed;
  }

  /** Invocations this environment has taken (the first one is its cold start). */
  get invocations(): number {
    return this.#invocations;
  }

  /** The process id of the runtime. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The last few KiB the runtime printed. */
  get output(): string {
    return this.#output;
  }

  /**
   * Runs one task: the envelope is the event, the handler's return value the outcome. The
   * process ending first resolves `died`; `signal` aborting kills the process and resolves `died`.
   */
  async invoke(envelope: TaskEnvelope, signal: AbortSignal, deadlineMs: number): Promise<AttemptResult> {
    if (signal.aborted) return { kind: 'died', detail: `stopped: ${reasonOf(signal)}` };
    if (this.#exit !== undefined) return { kind: 'died', detail: this.#exit };
    const cold = this.#invocations++ === 0;
    this.#invocationOutput = '';
    const withdraw = new AbortController();
    const onAbort = () => withdraw.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const ended = this.#ended.then((detail) => ({ ended: detail }));
      const answered = this.#api.invoke(envelope, { deadlineMs, signal: withdraw.signal }).then(
        (result) => ({ result }),
        () => ({ stopped: true as const }),
      );
      const first = await Promise.race([answered, ended]);
      if ('result' in first) {
        const { result } = first;
        if (result.kind !== 'lost') return this.#attemptResult(envelope, result, cold);
        // the connection went first; the process is ending (or hung without its socket): say which
        this.#failed = true;
        const exit = await Promise.race([this.#ended, delay(2_000).then(() => undefined)]);
        if (exit === undefined) await this.stop();
        return { kind: 'died', detail: exit ? this.#describeDeath(exit) : result.detail };
      }
      if ('ended' in first) return { kind: 'died', detail: this.#describeDeath(first.ended) };
      await this.stop();
      return { kind: 'died', detail: `stopped: ${reasonOf(signal)}` };
    } finally {
      signal.removeEventListener('abort', onAbort);
      withdraw.abort();
    }
  }

  /** Kills the runtime process and closes its Runtime API server. */
  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await Promise.all([this.#ended, this.#api.close()]);
  }

  /** How the process ended, with the telling line of what it printed meanwhile (e.g. V8's out of memory). */
  #describeDeath(exit: string): string {
    const lines = this.#invocationOutput
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const telling = lines.find((line) => /FATAL ERROR|Error\b/.test(line)) ?? lines.at(-1);
    return telling ? `${exit}: ${telling.slice(0, 300)}` : exit;
  }

  #attemptResult(
    envelope: TaskEnvelope,
    result: Exclude<InvocationResult, { kind: 'lost' }>,
    cold: boolean,
  ): AttemptResult {
    if (result.kind === 'error') {
      // the handler itself failed (it never throws for a task error, which is an outcome): an
      // uncaught exception or rejection, after which aws-lambda-ric exits
      this.#failed = true;
      const { errorType, errorMessage, trace } = result.error;
      const outcome: TaskOutcome = {
        taskId: envelope.taskId,
        protocol: PROTOCOL_VERSION,
        ok: false,
        error: { name: errorType, message: errorMessage, ...(trace ? { stack: trace.join('\n') } : {}) },
        stats: { coldStart: cold, runMs: 0, bytesIn: 0, bytesOut: 0, worker: `${hostname()}:${this.pid}` },
      };
      return { kind: 'outcome', outcome };
    }
    const outcome = result.payload as Partial<TaskOutcome> | null;
    if (outcome?.taskId !== envelope.taskId || typeof outcome.ok !== 'boolean') {
      return {
        kind: 'died',
        detail: `the Lambda handler answered something that is not this task's outcome: ${JSON.stringify(result.payload)?.slice(0, 200)}`,
      };
    }
    return { kind: 'outcome', outcome: outcome as TaskOutcome };
  }
}

function reasonOf(signal: AbortSignal): string {
  const reason = signal.reason as { message?: unknown } | undefined;
  return String(reason?.message ?? reason);
}
