import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('runs the README mapReduce example as printed', async () => {
  const example = fileURLToPath(new URL('../examples/map-reduce.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--conditions=@isthmus/source',
    '--import',
    'tsx',
    example,
    'local',
  ]);
  expect(stdout.trim()).toBe('9 words in 3 texts, counted on local');
});
