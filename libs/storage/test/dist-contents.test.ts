import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const LIBRARY = fileURLToPath(new URL('..', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** The `exports` targets of package.json that point into `dist/`, relative to it. */
async function exportedDistFiles(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(LIBRARY, 'package.json'), 'utf8')) as {
    exports: Record<string, Record<string, string>>;
  };
  return Object.values(manifest.exports)
    .flatMap((conditions) => Object.values(conditions))
    .filter((target) => target.startsWith('./dist/'))
    .map((target) => target.slice('./dist/'.length));
}

describe('the built package (tsc -p tsconfig.lib.json, as `npm run build` runs it)', () => {
  let outDir: string;
  let files: string[];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'isthmus-storage-dist-'));
    await promisify(execFile)(process.execPath, [TSC, '-p', 'tsconfig.lib.json', '--outDir', outDir], {
      cwd: LIBRARY,
    });
    files = (await readdir(outDir, { recursive: true })).map(String).sort();
  }, 120_000);
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('holds every file the package exports, the testing entry included', async () => {
    const exported = await exportedDistFiles();
    expect(exported).toContain('testing/index.js');
    for (const file of exported) expect(files).toContain(file);
  });

  it('holds no tests, test helpers or fixtures', () => {
    const testCode = files.filter((file) =>
      /\.test\.|(^|\/)(test|tests|support|fixtures|__fixtures__|conformance)\/|racer/.test(file),
    );
    expect(testCode).toEqual([]);
  });

  it('imports vitest only from testing/', async () => {
    const importers: string[] = [];
    for (const file of files.filter((name) => name.endsWith('.js'))) {
      const code = await readFile(join(outDir, file), 'utf8');
      if (/from ['"]vitest['"]|import\(['"]vitest['"]\)/.test(code)) importers.push(file);
    }
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((file) => !file.startsWith('testing/'))).toEqual([]);
  });
});
