import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@isthmus/storage';
import { describeObjectStoreConformance } from '@isthmus/storage/testing';

let root: string;

describeObjectStoreConformance('file:// (POSIX)', {
  async open() {
    root = await mkdtemp(join(tmpdir(), 'isthmus-fs-conformance-'));
    return openStore(`file://${root}`);
  },
  cleanup: () => rm(root, { recursive: true, force: true }),
});
