import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueBucket, type S3Endpoint } from '@isthmus/services';
import { type ObjectStore, openStore, type RetryPolicy } from '@isthmus/storage';

/** The two kinds of store every log behaviour is tested on. */
export const STORE_KINDS = ['file', 's3'] as const;

/** A store kind: a temp folder (`file://`) or a bucket of the test S3 server. */
export type StoreKind = (typeof STORE_KINDS)[number];

/** A fresh, empty store for a test, and how to open more handles on it (other "brokers"). */
export interface TestStore {
  store: ObjectStore;
  /** Another handle on the same store, optionally through another S3 endpoint (a proxy). */
  open(options?: { endpoint?: string; retry?: RetryPolicy }): ObjectStore;
  dispose(): Promise<void>;
}

/** Opens a fresh store of `kind`: a temp folder, or a new bucket of the test S3 server `s3`. */
export async function openTestStore(kind: StoreKind, s3: S3Endpoint, label: string): Promise<TestStore> {
  const handles: ObjectStore[] = [];
  let url: string;
  let cleanup = async () => {};
  if (kind === 'file') {
    const dir = await mkdtemp(join(tmpdir(), `isthmus-streams-${label}-`));
    url = `file://${dir}`;
    cleanup = () => rm(dir, { recursive: true, force: true });
  } else {
    url = `s3://${await createUniqueBucket(s3, `streams-${label}`)}`;
  }
  const open = (options: { endpoint?: string; retry?: RetryPolicy } = {}) => {
    const store = openStore(url, { s3: { ...s3, ...options } });
    handles.push(store);
    return store;
  };
  return {
    store: open(),
    open,
    dispose: async () => {
      await Promise.all(handles.map((handle) => handle.close()));
      await cleanup();
    },
  };
}

/** The keys under `prefix` in a store. */
export async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of store.list({ prefix })) if (entry.kind === 'object') keys.push(entry.key);
  return keys;
}
