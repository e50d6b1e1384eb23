import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createUniqueBucket } from '@isthmus/services';
import { type ObjectStore, openStore } from '@isthmus/storage';
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
}

async function readManifest(store: ObjectStore): Promise<Manifest> {
  return JSON.parse(Buffer.from(await store.get('manifest.json')).toString());
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
    await runDemo(['--store', `file://${dir}`]);

    const store = openStore(`file://${dir}`);
    const manifest = await readManifest(store);
    expect(manifest.run).toBe(2);
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
  });

  it('runs the same job on the local Ceph RGW (cloud stack)', async () => {
    const s3 = inject('s3');
    const bucket = await createUniqueBucket(s3, 'demo-e2e');
    const result = await runDemo(['--store', `s3://${bucket}/run`], {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      AWS_REGION: s3.region,
    });
    expect(result.stdout).toContain(`store s3://${bucket}/run`);
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
