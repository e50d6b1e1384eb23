import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every README of the workspace: the root's and each package's. */
function readmes(): string[] {
  const packages = ['libs', 'apps', 'tools'].flatMap((group) =>
    readdirSync(join(ROOT, group)).map((name) => join(ROOT, group, name)),
  );
  return [ROOT, ...packages, join(ROOT, 'test')]
    .map((dir) => join(dir, 'README.md'))
    .filter((path) => existsSync(path));
}

/**
 * The README's TypeScript code blocks that show a file: those whose preceding paragraph names, in
 * backticks, a file beside the README (the last one it names). Other blocks are snippets.
 */
function printedFiles(readme: string): Array<{ file: string; block: string }> {
  const text = readFileSync(readme, 'utf8');
  const shown: Array<{ file: string; block: string }> = [];
  for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const before = text.slice(0, match.index).trimEnd();
    const paragraph = before.slice(before.lastIndexOf('\n\n') + 2);
    const named = [...paragraph.matchAll(/`([\w./-]+\.(?:ts|mjs|js))`/g)]
      .map(([, path]) => join(dirname(readme), path!))
      .filter((path) => existsSync(path));
    if (named.length > 0) shown.push({ file: named.at(-1)!, block: match[1]! });
  }
  return shown;
}

describe('README code blocks', () => {
  it.each(readmes().map((readme) => [relative(ROOT, readme), readme]))(
    '%s shows the files it names exactly as they are',
    (_, readme) => {
      for (const { file, block } of printedFiles(readme)) {
        expect(block, `the block after the mention of ${relative(ROOT, file)}`).toBe(
          readFileSync(file, 'utf8'),
        );
      }
    },
  );

  it.each(readmes().map((readme) => [relative(ROOT, readme), readme]))(
    '%s links only to paths that exist',
    (_, readme) => {
      const links = [...readFileSync(readme, 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map(
        ([, target]) => target!,
      );
      const local = links.filter((target) => !/^[a-z]+:/.test(target));
      for (const target of local) expect(existsSync(join(dirname(readme), target)), target).toBe(true);
    },
  );

  it('every library README shows its runnable example file', () => {
    for (const readme of readmes().filter((path) => relative(ROOT, path).startsWith('libs/'))) {
      const examples = printedFiles(readme).filter(({ file }) =>
        relative(dirname(readme), file).startsWith('examples/'),
      );
      expect(examples.length, relative(ROOT, readme)).toBeGreaterThan(0);
    }
  });
});
