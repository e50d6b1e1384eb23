import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, open, readdir, rename, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pythonJson, samplePath } from '@isthmus/fixtures';
import { createUniqueBucket } from '@isthmus/services';
import { type ObjectStore, openStore, s3Environment } from '@isthmus/storage';
import { afterAll, describe, expect, inject, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../tools/demo/src/main.ts', import.meta.url));

async function runDemo(args: string[], env: NodeJS.ProcessEnv = {}) {
  return promisify(execFile)(
    process.execPath,
    ['--conditions=@isthmus/source', '--import', 'tsx', DEMO, ...args],
    {
      env: { ...process.env, ...env },
    },
  );
}

interface Manifest {
  run: number;
  samples: Array<{ key: string; bytes: number; verified: boolean; rangesRead: number }>;
  partitioned: Array<{
    key: string;
    partitions: number;
    records: number;
    gcContent?: number;
    matches: boolean;
  }>;
}

/** GC content of the FASTQ.gz sample in Debian's Python standard library: the independent oracle. */
const PYTHON_GC = `
import gzip, json, sys
with gzip.open(sys.argv[1], 'rt') as f:
    sequences = f.read().splitlines()[1::4]
bases = sum(len(s) for s in sequences)
gc = sum(s.upper().count('G') + s.upper().count('C') for s in sequences)
print(json.dumps({'reads': len(sequences), 'gcFraction': gc / bases}))
`;

async function readManifest(store: ObjectStore): Promise<Manifest> {
  return JSON.parse(Buffer.from(await store.get('manifest.json')).toString());
}

/**
 * A competing writer of the demo's run counter (`runs/counter.json`) on a file:// store, in the
 * middle of its write: it holds the counter's lock file, which every writer of the key creates
 * with O_EXCL beside it (`.isthmus-lock-<sha1 of the name>`, the file store's on-disk format), so
 * the demo's own write of the counter waits until `commit` has written `run` and let go.
 */
async function competeForCounter(dir: string) {
  const runs = join(dir, 'runs');
  const lock = join(runs, `.isthmus-lock-${createHash('sha1').update('counter.json').digest('hex')}`);
  await (await open(lock, 'wx')).close();
  let released = false;
  // Keep the lock fresh: the store breaks a lock older than 10 s as left by a dead process.
  const keepFresh = setInterval(() => {
    const now = new Date();
    void utimes(lock, now, now).catch(() => undefined);
  }, 1_000);
  return {
    /** Resolves once a writer has staged its next counter (a temporary file beside it) and waits for the lock. */
    async writerWaiting(): Promise<void> {
      while (!released && !(await readdir(runs)).some((name) => name.startsWith('.isthmus-tmp-'))) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    /** Writes `run` as the counter's new version (temporary file, then rename) and releases the lock. */
    async commit(run: number): Promise<void> {
      const staged = join(runs, 'counter.json.competitor');
      await writeFile(staged, JSON.stringify({ run, at: new Date().toISOString() }));
      await rename(staged, join(runs, 'counter.json'));
      await this.release();
    },
    async release(): Promise<void> {
      released = true;
      clearInterval(keepFresh);
      await unlink(lock).catch(() => undefined);
    },
  };
}

describe('npm run demo, end to end', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('runs on a file:// store (HPC stack) and counts its runs with compare-and-swap', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isthmus-demo-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const first = await runDemo(['--store', `file://${dir}`]);
    expect(first.stdout).toContain('demo OK');
    expect(first.stdout).toContain('run #1:');
    // Retrieval-augmented answers over a dozen manual pages, from a table in the same store.
    expect(first.stdout).toMatch(/retrieval-augmented answers: 12 manual pages, \d+ chunks/);
    expect(first.stdout.match(/^Q: /gm)).toHaveLength(3);
    expect(first.stdout).toContain(`the vector table lives at file://${dir}/rag/man`);
    // the run's events, produced through one broker, all read back through a fresh one on the same store
    expect(first.stdout).toMatch(
      /^streams: (\d+) events of this run produced through broker \d+, \1 read back through broker \d+/m,
    );

    // The second run reads run 1, stages run 2 and waits for the counter's lock; meanwhile a
    // competing writer takes run 2. A compare-and-swap write now fails on the changed etag and the
    // run starts over with 3; a plain overwrite would take 2 a second time.
    const competitor = await competeForCounter(dir);
    try {
      const second = runDemo(['--store', `file://${dir}`]);
      await Promise.race([competitor.writerWaiting(), second]);
      await competitor.commit(2);
      expect((await second).stdout).toContain('run #3:');
    } finally {
      await competitor.release();
    }

    const store = openStore(`file://${dir}`);
    expect(JSON.parse(Buffer.from(await store.get('runs/counter.json')).toString())).toMatchObject({
      run: 3,
    });
    const manifest = await readManifest(store);
    expect(manifest.run).toBe(3);
    expect(manifest.samples.map((sample) => sample.key)).toEqual([
      'samples/1kg.vcf.gz',
      'samples/1kg.vcf.gz.tbi',
      'samples/ERR127302_2_subset.fastq.gz',
      'samples/ce.fa',
      'samples/ce.fa.fai',
    ]);
    expect(manifest.samples.every((sample) => sample.verified)).toBe(true);
    expect(manifest.samples.find((sample) => sample.key === 'samples/ce.fa')).toMatchObject({
      bytes: 1_060_702,
      rangesRead: 5,
    });
    // GC content over the FASTQ.gz's partitions, as functions: equal to Python's over the whole file.
    const python = await pythonJson<{ reads: number; gcFraction: number }>(
      PYTHON_GC,
      samplePath('fastq/ERR127302_2_subset.fastq.gz'),
    );
    const fastq = manifest.partitioned.find((entry) => entry.key === 'samples/ERR127302_2_subset.fastq.gz');
    expect(fastq).toMatchObject({ partitions: 4, records: python.reads, matches: true });
    expect(fastq!.gcContent).toBeCloseTo(python.gcFraction, 12);
    expect(manifest.partitioned.every((entry) => entry.matches)).toBe(true);
  });

  it('runs the same job on the local Ceph RGW (cloud stack)', async () => {
    const s3 = inject('s3');
    const bucket = await createUniqueBucket(s3, 'demo-e2e');
    const result = await runDemo(['--store', `s3://${bucket}/run`], s3Environment(s3));
    expect(result.stdout).toContain(`store s3://${bucket}/run`);
    expect(result.stdout).toContain(`the vector table lives at s3://${bucket}/run/rag/man`);
    const store = openStore(`s3://${bucket}/run`, { s3 });
    cleanups.push(() => store.close());
    const manifest = await readManifest(store);
    expect(manifest.run).toBe(1);
    expect(manifest.samples).toHaveLength(5);
    expect(manifest.samples.every((sample) => sample.verified)).toBe(true);
  });

  it('runs the functions on Slurm, the HPC stack for real', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isthmus-demo-slurm-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const result = await runDemo(['--store', `file://${dir}`, '--backend', 'slurm'], inject('slurm'));
    expect(result.stdout).toContain('functions on slurm');
    const manifest = await readManifest(openStore(`file://${dir}`));
    expect(manifest.samples.every((sample) => sample.verified)).toBe(true);
  });

  it('refuses an unknown stack with usage and exit code 2', async () => {
    await expect(runDemo(['--stack', 'mainframe'])).rejects.toMatchObject({ code: 2 });
  });
});
