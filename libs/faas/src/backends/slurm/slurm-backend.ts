import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { NotFoundError, type ObjectStore } from '@isthmus/storage';
import type { Bundle } from '../../bundle/bundle.js';
import { BundleError, NoStorageError } from '../../errors.js';
import type { TaskEnvelope, TaskOutcome } from '../../runtime/protocol.js';
import { envelopeKeyOf, outcomeKeyOf } from '../../runtime/task-keys.js';
import type { AttemptResult, Backend } from '../backend.js';
import { batchScript } from './batch-script.js';
import { arrayTaskStates, FINISHED_STATES, type SlurmClient, slurm } from './slurm-commands.js';

/** Options of the Slurm backend. */
export interface SlurmBackendOptions {
  /** Array tasks in flight at most (default 64; a partition's size is the natural bound). */
  maxConcurrency?: number;
  /** Environment for the Slurm clients and the jobs: `SLURM_CONF`, and AWS_* for an S3 store. */
  env?: NodeJS.ProcessEnv;
  /**
   * The name of this backend's jobs (default `isthmus-<6 hex digits>`, one per backend), so that
   * its jobs can be told from others' (`squeue -n`, `scancel -n`). Letters, digits, `-`, `_`, `.`.
   */
  jobName?: string;
  /** A directory all nodes share (the parallel file system), for job scripts and logs. */
  workDir?: string;
  partition?: string;
  timeLimitMinutes?: number;
  memoryMb?: number;
  /** Tasks arriving within this many ms are submitted as one job array (default 25). */
  batchDelayMs?: number;
  /** How often job states are read (default 200 ms; one `squeue` for all jobs). */
  pollIntervalMs?: number;
}

interface SlurmTask {
  envelope: TaskEnvelope;
  resolve(result: AttemptResult): void;
  /** The envelope's write to the store, begun when the task arrived. */
  written: Promise<unknown>;
  /** Stopped (timeout, cancel) before its array was submitted: it is left out. */
  stopped?: boolean;
  /** `<jobid>_<index>` once submitted. */
  arrayTaskId?: string;
  submittedAt?: number;
}

/**
 * The HPC backend: tasks run as Slurm job arrays on real `slurmctld`/`slurmd`. Envelopes and
 * outcomes travel through the executor's store (a parallel file system or S3), keyed by task id —
 * never by job id, which a controller crash can reuse. Tasks arriving together are submitted as one
 * array; one `squeue` call per poll follows every running array; a task whose job ends without an
 * outcome (node failure, killed, out of memory) is reported as died and retried by the executor.
 */
export class SlurmBackend implements Backend {
  readonly name = 'slurm';
  readonly maxConcurrency: number;
  /** The name every job of this backend runs under. */
  readonly jobName: string;
  readonly #options: SlurmBackendOptions;
  readonly #client: SlurmClient;
  readonly #workDir: string;
  readonly #pending: SlurmTask[] = [];
  readonly #active = new Map<string, SlurmTask>();
  #bundle: Bundle | undefined;
  #storage: ObjectStore | undefined;
  #flushTimer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #batches = 0;
  #closed = false;

  constructor(options: SlurmBackendOptions = {}) {
    this.#options = options;
    this.maxConcurrency = options.maxConcurrency ?? 64;
    this.jobName = options.jobName ?? `isthmus-${randomBytes(3).toString('hex')}`;
    if (!/^[\w.-]+$/.test(this.jobName))
      throw new RangeError(`a Slurm job name of letters, digits, -, _ and . only, not "${this.jobName}"`);
    this.#client = { env: options.env ?? {} };
    this.#workDir = options.workDir ?? join(tmpdir(), `isthmus-slurm-${process.pid}`);
  }

