import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type ObjectStore, openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitLock } from '../../src/commit/commit-lock.js';
import { CommitConflictError } from '../../src/errors.js';

describe('the commit lease lock', () => {
  let dir: string;
  let store: ObjectStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-vectors-lock-'));
    store = openStore(`file://${dir}`);
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lets one holder in at a time; the next gets in once it is released', async () => {
    const first = new CommitLock(store, 'a.lock');
    const second = new CommitLock(store, 'a.lock', { backoff: { baseMs: 5, maxMs: 20 } });
    await first.acquire();
    let secondIn = false;
    const waiting = second.acquire().then(() => {
      secondIn = true;
    });
    await delay(150);
    expect(secondIn).toBe(false);
    await first.release();
    await waiting;
    expect(second.held).toBe(true);
    await second.release();
  });

  it('renews a held lease, so a waiter stays out past the lease time', async () => {
    const holder = new CommitLock(store, 'b.lock', { leaseMs: 200, renewEveryMs: 40 });
    const waiter = new CommitLock(store, 'b.lock', { maxWaitMs: 600, backoff: { baseMs: 5, maxMs: 20 } });
    await holder.acquire();
    await expect(waiter.acquire()).rejects.toThrow(CommitConflictError);
    expect(holder.lostSignal?.aborted).toBe(false);
    await holder.release();
  });

  it("takes over the lease of a holder that died (stopped renewing); the old holder's late release frees nothing", async () => {
    const dead = new CommitLock(store, 'c.lock', { leaseMs: 150, renewEveryMs: 60_000 });
    await dead.acquire();
    const next = new CommitLock(store, 'c.lock', { leaseMs: 10_000, backoff: { baseMs: 10, maxMs: 40 } });
    const started = Date.now();
    await next.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    // the old holder's late release does not free the new holder's lease
    await dead.release();
    const third = new CommitLock(store, 'c.lock', { maxWaitMs: 200, backoff: { baseMs: 5, maxMs: 20 } });
    await expect(third.acquire()).rejects.toThrow(CommitConflictError);
    await next.release();
    await third.acquire();
    await third.release();
  });

  it('stops waiting when its signal aborts', async () => {
    const holder = new CommitLock(store, 'd.lock');
    await holder.acquire();
    const waiter = new CommitLock(store, 'd.lock');
    await expect(waiter.acquire(AbortSignal.timeout(100))).rejects.toThrow(/abort|timeout/i);
    await holder.release();
  });
});
