import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../backends/backend.js';
import { buildBundle } from '../bundle/build-bundle.js';
import type { Bundle } from '../bundle/bundle.js';
import { type Executor, executor } from '../executor.js';
import { results } from '../futures.js';
import type * as ConformanceFunctions from './conformance-functions.js';
import { conformanceFunctionsEntry } from './conformance-functions-entry.js';

/** A store opened for one run of the suite. */
export interface OpenedConformanceStore {
  /** The executor's store: payloads over the inline limit and the data the functions read go here. */
  store: ObjectStore;
  /** What the backend's runtimes need to open the store by its URL (e.g. `AWS_*` for S3). */
  env: NodeJS.ProcessEnv;
  /** Removes what the run left (e.g. a temporary directory); the suite closes the store itself. */
  dispose?(): Promise<void>;
}

/** A store the suite runs on, e.g. a `file://` directory or an S3 bucket. */
export interface ConformanceStore {
  /** Its name in the suite's title, e.g. `file` or `s3`. */
  name: string;
  /** Opens a fresh store, once before the suite's tests on it. */
  open(): Promise<OpenedConformanceStore>;
}

/** What `describeBackendConformance` runs, and on what. */
export interface BackendConformanceOptions {
  /** The backend's name in the suite's title. */
  name: string;
  /** The stores to run the whole suite on, one after the other. */
  stores: readonly ConformanceStore[];
  /** A new backend whose runtimes get `env` (the store's) in their environment. */
  backend(env: NodeJS.ProcessEnv): Backend;
}

type Functions = typeof ConformanceFunctions;

/**
 * Declares vitest tests of the behaviour every backend shares, run once per store: the same bundle
 * (`conformanceFunctionsEntry()`), the same inputs, the same results: input order, map-reduce, data
 * read in place, payloads through the store, bytes, remote errors, dead runtimes and timeouts.
 * Call it at the top level of a test file.
 */
export function describeBackendConformance(options: BackendConformanceOptions): void {
  describe.each(options.stores.map((store) => [store.name, store] as const))(
    `backend conformance: ${options.name} with a %s store`,
    (_name, storeKind) => {
      const keyPrefix = `isthmus-faas-conformance/${randomBytes(4).toString('hex')}`;
      let dir: string;
      let bundle: Bundle;
      let opened: OpenedConformanceStore;
      let ex: Executor<Functions>;

      beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), 'isthmus-faas-conformance-'));
        bundle = await buildBundle({ entry: conformanceFunctionsEntry(), outDir: join(dir, 'bundle') });
        opened = await storeKind.open();
        ex = await executor<Functions>({
          backend: options.backend(opened.env),
          bundle,
          storage: opened.store,
          inlineLimitBytes: 4096,
          timeoutMs: 20_000,
          retries: 2,
          keyPrefix,
        });
      });
      afterAll(async () => {
        await ex?.close();
        await opened?.store.close();
        await opened?.dispose?.();
        await rm(dir, { recursive: true, force: true });
      });

      it('maps in input order and reduces', async () => {
        const inputs = Array.from({ length: 12 }, (_, i) => i + 1);
        const futures = ex.map('square', inputs);
        expect(await results(futures)).toEqual(inputs.map((n) => n * n));
        expect(futures.every((future) => future.stats?.backend === ex.backend.name)).toBe(true);
        expect(await ex.mapReduce('square', inputs, 'sum')).toBe(650);
      });

      it('reads data in place from the store, one byte range per task', async () => {
        const sequence = Buffer.from('ACGTGGCCAATT'.repeat(1000));
        await opened.store.put('data/seq.txt', sequence);
        const ranges = Array.from({ length: 6 }, (_, i) => ({
          key: 'data/seq.txt',
          offset: i * 2000,
          length: 2000,
        }));
        const counts = await results(ex.map('gcInRange', ranges));
        expect(counts.reduce((sum, count) => sum + count.gc, 0)).toBe(6000);
        expect(counts.reduce((sum, count) => sum + count.bases, 0)).toBe(12000);
      });

      it('moves large arguments and results through the store, and bytes intact', async () => {
        const large = ex.call('repeat', { text: 'isthmus-'.repeat(1000), times: 20 });
        expect(await large.result()).toBe('isthmus-'.repeat(20_000));
        const bytes = randomBytes(10_000);
        const reversed = ex.call('reverseBytes', bytes);
        expect(Buffer.from(await reversed.result()).equals(Buffer.from(bytes).reverse())).toBe(true);
        for (const future of [large, reversed]) {
          // both the argument and the result are over the inline limit: each one is an object
          await opened.store.head(`${keyPrefix}/inputs/${future.id}.json`);
          await opened.store.head(`${keyPrefix}/results/${future.id}.${future.stats!.attempts}.json`);
        }
      });

      it('returns a thrown error as RemoteFunctionError with the remote message and stack', async () => {
        const failure = await ex
          .call('fail', 'no such sample')
          .result()
          .catch((error) => error);
        expect(failure).toMatchObject({
          code: 'ERR_FAAS_REMOTE',
          remoteName: 'TypeError',
          remoteMessage: 'no such sample',
          attempts: 3,
        });
        expect(failure.remoteStack).toContain('fail');
      });

      it('retries a task whose runtime dies, then fails it, and goes on serving', async () => {
        // Where one runtime process serves several requests at once (HTTP runtimes), a crash also
        // fails the requests beside it, as on a real cloud function instance: those are retried too,
        // but a neighbour of all three crashes would run out of retries. So the others come after.
        const dying = ex.call('exitWorker', 3);
        await expect(dying.result()).rejects.toMatchObject({ code: 'ERR_FAAS_WORKER_DIED', attempts: 3 });
        expect(await results(ex.map('square', [2, 3, 5]))).toEqual([4, 9, 25]);
      });

      it('fails a task that runs past its timeout with TaskTimeoutError', async () => {
        const timed = await executor<Functions>({
          backend: options.backend(opened.env),
          bundle,
          storage: opened.store,
          timeoutMs: 1_000,
          retries: 0,
          keyPrefix: `${keyPrefix}/timeout`,
        });
        try {
          // ten minutes: far beyond any test's time limit, so only the timeout can end it
          await expect(timed.call('sleep', 600_000).result()).rejects.toMatchObject({
            code: 'ERR_FAAS_TIMEOUT',
            attempts: 1,
          });
        } finally {
          await timed.close();
        }
      });
    },
  );
}
