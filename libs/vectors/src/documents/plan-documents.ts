import { isAbsolute, resolve } from 'node:path';
import { openDataset } from '@isthmus/partition';
import {
  mapConcurrent,
  NotFoundError,
  type ObjectInfo,
  type ObjectStore,
  openStore,
  type S3ConnectionOptions,
} from '@isthmus/storage';
import { InvalidArgumentError } from '../errors.js';
import { kindOfKey, SNIFF_BYTES, sniffKind } from './document-kind.js';
import type { DocumentKind, DocumentUnit } from './document-unit.js';
import { DEFAULT_TEXT_FIELD } from './record-text.js';

/** Options of `planDocuments`. */
export interface PlanOptions {
  /** Text, JSONL and CSV objects larger than this are split into parts of about this size (default 8 MiB). */
  maxUnitBytes?: number;
  /** S3 connection details (else the AWS environment). */
  s3?: S3ConnectionOptions;
  /** The JSONL field holding the text (default `text`), recorded in the units. */
  textField?: string;
  /** The CSV column holding the text (default `text`), recorded in the units. */
  textColumn?: string;
}

/** Default largest unit. */
export const DEFAULT_MAX_UNIT_BYTES = 8 * 1024 * 1024;

/** The index sidecars `@isthmus/partition` may have stored beside data: not documents. */
const PARTITION_SIDECAR_SUFFIX = '.isthmus-index.json';

/** Objects (and folders) whose name starts with a dot are not documents (`.git/`, `.DS_Store`). */
function isDocumentKey(key: string): boolean {
  return (
    !key.endsWith(PARTITION_SIDECAR_SUFFIX) && !key.split('/').some((segment) => segment.startsWith('.'))
  );
}

/** The store a source URL opens and the objects it names there (the caller closes the store). */
interface SourceObjects {
  store: ObjectStore;
  objects: ObjectInfo[];
}

/**
 * The objects a source URL names: one object (`s3://bucket/dir/a.md`), or every object under a
 * prefix (`file:///dir/`, `s3://bucket/prefix/`; without the trailing slash when no object has
 * that name), in key order, hidden names and partition sidecars left out.
 */
async function sourceObjects(source: string, s3: S3ConnectionOptions | undefined): Promise<SourceObjects> {
  const url = isAbsolute(source) ? `file://${resolve(source)}${source.endsWith('/') ? '/' : ''}` : source;
  const path = /^[a-z0-9]+:\/\/[^/]*(\/.*)?$/i.exec(url)?.[1] ?? '';
  if (!url.endsWith('/') && path.replace(/^\/+/, '') !== '') {
    const slash = url.lastIndexOf('/');
    const parent = openStore(url.slice(0, slash) || '/', { s3 });
    try {
      return { store: parent, objects: [await parent.head(decodeURIComponent(url.slice(slash + 1)))] };
    } catch (error) {
      await parent.close();
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  const store = openStore(url, { s3 });
  try {
    const objects: ObjectInfo[] = [];
    for await (const entry of store.list()) {
      if (entry.kind === 'object' && isDocumentKey(entry.key)) objects.push(entry);
    }
    if (objects.length === 0 && !url.endsWith('/')) {
      throw new InvalidArgumentError(`${source}: no object of that name and no objects under it`);
    }
    return { store, objects };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The partition format that splits a document kind, where one does. */
const PARTITION_FORMATS: Partial<Record<DocumentKind, string>> = {
  text: 'lines',
  jsonl: 'jsonl',
  csv: 'csv',
};

async function kindOf(store: ObjectStore, info: ObjectInfo, url: string): Promise<DocumentKind> {
  const kind = kindOfKey(info.key);
  if (kind) return kind;
  const head =
    info.size === 0
      ? new Uint8Array(0)
      : await store.get(info.key, { range: { offset: 0, length: SNIFF_BYTES } });
  return sniffKind(head, info.key, url);
}

async function objectUnits(
  store: ObjectStore,
  info: ObjectInfo,
  options: PlanOptions,
  maxUnitBytes: number,
): Promise<DocumentUnit[]> {
  const url = `${store.url.replace(/\/+$/, '')}/${info.key}`;
  const kind = await kindOf(store, info, url);
  const field = kind === 'jsonl' ? options.textField : kind === 'csv' ? options.textColumn : undefined;
  const unit: DocumentUnit = {
    url,
    kind,
    store: store.url,
    key: info.key,
    etag: info.etag,
    size: info.size,
    ...(field !== undefined && field !== DEFAULT_TEXT_FIELD ? { field } : {}),
  };
  const format = PARTITION_FORMATS[kind];
  const split = info.size > maxUnitBytes;
  if (format === undefined || (kind === 'text' && !split)) return [unit];
  const dataset = await openDataset(info.key, { store, format, readOnly: true });
  const partitions = await dataset.partition(
    split ? { by: 'bytes', bytes: maxUnitBytes } : { by: 'count', count: 1 },
  );
  let firstRecord = 0;
  return partitions.map((partition) => {
    const part = { partition, firstRecord };
    firstRecord += partition.records ?? 0;
    return { ...unit, etag: partition.etags[info.key] ?? unit.etag, part };
  });
}

/**
 * The work units of ingest for one or more sources: a store URL of one object or of a prefix
 * (`file:///dir/`, `s3://bucket/prefix/`, listed through `@isthmus/storage`). The kind comes from
 * the name (`.txt`/`.log`, `.md`, `.html`/`.htm`, `.jsonl`/`.ndjson`, `.csv`/`.tsv`, each also
 * `.gz`), else from the first bytes (HTML, or UTF-8 text; anything else is
 * `UnsupportedDocumentError`). Every object is one unit — small ones are not grouped, a unit is
 * a task's input and an ingest task may take several — except JSONL and CSV, which are always
 * read through `@isthmus/partition` (its JSON Lines and RFC 4180 readers), and text larger than
 * `maxUnitBytes`: those are cut by partition's `jsonl`, `csv` and `lines` formats into parts of
 * about `maxUnitBytes` at record boundaries, never loaded whole (Markdown and HTML stay one unit
 * whatever their size: their structure spans the file). Units are plain JSON and pin the etag
 * planned. Partition runs its index pass read-only: nothing is written beside the documents.
 */
export async function planDocuments(
  source: string | string[],
  options: PlanOptions = {},
): Promise<DocumentUnit[]> {
  const maxUnitBytes = options.maxUnitBytes ?? DEFAULT_MAX_UNIT_BYTES;
  if (!Number.isInteger(maxUnitBytes) || maxUnitBytes < 1) {
    throw new InvalidArgumentError(`maxUnitBytes must be a positive integer, not ${maxUnitBytes}`);
  }
  const units: DocumentUnit[] = [];
  const seen = new Set<string>();
  for (const url of typeof source === 'string' ? [source] : source) {
    const { store, objects } = await sourceObjects(url, options.s3);
    try {
      const planned = await mapConcurrent(objects, 8, (info) =>
        objectUnits(store, info, options, maxUnitBytes),
      );
      for (const unit of planned.flat()) {
        const key = `${unit.url}#${unit.part?.partition.index ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        units.push(unit);
      }
    } finally {
      await store.close();
    }
  }
  return units;
}
