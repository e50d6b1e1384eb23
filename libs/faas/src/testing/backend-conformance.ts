import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUniqueBucket } from '@isthmus/services';
import { type ObjectStore, openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as Functions from '../../test/fixtures/functions.js';
import type { Backend } from '../backends/backend.js';
import { buildBundle } from '../bundle/build-bundle.js';
import type { Bundle } from '../bundle/bundle.js';
import { type Executor, executor } from '../executor.js';
import { results } from '../futures.js';

const FUNCTIONS = fileURLToPath(new URL('../../test/fixtures/functions.ts', import.meta.url));

/** The two stores of the matrix: a POSIX directory (HPC) and a bucket on the real Ceph RGW (cloud). */
export type StoreKind = 'file' | 's3';

/** Environment a backend's runtimes need to open the store (S3 credentials for RGW). */
export interface StoreAccess {
  store: ObjectStore;
  env: NodeJS.ProcessEnv;
}

async function openMatrixStore(kind: StoreKind, dir: string): Promise<StoreAccess> {
  if (kind === 'file') return { store: openStore(`file://${dir}/store`), env: {} };
  const s3 = inject('s3');
  const bucket = await createUniqueBucket(s3, 'faas');
  const env = {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    AWS_REGION: s3.region,
  };
  return { store: openStore(`s3://${bucket}/faas`, { s3 }), env };
}

/**
 * The behaviour every backend shares, run once per store: the same bundle, the same inputs, the
 * same results. `makeBackend` gets the environment its runtimes need to reach the store.
 */
export function describeBackendConformance(
  name: string,
  stores: StoreKind[],
  makeBackend: (env: NodeJS.ProcessEnv) => Backend,
): void {
  describe.each(stores)(`backend conformance: ${name} with a %s store`, (storeKind) => {
    let dir: string;
    let bundle: Bundle;
    let access: StoreAccess;
    let ex: Executor<typeof Functions>;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'isthmus-faas-conformance-'));
      bundle = await buildBundle({ entry: FUNCTIONS, outDir: join(dir, 'bundle') });
      access = await openMatrixStore(storeKind, dir);
      ex = await executor<typeof Functions>({
        backend: makeBackend(access.env),
        bundle,
        storage: access.store,
        inlineLimitBytes: 4096,
        timeoutMs: 20_000,
        retries: 2,
      });
    });
    afterAll(async () => {
      await ex?.close();
      await access?.store.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('maps in input order and reduces', async () => {
      const inputs = Array.from({ length: 12 }, (_, i) => i + 1);
      const futures = ex.map('square', inputs);
      expect(await results(futures)).toEqual(inputs.map((n) => n * n));
      expect(futures.every((future) => future.stats?.backend === ex.backend.name)).toBe(true);
      expect(await ex.mapReduce('square', inputs, 'sum')).toBe(650);
    });

    it('reads data in place from the store, in parallel ranges', async () => {
      const sequence = Buffer.from('ACGTGGCCAATT'.repeat(1000));
      await access.store.put('data/seq.txt', sequence);
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
      const text = await ex.call('repeat', { text: 'isthmus-'.repeat(1000), times: 20 }).result();
      expect(text).toBe('isthmus-'.repeat(20_000));
      const bytes = randomBytes(10_000);
      expect(
        Buffer.from(await ex.call('reverseBytes', bytes).result()).equals(Buffer.from(bytes).reverse()),
      ).toBe(true);
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
  });
}
