import { NotFoundError, type ObjectStore } from '@isthmus/storage';
import { InvalidIndexError } from './errors.js';
import type { AnyFormatHandler } from './format-handler.js';
import type { JsonObject } from './json.js';

/** The suffix of the sidecar object that holds a dataset's index, beside the data. */
export const SIDECAR_SUFFIX = '.isthmus-index.json';

/** Layout version of the sidecar envelope itself. */
const SIDECAR_VERSION = 1;

/** A dataset's index as stored beside it, with the versions of every object it was made from. */
export interface SidecarIndex {
  sidecarVersion: number;
  format: string;
  indexVersion: number;
  createdAt: string;
  /** Etag of every object the index pass read; any change makes the index stale. */
  dependencies: Record<string, string>;
  index: JsonObject;
}

/** Why a sidecar was not used. */
export type SidecarVerdict =
  | { usable: true; sidecar: SidecarIndex }
  | { usable: false; reason: 'missing' | 'stale' | 'other-format' | 'older-layout' };

/** The key of a dataset's sidecar index. */
export function sidecarKey(datasetKey: string): string {
  return `${datasetKey}${SIDECAR_SUFFIX}`;
}

/**
 * Loads the sidecar index of a dataset and checks that it is still valid: same format and index
 * layout, and every object it depends on unchanged. A malformed sidecar is an error (it is never
 * silently ignored, since something else wrote it).
 */
export async function loadSidecar(
  store: ObjectStore,
  datasetKey: string,
  handler: AnyFormatHandler,
): Promise<SidecarVerdict> {
  const key = sidecarKey(datasetKey);
  let text: string;
  try {
    text = new TextDecoder().decode(await store.get(key));
  } catch (error) {
    if (error instanceof NotFoundError) return { usable: false, reason: 'missing' };
    throw error;
  }
  const sidecar = parseSidecar(key, text);
  if (sidecar.format !== handler.name) return { usable: false, reason: 'other-format' };
  if (sidecar.indexVersion !== handler.indexVersion) return { usable: false, reason: 'older-layout' };
  if (!(await dependenciesUnchanged(store, datasetKey, sidecar.dependencies))) {
    return { usable: false, reason: 'stale' };
  }
  return { usable: true, sidecar };
}

/** Writes a dataset's sidecar index (atomically: readers see the old one or the new one). */
export async function saveSidecar(
  store: ObjectStore,
  datasetKey: string,
  sidecar: SidecarIndex,
): Promise<void> {
  await store.put(sidecarKey(datasetKey), JSON.stringify(sidecar), { contentType: 'application/json' });
}

/** A new sidecar envelope for an index. */
export function newSidecar(
  handler: AnyFormatHandler,
  index: JsonObject,
  dependencies: Record<string, string>,
): SidecarIndex {
  return {
    sidecarVersion: SIDECAR_VERSION,
    format: handler.name,
    indexVersion: handler.indexVersion,
    createdAt: new Date().toISOString(),
    dependencies,
    index,
  };
}

function parseSidecar(key: string, text: string): SidecarIndex {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidIndexError(key, 'not JSON', { cause: error });
  }
  const sidecar = value as Partial<SidecarIndex>;
  if (
    typeof value !== 'object' ||
    value === null ||
    sidecar.sidecarVersion !== SIDECAR_VERSION ||
    typeof sidecar.format !== 'string' ||
    typeof sidecar.indexVersion !== 'number' ||
    typeof sidecar.dependencies !== 'object' ||
    sidecar.dependencies === null ||
    typeof sidecar.index !== 'object' ||
    sidecar.index === null
  ) {
    throw new InvalidIndexError(key, `not an Isthmus sidecar index of version ${SIDECAR_VERSION}`);
  }
  return sidecar as SidecarIndex;
}

/** Many dependencies (a Zarr store's chunks) are checked with one listing instead of one HEAD each. */
const HEADS_BEFORE_LISTING = 16;

async function dependenciesUnchanged(
  store: ObjectStore,
  datasetKey: string,
  dependencies: Record<string, string>,
): Promise<boolean> {
  const keys = Object.keys(dependencies);
  const directory = `${datasetKey}/`;
  const isDirectory = keys.some((key) => key.startsWith(directory));
  if (keys.length > HEADS_BEFORE_LISTING || isDirectory) {
    const seen = new Map<string, string>();
    for await (const entry of store.list({ prefix: datasetKey })) {
      if (entry.kind !== 'object') continue;
      // An object added to a directory dataset (a Zarr chunk written since) makes the index stale too.
      if (isDirectory && entry.key.startsWith(directory) && !(entry.key in dependencies)) return false;
      seen.set(entry.key, entry.etag);
    }
    const outside = keys.filter((key) => !seen.has(key));
    for (const key of outside) {
      const etag = await headEtag(store, key);
      if (etag !== undefined) seen.set(key, etag);
    }
    return keys.every((key) => seen.get(key) === dependencies[key]);
  }
  for (const key of keys) {
    if ((await headEtag(store, key)) !== dependencies[key]) return false;
  }
  return true;
}

async function headEtag(store: ObjectStore, key: string): Promise<string | undefined> {
  try {
    return (await store.head(key)).etag;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
