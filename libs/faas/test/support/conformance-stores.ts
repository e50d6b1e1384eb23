// The stores our own backends run the conformance suite on: a POSIX directory (the HPC stack's
// parallel file system) and a bucket on the real Ceph RGW (the cloud stack's object storage).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueBucket } from '@isthmus/services';
import { openStore, s3Environment } from '@isthmus/storage';
import { inject } from 'vitest';
import type { ConformanceStore } from '../../src/testing/index.js';

/** A `file://` store in a fresh temporary directory, removed afterwards. */
export const fileStore: ConformanceStore = {
  name: 'file',
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'isthmus-faas-store-'));
    return {
      store: openStore(`file://${dir}`),
      env: {},
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

/** A fresh bucket on the RGW the vitest global setup started; runtimes get its endpoint and keys. */
export const rgwStore: ConformanceStore = {
  name: 's3',
  async open() {
    const s3 = inject('s3');
    const bucket = await createUniqueBucket(s3, 'faas');
    const env = s3Environment(s3);
    return { store: openStore(`s3://${bucket}/faas`, { s3 }), env };
  },
};
