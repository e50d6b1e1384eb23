// Local backend benchmark: per-task overhead of the executor vs a raw worker_threads round trip,
// and throughput of many no-op tasks. Ratios against a baseline measured in the same run.
//   node --conditions=@isthmus/source --import tsx libs/faas/bench/local-bench.ts [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildBundle, executor, LocalBackend, results } from '../src/index.js';
import type * as Functions from './functions.js';
import { distribution, interleave, ratioLine, timeEach } from './measure.js';

const quick = process.argv.includes('--quick');
const ROUND_TRIPS = quick ? 300 : 2000;
const ROUNDS = quick ? 2 : 5;
const THROUGHPUT_TASKS = quick ? 1000 : 10_000;

const dir = await mkdtemp(join(tmpdir(), 'isthmus-faas-bench-'));
try {
  const bundle = await buildBundle({
    entry: new URL('./functions.ts', import.meta.url).pathname,
    outDir: join(dir, 'bundle'),
  });
  const ex = await executor<typeof Functions>({ backend: new LocalBackend({ maxWorkers: 1 }), bundle });
  const raw = new Worker(
    "require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));",
    { eval: true },
  );
  const rawRoundTrip = (value: number) =>
    new Promise((resolve) => {
      raw.once('message', resolve);
      raw.postMessage({ value });
    });
  await timeEach(200, rawRoundTrip); // warm both
  await timeEach(200, (i) => ex.call('noop', i).result());

  process.stderr.write(
    `[bench] per-task latency: ${ROUNDS} rounds × ${ROUND_TRIPS} sequential calls, raw and executor interleaved\n`,
  );
  const latency = await interleave(
    ROUNDS,
    () => timeEach(ROUND_TRIPS, rawRoundTrip),
    () => timeEach(ROUND_TRIPS, (i) => ex.call('noop', i).result()),
  );
  const rawLatency = distribution(latency.baseline);
  const taskLatency = distribution(latency.subject);

  process.stderr.write(
    `[bench] throughput: ${THROUGHPUT_TASKS} no-op tasks on a ${2}-worker pool vs raw pipelined messages\n`,
  );
  const pool = await executor<typeof Functions>({ backend: new LocalBackend({ maxWorkers: 2 }), bundle });
  await results(
    pool.map(
      'noop',
      Array.from({ length: 200 }, (_, i) => i),
    ),
  );
  const rawPipelined = async () => {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      let received = 0;
      const onMessage = () => {
        if (++received === THROUGHPUT_TASKS) {
          raw.off('message', onMessage);
          resolve();
        }
      };
      raw.on('message', onMessage);
      for (let i = 0; i < THROUGHPUT_TASKS; i++) raw.postMessage({ value: i });
    });
    return [THROUGHPUT_TASKS / ((performance.now() - started) / 1000)];
  };
  const poolThroughput = async () => {
    const started = performance.now();
    await results(
      pool.map(
        'noop',
        Array.from({ length: THROUGHPUT_TASKS }, (_, i) => i),
      ),
    );
    return [THROUGHPUT_TASKS / ((performance.now() - started) / 1000)];
  };
  const throughput = await interleave(quick ? 1 : 3, rawPipelined, poolThroughput);
  const median = (values: number[]) => distribution(values).p50;

  console.log('local backend');
  console.log(
    `  raw worker_threads round trip   p50 ${rawLatency.p50.toFixed(1)} µs   p99 ${rawLatency.p99.toFixed(1)} µs`,
  );
  console.log(
    `  executor.call (1 worker)        p50 ${taskLatency.p50.toFixed(1)} µs   p99 ${taskLatency.p99.toFixed(1)} µs`,
  );
  console.log(`  raw pipelined messages          ${median(throughput.baseline).toFixed(0)} /s`);
  console.log(
    `  executor.map of ${THROUGHPUT_TASKS} no-ops      ${median(throughput.subject).toFixed(0)} tasks/s (2 workers)`,
  );
  console.log(
    ratioLine('  per-task overhead vs raw round trip (p50)', taskLatency.p50 / rawLatency.p50, 1.5, true),
  );
  await Promise.all([ex.close(), pool.close(), raw.terminate()]);
} finally {
  await rm(dir, { recursive: true, force: true });
}
