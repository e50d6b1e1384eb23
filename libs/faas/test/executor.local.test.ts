import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend } from '../src/backends/local/local-backend.js';
import { buildBundle } from '../src/bundle/build-bundle.js';
import type { Bundle } from '../src/bundle/bundle.js';
import { executor } from '../src/executor.js';
import { asCompleted, results, wait } from '../src/futures.js';
import { describeBackendConformance } from '../src/testing/index.js';
import type * as Functions from './fixtures/functions.js';
import { fileStore, rgwStore } from './support/conformance-stores.js';

const FUNCTIONS = fileURLToPath(new URL('./fixtures/functions.ts', import.meta.url));

describeBackendConformance({
  name: 'local worker pool',
  stores: [fileStore, rgwStore],
  backend: (env) => new LocalBackend({ maxWorkers: 2, env }),
});

describe('executor on the local worker pool: what only a pool can show', () => {
  let dir: string;
  let bundle: Bundle;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-faas-local-'));
    bundle = await buildBundle({ entry: FUNCTIONS, outDir: join(dir, 'bundle') });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function localExecutor(
    options: {
      storage?: boolean;
      timeoutMs?: number;
      retries?: number;
      maxWorkers?: number;
      idleTimeoutMs?: number;
      maxOldGenerationSizeMb?: number;
    } = {},
  ) {
    const backend = new LocalBackend({
      maxWorkers: options.maxWorkers ?? 2,
      idleTimeoutMs: options.idleTimeoutMs,
      resourceLimits: options.maxOldGenerationSizeMb
        ? { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb }
        : undefined,
    });
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

  it('lists the bundle functions', () => {
    expect(bundle.functions).toEqual(expect.arrayContaining(['square', 'sum', 'fail', 'gcInRange']));
    expect(bundle.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('retries a task whose worker exits, then fails it, while the other tasks go on', async () => {
    const { ex, backend } = await localExecutor({ retries: 2 });
    const dying = ex.call('exitWorker', 7);
    const healthy = ex.map('square', [1, 2, 3, 4, 5]);
    await expect(dying.result()).rejects.toMatchObject({ code: 'ERR_FAAS_WORKER_DIED', attempts: 3 });
    expect(await results(healthy)).toEqual([1, 4, 9, 16, 25]);
    expect(backend.workers).toBeLessThanOrEqual(2);
    await ex.close();
  });

  it('kills a task that runs past its timeout, and keeps serving', async () => {
    const { ex } = await localExecutor({ timeoutMs: 300, retries: 1 });
    const started = Date.now();
    await expect(ex.call('sleep', 10_000).result()).rejects.toMatchObject({
      code: 'ERR_FAAS_TIMEOUT',
      attempts: 2,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await ex.call('square', 9).result()).toBe(81);
    await ex.close();
  });

  it('survives a worker running out of memory', async () => {
    const { ex } = await localExecutor({ retries: 0, maxOldGenerationSizeMb: 32 });
    await expect(ex.call('exhaustMemory', undefined as never).result()).rejects.toMatchObject({
      code: 'ERR_FAAS_WORKER_DIED',
      message: expect.stringContaining('ERR_WORKER_OUT_OF_MEMORY'),
    });
    expect(await ex.call('square', 3).result()).toBe(9);
    await ex.close();
  });

  it('succeeds on a retry after a failed first attempt', async () => {
    const { ex } = await localExecutor({ storage: true });
    const future = ex.call('failOnce', 'markers/once');
    expect(await future.result()).toMatch(/^ok after retry/);
    expect(future.stats?.attempts).toBe(2);
    await ex.close();
  });

  it('rejects unserializable inputs and unknown functions before any task runs', async () => {
    const { ex } = await localExecutor();
    const progress: number[] = [];
    ex.on('progress', (event) => progress.push(event.submitted));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => ex.map('square', [1, new Date() as never])).toThrow(
      expect.objectContaining({ code: 'ERR_FAAS_NOT_SERIALIZABLE', path: 'inputs[1]' }),
    );
    expect(() => ex.call('square', (() => 1) as never)).toThrow(
      expect.objectContaining({ code: 'ERR_FAAS_NOT_SERIALIZABLE' }),
    );
    expect(() => ex.call('square', new Map() as never)).toThrow(/Map is not plain data/);
    expect(() => ex.call('square', cyclic as never)).toThrow(/cycle/);
    expect(() => ex.call('noSuchFunction' as never, 1 as never)).toThrow(
      expect.objectContaining({ code: 'ERR_FAAS_MISSING_EXPORT' }),
    );
    expect(progress).toEqual([]);
    await expect(ex.call('returnDate', undefined as never).result()).rejects.toMatchObject({
      code: 'ERR_FAAS_REMOTE',
      remoteMessage: expect.stringContaining('Date is not plain data'),
      attempts: 1,
    });
    await ex.close();
  });

  it('moves large arguments and results through the store', async () => {
    const backend = new LocalBackend({ maxWorkers: 2 });
    const storage = openStore(`file://${dir}/large`);
    const ex = await executor<typeof Functions>({
      backend,
      bundle,
      storage,
      inlineLimitBytes: 1024,
      keyPrefix: 'run-large',
    });
    const text = await ex.call('repeat', { text: 'acgt'.repeat(1000), times: 50 }).result();
    expect(text.length).toBe(200_000);
    const keys: string[] = [];
    for await (const entry of storage.list({ prefix: 'run-large/' }))
      if (entry.kind === 'object') keys.push(entry.key);
    expect(keys).toEqual(['run-large/inputs/t1.json', 'run-large/results/t1.1.json']);
    await ex.close();

    const { ex: withoutStore } = await localExecutor();
    await expect(
      withoutStore.call('repeat', { text: 'x'.repeat(100_000), times: 1 }).result(),
    ).rejects.toMatchObject({
      code: 'ERR_FAAS_NO_STORAGE',
    });
    await withoutStore.close();
  });

  it('cancels queued and running tasks', async () => {
    const { ex } = await localExecutor({ maxWorkers: 1 });
    const running = ex.call('sleep', 10_000);
    const queued = ex.call('sleep', 10);
    await new Promise((resolve) => setTimeout(resolve, 200));
    queued.cancel();
    running.cancel();
    await expect(running.result()).rejects.toMatchObject({ code: 'ERR_FAAS_CANCELLED' });
    await expect(queued.result()).rejects.toMatchObject({ code: 'ERR_FAAS_CANCELLED' });
    expect([running.state, queued.state]).toEqual(['cancelled', 'cancelled']);
    await ex.close();
  });

  it('yields futures as they complete, and waits for any', async () => {
    const { ex } = await localExecutor({ maxWorkers: 3 });
    const futures = ex.map('sleep', [1500, 20, 700]);
    const order: number[] = [];
    for await (const future of asCompleted(futures)) order.push(future.index);
    expect(order).toEqual([1, 2, 0]);
    const more = ex.map('sleep', [500, 10]);
    const { done, pending } = await wait(more, 'ANY_COMPLETED');
    expect(done.map((future) => future.index)).toEqual([1]);
    expect(pending.map((future) => future.index)).toEqual([0]);
    await ex.close();
  });

  it('scales workers up with the queue and down to zero when idle', async () => {
    const { ex, backend } = await localExecutor({ maxWorkers: 3, idleTimeoutMs: 200 });
    const futures = ex.map('sleep', [1500, 1500, 1500, 1500]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(backend.workers).toBe(3);
    await results(futures);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(backend.workers).toBe(0);
    expect(await ex.call('square', 4).result()).toBe(16);
    await ex.close();
  });

  it('fails clearly, before any task, on a bundle that does not build or does not load', async () => {
    await writeFile(join(dir, 'broken-import.ts'), "export { missing } from './no-such-module.js';\n");
    await expect(
      buildBundle({ entry: join(dir, 'broken-import.ts'), outDir: join(dir, 'b1') }),
    ).rejects.toMatchObject({
      code: 'ERR_FAAS_BUNDLE',
      message: expect.stringContaining('no-such-module'),
    });
    await writeFile(
      join(dir, 'throws-on-load.ts'),
      "throw new Error('this module refuses to load');\nexport const x = 1;\n",
    );
    const broken = await buildBundle({ entry: join(dir, 'throws-on-load.ts'), outDir: join(dir, 'b2') });
    await expect(executor({ backend: new LocalBackend(), bundle: broken })).rejects.toMatchObject({
      code: 'ERR_FAAS_BUNDLE',
      message: expect.stringContaining('refuses to load'),
    });
  });
});
