import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidStoreUrlError } from './errors.js';
import { FileObjectStore, type FileStoreOptions } from './fs/fs-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore, type S3StoreOptions } from './s3/s3-store.js';

/** Options of `openStore`: each backend reads its own part. */
export interface OpenStoreOptions {
  s3?: S3StoreOptions;
  file?: FileStoreOptions;
}

/**
 * Opens the store a URL names: `s3://bucket[/prefix]` or `file:///absolute/path`. A plain absolute
 * path is taken as a `file://` URL. Connection details of S3 come from `options.s3` or the standard
 * AWS environment variables (`AWS_ENDPOINT_URL_S3`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, …).
 */
export function openStore(url: string | URL, options: OpenStoreOptions = {}): ObjectStore {
  const text = String(url);
  if (isAbsolute(text)) return new FileObjectStore(resolve(text), options.file);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new InvalidStoreUrlError(text, 'expected s3://bucket[/prefix], file:///path or an absolute path');
  }
  switch (parsed.protocol) {
    case 's3:': {
      if (!parsed.hostname) throw new InvalidStoreUrlError(text, 'no bucket');
      if (parsed.username || parsed.password) {
        throw new InvalidStoreUrlError(redact(parsed), 'credentials do not belong in a store URL');
      }
      const prefix = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
      return new S3ObjectStore(parsed.hostname, prefix, options.s3);
    }
    case 'file:': {
      if (parsed.hostname && parsed.hostname !== 'localhost') {
        throw new InvalidStoreUrlError(text, `remote host "${parsed.hostname}" in a file URL`);
      }
      return new FileObjectStore(resolve(fileURLToPath(parsed)), options.file);
    }
    default:
      throw new InvalidStoreUrlError(text, `unsupported scheme "${parsed.protocol}" (use s3:// or file://)`);
  }
}

function redact(url: URL): string {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  return copy.toString();
}
