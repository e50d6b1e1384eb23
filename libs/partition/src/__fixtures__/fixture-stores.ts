// Stores holding copies of the sample files, on both backends, for the format tests.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createUniqueBucket, type S3Endpoint } from '@isthmus/services';
import { type ObjectStore, openStore } from '@isthmus/storage';

/** The sample files (see fixtures/PROVENANCE.md): one folder per format. */
export const FIXTURES_DIR = resolve(import.meta.dirname, '../../fixtures');

/** The two kinds of store every format is tested on. */
export type StoreKind = 'file' | 's3';
export const STORE_KINDS: readonly StoreKind[] = ['file', 's3'];

/** A store with sample files in it, keyed by their path under `fixtures/` (e.g. `bam/x.bam`). */
export interface FixtureStore {
  kind: StoreKind;
  store: ObjectStore;
  /** Deletes what the store holds (file stores: the temp directory). */
  dispose(): Promise<void>;
}

/** The bytes of a sample file. */
export function fixtureBytes(path: string): Promise<Buffer> {
  return readFile(join(FIXTURES_DIR, path));
}

async function filesUnder(path: string): Promise<string[]> {
  const full = join(FIXTURES_DIR, path);
  if (!(await stat(full)).isDirectory()) return [path];
  const entries = await readdir(full, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(FIXTURES_DIR, join(entry.parentPath, entry.name)));
}

/**
 * A fresh store of `kind` holding copies of the sample files or folders `paths` (relative to
 * `fixtures/`), under the same keys. `s3` is the endpoint from `inject('s3')`.
 */
export async function fixtureStore(kind: StoreKind, paths: string[], s3: S3Endpoint): Promise<FixtureStore> {
  let store: ObjectStore;
  let dispose: () => Promise<void>;
  if (kind === 'file') {
    const dir = await mkdtemp(join(tmpdir(), 'isthmus-partition-'));
    store = openStore(`file://${dir}`);
    dispose = async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    };
  } else {
    const bucket = await createUniqueBucket(s3, 'partition');
    store = openStore(`s3://${bucket}`, { s3 });
    dispose = async () => {
      const keys: string[] = [];
      for await (const entry of store.list()) if (entry.kind === 'object') keys.push(entry.key);
      await store.deleteMany(keys);
      await store.close();
    };
  }
  for (const path of paths) {
    for (const file of await filesUnder(path)) await store.put(file, await fixtureBytes(file));
  }
  return { kind, store, dispose };
}
