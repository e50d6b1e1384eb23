import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openStore } from '@isthmus/storage';
import type { TaskEnvelope, TaskOutcome } from './protocol.js';
import { exportedFunctions, type FunctionModule, runTask } from './run-task.js';
import { outcomeKeyOf } from './task-keys.js';

/** Messages between the local pool and a worker thread running a bundle. */
export type WorkerMessage =
  | { type: 'ready'; functions: string[] }
  | { type: 'outcome'; outcome: TaskOutcome }
  | { type: 'task'; envelope: TaskEnvelope };

/** `workerData` that makes a bundle loaded in a worker thread serve tasks. */
export const WORKER_MARKER = { isthmus: 'worker' } as const;

/** The entry points a bundle exports, one per kind of runtime; all call the same `runTask`. */
export interface BundleHandlers {
  /** Direct call (local pool, tests). */
  runTask(envelope: TaskEnvelope): Promise<TaskOutcome>;
  /** AWS Lambda: `handler(event, context)`, the event being the envelope. */
  handler(event: TaskEnvelope): Promise<TaskOutcome>;
  /** HTTP function (Cloud Run functions / functions-framework): POST the envelope, get the outcome. */
  http(
    request: { body: unknown },
    response: { status(code: number): { json(body: unknown): void } },
  ): Promise<void>;
  /** CloudEvent function: the event's data is the envelope; the outcome goes to the store. */
  cloudEvent(event: { data?: unknown }): Promise<void>;
  /** Knative `func` (faas-js-runtime): `handle(context, body)`. */
  handle(context: unknown, body: unknown): Promise<TaskOutcome>;
  /** Batch entry (Slurm): `node bundle.mjs run <store-url> <envelope-key>`. */
  main(args: string[]): Promise<number>;
}

/** Builds a bundle's entry points around its module of functions. */
export function createHandlers(fns: FunctionModule): BundleHandlers {
  const run = (envelope: TaskEnvelope) => runTask(fns, envelope);
  return {
    runTask: run,
    handler: (event) => run(event),
    async http(request, response) {
      response.status(200).json(await run(request.body as TaskEnvelope));
    },
    async cloudEvent(event) {
      await runAndStore(run, event.data as TaskEnvelope);
    },
    handle: (_context, body) => run(body as TaskEnvelope),
    async main(args) {
      const [command, storeUrl, envelopeKey] = args;
      if (command !== 'run' || !storeUrl || !envelopeKey) {
        process.stderr.write('usage: node bundle.mjs run <store-url> <envelope-key>\n');
        return 2;
      }
      const store = openStore(storeUrl);
      const envelope = JSON.parse(Buffer.from(await store.get(envelopeKey)).toString()) as TaskEnvelope;
      const job = batchJobOf(process.env);
      const outcome = await runAndStore((task) => runTask(fns, task, job), envelope);
      await store.close();
      return outcome.ok ? 0 : 1;
    },
  };
}

/** The Slurm job this process runs in: `<array job id>_<index>` for an array task, else its job id. */
function batchJobOf(env: NodeJS.ProcessEnv): string | undefined {
  const { SLURM_ARRAY_JOB_ID: arrayJob, SLURM_ARRAY_TASK_ID: index, SLURM_JOB_ID: job } = env;
  return arrayJob && index ? `${arrayJob}_${index}` : job;
}

/** Runs a task and leaves its outcome in the task's store, for runtimes that cannot answer. */
async function runAndStore(run: (envelope: TaskEnvelope) => Promise<TaskOutcome>, envelope: TaskEnvelope) {
  if (!envelope?.store) throw new Error('an event-driven task needs a store for its outcome');
  const outcome = await run(envelope);
  await openStore(envelope.store).put(outcomeKeyOf(envelope.resultKey), JSON.stringify(outcome));
  return outcome;
}

/** When this bundle was loaded by the local pool in a worker thread: serve tasks from the parent. */
export function serveWorkerThreadIfAsked(fns: FunctionModule, handlers: BundleHandlers): void {
  if (isMainThread || !parentPort || (workerData as typeof WORKER_MARKER | undefined)?.isthmus !== 'worker')
    return;
  const port = parentPort;
  port.on('message', async (message: WorkerMessage) => {
    if (message.type !== 'task') return;
    const reply: WorkerMessage = { type: 'outcome', outcome: await handlers.runTask(message.envelope) };
    port.postMessage(reply);
  });
  port.postMessage({ type: 'ready', functions: exportedFunctions(fns) } satisfies WorkerMessage);
}

/** When the bundle is the program being run (`node bundle.mjs run …`, as a batch job): runs `main`. */
export async function runMainIfEntryPoint(handlers: BundleHandlers, moduleUrl: string): Promise<void> {
  const script = process.argv[1];
  if (!isMainThread || !script || pathToFileURL(script).href !== moduleUrl) return;
  process.exitCode = await handlers.main(process.argv.slice(2));
}
