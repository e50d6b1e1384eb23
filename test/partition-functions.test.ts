import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildBundle, createBackend, executor, results, SlurmBackend } from '@isthmus/faas';
import { samplePath } from '@isthmus/fixtures';
import { openDataset, partitionFunctionsEntry } from '@isthmus/partition';
import type * as PartitionFunctions from '@isthmus/partition/functions';
import { createUniqueBucket } from '@isthmus/services';
import { openStore, s3Environment } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);

// The partition library's index pass and partition reads as functions, on the HPC stack (Slurm
// job arrays), the embedded pool and the cloud stack's function runtimes, against data in the real S3 server, checked
// against samtools as an independent oracle.
describe('partition functions on Slurm, the local pool, HTTP runtimes and Lambda, data in S3', () => {
  const s3 = inject('s3');
  const env = s3Environment(s3);
  let bucket: string;
  let dir: string;
  let samtoolsCount: number;

  beforeAll(async () => {
    Object.assign(process.env, env);
    bucket = await createUniqueBucket(s3, 'e2e-partition');
    const store = openStore(`s3://${bucket}`, { s3 });
    await store.put('reads/ecoli.bam', await readFile(samplePath('bam/ecoli_nanopore.bam')));
    await store.close();
    dir = await mkdtemp(join(tmpdir(), 'isthmus-e2e-partition-'));
    samtoolsCount = Number(
      (await run('samtools', ['view', '-c', samplePath('bam/ecoli_nanopore.bam')])).stdout,
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the index pass as a Slurm job, then reads partitions as a job array; counts match samtools', async () => {
    const bundle = await buildBundle({ entry: partitionFunctionsEntry(), outDir: join(dir, 'bundle') });
    const storage = openStore(`s3://${bucket}/faas`, { s3 });
    const backend = new SlurmBackend({ env: { ...inject('slurm'), ...env }, workDir: join(dir, 'slurm') });
    const ex = await executor<typeof PartitionFunctions>({ backend, bundle, storage });
    try {
      const url = `s3://${bucket}/reads/ecoli.bam`;
      const index = ex.call('indexDataset', { url });
      const report = await index.result();
      expect(report).toMatchObject({ format: 'bam', origin: 'built' });
      expect(report.summary.records).toBe(samtoolsCount);
      // the Slurm array task that ran it, as the job saw itself: <job id>_<index>
      expect(index.stats?.job).toMatch(/^\d+_0$/);
      const [indexJob] = index.stats!.job!.split('_');

      const dataset = await openDataset(url, { storeOptions: { s3 } });
      const partitions = await dataset.partition({ by: 'count', count: 4 });
      expect(dataset.indexOrigin).toBe('sidecar');
      expect(partitions.length).toBeGreaterThan(1);
      const reads = ex.map('countRecords', partitions);
      const total = await ex.call('total', await results(reads)).result();
      expect(total).toBe(samtoolsCount);
      // every partition was read by a task of one job array (<job>_<index>, indices 0..n-1), after
      // the index job
      for (const read of reads) expect(read.stats?.job).toMatch(/^\d+_\d+$/);
      const tasks = reads.map((read) => read.stats!.job!.split('_'));
      const arrays = new Set(tasks.map(([job]) => job));
      expect(arrays.size).toBe(1);
      expect([...arrays][0]).not.toBe(indexJob);
      expect(tasks.map(([, at]) => Number(at)).sort((a, b) => a - b)).toEqual(partitions.map((_, at) => at));
      await dataset.close();
    } finally {
      await ex.close();
      await storage.close();
    }
  });

  it.each(['local', 'http', 'lambda'])(
    'plans on a worker and reads on the %s backend with the same answer',
    async (name) => {
      const bundle = await buildBundle({
        entry: partitionFunctionsEntry(),
        outDir: join(dir, `bundle-${name}`),
      });
      const ex = await executor<typeof PartitionFunctions>({ backend: createBackend(name, { env }), bundle });
      try {
        const url = `s3://${bucket}/reads/ecoli.bam`;
        const partitions = await ex.call('planDataset', { url, strategy: { by: 'region' } }).result();
        expect(partitions.map((partition) => partition.format)).toContain('bam');
        expect(await ex.mapReduce('countRecords', partitions, 'total')).toBe(samtoolsCount);
      } finally {
        await ex.close();
      }
    },
  );
});
