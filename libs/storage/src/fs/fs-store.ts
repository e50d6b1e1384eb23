import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { normaliseBody } from '../body.js';
import { mapConcurrent } from '../concurrency.js';
import { PreconditionFailedError } from '../errors.js';
import { assertValidKey, RESERVED_NAME_PREFIX } from '../keys.js';
import type {
  GetOptions,
  ListEntry,
  ListOptions,
  ObjectInfo,
  ObjectStore,
  PutBody,
  PutOptions,
  PutResult,
} from '../object-store.js';
import { resolveRange } from '../range.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from '../retry.js';
import { errnoCode, isTransientFsError, mapReadError, mapWriteError } from './fs-errors.js';
import { DEFAULT_KEY_LOCK_TIMING, type KeyLockTiming, withKeyLock } from './key-lock.js';
import { commonPrefixOf, orderedWalk } from './ordered-walk.js';
import { RootBoundary } from './root-boundary.js';

/** Options of a `file://` store. */
export interface FileStoreOptions {
  /** Flush each object to disk before it becomes visible (default true: a successful put survives a crash). */
  fsync?: boolean;
  /** Retries of transient file-system errors (EAGAIN, EBUSY, ESTALE, …). */
  retry?: RetryPolicy;
  /** Per-key lock timing for writers in several processes. */
  lockTiming?: KeyLockTiming;
  /** Deletes in flight at once in `deleteMany`. */
  maxConcurrency?: number;
}

/**
 * An object store on a POSIX or parallel file system, rooted at a directory. Writes go to a
 * temporary file beside the target and are renamed into place (atomic visibility); every write or
 * delete of a key holds that key's lock file, so conditional writes are safe across processes.
 * Etags are derived from inode, modification time and size, so they change on every write.
 * Symbolic links are followed only while they stay inside the root: a key whose path leads out
 * fails with `PathEscapeError`, and listings skip such links (and never descend into linked
 * directories).
 */
export class FileObjectStore implements ObjectStore {
  readonly url: string;
  readonly #fsync: boolean;
  readonly #retry: RetryPolicy;
  readonly #lockTiming: KeyLockTiming;
  readonly #maxConcurrency: number;
  readonly #boundary: RootBoundary;

