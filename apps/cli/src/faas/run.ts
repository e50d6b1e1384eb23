import { readFile, writeFile } from 'node:fs/promises';
import { BACKEND_NAMES, createBackend, executor, loadBundle, type TaskFuture } from '@isthmus/faas';
import { openStore } from '@isthmus/storage';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseNonNegativeInt, parsePositiveInt } from '../arguments.js';
import type { CommandIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';

interface RunOptions {
  backend: string;
  input: unknown[];
  inputs?: string;
  reduce?: string;
  store?: string;
  concurrency?: number;
  timeout?: number;
  retries?: number;
  stats?: string;
  progress?: boolean;
}

/** `isthmus faas run <bundle> <fn>`: maps a function over inputs on a backend and prints the results. */
export function registerRun(group: Command, io: CommandIo): void {
  group
    .command('run')
    .description('run a bundle function over inputs on a backend; results as JSON lines, in input order')
    .argument('<bundle>', 'a bundle directory (isthmus faas build)')
    .argument('<fn>', 'the exported function to call')
    .addOption(
      new Option('-b, --backend <name>', 'where tasks run').choices([...BACKEND_NAMES]).default('local'),
    )
    .option('-i, --input <json>', 'one input (repeatable)', collectJson, [])
    .option('--inputs <file>', 'a file of inputs, one JSON value per line ("-": stdin)')
    .option('-r, --reduce <fn>', 'then call this function once on the array of all results')
    .option('-s, --store <url>', 'object storage for large payloads (s3://… or file://…)')
    .option('-j, --concurrency <n>', 'tasks in flight at most', parsePositiveInt)
    .option('--timeout <ms>', 'per-attempt timeout', parsePositiveInt)
    .option('--retries <n>', 'further attempts after a failure', parseNonNegativeInt)
    .option('--stats <file>', 'write per-task stats as JSON (see isthmus faas stats)')
    .option('--progress', 'show the progress bar even when stderr is not a terminal')
    .option('--no-progress', 'never show the progress bar')
    .action(async (bundleDir: string, fn: string, options: RunOptions) => {
      const inputs = [...options.input, ...(options.inputs ? await readJsonLines(options.inputs) : [])];
      if (inputs.length === 0)
        throw new InvalidArgumentError('no inputs: give --input <json> or --inputs <file>');
      const storage = options.store ? openStore(options.store) : undefined;
      const ex = await executor({
        backend: createBackend(options.backend, { maxConcurrency: options.concurrency }),
        bundle: await loadBundle(bundleDir),
        storage,
        timeoutMs: options.timeout,
        retries: options.retries,
      });
      const bar = new ProgressBar(
        io,
        `${fn} on ${options.backend}`,
        inputs.length,
        options.progress ?? Boolean(io.stderr.isTTY),
        'tasks',
      );
      let settled = 0;
      ex.on('progress', (progress) => {
        const now = progress.succeeded + progress.failed;
        bar.advance(now - settled);
        settled = now;
      });
      try {
        const futures = ex.map(fn as never, inputs as never[]);
        const outcomes = await Promise.allSettled(futures.map((future) => future.result()));
        bar.finish();
        if (options.stats) await writeStats(options.stats, futures);
        const failed = outcomes.filter((outcome) => outcome.status === 'rejected').length;
        if (options.reduce && failed === 0) {
          const values = outcomes.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value);
          io.stdout.write(
            `${JSON.stringify(await ex.call(options.reduce as never, values as never).result())}\n`,
          );
        } else {
          for (const outcome of outcomes) {
            io.stdout.write(
              `${JSON.stringify(outcome.status === 'fulfilled' ? outcome.value : { error: describe(outcome.reason) })}\n`,
            );
          }
        }
        if (failed > 0) throw new Error(`${failed} of ${inputs.length} task(s) failed`);
      } finally {
        await ex.close();
        await storage?.close();
      }
    });
}

/** The stats file: one record per task, in input order. */
export interface StatsRecord {
  index: number;
  fn: string;
  state: string;
  stats?: TaskFuture['stats'];
}

async function writeStats(path: string, futures: TaskFuture<unknown>[]): Promise<void> {
  const records: StatsRecord[] = futures.map((future) => ({
    index: future.index,
    fn: future.fn,
    state: future.state,
    stats: future.stats,
  }));
  await writeFile(path, `${JSON.stringify(records, null, 2)}\n`);
}

function describe(error: unknown): { code?: string; message: string } {
  return {
    code: (error as { code?: string }).code,
    message: error instanceof Error ? error.message : String(error),
  };
}

async function readJsonLines(path: string): Promise<unknown[]> {
  const text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  return text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== '')
    .map(({ line, index }) => {
      try {
        return JSON.parse(line);
      } catch {
        throw new InvalidArgumentError(`${path}:${index + 1} is not JSON`);
      }
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function collectJson(text: string, previous: unknown[]): unknown[] {
  try {
    return [...previous, JSON.parse(text)];
  } catch {
    throw new InvalidArgumentError('expected a JSON value, e.g. 42, "text" or {"key":1}');
  }
}
