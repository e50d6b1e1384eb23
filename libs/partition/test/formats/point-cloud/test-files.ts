// Test helper: bytes in a temporary file, for oracles that read files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectStore } from '@isthmus/storage';

/** Runs `use` with the path of a temporary file holding `bytes` (or a store object's bytes). */
export async function withTempFile<T>(
  from: ObjectStore | Uint8Array,
  key: string,
  use: (path: string) => Promise<T> | T,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'isthmus-point-cloud-'));
  try {
    const path = join(dir, key.replaceAll('/', '_'));
    await writeFile(path, from instanceof Uint8Array ? from : await from.get(key));
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
