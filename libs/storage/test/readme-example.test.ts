import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const LIBRARY = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = join(LIBRARY, 'examples', 'quick-start.ts');

it('runs the README example as printed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'isthmus-readme-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--conditions=@isthmus/source',
      '--import',
      'tsx',
      EXAMPLE,
      `file://${dir}`,
    ]);
    expect(stdout).toContain("key: 'genomes/ce.fa'");
    expect(stdout.trim().split('\n').at(-1)).toBe('>chrI');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
