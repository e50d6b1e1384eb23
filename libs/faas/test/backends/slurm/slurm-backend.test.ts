import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openStore } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SlurmBackend } from '../../../src/backends/slurm/slurm-backend.js';
import { buildBundle } from '../../../src/bundle/build-bundle.js';
import type { Bundle } from '../../../src/bundle/bundle.js';
import { executor } from '../../../src/executor.js';
import { writeSlurmScript } from '../../../src/packaging/slurm-script.js';
import { PROTOCOL_VERSION, type TaskEnvelope } from '../../../src/runtime/protocol.js';
import { envelopeKeyOf, outcomeKeyOf } from '../../../src/runtime/task-keys.js';
import { describeBackendConformance } from '../../../src/testing/index.js';
import type * as Functions from '../../fixtures/functions.js';
import { fileStore, rgwStore } from '../../support/conformance-stores.js';
import { Latch } from '../../support/latch.js';

const run = promisify(execFile);
const FUNCTIONS = fileURLToPath(new URL('../../fixtures/functions.ts', import.meta.url));

/** SLURM_CONF of the cluster tools/services/slurm.sh started (see the vitest global setup). */
function slurmEnv(): NodeJS.ProcessEnv {
  return inject('slurm');
}

describeBackendConformance({
  name: 'slurm (job arrays)',
  stores: [fileStore, rgwStore],
  backend: (env) => new SlurmBackend({ env: { ...slurmEnv(), ...env } }),
});

describe('Slurm backend: what only a batch system can show', () => {
  let dir: string;
  let bundle: Bundle;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-slurm-'));
    bundle = await buildBundle({ entry: FUNCTIONS, outDir: join(dir, 'bundle') });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('submits tasks that arrive together as one job array, named for this backend', async () => {
    const backend = new SlurmBackend({ env: slurmEnv(), workDir: join(dir, 'work-array') });
    expect(backend.jobName).toMatch(/^isthmus-[0-9a-f]{6}$/);
    expect(new SlurmBackend().jobName).not.toBe(backend.jobName);
    const ex = await executor<typeof Functions>({
      backend,
      bundle,
      storage: openStore(`file://${dir}/store-array`),
    });
    const futures = ex.map(
      'square',
      Array.from({ length: 16 }, (_, i) => i),
    );
    const values = await Promise.all(futures.map((future) => future.result()));
    expect(values).toEqual(Array.from({ length: 16 }, (_, i) => i * i));
    // each task says which array task ran it: one job, indices 0..15
    const jobs = futures.map((future) => future.stats?.job?.split('_'));
    expect(new Set(jobs.map((job) => job?.[0])).size).toBe(1);
    expect(jobs.map((job) => Number(job?.[1])).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 16 }, (_, i) => i),
    );
    const scripts = (await run('ls', [join(dir, 'work-array')])).stdout
      .split('\n')
      .filter((name) => name.endsWith('.sh'));
    expect(scripts).toHaveLength(1);
    const script = await readFile(join(dir, 'work-array', scripts[0]!), 'utf8');
    expect(script).toContain('#SBATCH --array=0-15');
    expect(script).toContain(`#SBATCH --job-name=${backend.jobName}\n`);
    await ex.close();
  });

  it('retries a task whose job was killed (as on a node failure)', async () => {
    const env = slurmEnv();
    const backend = new SlurmBackend({ env, workDir: join(dir, 'work-kill') });
    const storage = openStore(`file://${dir}/store-kill`);
    const ex = await executor<typeof Functions>({ backend, bundle, storage, retries: 1 });
    const latch = new Latch(storage, 'kill');
    const future = ex.call('hold', latch.input);
    await latch.started(1); // the first attempt runs in its job
    // this backend's own job, by its name: never another test's
    const { stdout } = await run('squeue', ['-h', '-n', backend.jobName, '-t', 'RUNNING', '-o', '%i'], {
      env: { ...process.env, ...env },
    });
    const running = stdout.split('\n').filter(Boolean);
    expect(running).toHaveLength(1);
    await run('scancel', [running[0]!], { env: { ...process.env, ...env } });
    await latch.started(2); // the retry runs, in a job of its own, once the first one ended
    await latch.release();
    expect(await future.result()).toBe(latch.input.release);
    expect(future.stats?.attempts).toBe(2);
    expect(future.stats?.job).toMatch(/^\d+_0$/);
    expect(future.stats?.job).not.toBe(running[0]);
    await ex.close();
  });

  it('runs tasks from the packaged batch script, sbatched by hand', async () => {
    const store = openStore(`file://${dir}/store-hand`);
    const keys: string[] = [];
    for (const n of [6, 7]) {
      const envelope: TaskEnvelope = {
        protocol: PROTOCOL_VERSION,
        taskId: `hand${n}`,
        fn: 'square',
        input: { inline: String(n) },
        store: store.url,
        inlineLimitBytes: 65536,
        resultKey: `hand/${n}`,
      };
      await store.put(envelopeKeyOf(envelope.resultKey), JSON.stringify(envelope));
      keys.push(envelopeKeyOf(envelope.resultKey));
    }
    await writeFile(join(dir, 'hand.keys'), `${keys.join('\n')}\n`);
    const script = await writeSlurmScript(bundle, join(dir, 'isthmus-tasks.sh'), join(dir, 'hand-logs'));
    await run('mkdir', ['-p', join(dir, 'hand-logs')]);
    await run('sbatch', ['--wait', '--array=0-1', script, store.url, join(dir, 'hand.keys')], {
      env: { ...process.env, ...slurmEnv() },
    });
    const outcomes = await Promise.all(
      [6, 7].map(async (n) => JSON.parse(Buffer.from(await store.get(outcomeKeyOf(`hand/${n}`))).toString())),
    );
    expect(outcomes.map((outcome) => outcome.output)).toEqual([{ inline: '36' }, { inline: '49' }]);
  });

  it('says how to start Slurm when it is not installed or not running, without hanging', async () => {
    await expect(
      executor({
        backend: new SlurmBackend({ env: { PATH: '/nonexistent' } }),
        bundle,
        storage: openStore(`file://${dir}/none`),
      }),
    ).rejects.toMatchObject({
      code: 'ERR_FAAS_BACKEND_UNAVAILABLE',
      message: expect.stringContaining('slurm.sh start'),
    });

    const conf = (await readFile(slurmEnv().SLURM_CONF!, 'utf8'))
      .replace(/^SlurmctldPort=.*$/m, '')
      .concat('\nSlurmctldPort=1\nMessageTimeout=2\n');
    await writeFile(join(dir, 'unreachable.conf'), conf);
    // Slurm's clients get a time limit: an unreachable controller fails within the test's time
    await expect(
      executor({
        backend: new SlurmBackend({ env: { SLURM_CONF: join(dir, 'unreachable.conf') } }),
        bundle,
        storage: openStore(`file://${dir}/none`),
      }),
    ).rejects.toMatchObject({
      code: 'ERR_FAAS_BACKEND_UNAVAILABLE',
      message: expect.stringContaining('slurm.sh start'),
    });
  });
});
