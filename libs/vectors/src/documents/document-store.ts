import { gunzipSync } from 'node:zlib';
import { DatasetSource, type Partition, toFile } from '@isthmus/partition';
import type { ObjectStore } from '@isthmus/storage';
import { UnsupportedDocumentError } from '../errors.js';
import { isGzipKey } from './document-kind.js';
import type { DocumentUnit } from './document-unit.js';

function gunzip(bytes: Uint8Array, url: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new UnsupportedDocumentError(`${url}: named .gz but does not decompress`, { cause: error });
  }
}

/**
 * The bytes of a whole-object unit, decompressed for `.gz`, read only if the object still has
 * the planned etag (else partition's `StaleDatasetError`).
 */
export async function unitBytes(unit: DocumentUnit, store: ObjectStore): Promise<Uint8Array> {
  const source = new DatasetSource(store, unit.key, { etags: { [unit.key]: unit.etag } });
  const bytes = await source.readAll();
  return isGzipKey(unit.key) ? gunzip(bytes, unit.url) : bytes;
}

/**
 * The text bytes of one partition of a line-based document (its records as they are in the
 * object, the CSV header first), decompressed; pinned to the planned etag by partition.
 */
export async function partBytes(partition: Partition, store: ObjectStore, url: string): Promise<Uint8Array> {
  const [file] = await toFile(partition, { store });
  const bytes = file!.data;
  return (partition.meta as { gzip: unknown }).gzip ? gunzip(bytes, url) : bytes;
}
