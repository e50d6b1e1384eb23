// HTTP backend benchmark: warm invocation latency through the executor vs a raw HTTP request to
// the same function runtime, for functions-framework and Knative's faas-js-runtime.
//   node --conditions=@isthmus/source --import tsx libs/faas/bench/http-bench.ts [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeArgs } from '../src/backends/http/http-runtimes.js';
import { acceptsConnections, RuntimeProcess } from '../src/backends/http/runtime-process.js';
import { buildBundle, executor, HttpBackend, type HttpRuntimeKind } from '../src/index.js';
import { PROTOCOL_VERSION, type TaskEnvelope } from '../src/runtime/protocol.js';
import type * as Functions from './functions.js';
import { distribution, interleave, ratioLine, timeEach } from './measure.js';

const quick = process.argv.includes('--quick');
const CALLS = quick ? 200 : 1000;
const ROUNDS = quick ? 2 : 5;

const dir = await mkdtemp(join(tmpdir(), 'isthmus-faas-http-bench-'));
try {
  const bundle = await buildBundle({
    entry: new URL('./functions.ts', import.meta.url).pathname,
    outDir: join(dir, 'bundle'),
  });
  for (const runtime of ['functions-framework', 'knative'] as HttpRuntimeKind[]) {
    const ex = await executor<typeof Functions>({ backend: new HttpBackend({ runtime }), bundle });
    const raw = await RuntimeProcess.start(runtimeArgs(runtime, 'http', bundle), {}, acceptsConnections);
    const rawCall = async (i: number) => {
      const response = await fetch(`http://127.0.0.1:${raw.port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          protocol: PROTOCOL_VERSION,
          taskId: `raw${i}`,
          fn: 'noop',
          input: { inline: String(i) },
          inlineLimitBytes: 65536,
          resultKey: 'r',
        } satisfies TaskEnvelope),
      });
      return response.json();
    };
    await timeEach(100, rawCall); // warm both
    await timeEach(100, (i) => ex.call('noop', i).result());
    process.stderr.write(
      `[bench] ${runtime}: ${ROUNDS} rounds × ${CALLS} warm calls, raw and executor interleaved\n`,
    );
    const samples = await interleave(
      ROUNDS,
      () => timeEach(CALLS, rawCall),
      () => timeEach(CALLS, (i) => ex.call('noop', i).result()),
    );
    const rawLatency = distribution(samples.baseline);
    const taskLatency = distribution(samples.subject);
    console.log(`http backend, ${runtime}`);
    console.log(
      `  raw HTTP POST to the runtime   p50 ${(rawLatency.p50 / 1000).toFixed(2)} ms   p99 ${(rawLatency.p99 / 1000).toFixed(2)} ms`,
    );
    console.log(
      `  executor.call                  p50 ${(taskLatency.p50 / 1000).toFixed(2)} ms   p99 ${(taskLatency.p99 / 1000).toFixed(2)} ms`,
    );
    console.log(ratioLine('  warm p50 vs raw', taskLatency.p50 / rawLatency.p50));
    console.log(ratioLine('  warm p99 vs raw', taskLatency.p99 / rawLatency.p99));
    raw.stop();
    await ex.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
