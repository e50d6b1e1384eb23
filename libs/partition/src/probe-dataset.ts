import { NotFoundError, type ObjectStore } from '@isthmus/storage';
import { MissingPartError } from './errors.js';
import type { FormatProbe } from './format-handler.js';

/** Bytes detection looks at. */
const PROBE_BYTES = 64 * 1024;
/** Entries of a directory detection looks at. */
const PROBE_CHILDREN = 1000;

/** Reads what detection needs: the first bytes of the object, or the first entries of the directory. */
export async function probeDataset(store: ObjectStore, key: string): Promise<FormatProbe> {
  try {
    const info = await store.head(key);
    const head =
      info.size === 0
        ? new Uint8Array(0)
        : await store.get(key, { range: { offset: 0, length: PROBE_BYTES } });
    return { key, head, size: info.size, children: undefined };
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const children: string[] = [];
  for await (const entry of store.list({ prefix: `${key}/` })) {
    if (entry.kind === 'object') children.push(entry.key.slice(key.length + 1));
    if (children.length >= PROBE_CHILDREN) break;
  }
  if (children.length === 0) throw new MissingPartError({ key }, 'no object and no directory of that name');
  return { key, head: new Uint8Array(0), size: undefined, children };
}