  async prepare(bundle: Bundle, storage?: ObjectStore): Promise<void> {
    if (!storage)
      throw new NoStorageError('Slurm jobs read their tasks from object storage: give the executor a store');
    this.#storage = storage;
    await slurm(this.#client, 'sinfo', ['-h', '-o', '%T']);
    try {
      await promisify(execFile)(process.execPath, [
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(pathToFileURL(bundle.file).href)});`,
      ]);
    } catch (error) {
      throw new BundleError(
        `the bundle ${bundle.file} does not load: ${(error as { stderr?: string }).stderr ?? error}`,
      );
    }
    await mkdir(join(this.#workDir, 'logs'), { recursive: true });
    this.#bundle = bundle;
  }

  async invoke(envelope: TaskEnvelope, signal: AbortSignal): Promise<AttemptResult> {
    signal.throwIfAborted();
    return new Promise<AttemptResult>((resolve) => {
      // The task arrives now, while its envelope is being written: the tasks of one map all arrive
      // before their batch is flushed, however slow the store, and go out as one array.
      const written = this.#storage!.put(envelopeKeyOf(envelope.resultKey), JSON.stringify(envelope));
      written.catch(() => undefined); // a failed write is reported when the batch is submitted
      const task: SlurmTask = { envelope, resolve, written };
      signal.addEventListener('abort', () => void this.#abort(task), { once: true });
      this.#pending.push(task);
      this.#flushTimer ??= setTimeout(() => void this.#flush(), this.#options.batchDelayMs ?? 25);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#flushTimer);
    const jobs = new Set([...this.#active.keys()].map((id) => id.split('_')[0]!));
    if (jobs.size > 0) await slurm(this.#client, 'scancel', [...jobs]).catch(() => undefined);
    for (const task of [...this.#pending, ...this.#active.values()])
      task.resolve({ kind: 'died', detail: 'backend closed' });
    this.#pending.length = 0;
    this.#active.clear();
    await this.#polling;
  }

  /** Submits every pending task as one job array. */
  async #flush(): Promise<void> {
    this.#flushTimer = undefined;
    const batch = this.#pending.splice(0);
    if (batch.length > 0) await this.#submit(batch);
    this.#polling ??= this.#poll().finally(() => {
      this.#polling = undefined;
    });
  }

  async #submit(arrived: SlurmTask[]): Promise<void> {
    const writes = await Promise.allSettled(arrived.map((task) => task.written));
    const tasks = arrived.filter((task, at) => {
      const write = writes[at]!;
      if (write.status === 'fulfilled') return !task.stopped;
      task.resolve({ kind: 'died', detail: `its envelope cannot be written to the store: ${write.reason}` });
      return false;
    });
    if (tasks.length === 0) return;
    const id = `${this.jobName}-${Date.now()}-${++this.#batches}`;
    const keysFile = join(this.#workDir, `batch-${id}.keys`);
    const scriptFile = join(this.#workDir, `batch-${id}.sh`);
    await writeFile(keysFile, `${tasks.map((task) => envelopeKeyOf(task.envelope.resultKey)).join('\n')}\n`);
    const script = batchScript({
      node: process.execPath,
      bundleFile: this.#bundle!.file,
      jobName: this.jobName,
      storeUrl: this.#storage!.url,
      keysFile,
      logDir: join(this.#workDir, 'logs'),
      tasks: tasks.length,
      partition: this.#options.partition,
      timeLimitMinutes: this.#options.timeLimitMinutes,
      memoryMb: this.#options.memoryMb,
    });
    await writeFile(scriptFile, script, { mode: 0o755 });
    let jobId: string;
    try {
      jobId = (await slurm(this.#client, 'sbatch', ['--parsable', scriptFile])).trim().split(';')[0]!;
    } catch (error) {
      for (const task of tasks)
        task.resolve({ kind: 'died', detail: `sbatch failed: ${(error as Error).message}` });
      return;
    }
    const now = Date.now();
    tasks.forEach((task, index) => {
      task.arrayTaskId = `${jobId}_${index}`;
      task.submittedAt = now;
      this.#active.set(task.arrayTaskId, task);
    });
  }

  /** Follows every active array task until it finishes, then reads its outcome from the store. */
  async #poll(): Promise<void> {
    while (this.#active.size > 0 && !this.#closed) {
      const jobs = [...new Set([...this.#active.keys()].map((id) => id.split('_')[0]!))];
      const states = await arrayTaskStates(this.#client, jobs).catch(() => undefined);
      if (states) {
        await Promise.all(
          [...this.#active.values()].map((task) => {
            const state = states.get(task.arrayTaskId!);
            // squeue may not list a task in the first moments after sbatch: give it time.
            const vanished = state === undefined && Date.now() - task.submittedAt! > 10_000;
            return state !== undefined && FINISHED_STATES.has(state)
              ? this.#finish(task, state)
              : vanished
                ? this.#finish(task, 'GONE')
                : undefined;
          }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.#options.pollIntervalMs ?? 200));
    }
  }

  async #finish(task: SlurmTask, state: string): Promise<void> {
    if (!this.#active.delete(task.arrayTaskId!)) return;
    let text: string;
    try {
      text = Buffer.from(await this.#storage!.get(outcomeKeyOf(task.envelope.resultKey))).toString();
    } catch (error) {
      // Every task must settle: a failed poll would otherwise leave it waiting for ever.
      const why =
        error instanceof NotFoundError ? 'without an outcome' : `but its outcome cannot be read (${error})`;
      const log = await readFile(join(this.#workDir, 'logs', `${task.arrayTaskId}.log`), 'utf8').catch(
        () => '',
      );
      const tail = log.trim().split('\n').slice(-5).join(' | ');
      task.resolve({
        kind: 'died',
        detail: `job ${task.arrayTaskId} ended ${state} ${why}${tail ? `: ${tail}` : ''}`,
      });
      return;
    }
    task.resolve({ kind: 'outcome', outcome: JSON.parse(text) as TaskOutcome });
  }

  async #abort(task: SlurmTask): Promise<void> {
    task.stopped = true;
    const waiting = this.#pending.indexOf(task);
    if (waiting >= 0) this.#pending.splice(waiting, 1);
    if (task.arrayTaskId && this.#active.delete(task.arrayTaskId)) {
      await slurm(this.#client, 'scancel', [task.arrayTaskId]).catch(() => undefined);
    }
    task.resolve({ kind: 'died', detail: 'stopped: the job was cancelled' });
  }
}
