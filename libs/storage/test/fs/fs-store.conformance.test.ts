import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/open-store.js';
import { describeObjectStoreConformance } from '../../src/testing/object-store-conformance.js';

describeObjectStoreConformance('file:// (POSIX)', {
  largeObjectBytes: 12 * 1024 * 1024,
  async open() {
    const root = await mkdtemp(join(tmpdir(), 'isthmus-fs-conformance-'));
    const store = openStore(`file://${root}`);
    return { store, dispose: () => rm(root, { recursive: true, force: true }) };
  },
});
