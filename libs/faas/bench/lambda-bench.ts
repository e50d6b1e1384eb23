// Lambda backend benchmark: warm invocation through executor → LambdaBackend → Runtime API →
// aws-lambda-ric → bundle.handler, vs a raw HTTP round trip to the same Runtime API server; and
// cold starts (spawn → first result).
//   node --conditions=@isthmus/source --import tsx libs/faas/bench/lambda-bench.ts [--quick]
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeApiServer } from '../src/backends/lambda/runtime-api-server.js';
import { buildBundle, executor, LambdaBackend } from '../src/index.js';
import type * as Functions from './functions.js';
import { distribution, interleave, ratioLine, timeEach } from './measure.js';

const quick = process.argv.includes('--quick');
const CALLS = quick ? 200 : 1000;
const ROUNDS = quick ? 2 : 5;
const COLD_STARTS = quick ? 2 : 5;

/** One HTTP POST on a keep-alive agent, answered by the Runtime API server. */
function post(agent: Agent, address: string, path: string): Promise<void> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), method: 'POST', path, agent }, (response) => {
      response.resume().on('end', resolve);
    });
    req.on('error', reject).end('{}');
  });
}

const dir = await mkdtemp(join(tmpdir(), 'isthmus-faas-lambda-bench-'));
try {
  const bundle = await buildBundle({
    entry: new URL('./functions.ts', import.meta.url).pathname,
    outDir: join(dir, 'bundle'),
  });
  const api = await RuntimeApiServer.start();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ex = await executor<typeof Functions>({ backend: new LambdaBackend({ maxConcurrency: 1 }), bundle });
  const rawCall = () => post(agent, api.address, '/2018-06-01/runtime/invocation/none/response');
  await timeEach(100, rawCall);
  await timeEach(100, (i) => ex.call('noop', i).result());
  process.stderr.write(
    `[bench] lambda: ${ROUNDS} rounds × ${CALLS} warm calls, raw and executor interleaved\n`,
  );
  const warm = await interleave(
    ROUNDS,
    () => timeEach(CALLS, rawCall),
    () => timeEach(CALLS, (i) => ex.call('noop', i).result()),
  );
  await ex.close();
  agent.destroy();
  await api.close();

  const cold: number[] = [];
  for (let round = 0; round < COLD_STARTS; round++) {
    const started = performance.now();
    const fresh = await executor<typeof Functions>({
      backend: new LambdaBackend({ maxConcurrency: 1 }),
      bundle,
    });
    await fresh.call('noop', 1).result();
    cold.push((performance.now() - started) * 1000);
    await fresh.close();
  }
  const raw = distribution(warm.baseline);
  const task = distribution(warm.subject);
  const coldStart = distribution(cold);
  console.log('lambda backend (aws-lambda-ric against our Runtime API)');
  console.log(
    `  raw HTTP round trip to the Runtime API   p50 ${(raw.p50 / 1000).toFixed(2)} ms   p99 ${(raw.p99 / 1000).toFixed(2)} ms`,
  );
  console.log(
    `  warm executor.call, full path            p50 ${(task.p50 / 1000).toFixed(2)} ms   p99 ${(task.p99 / 1000).toFixed(2)} ms`,
  );
  console.log(
    `  cold start, spawn → first result         p50 ${(coldStart.p50 / 1000).toFixed(0)} ms (of ${COLD_STARTS})`,
  );
  console.log(ratioLine('  warm p50 vs raw', task.p50 / raw.p50));
  console.log(ratioLine('  warm p99 vs raw', task.p99 / raw.p99));
} finally {
  await rm(dir, { recursive: true, force: true });
}
