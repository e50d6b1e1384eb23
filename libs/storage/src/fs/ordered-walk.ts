import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareKeys, RESERVED_NAME_PREFIX } from '../keys.js';
import { errnoCode } from './fs-errors.js';
import type { RootBoundary } from './root-boundary.js';

/** A file found by `orderedWalk`, or a directory whose whole subtree falls under one common prefix. */
export type WalkItem = { kind: 'file'; key: string; path: string } | { kind: 'prefix'; prefix: string };

/** What to walk: keys starting with `prefix`, grouped by `delimiter`, after `startAfter`. */
export interface WalkQuery {
  prefix: string;
  delimiter?: string;
  startAfter?: string;
}

/**
 * Yields the files under the boundary's root whose keys match the query, in UTF-8 byte order of
 * their keys, exactly as S3 orders a listing. A directory `d` sorts as `d/` among its siblings,
 * which makes a depth-first walk come out in global key order. Directories that lie wholly inside
 * one common prefix are reported as that prefix without being read. Internal files (`.isthmus-*`)
 * are hidden. A symbolic link is yielded (as the real path it resolves to) only when it resolves
 * inside the root; linked directories are never descended into, so the walk cannot loop or leave
 * the root. A prefix whose directory leads out of the root lists nothing.
 */
export async function* orderedWalk(boundary: RootBoundary, query: WalkQuery): AsyncGenerator<WalkItem> {
  const slash = query.prefix.lastIndexOf('/');
  const dirKey = query.prefix.slice(0, slash + 1);
  const directory = await boundary.forList(dirKey);
  if (directory === undefined) return;
  yield* walkDirectory(boundary, directory, dirKey, query.prefix.slice(slash + 1), query);
}

/** Walks `directory` (a real path inside the root), whose entries have keys starting with `dirKey`. */
async function* walkDirectory(
  boundary: RootBoundary,
  directory: string,
  dirKey: string,
  namePrefix: string,
  query: WalkQuery,
): AsyncGenerator<WalkItem> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw error;
  }
  const candidates = entries
    .filter((entry) => entry.name.startsWith(namePrefix) && !entry.name.startsWith(RESERVED_NAME_PREFIX))
    .map((entry) => ({ entry, sortKey: entry.isDirectory() ? `${entry.name}/` : entry.name }))
    .sort((a, b) => compareKeys(a.sortKey, b.sortKey));

  for (const { entry } of candidates) {
    if (entry.isDirectory()) {
      const childKey = `${dirKey}${entry.name}/`;
      if (query.startAfter !== undefined && isBeforeSubtree(childKey, query.startAfter)) continue;
      const commonPrefix = commonPrefixOf(childKey, query);
      const mayHoldSkippedKeys = query.startAfter?.startsWith(childKey) ?? false;
      if (commonPrefix !== undefined && commonPrefix.length <= childKey.length && !mayHoldSkippedKeys) {
        yield { kind: 'prefix', prefix: commonPrefix };
      } else {
        yield* walkDirectory(boundary, join(directory, entry.name), childKey, '', query);
      }
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      const key = `${dirKey}${entry.name}`;
      if (query.startAfter !== undefined && compareKeys(key, query.startAfter) <= 0) continue;
      const path = join(directory, entry.name);
      const target = entry.isFile() ? path : await boundary.linkTarget(path);
      if (target !== undefined) yield { kind: 'file', key, path: target };
    }
  }
}

/** True when every key under `subtreeKey` (a directory key ending in `/`) sorts at or before `startAfter`. */
function isBeforeSubtree(subtreeKey: string, startAfter: string): boolean {
  return !startAfter.startsWith(subtreeKey) && compareKeys(subtreeKey, startAfter) < 0;
}

/** The common prefix a key (or directory key) rolls up into under the query's delimiter, if any. */
export function commonPrefixOf(key: string, query: WalkQuery): string | undefined {
  if (!query.delimiter) return undefined;
  const at = key.indexOf(query.delimiter, query.prefix.length);
  return at < 0 ? undefined : key.slice(0, at + query.delimiter.length);
}
