import { hostname } from 'node:os';
import { isMainThread, threadId } from 'node:worker_threads';
import { type ObjectStore, openStore } from '@isthmus/storage';
import { MissingExportError, ProtocolVersionError } from '../errors.js';
import { fromPayload, payloadBytes, toPayload } from './payload.js';
import {
  PROTOCOL_VERSION,
  type RemoteErrorInfo,
  type TaskEnvelope,
  type TaskOutcome,
  type WorkerStats,
} from './protocol.js';

/** What a function receives besides its input. */
export interface TaskContext {
  /** The id of this task attempt. */
  taskId: string;
  /** The executor's store, for reading and writing data in place (absent if none was given). */
  store: ObjectStore | undefined;
  /** The runtime instance running it (host:pid[:thread]), as its stats will say. */
  worker: string;
}

/** A module of functions: each export `(input, context) => result` can run as a task. */
export type FunctionModule = Record<string, unknown>;

const WORKER = `${hostname()}:${process.pid}${isMainThread ? '' : `:${threadId}`}`;
const stores = new Map<string, ObjectStore>();
let warm = false;

/** The names of a module's exported functions. */
export function exportedFunctions(fns: FunctionModule): string[] {
  return Object.keys(fns).filter((name) => typeof fns[name] === 'function');
}

/**
 * Runs one task against a module of functions and reports the outcome as plain data; never
 * throws. An envelope of another protocol version is refused (`ProtocolVersionError`) before
 * anything runs. Stores are opened once per runtime instance and reused by warm invocations.
 * `job` names the batch job running it, for its stats.
 */
export async function runTask(
  fns: FunctionModule,
  envelope: TaskEnvelope,
  job?: string,
): Promise<TaskOutcome> {
  const stats: WorkerStats = {
    coldStart: !warm,
    runMs: 0,
    bytesIn: 0,
    bytesOut: 0,
    worker: WORKER,
    ...(job ? { job } : {}),
  };
  warm = true;
  const taskId = envelope?.taskId;
  try {
    if (envelope?.protocol !== PROTOCOL_VERSION)
      throw new ProtocolVersionError(taskId, envelope?.protocol, PROTOCOL_VERSION);
    const fn = fns[envelope.fn];
    if (typeof fn !== 'function') throw new MissingExportError(envelope.fn, exportedFunctions(fns));
    const store = envelope.store ? storeFor(envelope.store) : undefined;
    const input = await fromPayload(envelope.input, store);
    stats.bytesIn = input.bytes;
    const started = performance.now();
    const context: TaskContext = { taskId, store, worker: WORKER };
    const result = await fn(input.value, context);
    stats.runMs = performance.now() - started;
    const output = await toPayload(
      result,
      { store, key: envelope.resultKey, inlineLimitBytes: envelope.inlineLimitBytes },
      `the result of ${envelope.fn}`,
    );
    stats.bytesOut = payloadBytes(output);
    return { taskId, protocol: PROTOCOL_VERSION, ok: true, output, stats };
  } catch (error) {
    return { taskId, protocol: PROTOCOL_VERSION, ok: false, error: toErrorInfo(error), stats };
  }
}

function storeFor(url: string): ObjectStore {
  let store = stores.get(url);
  if (!store) {
    store = openStore(url);
    stores.set(url, store);
  }
  return store;
}

/** A thrown value as plain data (name, message, stack, code). */
export function toErrorInfo(error: unknown): RemoteErrorInfo {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { name: 'NonErrorThrown', message: String(error) };
}
