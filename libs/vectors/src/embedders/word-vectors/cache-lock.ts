import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** How often the holder touches its lock file. */
const HEARTBEAT_MS = 2_000;
/**
 * A lock file untouched for this long is abandoned (its holder died on another host, or hangs).
 * Generous: the holder's event loop stalls for seconds while it parses the source JSON.
 */
const STALE_MS = 60_000;
/** How often a waiter looks at the lock file. */
const POLL_MS = 200;

/**
 * A lock file (created with O_EXCL) that lets one process of many, on this host or sharing the
 * directory over a network file system, do an expensive job while the others wait. It holds the
 * holder's pid and host; the holder refreshes its modification time every 2 s. A lock whose holder
 * is a dead process of this host, or that nobody refreshed for 60 s, is abandoned: a waiter removes
 * it and competes again. Two processes may then rarely both do the job, so the job itself must be
 * safe to repeat (the cache is written to a temporary file and renamed into place).
 */
export class CacheLock {
  readonly #path: string;
  readonly #heartbeat: NodeJS.Timeout;

  private constructor(path: string) {
    this.#path = path;
    this.#heartbeat = setInterval(() => {
      const now = new Date();
      utimes(path, now, now).catch(() => {});
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  /** Takes the lock at `path`, or answers undefined when another process holds it. */
  static async tryAcquire(path: string): Promise<CacheLock | undefined> {
    let file: Awaited<ReturnType<typeof open>>;
    try {
      file = await open(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw error;
    }
    try {
      await file.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
    } finally {
      await file.close();
    }
    return new CacheLock(path);
  }

  /** Waits until nobody holds the lock at `path`, removing it when it is abandoned. */
  static async waitUntilFree(path: string): Promise<void> {
    for (;;) {
      let modified: number;
      try {
        modified = (await stat(path)).mtimeMs;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      if (Date.now() - modified > STALE_MS || (await holderIsDead(path))) {
        await unlink(path).catch(() => {});
        return;
      }
      await sleep(POLL_MS);
    }
  }

  /** Gives the lock up. */
  async release(): Promise<void> {
    clearInterval(this.#heartbeat);
    await unlink(this.#path).catch(() => {});
  }
}

/** Whether the lock's holder is a process of this host that no longer runs. */
async function holderIsDead(path: string): Promise<boolean> {
  let holder: { pid?: unknown; host?: unknown };
  try {
    holder = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return false; // gone, or not written yet: judged by its age
  }
  if (holder.host !== hostname() || typeof holder.pid !== 'number') return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
