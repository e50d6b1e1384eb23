import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalBackend } from '../src/backends/local/local-backend.js';
import { buildBundle } from '../src/bundle/build-bundle.js';
import type { Bundle } from '../src/bundle/bundle.js';
import { executor } from '../src/executor.js';
import { asCompleted, results, wait } from '../src/futures.js';
import { describeBackendConformance } from '../src/testing/index.js';
import type * as Functions from './fixtures/functions.js';
import { fileStore, rgwStore } from './support/conformance-stores.js';
import { Latch } from './support/latch.js';

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

  it('stops a task that runs past its timeout on every attempt, replacing its worker, and keeps serving', async () => {
    const { ex, backend, storage } = await localExecutor({
      storage: true,
      timeoutMs: 3_000,
      retries: 1,
      maxWorkers: 1,
    });
    const latch = new Latch(storage!, 'timeout'); // never released: only the timeout ends the attempts
    await expect(ex.call('hold', latch.input).result()).rejects.toMatchObject({
      code: 'ERR_FAAS_TIMEOUT',
      attempts: 2,
    });
    const next = ex.call('square', 9);
    expect(await next.result()).toBe(81);
    // the workers that ran the attempts were stopped: a fresh one serves, alone in the pool
    expect(next.stats?.coldStart).toBe(true);
    expect([...(await latch.starts()).values()]).not.toContain(next.stats?.worker);
    expect(backend.workers).toBe(1);
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

  it('cancels a running task, stopping its worker, and a queued one, which never runs', async () => {
    const { ex, storage } = await localExecutor({ storage: true, maxWorkers: 1 });
    const runningLatch = new Latch(storage!, 'cancel-running');
    const queuedLatch = new Latch(storage!, 'cancel-queued');
    const running = ex.call('hold', runningLatch.input);
    const queued = ex.call('hold', queuedLatch.input);
    const [runningWorker] = (await runningLatch.started(1)).values();
    expect([running.state, queued.state]).toEqual(['running', 'queued']);
    running.cancel();
    queued.cancel();
    await expect(running.result()).rejects.toMatchObject({ code: 'ERR_FAAS_CANCELLED' });
    await expect(queued.result()).rejects.toMatchObject({ code: 'ERR_FAAS_CANCELLED' });
    expect([running.state, queued.state]).toEqual(['cancelled', 'cancelled']);
    // the next task queues behind both on the one slot: it runs in a fresh worker, and by then the
    // cancelled queued task has passed the slot without starting
    const next = ex.call('square', 5);
    expect(await next.result()).toBe(25);
    expect(next.stats).toMatchObject({
      coldStart: true,
      worker: expect.not.stringMatching(`^${runningWorker}$`),
    });
    expect((await queuedLatch.starts()).size).toBe(0);
    await ex.close();
  });

  it('yields futures in the order they complete, and waits for the first to complete', async () => {
    const { ex, storage } = await localExecutor({ storage: true, maxWorkers: 3 });
    const latches = ['a', 'b', 'c'].map((name) => new Latch(storage!, `order-${name}`));
    const futures = ex.map(
      'hold',
      latches.map((latch) => latch.input),
    );
    const completed = asCompleted(futures);
    const order: number[] = [];
    for (const index of [1, 2, 0]) {
      await latches[index]!.release();
      order.push((await completed.next()).value!.index);
    }
    expect(order).toEqual([1, 2, 0]);
    expect((await completed.next()).done).toBe(true);

    const [slow, fast] = [new Latch(storage!, 'any-slow'), new Latch(storage!, 'any-fast')];
    const more = ex.map('hold', [slow.input, fast.input]);
    await fast.release();
    const { done, pending } = await wait(more, 'ANY_COMPLETED');
    expect(done.map((future) => future.index)).toEqual([1]);
    expect(pending.map((future) => future.index)).toEqual([0]);
    await slow.release();
    expect(await results(more)).toEqual([slow.input.release, fast.input.release]);
    await ex.close();
  });

  it('scales workers up with the queue and down to zero when idle', async () => {
    const { ex, backend, storage } = await localExecutor({
      storage: true,
      maxWorkers: 3,
      idleTimeoutMs: 200,
    });
    const latch = new Latch(storage!, 'scale');
    const futures = ex.map('hold', [latch.input, latch.input, latch.input, latch.input]);
    const running = await latch.started(3);
    expect(new Set(running.values()).size).toBe(3);
    expect(backend.workers).toBe(3);
    expect(futures.map((future) => future.state)).toEqual(['running', 'running', 'running', 'queued']);
    await latch.release();
    await results(futures);
    await vi.waitFor(() => expect(backend.workers).toBe(0), { timeout: 30_000, interval: 25 });
    const again = ex.call('square', 4);
    expect(await again.result()).toBe(16);
    expect(again.stats?.coldStart).toBe(true);
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
