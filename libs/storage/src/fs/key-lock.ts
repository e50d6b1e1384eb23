import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StorageUnavailableError } from '../errors.js';
import { RESERVED_NAME_PREFIX } from '../keys.js';
import { errnoCode } from './fs-errors.js';

/** Timing of per-key locks on a file-system store. */
export interface KeyLockTiming {
  /** A lock file older than this is taken to be left by a dead process and broken. */
  staleAfterMs: number;
  /** Give up acquiring after this long. */
  acquireTimeoutMs: number;
}

/** Defaults: critical sections last microseconds, so 10 s old is certainly stale. */
export const DEFAULT_KEY_LOCK_TIMING: KeyLockTiming = { staleAfterMs: 10_000, acquireTimeoutMs: 30_000 };

/**
 * Holds the lock of the file at `path` for the duration of `critical`. The lock is a file created
 * with O_EXCL beside the target, so it excludes writers in other processes (and on other nodes of a
 * parallel file system that honours O_EXCL) as well as in this one.
 */
export async function withKeyLock<T>(
  path: string,
  timing: KeyLockTiming,
  critical: () => Promise<T>,
): Promise<T> {
  const lockPath = lockPathOf(path);
  await acquire(lockPath, timing);
  try {
    return await critical();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}

function lockPathOf(path: string): string {
  const digest = createHash('sha1').update(basename(path)).digest('hex');
  return join(dirname(path), `${RESERVED_NAME_PREFIX}lock-${digest}`);
}

async function acquire(lockPath: string, timing: KeyLockTiming): Promise<void> {
  const deadline = Date.now() + timing.acquireTimeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return;
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT') {
        await mkdir(dirname(lockPath), { recursive: true });
        continue;
      }
      if (code !== 'EEXIST') throw error;
    }
    await breakIfStale(lockPath, timing.staleAfterMs);
    if (Date.now() > deadline) {
      throw new StorageUnavailableError(`lock ${lockPath}`, attempt + 1, {
        cause: new Error(`lock still held after ${timing.acquireTimeoutMs} ms`),
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 1 + attempt)));
  }
}

async function breakIfStale(lockPath: string, staleAfterMs: number): Promise<void> {
  const info = await stat(lockPath).catch(() => undefined);
  if (!info || Date.now() - info.mtimeMs < staleAfterMs) return;
  // Renaming first means only one of several breakers removes it.
  const aside = `${lockPath}-stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
    await unlink(aside);
  } catch {
    // another process broke or released it first
  }
}