  /** Opens a store rooted at the absolute directory `root` (created on the first write). */
  constructor(
    readonly root: string,
    options: FileStoreOptions = {},
  ) {
    this.url = `file://${root}`;
    this.#fsync = options.fsync ?? true;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#lockTiming = options.lockTiming ?? DEFAULT_KEY_LOCK_TIMING;
    this.#maxConcurrency = options.maxConcurrency ?? 16;
    this.#boundary = new RootBoundary(root);
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    return this.#withOpenFile(key, async (handle, info) => {
      checkIfMatch(key, info, options.ifMatch);
      const { start, end } = options.range
        ? resolveRange(key, options.range, info.size)
        : { start: 0, end: info.size };
      const buffer = Buffer.allocUnsafe(end - start);
      let filled = 0;
      while (filled < buffer.length) {
        options.signal?.throwIfAborted();
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    });
  }

  async getStream(key: string, options: GetOptions = {}): Promise<Readable> {
    const handle = await this.#open(key);
    try {
      const info = toObjectInfo(key, await handle.stat({ bigint: true }));
      checkIfMatch(key, info, options.ifMatch);
      const { start, end } = options.range
        ? resolveRange(key, options.range, info.size)
        : { start: 0, end: info.size };
      if (start === end) {
        await handle.close();
        return Readable.from([]);
      }
      // createReadStream's `end` is inclusive.
      return createReadStream('', {
        fd: handle,
        start,
        end: end - 1,
        autoClose: true,
        signal: options.signal,
      });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    assertValidKey(key);
    return this.#retrying('head', async () => {
      try {
        return toObjectInfoOrNotFound(key, await this.#boundary.statForRead(key));
      } catch (error) {
        throw mapReadError(key, error);
      }
    });
  }

  async put(key: string, body: PutBody, options: PutOptions = {}): Promise<PutResult> {
    const { path: target } = await this.#forWrite(key);
    const temp = await this.#writeTemp(key, target, normaliseBody(body), options);
    try {
      return await this.#commit(key, target, temp, options);
    } catch (error) {
      await unlink(temp.path).catch(() => undefined);
      throw error;
    }
  }

  async *list(options: ListOptions = {}): AsyncIterable<ListEntry> {
    const query = {
      prefix: options.prefix ?? '',
      delimiter: options.delimiter,
      startAfter: options.startAfter,
    };
    let lastPrefix: string | undefined;
    for await (const item of orderedWalk(this.#boundary, query)) {
      const prefix = item.kind === 'prefix' ? item.prefix : commonPrefixOf(item.key, query);
      if (prefix !== undefined) {
        if (prefix !== lastPrefix) yield { kind: 'prefix', prefix };
        lastPrefix = prefix;
        continue;
      }
      if (item.kind !== 'file') continue;
      const info = await stat(item.path, { bigint: true }).catch((error) => {
        if (errnoCode(error) === 'ENOENT') return undefined; // deleted while listing
        throw error;
      });
      if (info?.isFile()) yield { kind: 'object', ...toObjectInfo(item.key, info) };
    }
  }

  async delete(key: string): Promise<void> {
    const { path, parentExists } = await this.#forWrite(key);
    if (!parentExists) return;
    await this.#retrying('delete', () =>
      withKeyLock(path, this.#lockTiming, async () => {
        await unlink(path).catch((error) => {
          const code = errnoCode(error);
          if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return;
          throw mapWriteError(key, error);
        });
      }),
    );
    await this.#removeEmptyParents(dirname(path));
  }

  async deleteMany(keys: Iterable<string>): Promise<void> {
    await mapConcurrent(keys, this.#maxConcurrency, (key) => this.delete(key));
  }

  async copy(sourceKey: string, targetKey: string, options: PutOptions = {}): Promise<PutResult> {
    assertValidKey(targetKey);
    const source = await this.getStream(sourceKey);
    try {
      return await this.put(targetKey, source, options);
    } finally {
      source.destroy(); // closes the file when the put failed before reading it all
    }
  }

  async close(): Promise<void> {}

  /** Validates `key` and finds where to write it, inside the root. */
  async #forWrite(key: string) {
    assertValidKey(key);
    return this.#retrying('resolve', () =>
      this.#boundary.forWrite(key).catch((error) => {
        throw mapWriteError(key, error);
      }),
    );
  }

  async #open(key: string): Promise<FileHandle> {
    assertValidKey(key);
    return this.#retrying('open', async () => {
      try {
        return await this.#boundary.openForRead(key);
      } catch (error) {
        throw mapReadError(key, error);
      }
    });
  }

  async #withOpenFile<T>(key: string, use: (handle: FileHandle, info: ObjectInfo) => Promise<T>): Promise<T> {
    const handle = await this.#open(key);
    try {
      return await use(handle, toObjectInfoOrNotFound(key, await handle.stat({ bigint: true })));
    } finally {
      await handle.close();
    }
  }

  /** Streams the body into a hidden temporary file beside the target; returns its path and etag. */
  async #writeTemp(
    key: string,
    target: string,
    body: Uint8Array | AsyncIterable<Uint8Array>,
    options: PutOptions,
  ): Promise<{ path: string; etag: string }> {
    const path = join(dirname(target), `${RESERVED_NAME_PREFIX}tmp-${randomBytes(8).toString('hex')}`);
    const handle = await this.#createExclusive(key, path);
    try {
      let written = 0;
      const chunks = body instanceof Uint8Array ? [body] : body;
      for await (const chunk of chunks) {
        options.signal?.throwIfAborted();
        let offset = 0;
        while (offset < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
        }
        written += chunk.byteLength;
        options.onProgress?.(written);
      }
      if (this.#fsync) await handle.sync();
      const etag = etagOf(await handle.stat({ bigint: true }));
      await handle.close();
      return { path, etag };
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(path).catch(() => undefined);
      throw error;
    }
  }

  async #createExclusive(key: string, path: string): Promise<FileHandle> {
    return this.#retrying('create', async () => {
      for (;;) {
        try {
          return await open(path, 'wx');
        } catch (error) {
          if (errnoCode(error) !== 'ENOENT') throw mapWriteError(key, error);
          await mkdir(dirname(path), { recursive: true }).catch((mkdirError) => {
            throw mapWriteError(key, mkdirError);
          });
        }
      }
    });
  }

  /** Under the key's lock: checks the precondition, then renames the temporary file into place. */
  async #commit(key: string, target: string, temp: { path: string; etag: string }, options: PutOptions) {
    return this.#retrying('put', () =>
      withKeyLock(target, this.#lockTiming, async () => {
        if (options.ifNoneMatch !== undefined || options.ifMatch !== undefined) {
          const current = await stat(target, { bigint: true }).catch((error) => {
            if (errnoCode(error) === 'ENOENT') return undefined;
            throw mapWriteError(key, error);
          });
          const currentEtag = current?.isFile() ? etagOf(current) : undefined;
          if (options.ifNoneMatch === '*' && currentEtag !== undefined) {
            throw new PreconditionFailedError(key, 'the key already exists');
          }
          if (options.ifMatch !== undefined && currentEtag !== options.ifMatch) {
            throw new PreconditionFailedError(
              key,
              currentEtag === undefined
                ? 'the key does not exist'
                : `etag is ${currentEtag}, not ${options.ifMatch}`,
            );
          }
        }
        await rename(temp.path, target).catch((error) => {
          throw mapWriteError(key, error);
        });
        return { etag: temp.etag };
      }),
    );
  }

  /** Removes directories left empty by a delete, up to the root, as S3 has no empty "folders". */
  async #removeEmptyParents(directory: string): Promise<void> {
    const root = await this.#boundary.realRoot();
    if (root === undefined) return;
    let current = directory;
    while (current.startsWith(root + sep)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty, already gone, or in use: stop here
      }
      current = dirname(current);
    }
  }

  #retrying<T>(operation: string, attempt: () => Promise<T>): Promise<T> {
    return withRetry(`file ${operation}`, this.#retry, isTransientFsError, attempt);
  }
}

function etagOf(info: BigIntStats): string {
  return `${info.ino.toString(16)}-${info.mtimeNs.toString(16)}-${info.size.toString(16)}`;
}

function toObjectInfo(key: string, info: BigIntStats): ObjectInfo {
  return { key, size: Number(info.size), etag: etagOf(info), lastModified: new Date(Number(info.mtimeMs)) };
}

function toObjectInfoOrNotFound(key: string, info: BigIntStats): ObjectInfo {
  if (!info.isFile()) throw mapReadError(key, Object.assign(new Error('not a file'), { code: 'EISDIR' }));
  return toObjectInfo(key, info);
}

function checkIfMatch(key: string, info: ObjectInfo, ifMatch: string | undefined): void {
  if (ifMatch !== undefined && info.etag !== ifMatch) {
    throw new PreconditionFailedError(key, `etag is ${info.etag}, not ${ifMatch}`);
  }
}
