import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceFunctionsEntry } from '@isthmus/faas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/run-cli-in-process.js';

const FUNCTIONS = conformanceFunctionsEntry();

describe('isthmus faas', () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-cli-faas-'));
    bundle = join(dir, 'bundle');
    const built = await cli('faas', 'build', FUNCTIONS, '-o', bundle);
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(/bundled \d+ function\(s\): .*square/);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('maps over inputs in order, and reduces', async () => {
    const mapped = await cli('faas', 'run', bundle, 'square', '-i', '3', '-i', '4', '-i', '5');
    expect(mapped.stdout.toString()).toBe('9\n16\n25\n');
    const reduced = await cli(
      'faas',
      'run',
      bundle,
      'square',
      '-i',
      '3',
      '-i',
      '4',
      '--reduce',
      'sum',
      '--backend',
      'http',
    );
    expect(reduced.stdout.toString()).toBe('25\n');
  });

  it('writes stats that faas stats summarises, with a progress line', async () => {
    const stats = join(dir, 'stats.json');
    const run = await cli(
      'faas',
      'run',
      bundle,
      'sleep',
      '-i',
      '20',
      '-i',
      '30',
      '--stats',
      stats,
      '--progress',
    );
    expect(run.stderr).toMatch(/sleep on local \[#+\] 100% 2\/2 tasks/);
    const records = JSON.parse(await readFile(stats, 'utf8'));
    expect(records.map((record: { state: string }) => record.state)).toEqual(['succeeded', 'succeeded']);
    expect(records[1].stats.runMs).toBeGreaterThanOrEqual(25);
    const summary = (await cli('faas', 'stats', stats, '--tasks')).stdout.toString();
    expect(summary).toMatch(/tasks\s+2 \(2 succeeded\)/);
    expect(summary).toMatch(/run ms\s+p50/);
  });

  it('reports failures per input and exits 1; unknown functions before running', async () => {
    const failed = await cli('faas', 'run', bundle, 'fail', '-i', '"boom"', '--retries', '0');
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout.toString())).toMatchObject({ error: { code: 'ERR_FAAS_REMOTE' } });
    const missing = await cli('faas', 'run', bundle, 'nope', '-i', '1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ERR_FAAS_MISSING_EXPORT');
    expect((await cli('faas', 'run', bundle, 'square')).code).toBe(2);
  });

  it('packages a bundle into deployable units', async () => {
    const packaged = await cli('faas', 'package', bundle, '-o', join(dir, 'deploy'));
    expect(packaged.code).toBe(0);
    expect(packaged.stdout.toString()).toContain('lambda.zip');
    expect(
      JSON.parse(await readFile(join(dir, 'deploy', 'function-source', 'package.json'), 'utf8')),
    ).toMatchObject({ main: 'index.js' });
  });
});
