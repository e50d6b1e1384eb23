import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const README = fileURLToPath(new URL('../README.md', import.meta.url));

/** The README's code blocks that follow a mention of an example file, keyed by its path. */
async function printedExamples(): Promise<Map<string, string>> {
  const text = await readFile(README, 'utf8');
  const blocks = text.matchAll(/`(examples\/[\w-]+\.ts)`[^\n]*\n\n```ts\n([\s\S]*?)```/g);
  return new Map([...blocks].map(([, path, code]) => [path!, code!]));
}

it('runs the README mapReduce example as printed', async () => {
  const printed = await printedExamples();
  expect([...printed.keys()].sort()).toEqual(['examples/functions.ts', 'examples/map-reduce.ts']);
  for (const [path, code] of printed)
    expect(code, `the README's ${path}`).toBe(await readFile(new URL(`../${path}`, import.meta.url), 'utf8'));
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
