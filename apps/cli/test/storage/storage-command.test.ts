import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createUniqueBucket } from '@isthmus/services';
import { s3Environment } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli } from '../support/run-cli-in-process.js';

describe('isthmus storage (against the real RGW and a local directory)', () => {
  let dir: string;
  let bucket: string;
  let savedEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const s3 = inject('s3');
    savedEnv = { ...process.env };
    Object.assign(process.env, s3Environment(s3));
    bucket = await createUniqueBucket(s3, 'cli');
    dir = await mkdtemp(join(tmpdir(), 'isthmus-cli-'));
  });
  afterAll(async () => {
    process.env = savedEnv;
    await rm(dir, { recursive: true, force: true });
  });

  it('copies a local file to S3 and back, byte for byte, and lists it', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(join(dir, 'input.bin'), bytes);
    expect((await cli('storage', 'cp', join(dir, 'input.bin'), `s3://${bucket}/data/`)).code).toBe(0);
    expect((await cli('storage', 'cp', `s3://${bucket}/data/input.bin`, join(dir, 'output.bin'))).code).toBe(
      0,
    );
    expect((await readFile(join(dir, 'output.bin'))).equals(bytes)).toBe(true);

    const listing = await cli('storage', 'ls', `s3://${bucket}/`);
    expect(listing.stdout.toString()).toMatch(/PRE\s+data\//);
    const recursive = await cli('storage', 'ls', '-r', `s3://${bucket}/data/`);
    expect(recursive.stdout.toString()).toMatch(new RegExp(`${bytes.length}\\s+\\S+\\s+data/input\\.bin`));
  });

  it('prints a byte range with cat', async () => {
    await writeFile(join(dir, 'text.txt'), 'hello, isthmus');
    await cli('storage', 'cp', join(dir, 'text.txt'), `s3://${bucket}/text.txt`);
    const result = await cli('storage', 'cat', `s3://${bucket}/text.txt`, '--range', '7-13');
    expect(result.stdout.toString()).toBe('isthmus');
  });

  it('copies and removes prefixes recursively, with a progress line when asked', async () => {
    for (const name of ['a', 'b', 'c']) await writeFile(join(dir, `tree-${name}`), name.repeat(1000));
    await cli('storage', 'cp', join(dir, 'tree-a'), `s3://${bucket}/tree/x/a`);
    await cli('storage', 'cp', join(dir, 'tree-b'), `s3://${bucket}/tree/x/b`);
    await cli('storage', 'cp', join(dir, 'tree-c'), `s3://${bucket}/tree/c`);
    const copy = await cli('storage', 'cp', '-r', '--progress', `s3://${bucket}/tree`, join(dir, 'copied'));
    expect(copy.code).toBe(0);
    expect(copy.stderr).toMatch(/3 object\(s\) \[#+\] 100%/);
    expect(await readFile(join(dir, 'copied', 'x', 'b'), 'utf8')).toBe('b'.repeat(1000));

    expect((await cli('storage', 'rm', '-r', `s3://${bucket}/tree/`)).code).toBe(0);
    expect((await cli('storage', 'ls', '-r', `s3://${bucket}/tree/`)).stdout.toString()).toBe('');
  });

  it('exits 1 with the error code on a missing object, and 2 on bad usage', async () => {
    const missing = await cli('storage', 'rm', `s3://${bucket}/no/such/key`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ERR_STORAGE_NOT_FOUND');
    expect((await cli('storage', 'cat', `s3://${bucket}/x`, '--range', 'nonsense')).code).toBe(2);
    expect((await cli('storage', 'frobnicate')).code).toBe(2);
  });

  it('runs as a process, with --help and exit codes', async () => {
    const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, [
        '--conditions=@isthmus/source',
        '--import',
        'tsx',
        main,
        ...args,
      ]).then(
        (result) => ({ code: 0, ...result }),
        (error) => ({
          code: error.code as number,
          stdout: error.stdout as string,
          stderr: error.stderr as string,
        }),
      );
    const help = await run('storage', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('isthmus storage cp ./ce.fa s3://bucket/genomes/');
    const missing = await run('storage', 'cat', join(dir, 'absent'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ERR_STORAGE_NOT_FOUND');
  });
});
