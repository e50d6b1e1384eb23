// Slurm backend benchmark: `map` of 64 short tasks through the executor vs a raw
// `sbatch --array` of the same batch script over the same task envelopes, both followed by
// polling squeue every 200 ms, interleaved. Needs Slurm (tools/services/slurm.sh start).
//   node --conditions=@isthmus/source --import tsx libs/faas/bench/slurm-bench.ts [--quick]
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSlurm } from '@isthmus/services';
import { openStore } from '@isthmus/storage';
import { buildBundle, executor, results, SlurmBackend, writeSlurmScript } from '../src/index.js';
import { PROTOCOL_VERSION, type TaskEnvelope } from '../src/runtime/protocol.js';
import { envelopeKeyOf } from '../src/runtime/task-keys.js';
import type * as Functions from './functions.js';
import { distribution, ratioLine } from './measure.js';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const TASKS = quick ? 16 : 64;
const ROUNDS = quick ? 1 : 3;

const slurmEnv = await startSlurm();
const env = { ...process.env, ...slurmEnv };
const dir = await mkdtemp(join(tmpdir(), 'isthmus-slurm-bench-'));
try {
  const bundle = await buildBundle({
    entry: new URL('./functions.ts', import.meta.url).pathname,
    outDir: join(dir, 'bundle'),
  });
  const store = openStore(`file://${dir}/store`);
  const script = await writeSlurmScript(bundle, join(dir, 'tasks.sh'), join(dir, 'logs'));
  await mkdir(join(dir, 'logs'));

  /** The raw baseline: the same envelopes written to the store, one sbatch --array, squeue until done. */
  async function rawArray(round: number): Promise<number> {
    const started = performance.now();
    const keys: string[] = [];
    for (let i = 0; i < TASKS; i++) {
      const resultKey = `raw/${round}/${i}`;
      const envelope: TaskEnvelope = {
        protocol: PROTOCOL_VERSION,
        taskId: `raw${round}-${i}`,
        fn: 'noop',
        input: { inline: String(i) },
        store: store.url,
        inlineLimitBytes: 65536,
        resultKey,
      };
      await store.put(envelopeKeyOf(resultKey), JSON.stringify(envelope));
      keys.push(envelopeKeyOf(resultKey));
    }
    await writeFile(join(dir, `raw-${round}.keys`), `${keys.join('\n')}\n`);
    const { stdout } = await run(
      'sbatch',
      ['--parsable', `--array=0-${TASKS - 1}`, script, store.url, join(dir, `raw-${round}.keys`)],
      { env },
    );
    const jobId = stdout.trim().split(';')[0]!;
    for (;;) {
      const { stdout: states } = await run('squeue', ['-h', '-r', '-t', 'all', '-j', jobId, '-o', '%T'], {
        env,
      });
      const lines = states.trim().split('\n');
      if (lines.length === TASKS && lines.every((state) => state === 'COMPLETED')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return performance.now() - started;
  }

  async function executorMap(): Promise<number> {
    const ex = await executor<typeof Functions>({
      backend: new SlurmBackend({ env: slurmEnv, workDir: join(dir, 'work') }),
      bundle,
      storage: store,
    });
    const started = performance.now();
    await results(
      ex.map(
        'noop',
        Array.from({ length: TASKS }, (_, i) => i),
      ),
    );
    const elapsed = performance.now() - started;
    await ex.close();
    return elapsed;
  }

  const raw: number[] = [];
  const subject: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    process.stderr.write(
      `[bench] slurm round ${round + 1}/${ROUNDS}: ${TASKS} tasks, raw sbatch --array then executor.map\n`,
    );
    raw.push(await rawArray(round));
    subject.push(await executorMap());
  }
  const rawMs = distribution(raw).p50;
  const mapMs = distribution(subject).p50;
  console.log(`slurm backend (${TASKS} no-op tasks)`);
  console.log(`  raw sbatch --array + squeue   ${rawMs.toFixed(0)} ms (median of ${ROUNDS})`);
  console.log(`  executor.map on SlurmBackend  ${mapMs.toFixed(0)} ms`);
  console.log(ratioLine('  map vs raw job array', mapMs / rawMs, 1.2, true));
  await store.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
