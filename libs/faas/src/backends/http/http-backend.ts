import type { ObjectStore } from '@isthmus/storage';
import type { Bundle } from '../../bundle/bundle.js';
import { NoStorageError } from '../../errors.js';
import type { TaskEnvelope, TaskOutcome } from '../../runtime/protocol.js';
import { outcomeKeyOf } from '../../runtime/task-keys.js';
import type { AttemptResult, Backend } from '../backend.js';
import { type HttpInvocationMode, type HttpRuntimeKind, runtimeArgs } from './http-runtimes.js';
import { acceptsConnections, RuntimeProcess } from './runtime-process.js';

/** Options of the HTTP backend. */
export interface HttpBackendOptions {
  /** Which runtime to start locally (default `functions-framework`). */
  runtime?: HttpRuntimeKind;
  /** Plain JSON POST or CloudEvents (default `http`); CloudEvents need a store for the outcome. */
  mode?: HttpInvocationMode;
  /** Runtime processes to start, requests spread over them (default 1). */
  instances?: number;
  /** Requests in flight at most, as a cloud function's concurrency limit (default 64). */
  maxConcurrency?: number;
  /** Extra environment for the runtimes (e.g. AWS_* for an S3 store). */
  env?: NodeJS.ProcessEnv;
  /** An endpoint that already serves the bundle (a deployed function): nothing is started. */
  endpoint?: string;
}

/**
 * Runs tasks on HTTP function runtimes — the same bundle served by Google's functions-framework
 * (HTTP or CloudEvents) or Knative's faas-js-runtime — started here on loopback, or on an endpoint
 * already deployed. A runtime process that dies is restarted and its requests reported as died.
 */
export class HttpBackend implements Backend {
  readonly name = 'http';
  readonly maxConcurrency: number;
  readonly #options: HttpBackendOptions;
  readonly #instances: Array<Promise<RuntimeProcess> | undefined>;
  #bundle: Bundle | undefined;
  #storage: ObjectStore | undefined;
  #next = 0;

  constructor(options: HttpBackendOptions = {}) {
    this.#options = options;
    this.maxConcurrency = options.maxConcurrency ?? 64;
    this.#instances = new Array(options.endpoint ? 0 : (options.instances ?? 1)).fill(undefined);
  }

  async prepare(bundle: Bundle, storage?: ObjectStore): Promise<void> {
    if ((this.#options.mode ?? 'http') === 'cloudevent' && !storage) {
      throw new NoStorageError(
        'CloudEvent invocations return no body: the executor needs a store for outcomes',
      );
    }
    this.#bundle = bundle;
    this.#storage = storage;
    await Promise.all(this.#instances.map((_, slot) => this.#instance(slot)));
  }

  async invoke(envelope: TaskEnvelope, signal: AbortSignal): Promise<AttemptResult> {
    const mode = this.#options.mode ?? 'http';
    const slot = this.#next++ % Math.max(1, this.#instances.length);
    const url = this.#options.endpoint ?? `http://127.0.0.1:${(await this.#instance(slot)).port}/`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: headersFor(mode, envelope),
        body: JSON.stringify(envelope),
        signal,
      });
    } catch (error) {
      if (signal.aborted) return { kind: 'died', detail: 'request stopped' };
      return { kind: 'died', detail: `${await this.#describeFailure(slot)}: ${causeOf(error)}` };
    }
    const text = await response.text();
    if (!response.ok)
      return { kind: 'died', detail: `the runtime answered HTTP ${response.status}: ${text.slice(0, 500)}` };
    if (mode === 'http' || this.#options.runtime === 'knative') {
      return { kind: 'outcome', outcome: JSON.parse(text) as TaskOutcome };
    }
    const outcome = await this.#storage!.get(outcomeKeyOf(envelope.resultKey));
    return { kind: 'outcome', outcome: JSON.parse(Buffer.from(outcome).toString()) as TaskOutcome };
  }

  async close(): Promise<void> {
    const started = await Promise.allSettled(this.#instances);
    for (const result of started) if (result.status === 'fulfilled') result.value?.stop();
    this.#instances.fill(undefined);
  }

  /** The runtime in `slot`, started (again) if it is not running; concurrent callers share one restart. */
  #instance(slot: number): Promise<RuntimeProcess> {
    const current = this.#instances[slot];
    if (!current) return this.#restart(slot);
    return current.then((runtime) => {
      if (runtime.running) return runtime;
      return this.#instances[slot] === current ? this.#restart(slot) : this.#instance(slot);
    });
  }

  #restart(slot: number): Promise<RuntimeProcess> {
    const bundle = this.#bundle!;
    const starting = RuntimeProcess.start(
      runtimeArgs(this.#options.runtime ?? 'functions-framework', this.#options.mode ?? 'http', bundle),
      this.#options.env ?? {},
      acceptsConnections,
    );
    this.#instances[slot] = starting;
    starting.catch(() => {
      if (this.#instances[slot] === starting) this.#instances[slot] = undefined;
    });
    return starting;
  }

  async #describeFailure(slot: number): Promise<string> {
    const runtime = await this.#instances[slot]?.catch(() => undefined);
    if (!runtime) return 'the request failed';
    const code = await Promise.race([
      runtime.exited,
      new Promise((resolve) => setTimeout(() => resolve('running'), 200)),
    ]);
    return code === 'running' ? 'the request failed' : `the runtime process ended (exit code ${code})`;
  }
}

function headersFor(mode: HttpInvocationMode, envelope: TaskEnvelope): Record<string, string> {
  const json = { 'content-type': 'application/json' };
  if (mode === 'http') return json;
  return {
    ...json,
    'ce-specversion': '1.0',
    'ce-type': 'dev.isthmus.task',
    'ce-source': 'isthmus/executor',
    'ce-id': envelope.taskId,
  };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? String(error);
}
