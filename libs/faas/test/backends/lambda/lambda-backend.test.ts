import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LambdaBackend, type LambdaBackendOptions } from '../../../src/backends/lambda/lambda-backend.js';
import { buildBundle } from '../../../src/bundle/build-bundle.js';
import type { Bundle } from '../../../src/bundle/bundle.js';
import { executor } from '../../../src/executor.js';
import { results } from '../../../src/futures.js';
import { describeBackendConformance } from '../../../src/testing/index.js';
import type * as Functions from '../../fixtures/functions.js';
import { fileStore, rgwStore } from '../../support/conformance-stores.js';
import { Latch } from '../../support/latch.js';

const FUNCTIONS = fileURLToPath(new URL('../../fixtures/functions.ts', import.meta.url));

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeBackendConformance({
  name: 'AWS Lambda runtime (aws-lambda-ric)',
  stores: [fileStore, rgwStore],
  backend: (env) => new LambdaBackend({ maxConcurrency: 2, env }),
});

describe('executor on the lambda backend: aws-lambda-ric behind our Runtime API', () => {
  let dir: string;
  let bundle: Bundle;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-faas-lambda-'));
    bundle = await buildBundle({ entry: FUNCTIONS, outDir: join(dir, 'bundle') });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function lambdaExecutor(
    options: LambdaBackendOptions & { timeoutMs?: number; retries?: number; storage?: boolean } = {},
  ) {
    const backend = new LambdaBackend({ maxConcurrency: 2, ...options });
    const storage = options.storage ? openStore(`file://${dir}/store`) : undefined;
    const ex = await executor<typeof Functions>({
      backend,
      bundle,
      storage,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
    });
    return { ex, backend, storage };
  }

  it('maps in input order and reduces, through Lambda invocations', async () => {
    const { ex } = await lambdaExecutor({ maxConcurrency: 3 });
    const inputs = Array.from({ length: 20 }, (_, i) => i);
    const futures = ex.map('square', inputs);
    expect(await results(futures)).toEqual(inputs.map((n) => n * n));
    expect(futures.every((future) => future.stats?.backend === 'lambda')).toBe(true);
    expect(futures.every((future) => !future.stats?.worker.endsWith(`:${process.pid}`))).toBe(true);
    expect(await ex.mapReduce('square', [1, 2, 3, 4], 'sum')).toBe(30);
    await ex.close();
  });

  it('runs the handler under aws-lambda-ric, in a Lambda environment', async () => {
    await writeFile(
      join(dir, 'lambda-probe.ts'),
      [
        'export async function probe(): Promise<Record<string, unknown>> {',
        '  return {',
        '    api: process.env.AWS_LAMBDA_RUNTIME_API,',
        '    handler: process.env._HANDLER,',
        '    taskRoot: process.env.LAMBDA_TASK_ROOT,',
        '    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,',
        '    memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,',
        "    awslambda: typeof (globalThis as { awslambda?: unknown }).awslambda === 'object',",
        '    extra: process.env.ISTHMUS_PROBE,',
        '  };',
        '}',
      ].join('\n'),
    );
    const probeBundle = await buildBundle({
      entry: join(dir, 'lambda-probe.ts'),
      outDir: join(dir, 'probe'),
    });
    const backend = new LambdaBackend({ maxConcurrency: 1, memoryMb: 256, env: { ISTHMUS_PROBE: 'yes' } });
    const ex = await executor({ backend, bundle: probeBundle });
    expect(await ex.call('probe', undefined as never).result()).toEqual({
      api: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      handler: 'bundle.handler',
      taskRoot: probeBundle.dir,
      functionName: `isthmus-${probeBundle.hash.slice(0, 12)}`,
      memory: '256',
      awslambda: true,
      extra: 'yes',
    });
    await ex.close();
  });

  it('returns a thrown error as RemoteFunctionError with the remote name, message and stack', async () => {
    const { ex } = await lambdaExecutor({ retries: 1 });
    const failure = await ex
      .call('fail', 'bad input')
      .result()
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      name: 'RemoteFunctionError',
      code: 'ERR_FAAS_REMOTE',
      remoteName: 'TypeError',
      remoteMessage: 'bad input',
      attempts: 2,
    });
    expect((failure as { remoteStack: string }).remoteStack).toMatch(/TypeError: bad input\n\s+at fail/);
    await ex.close();
  });

  it('reports a runtime that exits mid-invocation as died, replaces it, and serves the rest', async () => {
    const { ex, backend } = await lambdaExecutor({ maxConcurrency: 2, retries: 2 });
    const dying = ex.call('exitWorker', 7);
    const healthy = ex.map('square', [1, 2, 3, 4, 5]);
    await expect(dying.result()).rejects.toMatchObject({
      name: 'WorkerDiedError',
      code: 'ERR_FAAS_WORKER_DIED',
      attempts: 3,
      message: expect.stringContaining('the Lambda runtime process ended (exit code 7)'),
    });
    expect(await results(healthy)).toEqual([1, 4, 9, 16, 25]);
    expect(backend.environments).toBeLessThanOrEqual(2);
    expect(backend.coldStarts - backend.environments).toBe(3); // each death cost an environment
    expect(await ex.call('square', 6).result()).toBe(36);
    await ex.close();
  });

  it('kills the runtime of an invocation past its timeout, and the next task still works', async () => {
    const { ex, backend } = await lambdaExecutor({ maxConcurrency: 1, timeoutMs: 3_000, retries: 1 });
    const warmup = ex.call('square', 3);
    await warmup.result();
    const pid = Number(warmup.stats?.worker.split(':')[1]);
    expect(isRunning(pid)).toBe(true);
    // ten minutes: far beyond the test's time limit, so only the timeout can end the attempts
    await expect(ex.call('sleep', 600_000).result()).rejects.toMatchObject({
      code: 'ERR_FAAS_TIMEOUT',
      attempts: 2,
    });
    expect(isRunning(pid)).toBe(false); // the environment that ran the first attempt was killed
    const next = ex.call('square', 9);
    expect(await next.result()).toBe(81);
    expect(next.stats?.coldStart).toBe(true); // a fresh environment replaced the killed ones
    expect(backend.environments).toBe(1);
    await ex.close();
  });

  it('survives a runtime running out of memory (memoryMb caps its heap)', async () => {
    const { ex } = await lambdaExecutor({ maxConcurrency: 1, memoryMb: 64, retries: 0 });
    // V8's limit: the old space capped at 90 % of 64 MB, plus the young generation (uncapped: GBs)
    expect(await ex.call('heapLimitMb', undefined as never).result()).toBeLessThan(128);
    await expect(ex.call('exhaustMemory', undefined as never).result()).rejects.toMatchObject({
      code: 'ERR_FAAS_WORKER_DIED',
      message: expect.stringMatching(/the Lambda runtime process ended .*heap out of memory/s),
    });
    expect(await ex.call('square', 3).result()).toBe(9);
    await ex.close();
  });

  it('fails executor() with BundleError when the bundle does not load in the runtime', async () => {
    await writeFile(
      join(dir, 'throws-on-load.ts'),
      "throw new Error('this module refuses to load');\nexport const x = 1;\n",
    );
    const broken = await buildBundle({ entry: join(dir, 'throws-on-load.ts'), outDir: join(dir, 'broken') });
    const backend = new LambdaBackend({ maxConcurrency: 1 });
    await expect(executor({ backend, bundle: broken })).rejects.toMatchObject({
      name: 'BundleError',
      code: 'ERR_FAAS_BUNDLE',
      message: expect.stringContaining('refuses to load'),
    });
    expect(backend.environments).toBe(0);
  });

  it('shows cold and warm starts, scales up with the queue and down to zero when idle', async () => {
    // idle environments stop after 2 s: long enough for the warm call to find the first one
    const { ex, backend, storage } = await lambdaExecutor({
      maxConcurrency: 3,
      idleTimeoutMs: 2_000,
      storage: true,
    });
    // prepare() loaded the bundle in one environment, which has served nothing yet
    const first = ex.call('square', 2);
    await first.result();
    const second = ex.call('square', 3);
    await second.result();
    expect([first.stats?.coldStart, second.stats?.coldStart]).toEqual([true, false]);
    expect(second.stats?.worker).toBe(first.stats?.worker);

    const latch = new Latch(storage!, 'lambda-scale');
    const held = ex.map('hold', [latch.input, latch.input, latch.input, latch.input]);
    const running = await latch.started(3);
    expect(new Set(running.values()).size).toBe(3);
    expect(backend.environments).toBe(3);
    expect(held.map((future) => future.state)).toEqual(['running', 'running', 'running', 'queued']);
    await latch.release();
    await results(held);
    expect(new Set(held.map((future) => future.stats?.worker)).size).toBe(3);

    await vi.waitFor(() => expect(backend.environments).toBe(0), { timeout: 30_000, interval: 50 });
    const again = ex.call('square', 4);
    expect(await again.result()).toBe(16);
    expect(again.stats?.coldStart).toBe(true);
    await ex.close();
  });
});
