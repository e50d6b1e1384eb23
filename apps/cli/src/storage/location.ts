import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidStoreUrlError } from '@isthmus/storage';

/** A place named on the command line: the store to open and a key (or key prefix) in it. */
export interface Location {
  /** URL of the store: `s3://bucket` or `file:///directory`. */
  storeUrl: string;
  /** The object's key, or the prefix of keys, inside the store ('' = everything). */
  key: string;
  /** Whether the location is a local path. */
  local: boolean;
}

/**
 * Parses `s3://bucket/key`, `file:///path` or a plain (relative or absolute) path. An object location
 * of a local path opens its directory as the store (`/data/x.fa` → store `/data`, key `x.fa`); a
 * prefix location opens the directory itself (`/data` → store `/data`, prefix '').
 */
export function parseLocation(text: string, as: 'object' | 'prefix'): Location {
  if (text.startsWith('s3://')) {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(text);
    if (!match) throw new InvalidStoreUrlError(text, 'expected s3://bucket/key');
    return { storeUrl: `s3://${match[1]}`, key: match[2]!, local: false };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !text.startsWith('file://')) {
    throw new InvalidStoreUrlError(text, 'use s3://, file:// or a local path');
  }
  const path = resolve(text.startsWith('file://') ? fileURLToPath(text) : text);
  if (as === 'prefix') return { storeUrl: `file://${path}`, key: '', local: true };
  return { storeUrl: `file://${dirname(path)}`, key: basename(path), local: true };
}
