// The package as npm would install it: @isthmus/storage and @isthmus/faas built by the real
// `tsc -p tsconfig.lib.json` into a node_modules of their own, with their package.json and only
// their dist/ (what `files` publishes), and run by plain node: no @isthmus/source condition.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const FAAS = fileURLToPath(new URL('..', import.meta.url));
const STORAGE = join(FAAS, '..', 'storage');
const WORKSPACE = join(FAAS, '..', '..');
const TSC = join(WORKSPACE, 'node_modules', 'typescript', 'bin', 'tsc');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('the built package (tsc -p tsconfig.lib.json), installed beside a built @isthmus/storage', () => {
  let root: string;
  let faasDir: string;
  let dist: string;

  beforeAll(async () => {
    // Inside the workspace's node_modules, so that third-party dependencies (esbuild, the AWS SDK)
    // resolve as they would in an installed project; the two packages resolve to these copies.
    await mkdir(join(WORKSPACE, 'node_modules', '.cache'), { recursive: true });
    root = await mkdtemp(join(WORKSPACE, 'node_modules', '.cache', 'isthmus-faas-dist-'));
    const storageDir = join(root, 'node_modules', '@isthmus', 'storage');
    faasDir = join(root, 'node_modules', '@isthmus', 'faas');
    dist = join(faasDir, 'dist');
    await mkdir(storageDir, { recursive: true });
    await mkdir(faasDir, { recursive: true });
    await copyFile(join(STORAGE, 'package.json'), join(storageDir, 'package.json'));
    await copyFile(join(FAAS, 'package.json'), join(faasDir, 'package.json'));
    await run(process.execPath, [
      TSC,
      '-p',
      join(STORAGE, 'tsconfig.lib.json'),
      '--outDir',
      join(storageDir, 'dist'),
      '--tsBuildInfoFile',
      join(root, 'storage.tsbuildinfo'),
    ]);
    // faas's own build config, with @isthmus/storage's types taken from the copy just built
    // (in the workspace it resolves to libs/storage, built there first by `nx build`).
    const tsconfig = join(root, 'tsconfig.faas.json');
    await writeFile(
      tsconfig,
      JSON.stringify({
        extends: join(FAAS, 'tsconfig.lib.json'),
        compilerOptions: {
          outDir: dist,
          tsBuildInfoFile: join(root, 'faas.tsbuildinfo'),
          paths: { '@isthmus/storage': [join(storageDir, 'dist', 'index.d.ts')] },
        },
      }),
    );
    await run(process.execPath, [TSC, '-p', tsconfig]);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('holds no test code: no test files, fixtures, test helpers or oracles', async () => {
    const files = (await filesUnder(dist)).map((file) => relative(dist, file));
    expect(files).toContain('index.js');
    expect(files).toContain('testing/conformance-functions.js');
    expect(files.filter((file) => /\.test\.|fixtures?\/|__fixtures__|support\/|oracle/.test(file))).toEqual(
      [],
    );
  });

  it('imports vitest only from dist/testing', async () => {
    const importers: string[] = [];
    for (const file of await filesUnder(dist)) {
      if (!file.endsWith('.js')) continue;
      if (/from ['"]vitest['"]|import\(['"]vitest['"]\)/.test(await readFile(file, 'utf8')))
        importers.push(relative(dist, file));
    }
    expect(importers).toEqual(['testing/backend-conformance.js']);
  });

  it('bundles and runs functions that import @isthmus/storage, resolved to its built exports', async () => {
    await writeFile(
      join(root, 'functions.mjs'),
      "import { openStore } from '@isthmus/storage';\nexport const storeUrl = async (url) => openStore(url).url;\n",
    );
    await writeFile(
      join(root, 'main.mjs'),
      [
        "import { buildBundle, executor, LocalBackend } from '@isthmus/faas';",
        'const bundle = await buildBundle({',
        "  entry: new URL('./functions.mjs', import.meta.url).pathname,",
        "  outDir: new URL('./bundle', import.meta.url).pathname,",
        '});',
        'const ex = await executor({ backend: new LocalBackend({ maxWorkers: 1 }), bundle });',
        "console.log(await ex.call('storeUrl', 'file:///tmp/isthmus-dist-test').result());",
        'await ex.close();',
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, [join(root, 'main.mjs')], { cwd: root });
    expect(stdout.trim()).toBe('file:///tmp/isthmus-dist-test');
  });
});
