import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../../src/fs/fs-store.js';

const RACER = fileURLToPath(new URL('./cross-process-racer.ts', import.meta.url));

/** What one racer process reports: its writers' wins and when it raced (wall-clock ms). */
interface RaceReport {
  wins: number;
  started: number;
  ended: number;
}

/** Starts a racer process; `ready` resolves once it waits for `go()`, `report` once it is done. */
function startRacer(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', RACER, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  let onReady: () => void;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (output.startsWith('ready\n')) onReady();
  });
  const report = new Promise<RaceReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`racer exited with ${code}: ${output}`));
      else resolve(JSON.parse(output.slice('ready\n'.length)) as RaceReport);
    });
  });
  return { ready, report, go: () => child.stdin.end('go\n') };
}

/** Where the store keeps the lock of `directory/name` (the layout is part of the on-disk format). */
function lockFileOf(root: string, directory: string, name: string): string {
  return join(root, directory, `.isthmus-lock-${createHash('sha1').update(name).digest('hex')}`);
}

describe('FileObjectStore specifics', () => {
  let root: string;
  let store: FileObjectStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'isthmus-fs-'));
    store = new FileObjectStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('lets exactly one writer win a compare-and-swap race across 4 processes racing at once', async () => {
    const { etag } = await store.put('shared/counter', 'start');
    const racers = [0, 1, 2, 3].map((processId) =>
      startRacer([root, 'shared/counter', etag, String(processId), '8']),
    );
    await Promise.all(racers.map((racer) => racer.ready));
    for (const racer of racers) racer.go();
    const reports = await Promise.all(racers.map((racer) => racer.report));
    // Every process was still racing when the last one started: the race really was across processes.
    expect(Math.max(...reports.map((report) => report.started))).toBeLessThan(
      Math.min(...reports.map((report) => report.ended)),
    );
    expect(reports.reduce((sum, report) => sum + report.wins, 0)).toBe(1);
    expect(Buffer.from(await store.get('shared/counter')).toString()).toMatch(/^process \d writer \d$/);
  }, 60_000);

  it('stores keys as paths below the root, and leaves no temporary or lock files behind', async () => {
    await store.put('a/b/c.txt', 'x');
    await store.put('a/b/c.txt', 'y', { ifMatch: (await store.head('a/b/c.txt')).etag });
    expect(await readdir(join(root, 'a', 'b'))).toEqual(['c.txt']);
  });

  it('removes a failed write without a trace', async () => {
    await store.put('keep/old', 'old');
    async function* failing() {
      yield Buffer.from('partial');
      throw new Error('source broke');
    }
    await expect(store.put('keep/old', Readable.from(failing()))).rejects.toThrow('source broke');
    expect(Buffer.from(await store.get('keep/old')).toString()).toBe('old');
    expect(await readdir(join(root, 'keep'))).toEqual(['old']);
  });

  it('aborts a write on signal, keeping the old version', async () => {
    await store.put('abort/me', 'old');
    const controller = new AbortController();
    async function* slow() {
      yield Buffer.from('new');
      controller.abort(new Error('stop'));
      yield Buffer.from('more');
    }
    await expect(
      store.put('abort/me', Readable.from(slow()), { signal: controller.signal }),
    ).rejects.toThrow();
    expect(Buffer.from(await store.get('abort/me')).toString()).toBe('old');
  });

  it('breaks a lock left by a dead process once it is stale', async () => {
    const quick = new FileObjectStore(root, { lockTiming: { staleAfterMs: 200, acquireTimeoutMs: 5_000 } });
    await quick.put('locked/key', 'v1');
    const lockPath = lockFileOf(root, 'locked', 'key');
    await writeFile(lockPath, '99999\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    await quick.put('locked/key', 'v2');
    expect(Buffer.from(await quick.get('locked/key')).toString()).toBe('v2');
  });

  it('times out, loudly, on a live lock', async () => {
    const impatient = new FileObjectStore(root, {
      lockTiming: { staleAfterMs: 60_000, acquireTimeoutMs: 300 },
    });
    await impatient.put('busy/key', 'v1');
    await writeFile(lockFileOf(root, 'busy', 'key'), `${process.pid}\n`);
    await expect(impatient.put('busy/key', 'v2')).rejects.toMatchObject({ code: 'ERR_STORAGE_UNAVAILABLE' });
  });

  it('removes directories emptied by deletes, as S3 has no empty folders', async () => {
    await store.put('deep/er/still/key', 'x');
    await store.delete('deep/er/still/key');
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses a key that collides with a prefix on a file system', async () => {
    await store.put('both/child', 'x');
    await expect(store.put('both', 'y')).rejects.toMatchObject({ code: 'ERR_STORAGE_INVALID_KEY' });
  });
});
