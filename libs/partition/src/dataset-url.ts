import { isAbsolute } from 'node:path';
import { InvalidStoreUrlError } from '@isthmus/storage';

/** A dataset's URL split into the store it lives in and its key there. */
export interface DatasetLocation {
  /** The URL of the store: the dataset's parent "directory". */
  storeUrl: string;
  /** The dataset's name in that store (a directory dataset such as Zarr: its name, no trailing `/`). */
  key: string;
}

/**
 * Splits `s3://bucket/dir/file.bam`, `file:///dir/file.bam` or `/dir/file.bam` into the parent
 * store (`s3://bucket/dir`) and the key (`file.bam`), so that sibling objects (`.bai`, `.ibd`,
 * the sidecar index) are keys of the same store.
 */
export function splitDatasetUrl(url: string): DatasetLocation {
  const trimmed = url.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  const key = trimmed.slice(slash + 1);
  const storeUrl = trimmed.slice(0, slash);
  const isS3 = /^s3:\/\/[^/]+\/./.test(trimmed);
  const isFile = /^file:\/\/\/./.test(trimmed) || isAbsolute(trimmed);
  if (!key || !(isS3 || isFile) || key === '.' || key === '..') {
    throw new InvalidStoreUrlError(
      url,
      'a dataset URL names an object or a directory: s3://bucket/key, file:///path',
    );
  }
  return { storeUrl: storeUrl === '' || storeUrl === 'file://' ? `${storeUrl}/` : storeUrl, key };
}
